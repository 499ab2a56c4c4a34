"""What a run tells its user while it works: a progress bar that moves from the start
(documents read, then characters analysed, counted by the workers as they go), and each
stage's time and counts through `logging` (shown with --verbose).

The run calls a `RunReport`; the command line decides what reaches the terminal. Workers
count characters into a queue the report gave them, so the bar moves while a long
document is still being analysed, not only when its result comes back.
"""
from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
import time
from typing import Any

from tqdm import tqdm

log = logging.getLogger("pipeline")

_FLUSH_SECONDS = 0.2         # how often a worker sends its count of characters


class RunReport:
    """Progress and stage timings of one run. `progress`: show bars (only ever on a
    terminal: tqdm leaves them out when stderr is not one)."""

    def __init__(self, progress: bool = True) -> None:
        self._progress = progress
        self._bar: tqdm | None = None
        self._mark = time.monotonic()
        self._queue: Any = None
        self._listener: threading.Thread | None = None

    def stage(self, name: str, **counts: float) -> None:
        """A stage has ended: its time since the previous one, and what it counted (floats:
        seconds, shown to the hundredth)."""
        now = time.monotonic()
        figures = ", ".join(f"{value:,.2f} {key.replace('_', ' ')}" if isinstance(value, float)
                            else f"{value:,} {key.replace('_', ' ')}" for key, value in counts.items())
        log.info("%s: %.2f s%s", name, now - self._mark, f" ({figures})" if figures else "")
        self._mark = now

    def reading(self, documents: int) -> None:
        self._open(documents, "reading", "doc", False)

    def read_one(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def analysing(self, characters: int) -> None:
        """The analysis starts: a bar of characters, fed by the workers' counts."""
        self._open(characters, "analysing", "char", True)
        if self._bar is not None and self._queue is not None and self._listener is None:
            self._listener = threading.Thread(target=self._listen, name="progress", daemon=True)
            self._listener.start()

    def advance(self, characters: int) -> None:
        """Characters analysed, told by the run itself when the workers cannot count into the
        channel (on a cluster, a document's characters as it comes back)."""
        if self._bar is not None and self._bar.total:
            self._bar.update(min(characters, self._bar.total - self._bar.n))

    def channel(self) -> Any:
        """The queue workers count characters into (None when no bar is shown); made before
        the workers start, since they receive it when they start."""
        if self._queue is None and self._progress and not _disabled():
            self._queue = multiprocessing.SimpleQueue()
        return self._queue

    def close(self) -> None:
        if self._listener is not None:
            self._queue.put(None)
            self._listener.join(1.0)
            self._listener = None
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _open(self, total: int, what: str, unit: str, scale: bool) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        if self._progress and not _disabled():
            self._bar = tqdm(total=total, desc=what, unit=unit, unit_scale=scale, leave=False,
                             dynamic_ncols=True, mininterval=0.1)

    def _listen(self) -> None:
        while True:
            count = self._queue.get()
            if count is None:
                return
            self.advance(count)


def _disabled() -> bool:
    """tqdm's own rule for disable=None: no bar unless stderr is a terminal."""
    return not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())


class CharCounter:
    """A worker's side of the bar: characters done, sent to the queue a few times a second."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue
        self._count = 0
        self._sent = time.monotonic()

    def add(self, characters: int) -> None:
        if self._queue is None:
            return
        self._count += characters
        now = time.monotonic()
        if now - self._sent >= _FLUSH_SECONDS:
            self.flush()
            self._sent = now

    def flush(self) -> None:
        if self._queue is not None and self._count:
            self._queue.put(self._count)
            self._count = 0
