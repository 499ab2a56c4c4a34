"""A run, as a story that does not depend on where it runs: find the inputs, scan them in
shards, deduplicate across the whole run, analyse and extract what the cache does not hold,
and publish the tables in one atomic step. Where the shard tasks run is an executor's
business (pipeline/executors/).

Memory stays flat whatever the corpus: paragraphs live in the shards' files, results in one
file a document, and the tables are written row group by row group from them; the run
itself holds only each document's record and its duplicate digests.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


from pipeline import __version__
from pipeline.cache import Cache, Entry, check_entry, code_digest, content_key, result_key
from pipeline.dedup import MODES, DocumentMarks, DuplicateFinder
from pipeline.executors import EngineUnavailable, Executor, executor_for
from pipeline.extract.periods import YearHint, year_in_name
from pipeline.ingest import IngestError, Source, discover, source_bytes
from pipeline.interrupt import deferred_interrupt
from pipeline.outfolder import TABLES, check_writable, published_digests, target
from pipeline.records import Document
from pipeline.report import RunReport
from pipeline.rules import RuleSet, RulesError, load_rules
from pipeline.limits import DEFAULT_DOC_TIMEOUT_S, LAYOUTS
from pipeline.shards import (DocumentOutcome, DocumentWork, ExtractTask, ParagraphFile, ScannedDocument, Shard,
                             ShardRows, TaskWork, WorkFolder, plan_shards, scan_shard, write_parts, write_rows)
from pipeline.write import Staging, TableWriter, arrow_without_pandas, clean_leftovers

class UsageError(Exception):
    """The run cannot start (bad rules, an output folder that cannot be written, no input);
    the message says why. Nothing is written."""


class StrictFailure(Exception):
    """--strict: the first failed document stops the run."""


@dataclass
class RunOptions:
    inputs: list[Path]
    out: Path
    rules_dirs: list[Path] = field(default_factory=list)
    jobs: int = 1
    cache_dir: Path | None = None          # None: no cache
    strict: bool = False
    dedup: str = "run"                     # run / document / off
    doc_timeout: float = DEFAULT_DOC_TIMEOUT_S     # 0: no limit
    layout: str = "files"                  # files / dataset
    engine: str = "local"                  # local / ray
    ray_address: str | None = None         # --engine ray: the cluster to join (None: a local Ray instance)
    shard_bytes: int | None = None         # None: from the corpus size
    doc_year: int | None = None            # --doc-year: every document's own year
    report: RunReport = field(default_factory=lambda: RunReport(progress=False))   # progress and stage timings


@dataclass
class RunSummary:
    documents: int = 0
    paragraphs: int = 0
    duplicates: int = 0
    metrics: int = 0
    projects: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)      # (source, reason), in document order
    warned: list[tuple[str | None, str]] = field(default_factory=list)   # (source, `line N: …`); no source: the run's own
    skipped: list[str] = field(default_factory=list)                 # files that are not *.txt
    seconds: float = 0.0

    @property
    def failures(self) -> int:
        return len(self.failed)

    def line(self) -> str:
        return (f"{self.documents} documents, {self.paragraphs} paragraphs, {self.duplicates} duplicates, "
                f"{self.metrics} metrics, {self.projects} projects, {self.failures} failures, "
                f"{self.seconds:.1f} s")


def run(options: RunOptions, executor: Executor | None = None) -> RunSummary:
    """The whole pipeline over the inputs, on the engine the options name (or the executor
    given); the figures of the summary line. UsageError before any work when the run cannot
    start; the previous output stays as it was on every error."""
    started = time.monotonic()
    arrow_without_pandas()
    report = options.report
    try:
        rules = load_rules(options.rules_dirs)
    except RulesError as exc:
        raise UsageError(str(exc)) from None
    report.stage("rules", rules=len(rules.rules))
    try:
        check_writable(options.out)
    except OSError as exc:
        raise UsageError(f"cannot write the output folder {options.out}: {exc}") from None
    assert options.dedup in MODES and options.layout in LAYOUTS
    found = discover(options.inputs, _not_input(options))
    if not found.sources:
        others = f" (only {len(found.skipped)} files that are not *.txt)" if found.skipped else ""
        raise UsageError(f"no documents found in {', '.join(map(str, options.inputs))}{others}; "
                         "the previous output is unchanged")
    report.stage("find", documents=len(found.sources))
    cache = Cache(options.cache_dir) if options.cache_dir is not None else None
    done = _unchanged(options, rules, found.sources, len(found.skipped), cache)
    if done is not None:
        report.stage("nothing changed since the last run")
    else:
        out = target(options.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)                  # what killed runs left beside the output (their work folders are large)
        work = WorkFolder(Path(tempfile.mkdtemp(prefix=f".{out.name}.work-{os.getpid()}-", dir=out.parent)))
        if executor is None:
            try:
                executor = executor_for(options.engine, options.jobs, options.ray_address)
            except EngineUnavailable as exc:
                shutil.rmtree(work.root, ignore_errors=True)
                raise UsageError(str(exc)) from None
        try:
            with executor:
                done = _Run(options, rules, cache, work, executor, len(found.skipped)).go(
                    plan_shards(found.sources, options.shard_bytes))
        except OSError as exc:
            if cache is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                cache.forget_written()                  # a run that failed for lack of space gives it back
            raise
        finally:
            shutil.rmtree(work.root, ignore_errors=True)
    done.skipped = found.skipped
    done.seconds = time.monotonic() - started
    return done


def _input_key(options: RunOptions, rules: RuleSet, skipped: int, inputs: Iterable[tuple[str, str]]) -> str:
    """All a run's output depends on: code, rules, options, and each input's name and
    content (its sha256, or why it could not be read)."""
    digest = hashlib.sha256("\n".join([code_digest(), rules.digest, options.dedup, options.layout,
                                       str(options.shard_bytes), str(options.doc_year), str(skipped)]).encode("utf-8"))
    for source, content in inputs:
        digest.update(f"\n{source}\t{content}".encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def _unchanged(options: RunOptions, rules: RuleSet, sources: list[Source], skipped: int,
               cache: Cache | None) -> RunSummary | None:
    """The summary of the last run, when its output is still in the output folder byte for
    byte and the inputs, rules, options and code are the same: then there is nothing to do.
    The inputs are only read (and hashed) when the output still holds what was published."""
    record = cache.last_run() if cache is not None else None
    if record is None or published_digests(options.out, sorted(record["published"])) != record["published"]:
        return None
    if _input_key(options, rules, skipped, ((src.source, _content(src)) for src in sources)) != record["key"]:
        return None
    stored = record["summary"]
    return RunSummary(**{**stored, "failed": [tuple(f) for f in stored["failed"]],
                         "warned": [tuple(w) for w in stored["warned"]]})


def _content(src: Source) -> str:
    try:
        return hashlib.sha256(source_bytes(src)).hexdigest()
    except IngestError as exc:
        return str(exc)


def _not_input(options: RunOptions) -> Callable[[os.DirEntry], bool]:
    """Folders under the inputs that are the run's own, never read as input: the output
    folder, the cache, and the staging and work folders beside the output folder."""
    out = target(options.out)
    own = {i for i in (_identity(out), _identity(options.cache_dir)) if i is not None}
    prefixes = tuple(f".{out.name}.{kind}-" for kind in ("new", "old", "work", "check"))

    def skip(entry: os.DirEntry) -> bool:
        if entry.name.startswith(prefixes) and Path(entry.path).parent == out.parent:
            return True
        try:
            info = entry.stat()
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in own
    return skip


def _identity(path: Path | None) -> tuple[int, int] | None:
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if info is not None else None


class _Run:
    """One run's state between its stages."""

    def __init__(self, options: RunOptions, rules: RuleSet, cache: Cache | None, work: WorkFolder,
                 executor: Executor, skipped: int) -> None:
        self.options, self.rules, self.cache, self.work = options, rules, cache, work
        self.executor, self.report, self.skipped = executor, options.report, skipped
        self.documents: list[Document] = []
        self.unreadable: set[int] = set()                # positions of documents that failed to be read
        self.places: list[tuple[Shard, int]] = []        # each document's shard and place in it
        self.marks: list[DocumentMarks] = []
        self.keys: dict[int, str] = {}                   # position -> result key
        self.scan_keys: set[str] = set()                 # the scan entries the run used or wrote
        self.new_scans: list[str] = []                   # those it wrote (in the work folder)
        self.entries: dict[int, Entry] = {}              # position -> its checked result
        self.settled: set[int] = set()                   # positions whose outcome came back
        self.warned: list[str] = []                      # the run's own warnings (a full cache disk)
        self.tables: _TablesInOrder | None = None        # the files layout's tables, being written

    def go(self, shards: list[Shard]) -> RunSummary:
        # The workers load the analyser while the documents are read. A first run has work
        # in every shard; a run with a cache mostly has a few changed documents, so the engine
        # starts for one task on that guess and is told the real count once the scan knows it.
        first = self.cache is None or not self.cache.has_results()
        self.executor.start(self.rules, len(shards) if first else 1, self.report)
        self.report.stage("start workers")
        finder = self._scan(shards)
        if not first:
            self.executor.start(self.rules, self._probably_new(), self.report)
            self.report.stage("start workers")
        self._deduplicate(finder)
        with Staging(self.options.out) as staging:
            if self.options.layout == "files":
                self.tables = _TablesInOrder(staging.path, shards, self._shard_rows, self._has_outcome)
            self._extract()
            self.executor.stop()
            self.report.stage("stop workers")
            if self.cache is not None:
                self._keep_scans()
            summary, published = self._publish(staging, shards)
        if self.cache is not None:
            self._remember(summary, published)
        return summary

    def _scan(self, shards: list[Shard]) -> DuplicateFinder:
        finder = DuplicateFinder(self.options.dedup)
        self.report.reading(sum(len(s.sources) for s in shards))
        scan = functools.partial(scan_shard, work=self.work, with_keys=self.options.dedup != "off",
                                 cache=self.options.cache_dir)
        for shard, scanned in zip(shards, self.executor.map(scan, shards)):
            for k, item in enumerate(scanned):
                self._note_scan(item)
                if item.document.status != "ok":
                    if self.options.strict:
                        raise StrictFailure(f"{item.document.source}: {item.document.error}")
                    self.unreadable.add(len(self.documents))
                self.documents.append(item.document)
                self.places.append((shard, k))
                if item.keys is not None:
                    finder.add(item.keys)
                self.report.read_one()
        _unique_ids(self.documents)
        self.report.stage("read", documents=len(self.documents), paragraphs=sum(d.n_paragraphs for d in self.documents),
                          skipped_files=self.skipped)
        return finder

    def _note_scan(self, item: ScannedDocument) -> None:
        """What the scan did with the cache: the entry it used or wrote, or found damaged."""
        if self.cache is None:
            return
        if item.scan_key is not None:
            self.scan_keys.add(item.scan_key)
            if item.stored:
                self.new_scans.append(item.scan_key)
        if item.damaged is not None:
            self.cache.damaged.append(item.damaged)

    def _keep_scans(self) -> None:
        """The run's new scans into the cache (a hard link each), once every document has its
        outcome (a --strict run that stopped keeps none)."""
        assert self.cache is not None
        for key in self.new_scans:
            self.cache.keep_scan(self.work.scan(key), key)
        if self.cache.full and self.cache.full not in self.warned:
            self.warned.append(self.cache.full)

    def _probably_new(self) -> int:
        """How many shards hold a readable document with no cached result under any
        duplicate pattern (each such shard will be a task)."""
        cached = self.cache.content_keys() if self.cache is not None else set()
        return len({shard.index for d, (shard, _) in zip(self.documents, self.places)
                    if d.status == "ok" and content_key(d, self.rules.digest) not in cached})

    def _deduplicate(self, finder: DuplicateFinder) -> None:
        files: dict[int, ParagraphFile] = {}

        def texts(position: int, paras: list[int]) -> list[str]:
            shard, k = self.places[position]
            if shard.index not in files:
                files[shard.index] = ParagraphFile(self.work.paragraphs(shard.index))
            column = files[shard.index].batch(k).column("text")
            return [column[i].as_py() for i in paras]

        try:
            if self.options.dedup == "off":
                self.marks = [DocumentMarks() for _ in self.documents]
            else:
                self.marks = list(finder.resolve(texts))
        finally:
            for file in files.values():
                file.close()
        for doc, marks in zip(self.documents, self.marks):
            doc.n_duplicate_paragraphs = len(marks.marks)
            doc.duplicate_of = self.documents[marks.duplicate_of].doc_id if marks.duplicate_of is not None else None
        self.report.stage("deduplicate", duplicates=sum(len(m.marks) for m in self.marks),
                          repeated_documents=sum(m.duplicate_of is not None for m in self.marks))

    def _extract(self) -> None:
        """Results from the cache where it holds them, from the executor for the rest."""
        tasks: dict[int, ExtractTask] = {}
        for position, (doc, (shard, k)) in enumerate(zip(self.documents, self.places)):
            if doc.status != "ok":
                continue
            if self.cache is not None:
                duplicates = [False] * doc.n_paragraphs
                for mark in self.marks[position].marks:
                    duplicates[mark.para] = True
                self.keys[position] = result_key(doc, duplicates, self.rules.digest, self.options.doc_year)
                entry = self.cache.link_into(self.keys[position], self.work.result(position))
                if entry is not None:
                    self.entries[position] = entry
                    continue
            task = tasks.setdefault(shard.index, ExtractTask(shard.index, [], self.work, self.rules.digest,
                                                             self.options.cache_dir, self.options.doc_timeout))
            task.documents.append(DocumentWork(position, doc.doc_id, k, doc.n_chars, self._named_marks(position),
                                               self.keys.get(position),
                                               YearHint(given=self.options.doc_year, name=year_in_name(doc.source))))
        pending = [d for t in tasks.values() for d in t.documents]
        self.report.stage("cache", cached_documents=len(self.entries), documents_to_analyse=len(pending))
        if self.tables is not None:
            self.tables.advance()
        self.report.analysing(sum(d.chars for d in pending))
        work = TaskWork()
        for shard_outcome in self.executor.extract(list(tasks.values()), self._settle):
            if shard_outcome.cache_full and shard_outcome.cache_full not in self.warned:
                self.warned.append(shard_outcome.cache_full)
            for outcome in shard_outcome.documents:
                self._settle(outcome)
            work.add(shard_outcome.work)
        self.report.close()
        self.report.stage("analyse and extract", documents=len(pending), characters=sum(d.chars for d in pending),
                          characters_analysed=work.analysed_chars, analysis_cpu_s=work.analysis_s,
                          extraction_cpu_s=work.extraction_s)

    def _settle(self, outcome: DocumentOutcome) -> None:
        """A document's outcome as the tables will show it (heard once or twice: as it
        finished, and with its shard)."""
        if outcome.position in self.settled:
            return
        self.settled.add(outcome.position)
        doc = self.documents[outcome.position]
        if not self.executor.counts_characters:
            self.report.advance(doc.n_chars)
        if outcome.error is not None:
            doc.status, doc.error = "error", outcome.error
            if self.options.strict:
                raise StrictFailure(f"{doc.source}: {doc.error}")
        elif outcome.position not in self.entries:
            self.entries[outcome.position] = check_entry(self.work.result(outcome.position))
            if self.cache is not None and outcome.position in self.keys:
                self.cache.written.append(self.cache.result_path(self.keys[outcome.position]))
        if self.tables is not None:
            self.tables.advance()

    def _has_outcome(self, position: int) -> bool:
        return self.documents[position].status != "ok" or position in self.entries

    def _publish(self, staging: Staging, shards: list[Shard]) -> tuple[RunSummary, dict[str, str]]:
        """Every table, written by the run (one file a table, most of it already written
        while the analyser worked) or by the shards' tasks (the dataset layout's parts),
        then published with the manifest in one swap."""
        if self.tables is not None:
            files, counts = self.tables.close()
        else:
            files, counts = {name: [] for name in TABLES}, dict.fromkeys(TABLES, 0)
            shard_rows = [self._shard_rows(shard) for shard in shards]
            for written in self.executor.map(functools.partial(write_parts, folder=staging.path), shard_rows):
                for name, (parts, rows) in written.items():
                    files[name] += parts
                    counts[name] += rows
            for name in TABLES:                 # a table without rows is one part without rows
                files[name] = files[name] or TableWriter(staging.path, name, 0).close()
        summary = self._summary(counts)
        self.report.stage("build tables", **counts)
        manifest = {
            "pipeline_version": __version__,
            "rules_digest": self.rules.digest,
            "layout": self.options.layout,
            "inputs": [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256, "status": d.status}
                       for d in self.documents],
            "row_counts": counts,
            "files": files,
            "skipped_files": self.skipped,
        }
        with deferred_interrupt():
            published = staging.publish(manifest)
        self.report.stage("publish")
        return summary, published

    def _shard_rows(self, shard: Shard) -> ShardRows:
        """What the shard's rows are made of, its documents' records completed with their counts."""
        positions = range(shard.first, shard.first + len(shard.sources))
        entries = [self.entries.get(p) if self.documents[p].status == "ok" else None for p in positions]
        for p, entry in zip(positions, entries):
            doc = self.documents[p]
            doc.warnings = len(doc.read_warnings) + (entry.counts["warnings"] if entry is not None else 0)
            if entry is not None:
                doc.n_metrics, doc.n_projects = entry.counts["metrics"], entry.counts["projects"]
                doc.year, doc.year_source = entry.year, entry.year_source
        return ShardRows(shard.index, self.work.paragraphs(shard.index), self.documents[shard.first:positions.stop],
                         [self._named_marks(p) for p in positions], entries)

    def _named_marks(self, position: int) -> list[tuple[int, str, int, str]]:
        """A document's duplicate marks with the doc_id of each original."""
        return [(m.para, self.documents[m.of_doc].doc_id, m.of_para, m.kind) for m in self.marks[position].marks]

    def _summary(self, counts: dict[str, int]) -> RunSummary:
        warned: list[tuple[str | None, str]] = [
            (d.source, w) for p, d in enumerate(self.documents)
            for w in d.read_warnings + (self.entries[p].warnings if p in self.entries and d.status == "ok" else [])]
        return RunSummary(
            documents=len(self.documents), paragraphs=counts["paragraphs"],
            duplicates=sum(d.n_duplicate_paragraphs for d in self.documents),
            metrics=counts["metrics"], projects=counts["projects"],
            failed=[(d.source, d.error or "error") for d in self.documents if d.status != "ok"],
            warned=warned + [(None, w) for w in (self.cache.damaged if self.cache is not None else []) + self.warned])

    def _remember(self, summary: RunSummary, published: dict[str, str]) -> None:
        """The run's record, when no document failed after reading (failures are never
        cached: the next run tries them again); the default cache keeps only what it used."""
        assert self.cache is not None
        if any(d.status != "ok" and p not in self.unreadable for p, d in enumerate(self.documents)):
            return
        key = _input_key(self.options, self.rules, self.skipped,
                         ((d.source, d.sha256 or d.error or "") for d in self.documents))
        stored = {k: v for k, v in summary.__dict__.items() if k not in ("skipped", "seconds")}
        self.cache.write_last_run({"key": key, "published": published, "summary": stored})
        if os.path.realpath(self.cache.folder) == os.path.realpath(target(self.options.out) / ".cache"):
            self.cache.prune(set(self.keys.values()), self.scan_keys)


