"""A run's work in shards, as tasks that any executor runs where it likes.

Documents are grouped, in path order, into shards of about the same size. A shard is scanned
(read, decoded, split into paragraphs, reduced to duplicate digests: `scan_shard`), then,
once the duplicates of the whole run are known, extracted (`extract_shard`), then written
(`write_parts`, the dataset layout's parts of the shard). Both tasks
read and write only files under the run's work folder, which every worker can reach, and
return small summaries: no worker holds more than its current documents.

A document's rows are final when its extraction ends (extraction may still complete or drop
an earlier row), and are then written in chunks into the document's result entry.

Extraction keeps a log per shard, so that a task run again after its worker died knows
where the last attempt stopped: documents done or failed are not done again, documents the
dead worker's analyser had reached are retried one at a time, and a document that killed
its worker while alone is failed with the reason. A watchdog thread fails a document that
runs past its time or memory limit the same way.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.cache import RESULT_TABLES, Cache, Entry, ResultWriter, StoredScan, scan_key, write_scan
from pipeline.dedup import DocumentKeys, document_keys
from pipeline.extract.periods import YearHint
from pipeline.ingest import IngestError, Source, document_from_bytes, make_doc_id, source_bytes, unreadable
from pipeline.limits import DEFAULT_DOC_TIMEOUT_S, DOC_MEMORY_BYTES
from pipeline.morphology import analyser_work, warm_up
from pipeline.process import DocumentFailure, StreamHooks, lexicon, process_documents
from pipeline.reasons import error_reason, one_line
from pipeline.outfolder import TABLES
from pipeline.records import Document, DocumentResult, Paragraph
from pipeline.write import TableWriter, paragraph_batch, record_batch

SHARDS_WANTED = 64                 # a run is cut into about this many shards ...
SHARD_MIN_BYTES = 256 * 2**10      # ... of at least this much input ...
SHARD_MAX_BYTES = 64 * 2**20       # ... and at most this much (a larger document is a shard alone)
RUN_CHARS = 200_000                # text streamed through one analyser at once
EXIT_OVERRAN = 75                  # a worker's exit status when its watchdog stopped it
ENTRY_CHUNK_ROWS = 4096            # rows a record batch of a result entry (what publishing reads at once)
COMPRESS_ROWS = 1000               # results with this many rows are stored compressed
PARAGRAPH_SCHEMA = pa.schema([("line_no", pa.int32()), ("text", pa.string())])


@dataclass
class Shard:
    index: int
    first: int                      # run position of its first document
    sources: list[Source]


def plan_shards(sources: list[Source], shard_bytes: int | None = None) -> list[Shard]:
    """Consecutive documents of about `shard_bytes` (by default a size from the run's total,
    so that the same inputs always give the same shards, whatever runs them)."""
    total = sum(s.size for s in sources)
    target = shard_bytes or min(max(total // SHARDS_WANTED, SHARD_MIN_BYTES), SHARD_MAX_BYTES)
    shards: list[Shard] = []
    size = 0
    for position, src in enumerate(sources):
        if not shards or (shards[-1].sources and size + src.size > target):
            shards.append(Shard(len(shards), position, []))
            size = 0
        shards[-1].sources.append(src)
        size += src.size
    return shards


@dataclass
class WorkFolder:
    """The run's files that every worker reads and writes (beside the output folder)."""
    root: Path

    def paragraphs(self, shard: int) -> Path:
        return self.root / "paragraphs" / f"shard-{shard:05d}.arrow"

    def result(self, position: int) -> Path:
        return self.root / "results" / f"{position // 1000:05d}" / f"{position:08d}.arrow"

    def scan(self, key: str) -> Path:
        return self.root / "scans" / f"{key}.arrow"

    def log(self, shard: int) -> Path:
        return self.root / "logs" / f"shard-{shard:05d}.log"


# --------------------------------------------------------------------------- scanning

@dataclass
class ScannedDocument:
    document: Document
    keys: DocumentKeys | None       # None when duplicates are not sought
    scan_key: str | None = None     # its scan entry in the cache (when there is a cache)
    stored: bool = False            # a new scan entry, in the work folder: the run keeps it if it ends well
    damaged: str | None = None      # the damaged scan entry that was read again instead


