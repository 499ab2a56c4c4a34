"""A run: ingest and deduplicate in the main process, analyse and extract in worker
processes (a worker that dies costs only its document), reuse cached results, publish.

The table writer (pyarrow) and the deduplicator (rapidfuzz, datasketch) are imported where
they are used, once the workers are forked: the workers need neither, and they start loading
the model 0.1 s sooner.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
import signal
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.ingest import Source, discover, make_doc_id, read_document
from pipeline.extract.periods import YearHint, year_in_name
from pipeline.process import DocumentFailure, init_worker, process_documents
from pipeline.interrupt import deferred_interrupt, ignore_interrupt
from pipeline.reasons import error_reason, one_line
from pipeline.records import Document, DocumentResult, Paragraph
from pipeline.report import RunReport
from pipeline.rules import RuleSet
from pipeline.outfolder import published_digests

CHUNK_CHARS = 200_000       # text sent to a worker at once (fewer chars when that leaves a worker idle)
THREADS_PER_PROCESS = 3     # analyser threads one extracting thread keeps busy


class StrictFailure(Exception):
    """--strict: the first failed document stops the run."""


@dataclass
class RunOptions:
    inputs: list[Path]
    out: Path
    rules: RuleSet
    rules_dirs: list[Path] = field(default_factory=list)
    jobs: int = 1
    cache_dir: Path | None = None          # None: no cache
    strict: bool = False
    doc_year: int | None = None            # --doc-year: every document's own year
    report: RunReport = field(default_factory=RunReport)


@dataclass
class RunSummary:
    documents: int = 0
    paragraphs: int = 0
    duplicates: int = 0
    metrics: int = 0
    projects: int = 0
    failures: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)     # (source, reason), in document order
    warned: list[tuple[str, str]] = field(default_factory=list)     # (source, `line N: …`)

    def line(self) -> str:
        return (f"{self.documents} documents, {self.paragraphs} paragraphs, {self.duplicates} duplicates, "
                f"{self.metrics} metrics, {self.projects} projects, {self.failures} failures, "
                f"{self.seconds:.1f} s")


@functools.cache
def code_digest() -> str:
    """The pipeline's own source and the analyser's version: an edited checkout or an upgraded
    kiwipiepy must not reuse results of older code."""
    digest = hashlib.sha256(f"{__version__} {importlib.metadata.version('kiwipiepy')}".encode("utf-8"))
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(doc: Document, rules_digest: str) -> str:
    """Code, rules and the document itself: the part of a cache key known before deduplication."""
    raw = "\n".join([code_digest(), rules_digest, doc.doc_id, doc.sha256])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def cache_key(doc: Document, paragraphs: list[Paragraph], rules_digest: str, doc_year: int | None = None) -> str:
    """Content, rules, code, which paragraphs are duplicates and a given document year: all a
    result depends on."""
    mask = "".join("d" if p.is_duplicate else "." for p in paragraphs) + f" {doc_year}"
    return f"{content_key(doc, rules_digest)}-{hashlib.sha256(mask.encode('ascii')).hexdigest()[:16]}"


def year_hint(doc: Document, options: RunOptions) -> YearHint:
    return YearHint(given=options.doc_year, name=year_in_name(doc.source))


def _probably_new(documents: list[Document], options: RunOptions) -> int:
    """How many readable documents have no cached result under any duplicate pattern."""
    ok = [d for d in documents if d.status == "ok"]
    if options.cache_dir is None or not options.cache_dir.is_dir():
        return len(ok)
    cached = {name.split("-", 1)[0] for name in os.listdir(options.cache_dir) if name.endswith(".pkl")}
    return sum(content_key(d, options.rules.digest) not in cached for d in ok)


def _cache_read(cache_dir: Path | None, key: str, kind: type = DocumentResult) -> Any:
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / f"{key}.pkl", "rb") as fh:
            result = pickle.load(fh)
        return result if isinstance(result, kind) else None
    except Exception:  # noqa: BLE001 - a damaged cache entry is a cache miss
        return None


def _duplicates_key(documents: list[Document]) -> str:
    """The same documents in the same order (and the same code) have the same duplicates."""
    raw = "\n".join([code_digest(), *(f"{d.doc_id} {d.sha256} {d.status}" for d in documents)])
    return "duplicates-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _mark_duplicates(documents: list[Document], paragraphs: dict[str, list[Paragraph]], options: RunOptions) -> None:
    """Duplicate marks from the cache when the run's documents are unchanged, else computed."""
    key = _duplicates_key(documents)
    marks = _cache_read(options.cache_dir, key, dict)
    if marks is None:
        _deduplicate(documents, paragraphs, options)
        marks = {(p.doc_id, p.para_idx): (p.duplicate_of_doc, p.duplicate_of_para, p.duplicate_kind)
                 for paras in paragraphs.values() for p in paras if p.is_duplicate}
        _cache_write(options.cache_dir, key, marks)
        return
    for paras in paragraphs.values():
        for p in paras:
            p.duplicate_of_doc, p.duplicate_of_para, p.duplicate_kind = marks.get((p.doc_id, p.para_idx),
                                                                                  (None, None, None))


