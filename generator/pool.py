"""One way to run work in parallel: a process pool that starts its workers the same way on every system.

Workers are started with the "spawn" method, the only one Windows has and the default on
macOS: each worker is a fresh interpreter that receives what it needs as picklable
arguments (`initializer(*initargs)` once, then each task's arguments), never module state
inherited by fork. So a build runs the same on Linux as on Windows, and a parent that runs
threads (`dangjian serve`) forks nothing beside them. `DANGJIAN_POOL=fork` (benchmarks only)
starts them by fork instead, to measure what spawn costs. Every worker is handed the parent's
settings (generator/settings.py) before anything else: a spawned one would otherwise have the defaults.

The frozen model uses `types.MappingProxyType`, which pickle cannot save by itself: it is
registered here, for the parent and the workers alike, as the dict it wraps.
"""

from __future__ import annotations

import copyreg
import multiprocessing
import queue
import types
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from generator import settings


def _mapping_proxy(items: dict) -> types.MappingProxyType:
    return types.MappingProxyType(items)


copyreg.pickle(types.MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


def _context() -> multiprocessing.context.BaseContext:
    method = settings.current().pool
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    return multiprocessing.get_context(method)


def executor(workers: int, initializer: Callable[..., Any] | None = None,
             initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each set up by `initializer(*initargs)` before its first task."""
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start,
                               initargs=(settings.current(), initializer, initargs))


def _start(given: settings.Settings, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    settings.use(given)
    if initializer is not None:
        initializer(*initargs)


def channel(parallel: bool) -> Any:
    """A queue the pool's workers can put to and the parent read from (a plain one when nothing runs in parallel).
    Hand it to the workers through `executor`'s `initargs`."""
    return _context().Queue() if parallel else queue.SimpleQueue()
