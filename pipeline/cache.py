"""What a run may reuse, and how it is stored so that it can neither lie nor run code.

A document's result (its metric and project rows and warnings) is an Arrow IPC stream, one
record batch a chunk of rows, followed by a JSON trailer that holds the SHA-256 of the
stream and of the trailer's row counts and warnings. Nothing read back is ever executed (no pickles): an entry is bytes checked
against its digest and then parsed as data. An entry that fails its check is a miss that the
run recomputes and reports. A document's scan (its paragraphs, their duplicate digests and
what reading found) is stored the same way, so that a later run reads only the bytes of an
unchanged file, to hash them. The run's own record (what it published, its summary) is JSON
with a digest.

Keys: a result depends on the pipeline's code, the rules, the document's content, which
of its paragraphs are duplicates (they are not extracted from) and the --doc-year given; a
scan on the code and the file's bytes; a run's output on all of those and every document's
status.
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
from pipeline.dedup import DIGEST_BYTES, DocumentKeys
from pipeline.records import Document, Metric, Project

RESULT_TABLES = ("metrics", "projects")
MAGIC = b"BPCACHE1"                       # ends every entry: the format, and that the entry is whole
_TRAILER_END = struct.Struct("<Q8s")      # length of the trailer's JSON, then MAGIC
READ_CHUNK = 1 << 20
SCAN_COMPRESS_CHARS = 200_000             # scans of documents this long are stored compressed


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


class CheckedWriter:
    """Writes an entry into `path`: an Arrow IPC stream of `schema`, batch by batch, then a
    JSON trailer whose SHA-256 covers the stream and the trailer's content. The entry
    appears (atomically, by rename) only when `close` has written its trailer. `compress`:
    with lz4 (worth it for a large entry; for a small one, reading would cost more than it
    saves: decompressing fifty-odd columns takes ten times as long as reading them)."""

    def __init__(self, path: Path, schema: pa.Schema, compress: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._sink = pa.PythonFile(_Hashing(self._file, self._hash), mode="w")
        self._writer = pa.ipc.new_stream(self._sink, schema,
                                         options=pa.ipc.IpcWriteOptions(compression="lz4" if compress else None))

    def write_batch(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(batch)

    def close_with(self, content: dict[str, Any]) -> None:
        """Write the trailer holding `content`, then publish the entry."""
        self._writer.close()
        self._sink.flush()
        self._hash.update(_canonical(content))
        trailer = _canonical({**content, "sha256": self._hash.hexdigest()})
        self._file.write(trailer + _TRAILER_END.pack(len(trailer), MAGIC))
        self._file.close()
        os.replace(self._temp, self.path)

    def discard(self) -> None:
        """Leave nothing behind (the document failed, or the disk is full)."""
        try:
            self._file.close()
        except OSError:
            pass
        _unlink(Path(self._temp))


class ResultWriter(CheckedWriter):
    """Writes one document's result, chunk by chunk, into `path` (compressed when large)."""

    def __init__(self, path: Path, compress: bool) -> None:
        super().__init__(path, entry_schema(), compress)
        self.rows = dict.fromkeys(RESULT_TABLES, 0)

    def add(self, metrics: list[Metric], projects: list[Project]) -> None:
        """One chunk of rows (a small document's are all in one)."""
        if not metrics and not projects:
            return
        lists = [pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows_array(name, rows))
                 for name, rows in zip(RESULT_TABLES, (metrics, projects))]
        self.write_batch(pa.record_batch(lists, schema=entry_schema()))
        self.rows["metrics"] += len(metrics)
        self.rows["projects"] += len(projects)

    def close(self, warnings: list[str], year: int | None = None, year_source: str | None = None) -> dict[str, int]:
        """Write the trailer (with the warnings and the document's year), then publish the
        entry; the counts it holds."""
        counts = {**self.rows, "warnings": len(warnings)}
        self.close_with({"counts": counts, "warnings": warnings, "year": [year, year_source]})
        return counts


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
    """The result entry at `path`, its digest checked against every byte; DamagedEntry
    otherwise (OSError when it cannot be read at all, FileNotFoundError when there is none)."""
    content = checked_content(path)
    try:
        counts, warnings = dict(content["counts"]), list(content["warnings"])
        year, year_source = content["year"]
    except (ValueError, KeyError, TypeError):
        raise DamagedEntry(f"{path}: its trailer is not readable") from None
    return Entry(path, counts, warnings, year, year_source)


def checked_content(path: Path) -> dict[str, Any]:
    """The trailer's content of the entry at `path`, once its digest is checked against every
    byte of the stream and of that content; DamagedEntry otherwise."""
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
            content = json.loads(fh.read(length))
            expected = content.pop("sha256")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise DamagedEntry(f"{path}: its trailer is not readable") from None
        fh.seek(0)
        digest, left = hashlib.sha256(), body
        while left:
            data = fh.read(min(READ_CHUNK, left))
            if not data:
                raise DamagedEntry(f"{path}: cut short")
            digest.update(data)
            left -= len(data)
        digest.update(_canonical(content))
        if digest.hexdigest() != expected:
            raise DamagedEntry(f"{path}: its digest does not match its content")
    return content


# --------------------------------------------------------------------------- scan entries

def scan_key(sha256: str, with_keys: bool) -> str:
    """The code, the file's bytes and whether duplicate digests were made: all a scan depends on."""
    raw = "\n".join([code_digest(), "scan", "keys" if with_keys else "no keys", sha256])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