def scan_shard(shard: Shard, work: WorkFolder, with_keys: bool, cache: Path | None = None) -> list[ScannedDocument]:
    """Read every document of the shard, store its paragraphs (one record batch a document,
    in the shard's paragraph file) and reduce them to duplicate digests. With a cache, a
    file whose bytes were scanned before is only read and hashed; a new scan is written to
    the work folder, for the run to keep in the cache once it ends well."""
    path = work.paragraphs(shard.index)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    store = Cache(cache) if cache is not None else None
    scanned: list[ScannedDocument] = []
    with pa.OSFile(str(temp), "wb") as sink, pa.ipc.new_file(sink, PARAGRAPH_SCHEMA) as writer:
        for src in shard.sources:
            try:
                item, batch = _scan_document(src, with_keys, store, work)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                item = ScannedDocument(unreadable(src, error_reason("reading", exc)), DocumentKeys() if with_keys else None)
                batch = _NO_PARAGRAPHS
            writer.write_batch(batch)
            scanned.append(item)
    os.replace(temp, path)
    return scanned


def _scan_document(src: Source, with_keys: bool, cache: Cache | None,
                   work: WorkFolder) -> tuple[ScannedDocument, pa.RecordBatch]:
    """One file's scan and its paragraphs (line_no, text), from the cache when it holds the
    scan of these bytes."""
    try:
        data = source_bytes(src)
    except IngestError as exc:
        return ScannedDocument(unreadable(src, str(exc)), DocumentKeys() if with_keys else None), _NO_PARAGRAPHS
    sha = hashlib.sha256(data).hexdigest()
    key: str | None = None
    stored: StoredScan | None = None
    note: str | None = None                      # a damaged scan entry, read again
    if cache is not None:
        key, seen = scan_key(sha, with_keys), len(cache.damaged)
        stored = cache.scan(key, with_keys)
        note = cache.damaged[-1] if len(cache.damaged) > seen else None
    if stored is not None:
        doc = Document(make_doc_id(src.source, sha), src.source, str(src.path), sha, encoding=stored.encoding,
                       n_chars=stored.n_chars, n_paragraphs=stored.paragraphs.num_rows, n_bytes=len(data),
                       read_warnings=stored.read_warnings)
        paragraphs = pa.RecordBatch.from_arrays(stored.paragraphs.columns, schema=PARAGRAPH_SCHEMA)
        return ScannedDocument(doc, stored.keys, key, damaged=note), paragraphs
    doc, paragraphs = document_from_bytes(src, data, sha)
    keys = None
    if with_keys and doc.status == "ok":
        try:
            keys = document_keys(paragraphs)
        except Exception as exc:  # noqa: BLE001 - costs only this document
            doc.status, doc.error = "error", error_reason("deduplication", exc)
    batch = pa.record_batch([pa.array([p.line_no for p in paragraphs], pa.int32()),
                             pa.array([p.text for p in paragraphs], pa.string())], schema=PARAGRAPH_SCHEMA)
    item = ScannedDocument(doc, keys if keys is not None else (DocumentKeys() if with_keys else None), damaged=note)
    if key is not None and doc.status == "ok":
        write_scan(work.scan(key), doc, batch, keys)
        item.scan_key, item.stored = key, True
    return item, batch


_NO_PARAGRAPHS = pa.RecordBatch.from_arrays([pa.nulls(0, pa.int32()), pa.nulls(0, pa.string())], schema=PARAGRAPH_SCHEMA)


class ParagraphFile:
    """A shard's stored paragraphs, a document at a time."""

    def __init__(self, path: Path) -> None:
        self._file = pa.OSFile(str(path), "rb")
        self.reader = pa.ipc.open_file(self._file)

    def batch(self, k: int) -> pa.RecordBatch:
        return self.reader.get_batch(k)

    def paragraphs(self, k: int, doc_id: str) -> list[Paragraph]:
        batch = self.batch(k)
        return [Paragraph(doc_id, i, line_no, text) for i, (line_no, text) in
                enumerate(zip(batch.column("line_no").to_pylist(), batch.column("text").to_pylist()))]

    def close(self) -> None:
        self._file.close()


