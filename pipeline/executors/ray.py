"""The Ray engine: each shard is one Ray task a stage (scanned, extracted, its parts written),
on a cluster (`--ray-address`) or on a local Ray instance started for the run.

Ray core tasks, not Ray Data (whose actor pools deadlocked on two CPUs when tried here). A
task reads and writes only the run's work folder, which every node must reach (a shared file
system, like the inputs and the output folder), and returns a small summary, so no node holds
more than its current shard. Tasks are submitted a few per CPU at a time and stream through
the workers. Each worker process keeps its analyser and lexicon for every shard it is given
(the model loads once per worker). A worker that dies is Ray's to retry; the retried task
goes on from the shard's log (shards.py), so a document that kills its worker fails alone.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
import ray

from pipeline.executors import Executor, Item, Result
from pipeline.process import lexicon_known, use_lexicon
from pipeline.report import RunReport
from pipeline.rules import RuleSet
from pipeline.shards import DocumentOutcome, ExtractTask, ShardOutcome, extract_shard, lost_shard

RETRIES = 6            # tries after a worker died: each death fails a document or isolates some
TASKS_PER_CPU = 2      # tasks waiting or running at once, per CPU of the cluster


@ray.remote(num_cpus=1, max_retries=RETRIES)
def _apply(function: Callable[[Item], Result], item: Item) -> Result:
    return function(item)


@ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)
def _extract(task: ExtractTask, rules: list[ray.ObjectRef]) -> ShardOutcome:
    """`rules` is boxed in a list so that Ray does not fetch it for every task: a worker that
    has built the lexicon of these rules before does not need them."""
    if not lexicon_known(task.rules_digest):
        use_lexicon(ray.get(rules[0]))
    return extract_shard(task)


class RayExecutor(Executor):
    counts_characters = False

    def __init__(self, address: str | None = None) -> None:
        self.address = address
        self.started_ray = False
        self.rules: ray.ObjectRef | None = None
        self.running: list[ray.ObjectRef] = []

    def _connect(self) -> None:
        """Join the cluster at `address` (`auto`, `ray://…`, as Ray defines them), or start a
        local Ray instance; a Ray already started in this process (by a test, say) is used."""
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING)
            self.started_ray = True

    def _window(self) -> int:
        return max(2, TASKS_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))

    def start(self, rules: RuleSet, expected: int, report: RunReport) -> None:
        if self.rules is not None:                    # started already: Ray needs no count
            return
        self._connect()
        self.rules = ray.put(rules)
        report.stage("start ray", cpus=int(ray.cluster_resources().get("CPU", 1)))

    def map(self, function: Callable[[Item], Result], items: list[Item]) -> Iterator[Result]:
        self._connect()
        calls = [lambda item=item: _apply.remote(function, item) for item in items]
        done: dict[int, Result] = {}
        following = 0
        for index, result in self._stream(calls):
            done[index] = ray.get(result)
            while following in done:                # in the items' order (the run resolves duplicates in it)
                yield done.pop(following)
                following += 1

    def extract(self, tasks: list[ExtractTask],
                on_document: Callable[[DocumentOutcome], None]) -> Iterator[ShardOutcome]:
        assert self.rules is not None, "start was not called"
        calls = [lambda task=task: _extract.remote(task, [self.rules]) for task in tasks]
        for index, result in self._stream(calls):
            try:
                outcome = ray.get(result)
            except ray.exceptions.RayError as exc:          # its workers kept dying, or the task raised
                outcome = lost_shard(tasks[index], f"analysis failed: {_reason(exc)}")
            for document in outcome.documents:
                on_document(document)
            yield outcome

    def _stream(self, calls: list[Callable[[], ray.ObjectRef]]) -> Iterator[tuple[int, ray.ObjectRef]]:
        """Each call's result as it is ready, with at most a window of them submitted."""
        pending = list(enumerate(calls))
        index_of: dict[ray.ObjectRef, int] = {}
        window = self._window()
        while pending or index_of:
            while pending and len(index_of) < window:
                index, call = pending.pop(0)
                ref = call()
                index_of[ref] = index
            self.running = list(index_of)
            ready, _ = ray.wait(self.running, num_returns=1)
            for ref in ready:
                yield index_of.pop(ref), ref
        self.running = []

    def stop(self) -> None:
        for ref in self.running:
            ray.cancel(ref, force=True)
        self.running = []
        if self.started_ray:
            ray.shutdown()
            self.started_ray = False


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
