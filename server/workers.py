"""Worker processes for a briefing's CPU work, stopped for real when the briefing stops waiting.

A thread cannot be stopped: work handed to one went on after its briefing had given up, and six large pages
held the server's CPU for two minutes. Here each call runs in a worker process (pebble's ProcessPool); at its
deadline, or when the briefing is cancelled, the process running it is terminated and a fresh one, with the
language model already loaded, takes its place.

    async with CpuPool(2) as pool:
        page = await pool.run(registry.scrape, Page(url=url, html=html), timeout=2.5)
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

__all__ = ["CpuPool"]

log = logging.getLogger("zmot.workers")

T = TypeVar("T")

_BROKEN_CHECK_S = 0.5  # how often a waiting call looks whether the pool broke under it
# A worker is replaced after this many calls, which gives back the memory that big pages made it hold (a
# replacement forked from the fork server costs milliseconds).
_CALLS_PER_WORKER = 500

# What the fork server imports once, before it forks any worker: server.sources.warmed loads the language
# model and sets up the page reader; the others are what briefings' calls need. Each worker is then ready
# within milliseconds.
_PRELOAD = [
    "server.sources.warmed",
    "server.analysis.reviews",
    "server.sources.mentions",
    "scrapers.registry",
    "scrapers.generic",
]


def _start_method() -> multiprocessing.context.BaseContext:
    """forkserver where the platform has it, else spawn; never a plain fork.

    pebble starts replacement workers from its manager thread while the server's event loop, aiosqlite and
    the resolver run in other threads: a child forked from that process can inherit a lock another thread
    held (logging, imports, malloc) and hang for good. The fork server is a single-threaded process started
    once as a fresh interpreter; forking from it is safe, and cheap because it has `_PRELOAD` imported.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)  # no effect once the fork server runs: it has them already
    return context


def _prepare_worker() -> None:
    """In each new worker: end at once when terminated, and be ready for briefings' work (already so when
    the fork server preloaded it; a spawned worker gets ready here)."""
    # pebble's own SIGTERM handler is Python code, which cannot run while a regex or a parser holds the
    # worker inside C; the default action ends the process whatever it is doing.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        importlib.import_module("server.sources.warmed")
    except Exception:  # the model then loads on first use; the worker can still do everything else
        log.exception("a CPU worker could not get ready")


