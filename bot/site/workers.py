"""The build's worker processes: one pool for both halves of the build.

The pool is forked at the start, before anything large is in memory, so the
workers stay small (a pool forked after the rows exist counts them again in
every worker). It does:

1. the checking: each worker checks a chunk of entry files (the fast path of
   ``bot.fastcheck``) and makes the ``Row`` of each file with no error of its
   own right there, from the data it has just parsed; the compact check
   results and the rows come back, in order;
2. the entry pages: once every file is checked (every page names how many
   entries are published and which were left out), each worker renders and
   writes chunks of pages from the rows sent with the task, while this
   process writes the files made from all the rows (index, mapping.*).

Without fork, with one core or for a small registry, the same functions run
here, one after the other; the files are the same, byte for byte.
"""

from __future__ import annotations

import signal
import sys
from typing import Self

from bot import fastcheck
from bot.findings import ERROR
from bot.site import render
from bot.site.model import make_row

_STATE: dict = {}  # what the workers need, set before they are forked


class Workers:
    """``with Workers(ctx) as workers``: the pool (started by the first
    ``check``, while this process is still small), shut down on leaving the
    block, errors and Ctrl-C included."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.jobs = 1
        self.rows: dict[str, object] = {}  # display path -> Row, for files with no error of their own
        self.pool = None

    def __enter__(self) -> Self:
        _STATE.update(ctx=self.ctx)
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        _STATE.clear()

    def _start(self, files: int) -> None:
        self.jobs = _jobs(files)
        if self.jobs > 1 and self.pool is None:
            import multiprocessing

            # Made once here rather than once in each worker.
            fastcheck.fast_validator(self.ctx)
            self.ctx.materialise()
            render.shared_environment()
            fork = multiprocessing.get_context("fork")
            _STATE["entries_lock"] = fork.Lock()
            self.pool = fork.Pool(self.jobs, initializer=_ignore_interrupts)

    def check(self, ctx, items) -> list:
        """A ``registry.check_paths`` runner: FileResults in order, without
        their data; the rows go to ``self.rows``."""
        items = [tuple(i) for i in items]
        self._start(len(items))
        size = max(50, min(500, len(items) // (self.jobs * 8) or 1))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        parts = map(_check_chunk, chunks) if self.pool is None else self.pool.imap(_check_chunk, chunks)
        results = []
        for part in parts:
            for result, row in part:
                results.append(result)
                if row is not None:
                    self.rows[result.path] = row
        return results

    def pages(self, tasks):
        """A ``render.write_site`` page writer: starts the tasks, returns
        the function that waits for them."""
        if self.pool is None:
            for task in tasks:
                render.write_files(render.render_pages(task))
            return lambda: None
        pending = self.pool.map_async(_write_pages, tasks, chunksize=1)
        return lambda: pending.get()


def _jobs(files: int) -> int:
    if files < fastcheck.PARALLEL_THRESHOLD:
        return 1
    try:
        import multiprocessing

        multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return 1
    # As in ``fastcheck``: at least PARALLEL_THRESHOLD / 2 files per process.
    return min(fastcheck.default_jobs(), max(1, files // (fastcheck.PARALLEL_THRESHOLD // 2)))


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: this process stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_chunk(chunk) -> list:
    ctx = _STATE["ctx"]
    out = []
    for path, display, checks in chunk:
        result = fastcheck.check_path(path, display, ctx, checks=checks, want_data=checks)
        row = None
        if checks and not any(f.severity == ERROR for f in result.findings):
            data = result.data if isinstance(result.data, dict) else {}
            row = make_row(_compact(data), display, ctx.vocabularies)
        result.data = None
        out.append((result, row))
    return out


def _write_pages(task) -> None:
    """Render here, write while holding the lock: one process at a time
    creates files in entries/ (two processes creating files in one folder
    contend for its lock in the kernel, which can cost several times the
    system time of one)."""
    pages = render.render_pages(task)
    with _STATE["entries_lock"]:
        render.write_files(pages)


def _compact(value):
    """The same data with its keys and short strings interned: the same
    field names and vocabulary terms in 10,000 entries are then one object
    each (half the memory, and less to send between processes)."""
    if value.__class__ is dict:
        return {sys.intern(k) if k.__class__ is str else k: _compact(v) for k, v in value.items()}
    if value.__class__ is list:
        return [_compact(v) for v in value]
    if value.__class__ is str and len(value) <= 40:
        return sys.intern(value)
    return value