def _run_key(documents: list[Document], skipped: int, options: RunOptions) -> str:
    """All a run's output depends on: code, rules, and every document read, in order."""
    raw = "\n".join([code_digest(), options.rules.digest, str(skipped), str(options.doc_year),
                     *(f"{d.doc_id} {d.source} {d.sha256} {d.status} {d.error}" for d in documents)])
    return "run-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _up_to_date(run_key: str, options: RunOptions) -> RunSummary | None:
    """The summary of an earlier run of the same inputs, rules and code whose output is still
    in the output folder, byte for byte: then there is nothing to do."""
    entry = _cache_read(options.cache_dir, run_key, tuple)
    if entry is None:
        return None
    digests, summary = entry
    return summary if digests is not None and published_digests(options.out) == digests else None


def _cache_write(cache_dir: Path | None, key: str, result: object) -> None:
    """Best effort: a cache that cannot be written (full disk, read-only) only costs speed."""
    if cache_dir is None:
        return
    name = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", delete=False) as fh:
            name = fh.name
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, cache_dir / f"{key}.pkl")
    except OSError:
        if name:
            try:
                os.unlink(name)
            except OSError:
                pass


def _unique_ids(documents: list[Document]) -> None:
    """The same file under two inputs gets the same id; later ones get a suffix."""
    seen: dict[str, int] = {}
    for doc in documents:
        n = seen.get(doc.doc_id, 0)
        seen[doc.doc_id] = n + 1
        if n:
            doc.doc_id = f"{doc.doc_id}-{n + 1}"


def _fail(doc: Document, reason: str, options: RunOptions) -> None:
    doc.status, doc.error = "error", one_line(reason)
    if options.strict:
        raise StrictFailure(f"{doc.source}: {doc.error}")


def _read(src: Source) -> tuple[Document, list[Paragraph]]:
    """read_document, with any unexpected error costing only this document."""
    try:
        return read_document(src)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return Document(make_doc_id(src.source, ""), src.source, str(src.path), "", status="error",
                        error=error_reason("reading", exc)), []


def _deduplicate(documents: list[Document], paragraphs: dict[str, list[Paragraph]], options: RunOptions) -> None:
    """Mark repeats across the run; should that fail, within each document, so that an error
    costs only the document it comes from."""
    from pipeline.dedup import mark_duplicates
    try:
        mark_duplicates(p for doc in documents for p in paragraphs.get(doc.doc_id, []))
        return
    except Exception:  # noqa: BLE001
        pass
    for doc in documents:
        paras = paragraphs.get(doc.doc_id, [])
        for para in paras:
            para.duplicate_of_doc = para.duplicate_of_para = para.duplicate_kind = None
        try:
            mark_duplicates(paras)
        except Exception as exc:  # noqa: BLE001
            for para in paras:
                para.duplicate_of_doc = para.duplicate_of_para = para.duplicate_kind = None
            _fail(doc, error_reason("deduplication", exc), options)


