"""What holds up a server's event loop: every callback timed, and where the time went.

`watch(report)` is called in the server's process before it starts (bench/beyond.py --watch-loop does so).
From then on each event-loop callback is timed three ways: wall time, the loop thread's CPU time, and the
time the thread spent runnable but waiting for a CPU (the kernel's run-queue wait, from
/proc/thread-self/schedstat). A callback whose wall time is its CPU time is work to move off the loop; one
whose wall time is run-queue wait is the OS scheduling a busy machine, which no change to the loop fixes.
Whatever is left (neither running nor waiting for a CPU) is the thread blocked: on the GIL, a page fault,
a disk. A watchdog thread samples the loop thread's stack while a callback runs past 4 ms, and a ticker
task measures the loop's lag every 5 ms. The report (JSON) is written when the process exits.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

__all__ = ["SLOW_S", "summary", "watch"]

SLOW_S = 0.005  # a callback or a lag longer than this is reported
_SAMPLE_AFTER_S = 0.004  # a callback running this long gets its stack sampled
_TICK_S = 0.005
_STACK_DEPTH = 14


_schedstat = threading.local()  # each thread's /proc/thread-self/schedstat, kept open: read twice a callback


def _run_queue_wait_s() -> float:
    """Seconds this thread has spent runnable but not running, or 0 where the kernel does not say."""
    try:
        fd = getattr(_schedstat, "fd", None)
        if fd is None:
            fd = _schedstat.fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        return int(os.pread(fd, 128, 0).split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each thread of this process, by name."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    used: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = names.get(int(task.name), f"thread {task.name}")
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


class _Watch:
    def __init__(self) -> None:
        self.slow: list[dict[str, Any]] = []
        self.lags: list[dict[str, Any]] = []
        self.running: tuple[int, float, int] | None = None  # (callback id, started, thread id)
        self.stacks: dict[int, list[str]] = {}
        self.threads: list[tuple[float, dict[str, float]]] = []  # (when, CPU seconds of each thread)

    def timed(self, run: Any) -> Any:
        """asyncio's Handle._run, timed."""
        watch = self

        def _run(handle: asyncio.Handle) -> None:
            started, cpu, waited = time.monotonic(), time.thread_time(), _run_queue_wait_s()
            token = (id(handle), started, threading.get_ident())
            watch.running = token
            try:
                run(handle)
            finally:
                watch.running = None
                wall = time.monotonic() - started
                stacks = watch.stacks.pop(id(token), [])
                if wall > SLOW_S:
                    watch.slow.append(
                        {
                            "t": started,
                            "wall_ms": round(wall * 1000, 1),
                            "cpu_ms": round((time.thread_time() - cpu) * 1000, 1),
                            "run_queue_ms": round((_run_queue_wait_s() - waited) * 1000, 1),
                            "what": repr(handle)[:200],
                            "stacks": stacks,
                        }
                    )

        return _run

    def sample(self) -> None:
        """The watchdog: the loop thread's stack, while a callback runs long."""
        next_census = 0.0
        while True:
            time.sleep(0.002)
            if time.monotonic() >= next_census:
                next_census = time.monotonic() + 0.5
                self.threads.append((time.monotonic(), _thread_cpu()))
            running = self.running
            if running is None or time.monotonic() - running[1] < _SAMPLE_AFTER_S:
                continue
            frame = sys._current_frames().get(running[2])
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-_STACK_DEPTH:]
            text = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(stack))
            seen = self.stacks.setdefault(id(running), [])
            if text not in seen and len(seen) < 4:
                seen.append(text)

    async def tick(self) -> None:
        """The loop's lag: how late a 5 ms sleep wakes up, and how much of that was run-queue wait."""
        while True:
            started, cpu, waited = time.monotonic(), time.thread_time(), _run_queue_wait_s()
            await asyncio.sleep(_TICK_S)
            lag = time.monotonic() - started - _TICK_S
            if lag > SLOW_S:
                self.lags.append(
                    {
                        "t": started,
                        "lag_ms": round(lag * 1000, 1),
                        "cpu_ms": round((time.thread_time() - cpu) * 1000, 1),
                        "run_queue_ms": round((_run_queue_wait_s() - waited) * 1000, 1),
                    }
                )


