"""What a run may reuse, and how it is stored so that it can neither lie nor run code.

A document's result (its metric and project rows and warnings) is an Arrow IPC stream, one
record batch a chunk of rows, followed by a JSON trailer that holds the SHA-256 of the
stream and of the trailer's row counts and warnings. Nothing read back is ever executed (no pickles): an entry is bytes checked
against its digest and then parsed as data. An entry that fails its check is a miss that the
run recomputes and reports. The run's own record (what it published, its summary) is JSON
with a digest.

Keys: a result depends on the pipeline's code, the rules, the document's content, which
of its paragraphs are duplicates (they are not extracted from) and the --doc-year given; a run's output on all of
those and every document's status.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import __version__
from pipeline.records import Document, Metric, Project

RESULT_TABLES = ("metrics", "projects")
MAGIC = b"BPCACHE1"                       # ends every entry: the format, and that the entry is whole
_TRAILER_END = struct.Struct("<Q8s")      # length of the trailer's JSON, then MAGIC
READ_CHUNK = 1 << 20


class CacheFull(OSError):
    """The cache folder's disk is full: this run stops writing to it."""


@functools.cache
def code_digest() -> str:
    """The pipeline's own source and the analyser's version: an edited checkout or an upgraded
    kiwipiepy must not reuse results of older code."""
    digest = hashlib.sha256(f"{__version__} {importlib.metadata.version('kiwipiepy')}".encode("utf-8"))
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(doc: Document, rules_digest: str) -> str:
    """Code, rules and the document itself: the part of a key known before deduplication."""
    raw = "\n".join([code_digest(), rules_digest, doc.doc_id, doc.sha256])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def result_key(doc: Document, duplicates: list[bool], rules_digest: str, doc_year: int | None = None) -> str:
    """Content, rules, code, which paragraphs are duplicates and a given document year: all a
    result depends on."""
    mask = "".join("d" if d else "." for d in duplicates) + f" {doc_year}"
    return f"{content_key(doc, rules_digest)}-{hashlib.sha256(mask.encode('ascii')).hexdigest()[:16]}"


# --------------------------------------------------------------------------- result entries

def _bare(schema: pa.Schema) -> list[pa.Field]:
    """The fields without their descriptions (the published tables carry those): an entry of
    a small document is then a few kilobytes."""
    return [f.remove_metadata() for f in schema]


def _struct_of(schema: pa.Schema) -> pa.DataType:
    return pa.list_(pa.struct(_bare(schema)))


@functools.cache
def entry_schema() -> pa.Schema:
    """One row a chunk: a list of metric rows and a list of project rows."""
    from pipeline.write import SCHEMAS
    return pa.schema([pa.field(name, _struct_of(SCHEMAS[name])) for name in RESULT_TABLES])


def rows_array(name: str, rows: list[Metric] | list[Project]) -> pa.StructArray:
    """Rows as a struct array of the table's schema, column by column from the records'
    attributes: a row that does not fit (text that is not storable, a number out of range)
    raises here, in the document it comes from."""
    from pipeline.write import SCHEMAS, record_batch
    return pa.StructArray.from_arrays(record_batch(name, rows).columns, fields=_bare(SCHEMAS[name]))