def _drop_unwritable(documents: list[Document], results: dict[str, DocumentResult], options: RunOptions) -> None:
    """After the tables could not be built: fail the documents whose rows do not fit them."""
    from pipeline.write import check_rows
    for doc in documents:
        if doc.doc_id in results:
            try:
                check_rows(results[doc.doc_id])
            except Exception as exc:  # noqa: BLE001 - a row that cannot be written costs its document
                del results[doc.doc_id]
                _fail(doc, error_reason("writing", exc), options)


def _died(processes: list) -> str:
    """How the worker died, from its exit code: a signal (SIGABRT for an abort in native code,
    SIGKILL often for running out of memory, SIGSEGV) or an exit status."""
    deadline = time.monotonic() + 2.0
    while any(proc.exitcode is None for proc in processes) and time.monotonic() < deadline:
        time.sleep(0.02)                # the pool's own thread may be reaping it just now
    for proc in processes:
        code = proc.exitcode
        if code is None or code == 0 or code == -signal.SIGTERM:
            continue
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"was killed by {name}{hint}"
        return f"exited with status {code}"
    return "died"


def _failed(documents: list[Document]) -> list[tuple[str, str]]:
    return [(doc.source, doc.error or "error") for doc in documents if doc.status != "ok"]


def run(options: RunOptions) -> RunSummary:
    """The whole pipeline over the inputs; returns the figures of the summary line."""
    started = time.monotonic()
    report = options.report
    found = discover(options.inputs)
    report.reading(len(found.sources))
    documents: list[Document] = []
    read: list[list[Paragraph]] = []
    for src in found.sources:
        doc, paras = _read(src)
        if doc.status == "error":
            _fail(doc, doc.error or "error", options)
        documents.append(doc)
        read.append(paras)
        report.read_one()
    _unique_ids(documents)
    read_errors = [d.error for d in documents]
    paragraphs: dict[str, list[Paragraph]] = {}
    for doc, paras in zip(documents, read):
        for para in paras:
            para.doc_id = doc.doc_id
        paragraphs[doc.doc_id] = paras
    del read
    report.stage("read", documents=len(documents), paragraphs=sum(map(len, paragraphs.values())),
                 skipped_files=len(found.skipped))
    run_key = _run_key(documents, len(found.skipped), options)
    done = _up_to_date(run_key, options)
    if done is not None:
        report.stage("nothing changed since the last run")
        return replace(done, skipped=found.skipped, seconds=time.monotonic() - started, failed=_failed(documents))
    new = _probably_new(documents, options)
    plan = WorkerPlan.for_jobs(options.jobs, new)
    early = (_start_pool(options, plan, warm=True), plan) if new else None
    try:
        _mark_duplicates(documents, paragraphs, options)
    except BaseException:                   # --strict, Ctrl-C: the workers are not needed
        if early is not None:
            early[0].shutdown(wait=False, cancel_futures=True)
        raise
    for doc in documents:
        doc.n_duplicate_paragraphs = sum(p.is_duplicate for p in paragraphs.get(doc.doc_id, []))
    report.stage("deduplicate", duplicates=sum(d.n_duplicate_paragraphs for d in documents))

    results: dict[str, DocumentResult] = {}
    pending: dict[str, str] = {}                      # doc_id -> cache key
    for doc in documents:
        if doc.status != "ok":
            continue
        key = cache_key(doc, paragraphs[doc.doc_id], options.rules.digest, options.doc_year)
        cached = _cache_read(options.cache_dir, key)
        if cached is not None:
            results[doc.doc_id] = cached
        else:
            pending[doc.doc_id] = key
    by_id = {doc.doc_id: doc for doc in documents}
    report.stage("cache", cached_documents=len(results), documents_to_analyse=len(pending))
    report.analysing(sum(by_id[d].n_chars for d in pending))
    if pending:
        _analyse(options, [by_id[d] for d in pending], paragraphs, results, pending, early)
    elif early is not None:
        early[0].shutdown(wait=True, cancel_futures=True)
    report.close()
    report.stage("analyse and extract", documents=len(pending),
                 characters=sum(by_id[d].n_chars for d in pending))

    from pipeline.write import build_tables, publish
    for doc in documents:
        result = results.get(doc.doc_id)
        doc.warnings = len(result.warnings) if result is not None else 0
        doc.year, doc.year_source = (result.year, result.year_source) if result is not None else (None, None)
    all_paragraphs = [p for doc in documents for p in paragraphs.get(doc.doc_id, [])]
    for last_try in (False, True):
        metrics = [m for doc in documents for m in results.get(doc.doc_id, DocumentResult()).metrics]
        projects = [p for doc in documents for p in results.get(doc.doc_id, DocumentResult()).projects]
        try:
            tables = build_tables(documents, all_paragraphs, metrics, projects)
            break
        except Exception:
            if last_try:
                raise
            _drop_unwritable(documents, results, options)
    manifest = {
        "pipeline_version": __version__,
        "rules_digest": options.rules.digest,
        "inputs": [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256, "status": d.status}
                   for d in documents],
        "row_counts": {name: table.num_rows for name, table in tables.items()},
        "skipped_files": len(found.skipped),
    }
    report.stage("build tables", **{name: table.num_rows for name, table in tables.items()})
    with deferred_interrupt():
        publish(options.out, tables, manifest)
    report.stage("publish")
    summary = RunSummary(
        documents=len(documents), paragraphs=len(all_paragraphs),
        duplicates=sum(p.is_duplicate for p in all_paragraphs), metrics=len(metrics), projects=len(projects),
        failures=sum(d.status != "ok" for d in documents), skipped=found.skipped,
        seconds=time.monotonic() - started, failed=_failed(documents),
        warned=[(doc.source, w) for doc in documents for w in results.get(doc.doc_id, DocumentResult()).warnings])
    if [d.error for d in documents] == read_errors:      # no failure after reading: the next run may skip it all
        _cache_write(options.cache_dir, run_key, (published_digests(options.out), replace(summary, skipped=[])))
    return summary


