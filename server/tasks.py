"""Background loops that stop when they are told to, whatever the library they were waiting on did."""

from __future__ import annotations

import asyncio

__all__ = ["stop_if_cancelled"]


def stop_if_cancelled() -> None:
    """Raise CancelledError if the running task was asked to stop.

    A cancellation can land while the task waits on a store command, and redis-py may then swallow the
    CancelledError and return the command's answer. A `while True` loop would run on after `cancel()`, and
    whoever awaits the task would wait forever. Each background loop calls this once per round.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