@functools.cache
def scan_schema(with_keys: bool) -> pa.Schema:
    """A document's paragraphs (the columns of a shard's paragraph file), then, when
    duplicates are sought, each paragraph's digests (DocumentKeys, a column each)."""
    fields = [pa.field("line_no", pa.int32()), pa.field("text", pa.string())]
    if with_keys:
        fields += [pa.field("exact", pa.binary(DIGEST_BYTES)), pa.field("numbers", pa.binary(DIGEST_BYTES)),
                   pa.field("prose", pa.uint8())]
    return pa.schema(fields)


@dataclass
class StoredScan:
    """What reading a file gave, as stored: its paragraphs (line_no, text), its duplicate
    digests, and the document record's fields that depend only on the bytes."""
    paragraphs: pa.RecordBatch
    keys: DocumentKeys | None
    encoding: str | None
    n_chars: int
    read_warnings: list[str]


def _fixed_width(values: bytes, width: int, kind: pa.DataType) -> pa.Array:
    return pa.Array.from_buffers(kind, len(values) // width, [None, pa.py_buffer(values)])


def _column_bytes(column: pa.Array, width: int) -> bytes:
    return column.buffers()[1].to_pybytes()[column.offset * width:(column.offset + len(column)) * width]


def write_scan(path: Path, doc: Document, paragraphs: pa.RecordBatch, keys: DocumentKeys | None) -> None:
    """Store a readable document's scan at `path` (atomically)."""
    columns = list(paragraphs.columns)
    if keys is not None:
        columns += [_fixed_width(keys.exact, DIGEST_BYTES, pa.binary(DIGEST_BYTES)),
                    _fixed_width(keys.numbers, DIGEST_BYTES, pa.binary(DIGEST_BYTES)), _fixed_width(keys.prose, 1, pa.uint8())]
    schema = scan_schema(keys is not None)
    writer = CheckedWriter(path, schema, compress=doc.n_chars >= SCAN_COMPRESS_CHARS)
    try:
        writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
        writer.close_with({"encoding": doc.encoding, "n_chars": doc.n_chars, "read_warnings": doc.read_warnings,
                           "text_digest": keys.text.hex() if keys is not None else None})
    except BaseException:
        writer.discard()
        raise


def read_scan(path: Path, with_keys: bool) -> StoredScan:
    """The scan stored at `path`, its digest checked and its columns validated in full;
    DamagedEntry when it is not what write_scan wrote."""
    content = checked_content(path)
    try:
        encoding, n_chars, warnings, text_digest = (content["encoding"], content["n_chars"], content["read_warnings"],
                                                    content["text_digest"])
        if not (isinstance(encoding, (str, type(None))) and isinstance(n_chars, int)
                and isinstance(warnings, list) and all(isinstance(w, str) for w in warnings)):
            raise TypeError
        digest = bytes.fromhex(text_digest) if with_keys else b""
    except (ValueError, KeyError, TypeError):
        raise DamagedEntry(f"{path}: its trailer is not readable") from None
    with pa.OSFile(str(path)) as file:
        reader = pa.ipc.open_stream(file)
        batches = list(reader)
    if reader.schema != scan_schema(with_keys) or len(batches) != 1 or not batches[0].num_rows:
        raise DamagedEntry(f"{path}: not a scan of this pipeline version")
    batch = batches[0]
    batch.validate(full=True)
    if any(column.null_count for column in batch.columns) or len(digest) != (DIGEST_BYTES if with_keys else 0):
        raise DamagedEntry(f"{path}: not a scan of this pipeline version")
    keys = None
    if with_keys:
        keys = DocumentKeys(_column_bytes(batch.column("exact"), DIGEST_BYTES),
                            _column_bytes(batch.column("numbers"), DIGEST_BYTES), _column_bytes(batch.column("prose"), 1),
                            digest)
    return StoredScan(batch.select(["line_no", "text"]), keys, encoding, n_chars, warnings)


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

    def scan_path(self, key: str) -> Path:
        return self.folder / "scans" / key[:2] / f"{key}.arrow"

    def scan(self, key: str, with_keys: bool) -> StoredScan | None:
        """The checked scan for `key`, or None (missing or damaged: then said in `damaged`)."""
        path = self.scan_path(key)
        try:
            return read_scan(path, with_keys)
        except FileNotFoundError:
            return None
        except (DamagedEntry, pa.ArrowException) as exc:
            self.damaged.append(f"cache entry {exc} (read again)")
            _unlink(path)
            return None
        except OSError:
            return None

    def keep_scan(self, entry: Path, key: str) -> None:
        """Make a scan entry written by the run a cache entry too (a hard link, or a copy)."""
        self._place(self.scan_path(key), functools.partial(_link_or_copy, entry))

    def content_keys(self) -> set[str]:
        """The content part of every result key held (to tell, before deduplication, which
        documents will need analysis)."""
        return {path.name.split("-", 1)[0] for path in self.folder.glob("results/*/*.arrow")}

    def keep(self, entry: Path, key: str) -> None:
        """Make a finished entry of the run a cache entry too (a hard link, or a copy)."""
        self._place(self.result_path(key), functools.partial(_link_or_copy, entry))

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

    def prune(self, results: set[str], scans: set[str]) -> None:
        """Keep only the result and scan entries this run used, and drop files of older
        formats (pickles): the default cache of an output folder holds what its output
        needs, and does not grow with every change of the input."""
        for kind, used in (("results", results), ("scans", scans)):
            for path in self.folder.glob(f"{kind}/*/*.arrow"):
                if path.stem not in used:
                    _unlink(path)
        for path in self.folder.glob("*.pkl"):
            _unlink(path)


def _link_or_copy(entry: Path, temp: Path) -> None:
    try:
        os.link(entry, temp)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        shutil.copyfile(entry, temp)


def _canonical(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