# --------------------------------------------------------------------------- extracting

@dataclass
class DocumentWork:
    position: int
    doc_id: str
    batch: int                                  # its record batch in the shard's paragraph file
    chars: int
    marks: list[tuple[int, str, int, str]]      # (paragraph, doc_id and paragraph it repeats, kind)
    key: str | None = None                      # its cache key, when results are cached
    year_hint: YearHint = YearHint()            # what the run knows of its year


@dataclass
class ExtractTask:
    shard: int
    documents: list[DocumentWork]
    work: WorkFolder
    rules_digest: str
    cache: Path | None = None
    doc_timeout: float = DEFAULT_DOC_TIMEOUT_S  # 0: no limit


@dataclass
class DocumentOutcome:
    position: int
    error: str | None = None                    # None: done, its result is in the work folder
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ShardOutcome:
    shard: int
    documents: list[DocumentOutcome]
    cache_full: str | None = None
    work: TaskWork = field(default_factory=lambda: TaskWork())


@dataclass
class TaskWork:
    """Where a task's CPU time went (the run's stage timings): the analyser's seconds, ours
    (layout and extraction, writing results), and the characters the analyser was sent."""
    analysis_s: float = 0.0
    extraction_s: float = 0.0
    analysed_chars: int = 0

    def add(self, other: TaskWork) -> None:
        self.analysis_s += other.analysis_s
        self.extraction_s += other.extraction_s
        self.analysed_chars += other.analysed_chars


class _Stopwatch:
    """A task's TaskWork, from CPU clocks: the analyser's time is what it took in this thread
    plus all the process's other threads did meanwhile (its own threads, when it has them)."""

    def __init__(self) -> None:
        self.process, self.thread, self.analyser = time.process_time(), time.thread_time(), analyser_work()

    def read(self) -> TaskWork:
        here, chars = (now - then for now, then in zip(analyser_work(), self.analyser))
        others = (time.process_time() - self.process) - (time.thread_time() - self.thread)
        return TaskWork(here + max(0.0, others), time.thread_time() - self.thread - here, int(chars))


class ShardLog:
    """What happened to a shard's documents, one line an event, kept across attempts:
    `reached P` (the analyser came to it), `alone P` (tried by itself), `done P {counts}`,
    `failed P reason`. Lines are appended whole, so a killed worker leaves every line it
    wrote."""

    def __init__(self, path: Path, on_outcome: Callable[[DocumentOutcome], None] | None = None) -> None:
        self.path = path
        self.on_outcome = on_outcome
        self.reached: set[int] = set()
        self.alone: set[int] = set()
        self.outcomes: dict[int, DocumentOutcome] = {}
        try:
            lines = path.read_bytes().decode("utf-8", "replace").split("\n")[:-1]   # the last, unended, is cut
        except FileNotFoundError:
            lines = []
        for line in lines:
            event, _, rest = line.partition(" ")
            position, _, detail = rest.partition(" ")
            p = int(position)
            if event == "reached":
                self.reached.add(p)
            elif event == "alone":
                self.alone.add(p)
            elif event == "done":
                self.outcomes[p] = DocumentOutcome(p, None, json.loads(detail))
            elif event == "failed":
                self.outcomes[p] = DocumentOutcome(p, detail)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, event: str, position: int, detail: str = "") -> None:
        os.write(self._fd, f"{event} {position}{' ' + detail if detail else ''}\n".encode("utf-8"))

    def done(self, position: int, counts: dict[str, int]) -> None:
        self.write("done", position, json.dumps(counts, sort_keys=True))
        self._record(DocumentOutcome(position, None, counts))

    def failed(self, position: int, reason: str) -> None:
        reason = one_line(reason)
        self.write("failed", position, reason)
        self._record(DocumentOutcome(position, reason))

    def _record(self, outcome: DocumentOutcome) -> None:
        self.outcomes[outcome.position] = outcome
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def close(self) -> None:
        os.close(self._fd)


