"""A run: ingest and deduplicate in the main process, analyse and extract in worker
processes (a worker that dies costs only its document), reuse cached results, publish.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline import __version__
from pipeline.dedup import mark_duplicates
from pipeline.ingest import discover, read_document
from pipeline.process import init_worker, process_document
from pipeline.records import Document, DocumentResult, Paragraph
from pipeline.rules import RuleSet
from pipeline.write import build_tables, publish


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


@dataclass
class RunSummary:
    documents: int = 0
    paragraphs: int = 0
    duplicates: int = 0
    metrics: int = 0
    projects: int = 0
    failures: int = 0
    skipped: list[str] = field(default_factory=list)
    analysed: int = 0                      # documents that needed the analyser (not cached)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.documents} documents, {self.paragraphs} paragraphs, {self.duplicates} duplicates, "
                f"{self.metrics} metrics, {self.projects} projects, {self.failures} failures, "
                f"{self.seconds:.1f} s")


def cache_key(doc: Document, paragraphs: list[Paragraph], rules_digest: str) -> str:
    """Content, rules, version, and which paragraphs are duplicates: all a result depends on."""
    mask = "".join("d" if p.is_duplicate else "." for p in paragraphs)
    raw = "\n".join([__version__, rules_digest, doc.doc_id, doc.sha256, mask])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _cache_read(cache_dir: Path | None, key: str) -> DocumentResult | None:
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / f"{key}.pkl", "rb") as fh:
            result = pickle.load(fh)
        return result if isinstance(result, DocumentResult) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _cache_write(cache_dir: Path | None, key: str, result: DocumentResult) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", delete=False) as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(fh.name, cache_dir / f"{key}.pkl")


def _unique_ids(documents: list[Document]) -> None:
    """The same file under two inputs gets the same id; later ones get a suffix."""
    seen: dict[str, int] = {}
    for doc in documents:
        n = seen.get(doc.doc_id, 0)
        seen[doc.doc_id] = n + 1
        if n:
            doc.doc_id = f"{doc.doc_id}-{n + 1}"


def _fail(doc: Document, reason: str, options: RunOptions) -> None:
    doc.status, doc.error = "error", reason
    if options.strict:
        raise StrictFailure(f"{doc.source}: {reason}")


def run(options: RunOptions, progress: Callable[[int], None] | None = None) -> RunSummary:
    """The whole pipeline over the inputs; returns the figures of the summary line."""
    started = time.monotonic()
    found = discover(options.inputs)
    documents: list[Document] = []
    paragraphs: dict[str, list[Paragraph]] = {}
    for src in found.sources:
        doc, paras = read_document(src)
        if doc.status == "error":
            _fail(doc, doc.error or "error", options)
        documents.append(doc)
        paragraphs[doc.doc_id] = paras
    _unique_ids(documents)
    for doc in documents:
        for para in paragraphs.pop(doc.doc_id, []):
            para.doc_id = doc.doc_id
            paragraphs.setdefault(doc.doc_id, []).append(para)
    mark_duplicates(p for doc in documents for p in paragraphs.get(doc.doc_id, []))
    for doc in documents:
        doc.n_duplicate_paragraphs = sum(p.is_duplicate for p in paragraphs.get(doc.doc_id, []))

    results: dict[str, DocumentResult] = {}
    pending: dict[str, str] = {}                      # doc_id -> cache key
    for doc in documents:
        if doc.status != "ok":
            continue
        key = cache_key(doc, paragraphs[doc.doc_id], options.rules.digest)
        cached = _cache_read(options.cache_dir, key)
        if cached is not None:
            results[doc.doc_id] = cached
        else:
            pending[doc.doc_id] = key
    by_id = {doc.doc_id: doc for doc in documents}
    bar = tqdm(total=len(documents), unit="doc", disable=None, leave=False)
    bar.update(len(documents) - len(pending))
    if pending:
        _analyse(options, [by_id[d] for d in pending], paragraphs, results, pending, bar)
    bar.close()

    metrics = [m for doc in documents for m in results.get(doc.doc_id, DocumentResult()).metrics]
    projects = [p for doc in documents for p in results.get(doc.doc_id, DocumentResult()).projects]
    all_paragraphs = [p for doc in documents for p in paragraphs.get(doc.doc_id, [])]
    tables = build_tables(documents, all_paragraphs, metrics, projects)
    manifest = {
        "pipeline_version": __version__,
        "rules_digest": options.rules.digest,
        "inputs": [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256, "status": d.status}
                   for d in documents],
        "row_counts": {name: table.num_rows for name, table in tables.items()},
        "skipped_files": len(found.skipped),
    }
    publish(options.out, tables, manifest)
    return RunSummary(
        documents=len(documents), paragraphs=len(all_paragraphs),
        duplicates=sum(p.is_duplicate for p in all_paragraphs), metrics=len(metrics), projects=len(projects),
        failures=sum(d.status != "ok" for d in documents), skipped=found.skipped, analysed=len(pending),
        seconds=time.monotonic() - started)


def _analyse(options: RunOptions, docs: list[Document], paragraphs: dict[str, list[Paragraph]],
             results: dict[str, DocumentResult], keys: dict[str, str], bar: tqdm) -> None:
    """Run the documents in worker processes. When a worker dies, the documents it may have
    held are retried one at a time, so only the document that kills a worker is lost."""
    queue, suspects = list(docs), []
    while queue or suspects:
        isolating = bool(suspects)
        batch, queue = (suspects, queue) if isolating else (queue, [])
        suspects = []
        workers = 1 if isolating else max(1, min(options.jobs, len(batch)))
        with ProcessPoolExecutor(max_workers=workers, initializer=init_worker,
                                 initargs=([str(d) for d in options.rules_dirs],)) as pool:
            submitted: dict[Future, Document] = {}
            while batch or submitted:
                while batch and len(submitted) < (1 if isolating else workers * 2):
                    doc = batch.pop(0)
                    submitted[pool.submit(process_document, doc.doc_id, paragraphs[doc.doc_id])] = doc
                done, _ = wait(submitted, return_when=FIRST_COMPLETED)
                crashed = False
                for future in done:
                    doc = submitted.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        crashed = True
                        if isolating:
                            _fail(doc, "analyser crashed: the worker process died on this document", options)
                            bar.update(1)
                        else:
                            suspects.append(doc)
                        continue
                    except Exception as exc:    # noqa: BLE001 - any stage error costs only this document
                        _fail(doc, f"processing failed: {type(exc).__name__}: {exc}".splitlines()[0], options)
                        bar.update(1)
                        continue
                    results[doc.doc_id] = result
                    _cache_write(options.cache_dir, keys[doc.doc_id], result)
                    bar.update(1)
                if crashed:
                    in_flight = list(submitted.values())
                    if isolating:
                        suspects, queue = batch + in_flight, queue
                    else:
                        suspects, queue = suspects + in_flight, batch + queue
                    break
