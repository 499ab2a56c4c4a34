"""The local engine: jobs become worker processes with analyser threads; a worker that dies,
or that its watchdog stops, costs one attempt of its shard, and only the document to blame
fails. The workers are forked from the test, so a patched analyser is theirs too."""
from __future__ import annotations

import multiprocessing
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.executors import local
from pipeline.executors.local import WorkerPlan
from pipeline.report import RunReport
from pipeline.run import RunOptions, run

GOOD = ["관악구 청년주택 120호를 공급한다. 사업비는 48억원이다.", "구로구 △어린이공원 조성 △도서관 건립을 추진한다. 예산은 9억원이다.",
        "양천구 예산은 5억원이다.", "마포구 청년 일자리는 1,250명으로 확대된다."]


def test_jobs_become_workers_with_analyser_threads() -> None:
    plans = {jobs: WorkerPlan.for_jobs(jobs, tasks=100) for jobs in (1, 2, 3, 4, 8, 16)}
    assert [(p.processes, p.threads) for p in plans.values()] == [(1, 0), (2, 0), (3, 0), (4, 0), (8, 0), (16, 0)]
    assert [p.shared_model for p in plans.values()] == [False, True, True, True, True, True]
    assert WorkerPlan.for_jobs(8, tasks=3) == WorkerPlan(3, 0)      # no more workers than tasks
    assert WorkerPlan.for_jobs(8, tasks=1) == WorkerPlan(1, 8)      # one task: one worker, all threads
    assert not WorkerPlan.for_jobs(8, tasks=1).shared_model


def test_a_start_on_a_guess_is_kept_replaced_or_stopped_by_the_count_after_the_scan() -> None:
    """A run with a cache starts one worker for one task before reading (most incremental
    runs change a file or two); the count after the scan keeps it, replaces it by the plan
    for many tasks, or stops it when nothing is left to analyse."""
    from pipeline.executors.local import LocalExecutor
    from pipeline.rules import load_rules
    rules, report = load_rules(), RunReport(progress=False)
    executor = LocalExecutor(2)
    try:
        executor.start(rules, 1, report)
        guessed = [w.process.pid for w in executor.workers]
        assert executor.plan == WorkerPlan(1, 2) and len(guessed) == 1
        executor.start(rules, 1, report)
        assert [w.process.pid for w in executor.workers] == guessed       # the same worker goes on
        executor.start(rules, 5, report)          # the guess was wrong: its worker goes
        assert executor.plan == WorkerPlan(2, 0) and executor.workers == [] and executor.model_pending
        executor.start(rules, 0, report)
        assert executor.workers == [] and not executor.model_pending
        executor.start(rules, 1, report)
        executor.start(rules, 0, report)          # nothing to do after all
        assert executor.workers == []
    finally:
        executor.stop()


def _pid_and_square(n: int) -> tuple[int, int]:
    if n < 0:
        raise ValueError(f"no square of {n} here")
    return os.getpid(), n * n


def test_a_map_while_the_shared_model_loads_runs_in_a_helper_and_keeps_the_order() -> None:
    """The model takes the interpreter for a second or more: the shards are read meanwhile in
    a process forked before it; results come back in order and an error is raised here."""
    from pipeline.executors.local import LocalExecutor
    from pipeline.rules import load_rules
    rules, report = load_rules(), RunReport(progress=False)
    executor = LocalExecutor(2)
    try:
        executor.start(rules, 5, report)
        assert executor.model_pending and executor.workers == []
        done = list(executor.map(_pid_and_square, list(range(30))))
        assert [square for _, square in done] == [n * n for n in range(30)]
        assert {pid for pid, _ in done} != {os.getpid()} and len({pid for pid, _ in done}) == 1
        assert not executor.model_pending and len(executor.workers) == 2
        assert [pid for pid, _ in executor.map(_pid_and_square, [3])] == [os.getpid()]   # loaded: here
        executor.stop()
        executor.start(rules, 5, report)
        with pytest.raises(ValueError, match="no square of -1 here"):
            list(executor.map(_pid_and_square, [1, -1, 2]))
    finally:
        executor.stop()


@pytest.fixture
def analyser_trap(monkeypatch: pytest.MonkeyPatch):
    """kiwipiepy that aborts the process on `ABORT-HERE` and hangs on `HANG-HERE`."""
    import kiwipiepy
    tokenize = kiwipiepy.Kiwi.tokenize

    def trapped(self, text, *args, **kwargs):
        texts = [text] if isinstance(text, str) else list(text)
        if any("ABORT-HERE" in t for t in texts):
            os.abort()
        if any("HANG-HERE" in t for t in texts):
            time.sleep(60)
        return tokenize(self, text if isinstance(text, str) else texts, *args, **kwargs)
    monkeypatch.setattr(kiwipiepy.Kiwi, "tokenize", trapped)


class _Counting(RunReport):
    """A report whose workers count characters into its queue, terminal or not."""

    def __init__(self) -> None:
        super().__init__(progress=False)
        self.queue = multiprocessing.SimpleQueue()

    def channel(self) -> multiprocessing.SimpleQueue:
        return self.queue

    def counted(self) -> int:
        total = 0
        while not self.queue.empty():
            total += self.queue.get()
        return total


def _corpus(folder: Path, trap: str) -> None:
    folder.mkdir()
    for i, text in enumerate(GOOD):
        (folder / f"{i * 2}.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "3.txt").write_text(f"첫 문단은 멀쩡하다.\n{trap} 예산은 3억원이다.\n", encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_analyser_abort_costs_its_document_and_the_others_land(tmp_path: Path, analyser_trap, jobs: int) -> None:
    _corpus(tmp_path / "in", "ABORT-HERE")
    report = _Counting()
    summary = run(RunOptions([tmp_path / "in"], tmp_path / "out", jobs=jobs, report=report))
    assert summary.failed == [("3.txt", "analyser crashed: the worker process was killed by SIGABRT on this document")]
    assert (summary.documents, summary.metrics) == (5, 5)
    assert report.counted() >= sum(len(t) for t in GOOD)          # the workers counted their characters


def test_a_document_past_its_time_fails_and_the_others_land(tmp_path: Path, analyser_trap) -> None:
    _corpus(tmp_path / "in", "HANG-HERE")
    summary = run(RunOptions([tmp_path / "in"], tmp_path / "out", jobs=2, doc_timeout=2))
    assert summary.failed == [("3.txt", "timeout after 2 s (--doc-timeout)")]
    assert (summary.documents, summary.metrics) == (5, 5)


def test_a_ctrl_c_that_comes_while_a_process_starts_stops_that_process(monkeypatch) -> None:
    """The Ctrl-C held back while a worker or the reading helper is forked is raised as the
    block lifts: the process just started must not outlive the run (it would write into the
    work folder after the run removed it)."""
    @contextmanager
    def released_with_a_ctrl_c():
        yield
        raise KeyboardInterrupt

    monkeypatch.setattr(local, "interrupt_blocked", released_with_a_ctrl_c)
    process = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,), daemon=True)
    with pytest.raises(KeyboardInterrupt):
        local._start(process)
    assert process.pid is not None and not process.is_alive() and process.exitcode is not None