class Watchdog(threading.Thread):
    """Stops this worker process when the document it is on runs past its time, or makes
    it hold more than DOC_MEMORY_BYTES. A document that was alone is failed with the reason
    first; in a stream the blame is not sure (the analyser reads ahead), so the next attempt
    tries each document that was reached alone."""

    def __init__(self, rss: Callable[[], int] | None = None, stop: Callable[[int], None] = os._exit) -> None:
        super().__init__(name="document-watchdog", daemon=True)
        self.rss, self.stop = rss or _rss_bytes, stop
        self.lock = threading.Lock()
        self.current: tuple[int, float, float, bool, ShardLog] | None = None

    def watch(self, position: int, timeout: float, alone: bool, log: ShardLog) -> None:
        with self.lock:
            self.current = (position, time.monotonic(), timeout, alone, log)

    def clear(self) -> None:
        with self.lock:
            self.current = None

    def run(self) -> None:
        while True:
            time.sleep(0.1)
            with self.lock:
                if self.current is None:
                    continue
                position, started, timeout, alone, log = self.current
                reason = None
                if timeout and time.monotonic() - started > timeout:
                    reason = f"timeout after {timeout:g} s (--doc-timeout)"
                elif self.rss() > DOC_MEMORY_BYTES:
                    reason = f"too large: analysing it took more than {DOC_MEMORY_BYTES / 2**30:g} GiB of memory"
                if reason is None:
                    continue
                if alone:
                    log.failed(position, reason)
                self.current = None
                self.stop(EXIT_OVERRAN)


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


_watchdog: Watchdog | None = None


def _the_watchdog() -> Watchdog:
    global _watchdog
    if _watchdog is None or not _watchdog.is_alive():
        _watchdog = Watchdog()
        _watchdog.start()
    return _watchdog


class _ShardHooks(StreamHooks):
    """A stream of a shard's documents writing each result as it is done, with the log and
    the watchdog told where it is."""

    def __init__(self, task: ExtractTask, docs: list[DocumentWork], log: ShardLog, alone: bool) -> None:
        self.task, self.docs, self.log, self.alone = task, docs, log, alone

    def reached(self, k: int) -> None:
        self.log.write("reached", self.docs[k].position)

    def starting(self, k: int) -> None:
        _the_watchdog().watch(self.docs[k].position, self.task.doc_timeout, self.alone, self.log)

    def finish(self, k: int, outcome: DocumentResult | DocumentFailure) -> None:
        """Write the document's result (or its failure) and log it."""
        _the_watchdog().clear()
        doc = self.docs[k]
        if isinstance(outcome, DocumentFailure):
            self.log.failed(doc.position, outcome.reason)
            return
        try:
            writer = ResultWriter(self.task.work.result(doc.position),
                                  compress=len(outcome.metrics) + len(outcome.projects) >= COMPRESS_ROWS)
        except OSError as exc:
            self.log.failed(doc.position, error_reason("writing", exc))
            return
        try:
            for start in range(0, max(len(outcome.metrics), len(outcome.projects), 1), ENTRY_CHUNK_ROWS):
                writer.add(outcome.metrics[start:start + ENTRY_CHUNK_ROWS],
                           outcome.projects[start:start + ENTRY_CHUNK_ROWS])
            counts = writer.close(outcome.warnings, outcome.year, outcome.year_source)
        except Exception as exc:  # noqa: BLE001 - rows that do not fit the tables, or a full disk, cost their document
            writer.discard()
            self.log.failed(doc.position, error_reason("writing", exc))
            return
        self.log.done(doc.position, counts)


