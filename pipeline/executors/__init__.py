"""Where a run's shard tasks run. The run (pipeline/run.py) tells the story: scan the shards,
resolve duplicates, extract the shards, publish; an executor only runs the tasks of
pipeline/shards.py somewhere and hands back their results. One small class per engine, all
with this interface, in the manner of datatrove's executors."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:                    # the run imports executors; the command line only their names
    from pipeline.report import RunReport
    from pipeline.rules import RuleSet
    from pipeline.shards import DocumentOutcome, ExtractTask, ShardOutcome

Item = TypeVar("Item")
Result = TypeVar("Result")


class Executor(ABC):
    """Runs scan and extract tasks. `start` comes before the first extract task, told how
    many extract tasks (shards) will probably have documents to analyse (when some, the
    workers may load the analyser already); it may come again with a better count (after the
    scan), and keeps what it started where that still fits; `stop` after the last task, also
    on errors. `counts_characters`: its workers
    count characters into the report's channel as they go (else the run counts a document's
    characters when it is done)."""

    counts_characters: bool = True

    @abstractmethod
    def start(self, rules: RuleSet, expected: int, report: RunReport) -> None:
        """`report`: the run's progress (workers that can may count characters into its channel)."""

    @abstractmethod
    def map(self, function: Callable[[Item], Result], items: list[Item]) -> Iterator[Result]:
        """`function` (a module-level function, or a partial of one) of each item, in the
        items' order: the tasks that need no analyser (scanning shards, writing their parts)."""

    @abstractmethod
    def extract(self, tasks: list[ExtractTask],
                on_document: Callable[[DocumentOutcome], None]) -> Iterator[ShardOutcome]:
        """Each task's outcome, in any order. A task whose workers kept dying comes back with
        its unfinished documents failed; `on_document` hears of documents as they finish,
        where the engine can tell (else with their shard)."""

    @abstractmethod
    def stop(self) -> None:
        ...

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


class EngineUnavailable(Exception):
    """The engine asked for cannot run here; the message says how to make it run."""


def executor_for(engine: str, jobs: int, ray_address: str | None = None) -> Executor:
    """The executor of an engine (EngineUnavailable when it cannot run here)."""
    if engine == "ray":
        try:
            import ray  # noqa: F401 - only whether it is installed
        except ImportError:
            raise EngineUnavailable("--engine ray needs Ray, an optional extra: pip install -e '.[ray]' "
                                    "(from a checkout) or pip install 'briefing-pipeline[ray]'") from None
        from pipeline.executors.ray import RayExecutor
        return RayExecutor(ray_address)
    from pipeline.executors.local import LocalExecutor
    return LocalExecutor(jobs)
