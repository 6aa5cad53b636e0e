"""Reading in worker processes (style.md): a `concurrent.futures.ProcessPoolExecutor` with the
spawn start method, the same on Windows and Linux. Each worker runs one task per file (read and
check it into plain dataclasses) and returns the result; everything after reading runs in the
main process.

A worker can be lost: a native crash inside a reader library (calamine aborts the whole process
when an allocation fails), the memory cap (RLIMIT_AS where the system has it), or a file that
takes longer than the time limit. A lost worker breaks the whole pool and fails every file in
flight with it, so those files are tried again one at a time in a fresh pool: the one that is
lost again is `Lost`, the others are read normally, and the batch goes on with a new pool.
`jobs=1` reads in-process (for debugging: nothing is protected then).

Once everything is read, the same workers write outputs while the main process writes others
(`Readers.later`: the Word papers while the main process writes the workbook).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")

Item = TypeVar("Item")
Result = TypeVar("Result")
Task = Callable[[Any, Any], Any]   # task(item, context) -> result; a module-level function


@dataclass(frozen=True)
class Lost:
    """A file whose worker never came back: "crash" (the process died: a native crash or the
    memory cap) or "time" (it ran past the time limit and was stopped)."""

    why: str


def default_jobs() -> int:
    return os.cpu_count() or 1


# -- inside a worker -----------------------------------------------------------------------

_TASK: Task | None = None
_CONTEXT: Any = None


def _start_worker(task: Task, context: Any, memory_cap: int) -> None:
    global _TASK, _CONTEXT
    _TASK, _CONTEXT = task, context
    _cap_memory(memory_cap)
    # A library that aborts prints its own English dump on stderr; the officer sees the
    # Vietnamese reason in the report instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    except OSError:
        pass


def _cap_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:   # Windows: no RLIMIT_AS; the time limit still holds
        return
    if limit <= 0 or not hasattr(resource, "RLIMIT_AS"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _run(item: Any) -> Any:
    return _TASK(item, _CONTEXT)


def _ready() -> bool:
    return True


# -- the main process ----------------------------------------------------------------------

class Later(Generic[Value]):
    """A call under way in a worker (or, with one job, made when its value is asked for)."""

    def __init__(self, function: Callable[..., Value], args: tuple, future: Future | None):
        self._function, self._args, self._future = function, args, future

    def value(self) -> Value:
        if self._future is None:
            return self._function(*self._args)
        try:
            return self._future.result()
        except BrokenProcessPool:   # the worker was lost (killed from outside): the call is made here instead
            return self._function(*self._args)


class Readers(Generic[Item, Result]):
    """A pool that reads items with `task(item, context)`; kept open between calls of `map` (the
    web page keeps one), rebuilt when a worker is lost. Use as a context manager or `close()`."""

    def __init__(self, task: Task, context: Any, jobs: int | None = None, memory_cap: int = 0,
                 time_limit: float = 120.0):
        self.task, self.context = task, context
        self.jobs = max(1, jobs or default_jobs())
        self.memory_cap, self.time_limit = memory_cap, time_limit
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = 0

    def __enter__(self) -> "Readers[Item, Result]":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, items: Sequence[Item]) -> Iterator[tuple[int, Result | Lost]]:
        """(index, result) for every item, in the order they finish; a lost worker's file is Lost."""
        if not items:
            return
        if self.jobs == 1:
            for index, item in enumerate(items):
                yield index, self.task(item, self.context)
            return
        yield from self._map(items, min(self.jobs, len(items)))

    def later(self, function: Callable[..., Value], *args: Any) -> Later[Value]:
        """Start `function(*args)` (a module-level function, picklable arguments) in a worker;
        its value when `value()` is asked for. The pool's memory cap holds; its time limit, which is
        for reading one file, does not. With one job, or no worker running (nothing was read: starting
        one would cost more than the call), the call is made in this process, at `value()`."""
        pool = self._pool
        if self.jobs == 1 or pool is None:
            return Later(function, args, None)
        try:
            return Later(function, args, pool.submit(function, *args))
        except BrokenProcessPool:
            self._discard()
            return Later(function, args, None)

    # -- the pool itself
    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        self._discard()
        self._pool = ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker,
                                         initargs=(self.task, self.context, self.memory_cap))
        self._pool_size = size
        return self._pool

    def _pool_of(self, size: int) -> ProcessPoolExecutor:
        if self._pool is None or self._pool_size < size:
            return self._new_pool(size)
        return self._pool

    def _discard(self) -> None:
        """Stop a pool whose workers may hang or be dead: its processes are killed."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        for process in processes:
            try:
                process.join(5)
            except (OSError, ValueError, AttributeError, AssertionError):
                pass

    def _map(self, items: Sequence[Item], size: int) -> Iterator[tuple[int, Result | Lost]]:
        pending = list(range(len(items)))
        pending.reverse()   # popped from the end: in order
        flight: dict[Future, int] = {}
        depth = 2 * size
        while pending or flight:
            pool = self._pool_of(size)
            try:
                while pending and len(flight) < depth:
                    flight[pool.submit(_run, items[pending[-1]])] = pending[-1]
                    pending.pop()
            except BrokenProcessPool:   # a worker died between two looks: its file is among those in flight
                suspects = list(flight.values())
                flight.clear()
                self._discard()
                for index in sorted(suspects):
                    yield index, self._alone(items[index])
                continue
            done, _ = wait(flight, timeout=self.time_limit, return_when=FIRST_COMPLETED)
            suspects: list[int] = []
            if not done:   # nothing finished in time: a file is stuck, which one is not known
                suspects = list(flight.values())
                flight.clear()
                self._discard()
            for future in done:
                index = flight.pop(future)
                try:
                    yield index, future.result()
                except BrokenProcessPool:
                    suspects.append(index)
                except Exception as exc:  # noqa: BLE001 - the task failed in Python: the file is lost, not the batch
                    yield index, Lost(f"error: {type(exc).__name__}: {exc}")
            if suspects:
                # The pool is broken or stopped: every file still in flight is a suspect too.
                suspects += flight.values()
                flight.clear()
                self._discard()
                for index in sorted(suspects):
                    yield index, self._alone(items[index])

    def _alone(self, item: Item) -> Result | Lost:
        """One suspect read by itself: whatever happens now is this file's doing. A fresh worker is
        started first, so that its start (imports, on a busy machine) does not count as the file's time."""
        pool = self._pool_of(1)
        try:
            pool.submit(_ready).result(timeout=max(60.0, self.time_limit))
        except Exception:  # noqa: BLE001 - a worker that cannot even start: the file is read nowhere
            self._discard()
            return Lost("crash")
        future = pool.submit(_run, item)
        try:
            return future.result(timeout=self.time_limit)
        except BrokenProcessPool:
            self._discard()
            return Lost("crash")
        except TimeoutError:
            self._discard()
            return Lost("time")
        except Exception as exc:  # noqa: BLE001
            return Lost(f"error: {type(exc).__name__}: {exc}")


def platform_caps_memory() -> bool:
    """Whether a worker's memory can be capped here (RLIMIT_AS: Linux and most Unixes)."""
    if sys.platform == "win32":
        return False
    try:
        import resource
    except ImportError:
        return False
    return hasattr(resource, "RLIMIT_AS")