class _TablesInOrder:
    """The files layout's tables (one file each), written shard by shard in run order as
    soon as every document of the next shard has its outcome: the writing goes on while the
    analyser works, and a run with a few changed documents writes the rest while the
    analyser's model loads."""

    def __init__(self, folder: Path, shards: list[Shard], rows_of: Callable[[Shard], ShardRows],
                 has_outcome: Callable[[int], bool]) -> None:
        self.writers = {name: TableWriter(folder, name) for name in TABLES}
        self.shards, self.rows_of, self.has_outcome = shards, rows_of, has_outcome
        self.written = 0                       # shards written

    def advance(self) -> None:
        while self.written < len(self.shards):
            shard = self.shards[self.written]
            if not all(self.has_outcome(p) for p in range(shard.first, shard.first + len(shard.sources))):
                return
            write_rows(self.rows_of(shard), self.writers)
            self.written += 1

    def close(self) -> tuple[dict[str, list[str]], dict[str, int]]:
        """The files of each table and their rows, once every shard is written."""
        self.advance()
        assert self.written == len(self.shards), "a document has no outcome"
        return ({name: writer.close() for name, writer in self.writers.items()},
                {name: writer.rows for name, writer in self.writers.items()})


def _unique_ids(documents: list[Document]) -> None:
    """Two sources with one name and content (names that show alike) get one id; later
    ones get a suffix."""
    seen: dict[str, int] = {}
    for doc in documents:
        n = seen.get(doc.doc_id, 0)
        seen[doc.doc_id] = n + 1
        if n:
            doc.doc_id = f"{doc.doc_id}-{n + 1}"