@dataclass(frozen=True)
class WorkerPlan:
    """How a run's analysis is spread: `processes` workers, each with an analyser running
    `threads` threads (0: one thread that analyses and extracts in turn)."""
    processes: int
    threads: int

    @staticmethod
    def for_jobs(jobs: int, documents: int) -> WorkerPlan:
        """--jobs 1 is one core. Beyond, one worker's extracting thread keeps about
        THREADS_PER_PROCESS analyser threads busy, and each worker holds its own model, so
        a few workers with several threads each beat one single-threaded worker per core."""
        if jobs <= 1:
            return WorkerPlan(1, 0)
        processes = max(1, min(documents, -(-jobs // THREADS_PER_PROCESS)))
        return WorkerPlan(processes, max(2, jobs // processes))


def _start_pool(options: RunOptions, plan: WorkerPlan, warm: bool = False) -> ProcessPoolExecutor:
    """Worker processes, started now: with `warm`, they load the analyser while the main
    process goes on (a no-op task makes the pool start them all at once)."""
    pool = ProcessPoolExecutor(max_workers=plan.processes, initializer=_init,
                               initargs=([str(d) for d in options.rules_dirs], os.getpid(), plan.threads, warm,
                                         options.report.channel()))
    if warm:
        pool.submit(int)
    return pool


def _chunks(docs: list[Document], processes: int) -> list[list[Document]]:
    """The documents in order, in runs of about CHUNK_CHARS, or less so that each worker gets
    several runs (a worker streams a run through its analyser without a pause)."""
    target = max(1, min(CHUNK_CHARS, sum(d.n_chars for d in docs) // (processes * 4)))
    chunks: list[list[Document]] = [[]]
    size = 0
    for doc in docs:
        if chunks[-1] and size + doc.n_chars > target:
            chunks.append([])
            size = 0
        chunks[-1].append(doc)
        size += doc.n_chars
    return [chunk for chunk in chunks if chunk]


def _analyse(options: RunOptions, docs: list[Document], paragraphs: dict[str, list[Paragraph]],
             results: dict[str, DocumentResult], keys: dict[str, str],
             early: tuple[ProcessPoolExecutor, WorkerPlan] | None = None) -> None:
    """Run the documents in worker processes, a run of documents per task. When a worker
    dies, the documents it may have held are retried one at a time, so only the document
    that kills a worker is lost."""
    plan = early[1] if early is not None else WorkerPlan.for_jobs(options.jobs, len(docs))
    queue, suspects = _chunks(docs, plan.processes), []
    restarts, writer_ready = 0, False
    while queue or suspects:
        isolating = bool(suspects)
        batch, queue = ([[doc] for doc in suspects], queue) if isolating else (queue, [])
        suspects = []
        if early is not None and not isolating:
            pool, early = early[0], None
        else:
            pool = _start_pool(options, WorkerPlan(1, plan.threads) if isolating else plan)
        processes: dict[int, object] = {}
        try:
            submitted: dict[Future, list[Document]] = {}
            while batch or submitted:
                while batch and len(submitted) < (1 if isolating else plan.processes * 2):
                    chunk = batch.pop(0)
                    try:
                        work = [(doc.doc_id, paragraphs[doc.doc_id]) for doc in chunk]
                        hints = [year_hint(doc, options) for doc in chunk]
                        submitted[pool.submit(process_documents, work, None, hints)] = chunk
                    except BrokenProcessPool:               # a worker died before this chunk
                        batch.insert(0, chunk)
                        break
                    processes.update(getattr(pool, "_processes", None) or {})
                if not submitted:                           # the pool broke with nothing in it
                    restarts += 1
                    if restarts > 2:
                        pool.shutdown(wait=False, cancel_futures=True)
                        for doc in [doc for chunk in batch + queue for doc in chunk]:
                            _fail(doc, "analysis failed: the worker processes could not start", options)
                        return
                    queue = batch + queue
                    break
                if not writer_ready:
                    from pipeline.write import warm_up
                    warm_up()                               # while the workers analyse
                    writer_ready = True
                done, _ = wait(submitted, return_when=FIRST_COMPLETED)
                crashed = False
                for future in sorted(done, key=lambda f: submitted[f][0].source):
                    chunk = submitted.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        crashed = True
                        if isolating:
                            how = _died(list(processes.values()))
                            _fail(chunk[0], f"analyser crashed: the worker process {how} on this document", options)
                        else:
                            suspects += chunk
                        continue
                    except Exception as exc:    # noqa: BLE001 - the task itself failed: its documents fail
                        outcomes = [DocumentFailure(error_reason("processing", exc))] * len(chunk)
                    for doc, outcome in zip(chunk, outcomes):
                        if isinstance(outcome, DocumentFailure):
                            _fail(doc, outcome.reason, options)
                        else:
                            results[doc.doc_id] = outcome
                            _cache_write(options.cache_dir, keys[doc.doc_id], outcome)
                if crashed:
                    in_flight = [doc for chunk in submitted.values() for doc in chunk]
                    if isolating:
                        suspects = [doc for chunk in batch for doc in chunk] + in_flight
                    else:
                        suspects, queue = suspects + in_flight, batch + queue
                    break
        except BaseException:
            _stop(pool, processes)          # --strict, Ctrl-C: do not wait for the other documents
            raise
        pool.shutdown(wait=True)


def _init(rules_dirs: list[str], parent: int, threads: int, warm: bool, progress: Any) -> None:
    """Worker start: die with the run. A run killed with SIGKILL cannot stop its workers, so
    each asks the kernel for SIGKILL when its parent goes (Linux) and also watches for it.
    Ctrl-C is the run's to handle: it stops the workers."""
    ignore_interrupt()
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
    init_worker(rules_dirs, threads, warm, progress)


def _stop(pool: ProcessPoolExecutor, processes: dict[int, object]) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes.values():
        try:
            proc.terminate()            # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - already gone
            pass
    for proc in processes.values():
        try:
            proc.join(5)                # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001
            pass
