"""The local engine: shards scanned in this process, extracted in worker processes of this
machine (a worker that dies costs one attempt of its shard, never the run).

Each worker is a forked process with a pipe: it inherits the lexicon built once by the run,
loads the analyser once and keeps it for every shard it is given, and says as each document
finishes. When a worker dies (an analyser abort, the out-of-memory killer, its watchdog),
its shard is given to a fresh worker with the cause, and resumes from the shard's log.
"""
from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from pipeline.executors import Executor, Item, Result
from pipeline.morphology import use_threads, warm_up
from pipeline.interrupt import ignore_interrupt, interrupt_blocked
from pipeline.process import count_characters, use_lexicon
from pipeline.reasons import error_reason
from pipeline.report import RunReport
from pipeline.rules import RuleSet
from pipeline.shards import EXIT_OVERRAN, DocumentOutcome, ExtractTask, ShardOutcome, extract_shard, lost_shard

@dataclass(frozen=True)
class WorkerPlan:
    """How a run's analysis is spread: `processes` workers, each with an analyser running
    `threads` threads (0: one thread that analyses and extracts in turn)."""
    processes: int
    threads: int

    @staticmethod
    def for_jobs(jobs: int, tasks: int) -> WorkerPlan:
        """One worker a core, each analysing and extracting in turn in one thread: our
        extraction is Python, so one interpreter keeps only about one core busy, and these
        workers share one model loaded before they fork. A run of one task (one shard) cannot
        be split, so its one worker runs an analyser with a thread a core, which works ahead
        while the worker extracts."""
        if jobs <= 1:
            return WorkerPlan(1, 0)
        if tasks <= 1:
            return WorkerPlan(1, jobs)
        return WorkerPlan(min(jobs, tasks), 0)

    @property
    def shared_model(self) -> bool:
        """Whether the run loads the model once before forking the workers."""
        return self.processes > 1 and self.threads == 0