class ResultWriter:
    """Writes one document's result, chunk by chunk, into `path`; the entry appears
    (atomically, by rename) only when `close` has written its trailer. `compress`: with lz4
    (worth it for a large result; for a small one, reading would cost more than it saves:
    decompressing its fifty-odd columns takes ten times as long as reading them)."""

    def __init__(self, path: Path, compress: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._sink = pa.PythonFile(_Hashing(self._file, self._hash), mode="w")
        self._writer = pa.ipc.new_stream(self._sink, entry_schema(),
                                         options=pa.ipc.IpcWriteOptions(compression="lz4" if compress else None))
        self.rows = dict.fromkeys(RESULT_TABLES, 0)

    def add(self, metrics: list[Metric], projects: list[Project]) -> None:
        """One chunk of rows (a small document's are all in one)."""
        if not metrics and not projects:
            return
        lists = [pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows_array(name, rows))
                 for name, rows in zip(RESULT_TABLES, (metrics, projects))]
        self._writer.write_batch(pa.record_batch(lists, schema=entry_schema()))
        self.rows["metrics"] += len(metrics)
        self.rows["projects"] += len(projects)

    def close(self, warnings: list[str], year: int | None = None, year_source: str | None = None) -> dict[str, int]:
        """Write the trailer (with the warnings and the document's year), then publish the
        entry; the counts it holds."""
        self._writer.close()
        self._sink.flush()
        content = {"counts": {**self.rows, "warnings": len(warnings)}, "warnings": warnings,
                   "year": [year, year_source]}
        self._hash.update(_canonical(content))
        trailer = _canonical({**content, "sha256": self._hash.hexdigest()})
        self._file.write(trailer + _TRAILER_END.pack(len(trailer), MAGIC))
        self._file.close()
        os.replace(self._temp, self.path)
        return content["counts"]

    def discard(self) -> None:
        """Leave nothing behind (the document failed, or the disk is full)."""
        try:
            self._file.close()
        except OSError:
            pass
        _unlink(Path(self._temp))


class _Hashing:
    """A file that hashes what is written through it."""

    def __init__(self, file: Any, digest: Any) -> None:
        self.file, self.digest = file, digest
        self.closed = False

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.closed = True                 # the entry file stays open for its trailer

    def writable(self) -> bool:
        return True


@dataclass
class Entry:
    """A checked result entry: its counts and warnings, and its rows chunk by chunk.
    `foreign`: it comes from the cache, written by another run, so every chunk is validated
    in full as it is read (offsets, UTF-8), not only its digest; the run's own are not."""
    path: Path
    counts: dict[str, int]
    warnings: list[str]
    year: int | None = None               # the document's own year and how it is known
    year_source: str | None = None
    foreign: bool = False

    def chunks(self) -> Iterator[dict[str, pa.RecordBatch]]:
        """Each chunk's rows per table, as record batches of the table schemas (the stream
        ends before the trailer)."""
        from pipeline.write import SCHEMAS
        with pa.OSFile(str(self.path)) as file:
            reader = pa.ipc.open_stream(file)
            if self.foreign and reader.schema != entry_schema():
                raise DamagedEntry(f"{self.path}: not a result of this pipeline version")
            for batch in reader:
                if self.foreign:
                    batch.validate(full=True)
                yield {name: pa.RecordBatch.from_arrays(batch.column(name).flatten().flatten(), schema=SCHEMAS[name])
                       for name in RESULT_TABLES}


class DamagedEntry(Exception):
    """An entry whose bytes are not what was written: a miss, said as a warning."""