def watch(report: str) -> None:
    """Time every event-loop callback of this process from now on; write the report to `report` at exit."""
    state = _Watch()
    asyncio.events.Handle._run = state.timed(asyncio.events.Handle._run)  # type: ignore[method-assign]
    threading.Thread(target=state.sample, name="loopwatch", daemon=True).start()
    run = asyncio.runners.Runner.run

    def run_with_ticker(runner: asyncio.Runner, coro: Any, *, context: Any = None) -> Any:
        async def ticking() -> Any:
            ticker = asyncio.ensure_future(state.tick())
            try:
                return await coro
            finally:
                ticker.cancel()

        return run(runner, ticking(), context=context)

    asyncio.runners.Runner.run = run_with_ticker  # type: ignore[method-assign]

    def write() -> None:
        body = {"slow": state.slow, "lags": state.lags, "threads": state.threads}
        Path(report).write_text(json.dumps(body), encoding="utf-8")

    atexit.register(write)


def summary(report: Path, start: float, end: float) -> list[str]:
    """Lines saying what held up the loop between `start` and `end` (time.monotonic() readings)."""
    if not report.exists():
        return ["  event loop: no report (the server did not exit cleanly)"]
    data = json.loads(report.read_text(encoding="utf-8"))
    slow = [s for s in data["slow"] if start <= s["t"] <= end]
    lags = [lag for lag in data["lags"] if start <= lag["t"] <= end]
    over = f"over {SLOW_S * 1000:.0f} ms"
    wall, cpu = _total(slow, "wall_ms"), _total(slow, "cpu_ms")
    queued = _total(slow, "run_queue_ms")
    busy = sorted((s for s in slow if s["cpu_ms"] > SLOW_S * 1000), key=lambda s: -s["cpu_ms"])
    lines = [
        f"  event loop during the runs: {len(slow)} callbacks {over}, {wall:.0f} ms in all: {cpu:.0f} ms"
        f" running, {queued:.0f} ms waiting for a CPU, {wall - cpu - queued:.0f} ms blocked (GIL, I/O)",
        f"    longest {_most(slow, 'wall_ms'):.1f} ms; most CPU in one callback"
        f" {_most(slow, 'cpu_ms'):.1f} ms; callbacks with {over} of CPU: {len(busy)}",
        f"    a {_TICK_S * 1000:.0f} ms ticker late by {over} {len(lags)} times"
        f" (max {_most(lags, 'lag_ms'):.1f} ms), {_total(lags, 'lag_ms'):.0f} ms in all,"
        f" {_total(lags, 'run_queue_ms'):.0f} ms of it waiting for a CPU",
    ]
    census = [used for t, used in data["threads"] if start <= t <= end]
    if len(census) >= 2:
        spent = {name: cpu_s - census[0].get(name, 0.0) for name, cpu_s in census[-1].items()}
        ranked = sorted(spent.items(), key=lambda item: -item[1])
        shares = ", ".join(f"{name} {cpu_s * 1000:.0f} ms" for name, cpu_s in ranked)
        lines.append(f"    CPU of the server's threads: {shares}")
    for s in busy[:5]:
        lines.append(f"    {s['cpu_ms']:.1f} ms CPU: {s['what']}")
        lines.extend(f"      {stack[:300]}" for stack in s["stacks"][:1])
    return lines


def _total(rows: list[dict[str, Any]], key: str) -> float:
    return sum(row[key] for row in rows)


def _most(rows: list[dict[str, Any]], key: str) -> float:
    return max((row[key] for row in rows), default=0.0)