def _portable(exc: BaseException) -> BaseException:
    """`exc` if it survives the trip back to the server, else a RuntimeError that carries its text."""
    if isinstance(exc, Exception):
        try:
            pickle.loads(pickle.dumps(exc))
            return exc
        except Exception:
            pass
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def _call(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> bytes:
    """Runs in a worker: fn's result, pickled here, so that a result the server cannot unpickle fails
    this call alone instead of breaking the pool; an exception comes back as itself when it can."""
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # SystemExit from a plugin must not reach the server as SystemExit
        portable = _portable(exc)
        if portable is exc:
            raise
        raise portable from exc
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        raise RuntimeError(f"{_name(fn)} returned what cannot be sent back: {exc}") from None


def _ready() -> int:
    """A call that proves a worker is up (its initializer, which gets it ready, has run)."""
    time.sleep(0.05)  # so that the next of these calls most likely goes to another worker
    return os.getpid()


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


class CpuPool:
    """A pool of worker processes whose work a deadline or a cancellation really stops.

    Calls wait in the pool (not in pebble's pipe) until a worker is free, so that one given up while it
    waits costs nothing; a call given up while it runs costs its worker, which is replaced.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 2)
        self._pool: ProcessPool | None = None
        self._free: asyncio.Semaphore | None = None
        self._running: set[Future[bytes]] = set()
        self._closed = False
        self.ready = False  # every worker has started and loaded the language model
        self._booting: asyncio.Future[ProcessPool] | None = None

    async def __aenter__(self) -> CpuPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start the workers and wait until each is ready (the language model loaded). Optional: the first
        call starts them too, but then that call waits for them."""
        await self._started()
        await asyncio.gather(*(self.run(_ready) for _ in range(self.workers)))
        self.ready = True

    async def _started(self) -> None:
        """The pebble pool, booted once. Its first call starts the fork server, which imports and warms
        everything (seconds): that happens in a thread, so the server answers meanwhile."""
        if self._closed:
            raise RuntimeError("the CPU pool is closed")
        if self._pool is not None:
            return
        if self._booting is None:
            self._free = asyncio.Semaphore(self.workers)
            self._booting = asyncio.ensure_future(asyncio.to_thread(self._boot))
        pool = await asyncio.shield(self._booting)
        if self._closed:
            await self._stop(pool)
            raise RuntimeError("the CPU pool is closed")
        self._pool = self._pool or pool

    def _boot(self) -> ProcessPool:
        pool = self._new_pool()
        pool.schedule(_ready).result()  # pebble starts its workers (and the fork server) on a first call
        return pool

    async def close(self) -> None:
        """Stop every worker, whatever it is doing; calls still waiting fail with RuntimeError."""
        self._closed = True
        pool, self._pool = self._pool, None
        for future in list(self._running):
            future.cancel()  # their callers get RuntimeError, not a wait for a result that never comes
        if pool is not None:
            await self._stop(pool)

    # The timeout is an argument (ASYNC109) because it bounds the wait for a free worker and the work itself.
    async def run(
        self,
        fn: Callable[..., T],
        /,
        *args: Any,
        timeout: float | None = None,  # noqa: ASYNC109
        **kwargs: Any,
    ) -> T:
        """fn(*args, **kwargs) in a worker process.

        Raises TimeoutError when `timeout` seconds pass first, counted from this call (time spent waiting
        for a free worker included); the worker running it is then terminated. Cancelling the awaiting task
        cancels the work the same way. Exceptions raised by fn come back as themselves, or as a RuntimeError
        with their text when they cannot be pickled.
        """
        await self._started()
        assert self._free is not None
        if timeout is not None and timeout <= 0:
            raise TimeoutError(f"{_name(fn)}: no time left to run it")
        limit = asyncio.timeout(timeout)
        try:
            async with limit, self._free:
                return await self._run_in_worker(fn, args, kwargs)
        except TimeoutError:
            if limit.expired():
                raise TimeoutError(f"{_name(fn)} did not finish within {timeout:.2f} s") from None
            raise

    async def _run_in_worker(self, fn: Callable[..., T], args: tuple, kwargs: dict[str, Any]) -> T:
        for attempt in (1, 2):
            try:
                payload = await self._outcome(await self._working_pool(), fn, args, kwargs)
            except BrokenProcessPool:
                # A worker died while no call was running: pebble gives up on every call, this one too.
                if attempt == 2:
                    raise RuntimeError("the CPU pool broke twice in a row") from None
                continue
            try:
                return pickle.loads(payload)
            except Exception as exc:
                raise RuntimeError(f"the result of {_name(fn)} could not be read: {exc}") from None
        raise AssertionError("unreachable")

    async def _outcome(
        self, pool: ProcessPool, fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> bytes:
        """What `_call` returned in a worker; BrokenProcessPool when the pool broke first."""
        try:
            future = pool.schedule(_call, args=(fn, args, kwargs))
        except RuntimeError as exc:  # it broke since _working_pool looked
            raise BrokenProcessPool(str(exc)) from None
        self._running.add(future)
        answer = asyncio.wrap_future(future)
        try:
            # A pool that breaks forgets the calls it had not yet handed to a worker: look now and then.
            while not (await asyncio.wait({answer}, timeout=_BROKEN_CHECK_S))[0]:
                if not pool.active:
                    raise BrokenProcessPool("the pool broke before the call was answered")
            return answer.result()
        except asyncio.CancelledError:
            future.cancel()  # pebble terminates the worker if it had started, drops the call if not
            task = asyncio.current_task()
            if self._closed and task is not None and not task.cancelling():
                raise RuntimeError("the CPU pool was closed") from None
            raise
        except ProcessExpired as exc:
            raise RuntimeError(f"the worker running {_name(fn)} died (exit code {exc.exitcode})") from None
        finally:
            future.cancel()  # no effect once it is done
            self._running.discard(future)

    async def _working_pool(self) -> ProcessPool:
        """The pebble pool, started anew if it broke (a worker died while no call was running)."""
        if self._closed or self._pool is None:
            raise RuntimeError("the CPU pool was closed")
        if not self._pool.active:
            log.warning("the CPU worker pool broke; starting a new one")
            broken, self._pool = self._pool, self._new_pool()
            await self._stop(broken)
        return self._pool

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(
            max_workers=self.workers,
            max_tasks=_CALLS_PER_WORKER,
            initializer=_prepare_worker,
            context=_start_method(),
        )

    @staticmethod
    async def _stop(pool: ProcessPool) -> None:
        pool.stop()
        # join() waits for pebble's threads and terminates the workers (SIGKILL after 3 s): off the loop.
        await asyncio.get_running_loop().run_in_executor(None, pool.join)