def check_entry(path: Path) -> Entry:
    """The entry at `path`, its digest checked against every byte; DamagedEntry otherwise
    (OSError when it cannot be read at all, FileNotFoundError when there is none)."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size < _TRAILER_END.size:
            raise DamagedEntry(f"{path}: cut short")
        fh.seek(size - _TRAILER_END.size)
        length, magic = _TRAILER_END.unpack(fh.read(_TRAILER_END.size))
        if magic != MAGIC or length > size - _TRAILER_END.size:
            raise DamagedEntry(f"{path}: no trailer")
        body = size - _TRAILER_END.size - length
        fh.seek(body)
        try:
            trailer = json.loads(fh.read(length))
            expected, counts, warnings = trailer["sha256"], trailer["counts"], trailer["warnings"]
            year, year_source = trailer["year"]
        except (ValueError, KeyError, TypeError):
            raise DamagedEntry(f"{path}: its trailer is not readable") from None
        fh.seek(0)
        digest, left = hashlib.sha256(), body
        while left:
            data = fh.read(min(READ_CHUNK, left))
            if not data:
                raise DamagedEntry(f"{path}: cut short")
            digest.update(data)
            left -= len(data)
        digest.update(_canonical({"counts": counts, "warnings": warnings, "year": [year, year_source]}))
        if digest.hexdigest() != expected:
            raise DamagedEntry(f"{path}: its digest does not match its content")
    return Entry(path, counts, warnings, year, year_source)


# --------------------------------------------------------------------------- the folder

@dataclass
class Cache:
    """A cache folder: `results/ab/KEY.arrow` result entries, `runs/last.json` the record of
    the last run.

    Writing is best effort: a read-only folder only costs speed, and a full disk stops the
    run's writing to it (CacheFull, raised once, names the folder). Reading never trusts:
    a damaged entry is a miss and a warning (`damaged`)."""
    folder: Path
    damaged: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)       # entries this run added
    full: str | None = None                                 # why writing stopped

    def result_path(self, key: str) -> Path:
        return self.folder / "results" / key[:2] / f"{key}.arrow"

    def result(self, key: str) -> Entry | None:
        """The checked entry for `key`, or None (missing or damaged: then said in `damaged`)."""
        path = self.result_path(key)
        try:
            return check_entry(path)
        except FileNotFoundError:
            return None
        except DamagedEntry as exc:
            self.damaged.append(f"cache entry {exc} (recomputed)")
            _unlink(path)
            return None
        except OSError:
            return None

    def content_keys(self) -> set[str]:
        """The content part of every result key held (to tell, before deduplication, which
        documents will need analysis)."""
        return {path.name.split("-", 1)[0] for path in self.folder.glob("results/*/*.arrow")}

    def keep(self, entry: Path, key: str) -> None:
        """Make a finished entry of the run a cache entry too (a hard link, or a copy)."""
        def fill(temp: Path) -> None:
            try:
                os.link(entry, temp)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise
                shutil.copyfile(entry, temp)
        self._place(self.result_path(key), fill)

    def _place(self, target: Path, fill: Callable[[Path], None]) -> None:
        """Write `target` through `fill` and a rename, unless the disk was found full."""
        if self.full:
            return
        temp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _unlink(temp)
            fill(temp)
            os.replace(temp, target)
            self.written.append(target)
        except OSError as exc:
            _unlink(temp)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                self.stop(exc)

    def stop(self, exc: OSError) -> None:
        """The disk is full: write nothing more this run, and say so once."""
        if self.full is None:
            self.full = f"the cache folder {self.folder} is full ({exc.strerror or exc}): the rest of this run is not cached"

    def link_into(self, key: str, target: Path) -> Entry | None:
        """A checked entry for `key` placed at `target` (the run's own copy, which later
        writers of the cache cannot change under it), or None."""
        entry = self.result(key)
        if entry is None:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(entry.path, target)
        except OSError:
            shutil.copyfile(entry.path, target)
        return Entry(target, entry.counts, entry.warnings, entry.year, entry.year_source, foreign=True)

    def has_results(self) -> bool:
        return any(self.folder.glob("results/*/*.arrow"))

    def last_run(self) -> dict[str, Any] | None:
        """The record of the last run that wrote this cache: JSON whose digest is checked;
        None when missing or damaged (then said in `damaged`)."""
        path = self.folder / "runs" / "last.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            body = stored["body"]
            if hashlib.sha256(_canonical(body)).hexdigest() != stored["sha256"]:
                raise ValueError("digest")
            return body
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.damaged.append(f"cache entry {path}: its digest does not match its content (ignored)")
            _unlink(path)
            return None

    def write_last_run(self, body: dict[str, Any]) -> None:
        data = json.dumps({"sha256": hashlib.sha256(_canonical(body)).hexdigest(), "body": body},
                          ensure_ascii=False, sort_keys=True).encode("utf-8")

        def fill(temp: Path) -> None:
            temp.write_bytes(data)
        self._place(self.folder / "runs" / "last.json", fill)

    def forget_written(self) -> None:
        """A run that failed for lack of space takes back what it cached, so that it does
        not leave the disk fuller than it found it."""
        for path in self.written:
            _unlink(path)
        self.written.clear()

    def prune(self, results: set[str]) -> None:
        """Keep only the result entries this run used, and drop files of older formats
        (pickles): the default cache of an output folder holds what its output needs, and
        does not grow with every change of the input."""
        for path in self.folder.glob("results/*/*.arrow"):
            if path.stem not in results:
                _unlink(path)
        for path in self.folder.glob("*.pkl"):
            _unlink(path)


def _canonical(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
