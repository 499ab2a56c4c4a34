"""Ctrl-C: the run stops at once and writes nothing, except while its output is being
swapped in (a fraction of a second), which is let finish so that the output folder is
never left between the old tables and the new ones."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Inside: Ctrl-C is held back; the run then ends as if it had not come (its output is
    complete). Only the main thread can hold it back; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def interrupt_blocked() -> Iterator[None]:
    """Inside: Ctrl-C waits (it comes after). Around starting a worker process, so that the
    worker is born with it blocked and cannot be interrupted before it ignores it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def ignore_interrupt() -> None:
    """In a worker process: Ctrl-C reaches every process of the terminal's group, and the run
    stops its workers itself (a worker that raised KeyboardInterrupt would print a traceback).
    A Ctrl-C that came while the worker was starting with it blocked is dropped here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