class _Worker:
    """One worker process and the task it holds."""

    def __init__(self, threads: int, warm: bool) -> None:
        parent, child = multiprocessing.get_context("fork").Pipe()
        self.conn: Connection = parent
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(child, os.getpid(), threads, warm), daemon=True, name="briefing-worker")
        _start(self.process)
        child.close()
        self.task: tuple[ExtractTask, int] | None = None        # (task, attempt)

    def give(self, task: ExtractTask, attempt: int, died: str | None) -> None:
        self.task = (task, attempt)
        self.conn.send((task, died))

    def died(self) -> str:
        """How the process ended, from its exit code: a signal (SIGABRT for an abort in native
        code, SIGKILL often for running out of memory, SIGSEGV) or an exit status."""
        self.process.join(5)
        code = self.process.exitcode
        if code is None:
            return "died"
        if code == EXIT_OVERRAN:
            return "was stopped by its watchdog"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"was killed by {name}{' (out of memory?)' if -code == signal.SIGKILL else ''}"
        return f"exited with status {code}"

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class LocalExecutor(Executor):
    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.plan = WorkerPlan.for_jobs(jobs, 1)
        self.workers: list[_Worker] = []
        self.model_pending = False     # the shared model is still to be loaded (then the workers forked)

    def start(self, rules: RuleSet, expected: int, report: RunReport) -> None:
        plan = WorkerPlan.for_jobs(self.jobs, max(1, expected))
        if self.workers and expected and plan == self.plan:
            return                                    # started on a guess that holds
        self.stop()                                   # a guess for another plan, or for nothing to do
        use_lexicon(rules)                            # built once here, inherited by every worker
        count_characters(report.channel())            # the progress bar's queue, inherited too
        self.plan = plan
        if expected and self.plan.shared_model:
            use_threads(0)
            self.model_pending = True                 # loaded while the first map runs, or now at extract
        elif expected:
            self._fork_workers()

    def _load_shared_model(self) -> None:
        """The one model every worker shares: loaded here, then the workers are forked."""
        if self.model_pending:
            self.model_pending = False
            warm_up()
            self._fork_workers()

    def _fork_workers(self) -> None:
        """The plan's workers, each kept as soon as it runs (a Ctrl-C while the next starts
        leaves the ones before it to `stop`)."""
        self.workers = []
        for _ in range(self.plan.processes):
            self.workers.append(_Worker(self.plan.threads, True))

    def map(self, function: Callable[[Item], Result], items: list[Item]) -> Iterator[Result]:
        """In this process (reading and writing are quick, and meanwhile the workers load
        the analyser, or are gone); but while this process loads the shared model (it holds
        the interpreter for a second or two), in a helper process forked before it."""
        if not self.model_pending or not items:
            for item in items:
                yield function(item)
            return
        helper = _MapHelper(function, items)
        try:
            self._load_shared_model()
            yield from helper.results()
        finally:
            helper.stop()

    def extract(self, tasks: list[ExtractTask],
                on_document: Callable[[DocumentOutcome], None]) -> Iterator[ShardOutcome]:
        self._load_shared_model()
        queue: list[tuple[ExtractTask, int, str | None]] = [(task, 1, None) for task in tasks]
        while queue or self.workers and any(w.task for w in self.workers):
            idle = [w for w in self.workers if w.task is None]
            while len(idle) < len(queue) and len(self.workers) < self.plan.processes:
                self.workers.append(_Worker(self.plan.threads, False))
                idle.append(self.workers[-1])
            for worker in idle:
                if queue:
                    worker.give(*queue.pop(0))
            busy = [w for w in self.workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                assert worker.task is not None
                task, attempt = worker.task
                if worker.conn in ready:
                    try:
                        kind, message = worker.conn.recv()
                    except Exception:  # noqa: BLE001 - the pipe closed or broke: the worker died
                        kind, message = "died", None
                    if kind == "document":
                        on_document(message)
                        continue
                    if kind != "died":
                        worker.task = None
                        yield message if kind == "shard" else lost_shard(task, message)
                        continue
                elif worker.process.sentinel not in ready:
                    continue
                died = worker.died()
                worker.stop()
                self.workers.remove(worker)
                if attempt > 2 * len(task.documents) + 1:
                    yield lost_shard(task, f"analyser crashed: the worker process {died} on every attempt")
                else:
                    queue.insert(0, (task, attempt + 1, died))

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []
        self.model_pending = False


def _start(process: multiprocessing.process.BaseProcess) -> None:
    """Start a process with Ctrl-C held back (it is born blocked, then ignores it). A Ctrl-C
    that came meanwhile is raised as the block lifts; the process is stopped first, or it would
    outlive the run's clean-up and go on writing into the run's work folder."""
    try:
        with interrupt_blocked(), _frozen_heap():
            process.start()
    except BaseException:
        if process.pid is not None:
            process.terminate()
            process.join(5)
        raise


class _MapHelper:
    """A forked process that runs a map's function over its items and sends back each result
    in order (through a queue: its feeder thread never blocks the helper, so all of them can
    wait there while the parent is busy). An exception is sent back and raised by `results`;
    a helper that dies makes `results` raise."""

    def __init__(self, function: Callable[[Item], Result], items: list[Item]) -> None:
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue()
        self.process = context.Process(target=_run_map, args=(self.queue, os.getpid(), function, items),
                                       daemon=True, name="briefing-reader")
        _start(self.process)
        self.count = len(items)

    def results(self) -> Iterator[Result]:
        for _ in range(self.count):
            while True:
                try:
                    kind, value = self.queue.get(timeout=1.0)
                    break
                except queue_module.Empty:
                    if not self.process.is_alive():
                        raise RuntimeError(f"the reading process died (exit status {self.process.exitcode})") from None
            if kind == "error":
                raise value
            yield value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.queue.close()


def _run_map(queue: multiprocessing.Queue, parent: int, function: Callable[[Item], Result], items: list[Item]) -> None:
    _die_with(parent)
    ignore_interrupt()
    for item in items:
        try:
            queue.put(("result", function(item)))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, as if it ran there
            try:
                queue.put(("error", exc))
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                queue.put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
            break
    queue.close()
    queue.join_thread()


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """A worker forked meanwhile never collects what this process holds (the lexicon, the
    model's wrapper, every module): its collections stay short and leave those pages shared."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _serve(conn: Connection, parent: int, threads: int, warm: bool) -> None:
    """A worker: take shard tasks until the pipe closes; tell each finished document."""
    _die_with(parent)
    ignore_interrupt()
    faulthandler.disable()                              # an abort is reported by the run, with its document
    use_threads(threads)
    if warm:
        warm_up()
    while True:
        try:
            task, died = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = extract_shard(task, died, lambda doc: conn.send(("document", doc)))
        except Exception as exc:  # noqa: BLE001 - the task failed: its unfinished documents fail with the reason
            conn.send(("error", error_reason("processing", exc)))
            continue
        conn.send(("shard", outcome))


def _die_with(parent: int) -> None:
    """A run killed with SIGKILL cannot stop its workers, so each asks the kernel for
    SIGKILL when its parent goes (Linux) and also watches for it."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the watchdog below does it
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