def extract_shard(task: ExtractTask, died: str | None = None,
                  on_outcome: Callable[[DocumentOutcome], None] | None = None) -> ShardOutcome:
    """Analyse and extract the shard's documents into the work folder (and the cache),
    resuming from its log; `died` says how the worker of the last attempt died, if known;
    `on_outcome` hears of each document as it finishes."""
    log = ShardLog(task.work.log(task.shard), on_outcome)
    cache = Cache(task.cache) if task.cache is not None else None
    warm_up()                       # the model loads once per worker, before any document's clock starts
    stopwatch = _Stopwatch()
    try:
        for position in sorted(log.alone - set(log.outcomes)):
            log.failed(position, f"analyser crashed: the worker process {died or 'died'} on this document")
        todo = [d for d in task.documents if d.position not in log.outcomes]
        suspects = [d for d in todo if d.position in log.reached]
        paragraphs = ParagraphFile(task.work.paragraphs(task.shard))
        try:
            for doc in suspects:
                log.write("alone", doc.position)
                _stream_documents(task, [doc], paragraphs, log, alone=True)
            rest = [d for d in todo if d.position not in log.reached]
            for run in _runs(rest):
                _stream_documents(task, run, paragraphs, log, alone=False)
        finally:
            paragraphs.close()
        if cache is not None:
            for doc in task.documents:
                outcome = log.outcomes.get(doc.position)
                if outcome is not None and outcome.error is None and doc.key:
                    cache.keep(task.work.result(doc.position), doc.key)
        return ShardOutcome(task.shard, [log.outcomes[d.position] for d in task.documents],
                            cache.full if cache is not None else None, stopwatch.read())
    finally:
        log.close()


def lost_shard(task: ExtractTask, reason: str) -> ShardOutcome:
    """The outcome of a task given up: what its log says was done, the rest failed with the
    reason."""
    log = ShardLog(task.work.log(task.shard))
    try:
        for doc in task.documents:
            if doc.position not in log.outcomes:
                log.failed(doc.position, reason)
        return ShardOutcome(task.shard, [log.outcomes[d.position] for d in task.documents])
    finally:
        log.close()


# --------------------------------------------------------------------------- writing

@dataclass
class ShardRows:
    """A shard's rows of every table: its documents' final records, duplicate marks and
    results (None where the document failed), and where its paragraphs are stored."""
    shard: int
    paragraphs: Path
    documents: list[Document]
    marks: list[list[tuple[int, str, int, str]]]
    entries: list[Entry | None]


def write_rows(rows: ShardRows, writers: dict[str, TableWriter]) -> None:
    """The shard's rows, document by document, into one writer a table."""
    paragraphs = ParagraphFile(rows.paragraphs)
    try:
        for k, (doc, marks, entry) in enumerate(zip(rows.documents, rows.marks, rows.entries)):
            writers["paragraphs"].write(paragraph_batch(doc.doc_id, paragraphs.batch(k), marks))
            for chunk in entry.chunks() if entry is not None else ():
                for name in RESULT_TABLES:
                    writers[name].write(chunk[name])
    finally:
        paragraphs.close()
    writers["documents"].write(record_batch("documents", rows.documents))


def write_parts(rows: ShardRows, folder: Path) -> dict[str, tuple[list[str], int]]:
    """The shard's parts of each table's dataset folder in `folder` (none for a table the
    shard has no rows of); per table, the parts written and their rows."""
    writers = {name: TableWriter(folder, name, rows.shard) for name in TABLES}
    write_rows(rows, writers)
    return {name: (writer.close(empty=False), writer.rows) for name, writer in writers.items()}


def _runs(docs: list[DocumentWork]) -> Iterator[list[DocumentWork]]:
    """The documents in runs of about RUN_CHARS, streamed through the analyser together."""
    run: list[DocumentWork] = []
    size = 0
    for doc in docs:
        if run and size + doc.chars > RUN_CHARS:
            yield run
            run, size = [], 0
        run.append(doc)
        size += doc.chars
    if run:
        yield run


def _stream_documents(task: ExtractTask, docs: list[DocumentWork], paragraphs: ParagraphFile, log: ShardLog,
                      alone: bool) -> None:
    work = []
    for doc in docs:
        paras = paragraphs.paragraphs(doc.batch, doc.doc_id)
        for para, of_doc, of_para, kind in doc.marks:
            paras[para].duplicate_of_doc, paras[para].duplicate_of_para, paras[para].duplicate_kind = of_doc, of_para, kind
        work.append((doc.doc_id, paras))
    hooks = _ShardHooks(task, docs, log, alone)
    outcomes = process_documents(work, lexicon(task.rules_digest), hooks, [doc.year_hint for doc in docs])
    for k, outcome in enumerate(outcomes):
        hooks.finish(k, outcome)
    del work
