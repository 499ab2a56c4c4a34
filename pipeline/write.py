"""Stage 5: typed Parquet tables and the manifest, published together or not at all.

The tables are written row group by row group as the documents' rows come (the run never
holds them all), into a fresh folder beside the output folder, which is then swapped with
the old one in one atomic exchange (renameat2 on Linux), so a reader or a killed run never
sees a half-written or mixed output. Two layouts: `files` (one Parquet file a table, written
by the run) and `dataset` (a folder of parts a table, one or more a shard, written by the
shards' own tasks, for readers that scan a folder).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.outfolder import MANIFEST, OUTPUT_NAMES, file_sha256, target

ROW_GROUP_ROWS = 131_072           # a row group is written once it holds this many rows ...
ROW_GROUP_BYTES = 32 * 2**20       # ... or this much data: memory stays flat on dense text
PART_BYTES = 256 * 2**20           # dataset layout: a shard's part is cut after this much
COMPACT_BATCHES = 256              # small batches waiting for a row group are copied into one this often

def arrow_without_pandas() -> None:
    """pyarrow imports pandas (a quarter of a second) on its first array made from a Python
    list, only to ask whether the list is a pandas object, which ours never are. That first
    look is made here while pandas cannot be imported, so the run never imports it; pyarrow
    tries again whenever something really asks it for pandas."""
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _NoPandas)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(_NoPandas)


class _NoPandas:
    """An import finder that refuses pandas."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not imported here")


def _field(name: str, kind: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, kind, nullable=nullable, metadata={"description": description})


S, I32, I64, F64, B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        _field("doc_id", S, "Document id: a digest of source path and content, stable across runs", False),
        _field("source", S, "Path of the file relative to the INPUT it came from", False),
        _field("sha256", S, "SHA-256 of the file's bytes (empty when the file could not be read)", False),
        _field("encoding", S, "Encoding the text was decoded from (utf-8, utf-8-sig, cp949, euc-kr, utf-16-le ...)"),
        _field("n_bytes", I64, "Size of the file in bytes", False),
        _field("n_chars", I64, "Characters of text after normalisation, over all paragraphs", False),
        _field("n_paragraphs", I32, "Paragraphs in the document: non-blank lines, a line over 4,000 characters "
                                    "giving several", False),
        _field("n_duplicate_paragraphs", I32, "Paragraphs that repeat an earlier paragraph of the run", False),
        _field("duplicate_of", S, "doc_id of an earlier document with the same text (its paragraphs all repeat "
                                  "that document's), else null"),
        _field("n_metrics", I32, "Metric rows extracted from the document", False),
        _field("n_projects", I32, "Project rows extracted from the document", False),
        _field("status", S, "ok, or error when the document could not be processed", False),
        _field("error", S, "One-line reason when status is error, else null"),
        _field("warnings", I32, "What could not be read for sure (a table row that does not add up, a unit "
                                "note the header contradicts), each also printed on stderr with its line", False),
        _field("year", I32, "The document's own year, that 올해, 내년 and 지난해 count from, else null"),
        _field("year_source", S, "How the year is known: given (--doc-year), text (a dateline, else the title) "
                                 "or name (a year in the file name); null with no year"),
    ]),
    "paragraphs": pa.schema([
        _field("doc_id", S, "Document the paragraph belongs to", False),
        _field("para_idx", I32, "Position of the paragraph in its document, from 0", False),
        _field("line_no", I32, "Line of the source file the paragraph is on, from 1 (the pieces of a long line "
                               "share it)", False),
        _field("text", S, "Paragraph text after normalisation; every char_start/char_end refers to it", False),
        _field("n_chars", I32, "Length of text in characters", False),
        _field("duplicate_of_doc", S, "doc_id of the earlier paragraph this one repeats, else null"),
        _field("duplicate_of_para", I32, "para_idx of the earlier paragraph this one repeats, else null"),
        _field("duplicate_kind", S, "exact or near when the paragraph is a duplicate, else null"),
    ]),
    "metrics": pa.schema([
        _field("metric_id", S, "Metric id: doc_id, then m and the row's number in the document", False),
        _field("doc_id", S, "Document the metric comes from", False),
        _field("para_idx", I32, "Paragraph the metric comes from", False),
        _field("sent_idx", I32, "Sentence within the paragraph, from 0", False),
        _field("subject", S, "Shortest noun phrase naming what is measured"),
        _field("indicator", S, "Canonical indicator name from the rules when the subject matches one"),
        _field("value", F64, "The figure in its base unit (4천772억원 is 477200000000)", False),
        _field("value_max", F64, "Upper bound of a range (3~5개소), else null"),
        _field("unit", S, "Canonical unit: 원, 명, %, %p, ㎡, km, 개 ... (empty when a table gives none)", False),
        _field("unit_category", S, "money, people, percent, points, area, length, weight, time, count or score", False),
        _field("qualifier", S, "approx, at_least, at_most, more_than or less_than, else null"),
        _field("raw_text", S, "The number and unit as written; equals text[char_start:char_end], but for a "
                              "figure a wrapped page cut across two lines (the span is its first line's part)", False),
        _field("prev_value", F64, "Earlier figure the value is compared with, in the same unit"),
        _field("change_value", F64, "Signed change from the earlier figure, in the value's unit"),
        _field("change_pct", F64, "Signed change in percent"),
        _field("direction", S, "increase or decrease when the text says so, else null"),
        _field("period", S, "Period word or year the value belongs to, as written (올해, 2018년)"),
        _field("prev_period", S, "Period word of the earlier figure, as written (지난해)"),
        _field("project_id", S, "Project whose item the number sits in, else null"),
        _field("char_start", I32, "Start of raw_text in the paragraph text", False),
        _field("char_end", I32, "End of raw_text in the paragraph text", False),
        _field("sentence", S, "The whole sentence (or table line) the number is in", False),
        _field("source_kind", S, "text (a sentence), table (a cell of a text table), calculation (a result of "
                                 "factors, after or before =), unit_price (a factor written with a unit of money) "
                                 "or share (a funding share of a budget row or item)",
               False),
        _field("rule_id", S, "Ids of the rules that produced the row, joined with ;", False),
        _field("table_id", I32, "The table of the document the figure is a cell of (1, 2 ...), else null"),
        _field("row_label", S, "The table row's label as written (its code apart), else null"),
        _field("column_label", S, "The table column's header as written (its group first), or the funding "
                                  "source of a share, else null"),
        _field("row_level", I32, "Depth of the table row in a budget book's hierarchy (1 at the top: 부서 or 장), "
                                 "else null"),
        _field("is_total", B, "True for a 합계 / 계 / 총계 / 소계 row or a 계 column, whose value sums other rows", False),
        _field("calculation", S, "The factors of a 산출기초 result as written (28,800 X 1인 X 232일), else null"),
        _field("unit_note", S, "The unit note or header unit a bare table figure was scaled by (천원), else null"),
        _field("year", I32, "The year the value belongs to, else null"),
        _field("prev_year", I32, "The year of the earlier figure, else null"),
        _field("speaker", S, "In minutes, the title and name of the speaker whose turn the figure is in "
                             "(위원장 염태준), else null"),
    ]),
    "projects": pa.schema([
        _field("project_id", S, "Project id: doc_id, then p and the row's number in the document", False),
        _field("doc_id", S, "Document the project comes from", False),
        _field("para_idx", I32, "Paragraph of the item's marker", False),
        _field("sent_idx", I32, "Sentence of the item's marker within the paragraph", False),
        _field("item_idx", I32, "Order of the item within its section (and parent), from 0", False),
        _field("marker", S, "The bullet marker as written (△, ▷, ○, -, 1. ...)", False),
        _field("level", I32, "Nesting depth of the item, 1 for top-level items", False),
        _field("section", S, "Lead-in or heading the item belongs to, without its particle; null when none"),
        _field("parent_id", S, "project_id of the enclosing item in nested lists, else null"),
        _field("name", S, "The item without marker, trailing particles, figures or predicate", False),
        _field("detail", S, "What the item's clause adds after the name, else null"),
        _field("action", S, "Action noun of the item from the rules (건립, 조성, 확대 ...)"),
        _field("status", S, "Status word of the item from the rules (예정, 추진, 완료 ...)"),
        _field("char_start", I32, "Start of the item (its marker) in the paragraph text", False),
        _field("char_end", I32, "End of the item in the paragraph text; name lies inside", False),
        _field("sentence", S, "The whole sentence the item is in", False),
        _field("rule_id", S, "Ids of the rules that produced the row, joined with ;", False),
    ]),
}


def record_batch(name: str, records: list[Any]) -> pa.RecordBatch:
    """Records as a batch of the table's schema, column by column from their attributes."""
    schema = SCHEMAS[name]
    return pa.RecordBatch.from_arrays([pa.array([getattr(r, f.name) for r in records], type=f.type) for f in schema],
                                      schema=schema)


def paragraph_batch(doc_id: str, stored: pa.RecordBatch, marks: list[tuple[int, str, int, str]]) -> pa.RecordBatch:
    """A document's rows of the paragraphs table: its stored paragraphs (line_no, text) and
    its duplicate marks (paragraph, doc_id and paragraph of the original, kind)."""
    n = stored.num_rows
    of_doc: list[str | None] = [None] * n
    of_para: list[int | None] = [None] * n
    kind: list[str | None] = [None] * n
    for para, doc, at, how in marks:
        of_doc[para], of_para[para], kind[para] = doc, at, how
    columns = {"doc_id": pa.array([doc_id] * n, pa.string()), "para_idx": pa.array(range(n), pa.int32()),
               "line_no": stored.column("line_no"), "text": stored.column("text"),
               "n_chars": pc.utf8_length(stored.column("text")).cast(pa.int32()),
               "duplicate_of_doc": pa.array(of_doc, pa.string()), "duplicate_of_para": pa.array(of_para, pa.int32()),
               "duplicate_kind": pa.array(kind, pa.string())}
    schema = SCHEMAS["paragraphs"]
    return pa.RecordBatch.from_arrays([columns[f.name] for f in schema], schema=schema)


class TableWriter:
    """One table written as its rows come: batches gather into row groups of a bounded size,
    so that memory does not grow with the table. Without a shard, one file (`name.parquet`);
    with one, that shard's parts of the table's dataset folder (`name/part-00003-000.parquet` …,
    cut again when a part is large), which shards can write side by side."""

    def __init__(self, folder: Path, name: str, shard: int | None = None) -> None:
        self.folder, self.name, self.shard = folder, name, shard
        self.schema = SCHEMAS[name]
        self.files: list[str] = []
        self.rows = 0
        self._pending: list[pa.RecordBatch] = []        # compacted batches, then the last small ones
        self._small = 0                                  # how many small ones end the list
        self._pending_rows = self._pending_bytes = self._part_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        if shard is not None:
            (folder / name).mkdir(exist_ok=True)

    def write(self, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        self._pending.append(batch)
        self._small += 1
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        if self._small >= COMPACT_BATCHES:
            self._compact()
        if self._pending_rows >= ROW_GROUP_ROWS or self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()
            if self.shard is not None and self._part_bytes >= PART_BYTES:
                self._close_part()

    def _compact(self) -> None:
        """The last small batches copied into one: a document's few rows come as a batch of
        their own whose buffers (and the entry they were read from) cost far more than the
        rows, and a row group gathers tens of thousands of them."""
        small = self._pending[-self._small:]
        merged = pa.Table.from_batches(small, schema=self.schema).combine_chunks().to_batches()
        self._pending[-self._small:] = merged
        self._small = 0

    def close(self, empty: bool = True) -> list[str]:
        """Write what is left; the files written, relative to the folder. `empty`: a table
        without rows is one file without rows, so that readers always find it."""
        self._flush()
        if self._writer is None and not self.files and empty:
            self._open()
        self._close_part()
        return self.files

    def _open(self) -> None:
        relative = (f"{self.name}.parquet" if self.shard is None
                    else f"{self.name}/part-{self.shard:05d}-{len(self.files):03d}.parquet")
        self.files.append(relative)
        self._writer = pq.ParquetWriter(self.folder / relative, self.schema, compression="zstd")

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._open()
        assert self._writer is not None
        table = pa.Table.from_batches(self._pending, schema=self.schema)
        self._writer.write_table(table, row_group_size=table.num_rows)
        self.rows += table.num_rows
        self._part_bytes += self._pending_bytes
        self._pending, self._small, self._pending_rows, self._pending_bytes = [], 0, 0, 0

    def _close_part(self) -> None:
        if self._writer is not None:
            self._writer.close()
            _fsync(self.folder / self.files[-1])
            self._writer, self._part_bytes = None, 0


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so that a crash of the machine cannot publish empty files."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(out: Path) -> None:
    """Remove what killed runs left beside `out`: staging and work folders (`.NAME.new-PID-…`,
    `.NAME.work-PID-…`) and swapped-out old outputs (`.NAME.old-PID`) of processes that are gone. An old output is put
    back instead when `out` is missing (a run killed between the two renames of the fallback)."""
    for prefix in (f".{out.name}.old-", f".{out.name}.new-", f".{out.name}.work-"):
        try:
            candidates = sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix))
        except OSError:
            return
        for path in candidates:
            pid = path.name[len(prefix):].split("-")[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            if prefix.endswith(".old-") and not out.exists() and not out.is_symlink():
                os.rename(path, out)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Staging:
    """The output being built in a fresh folder beside `out` (`.NAME.new-PID-…`): `publish`
    swaps it in whole; leaving the `with` block removes whatever is left of it. What killed
    runs left beside `out` is cleaned up first."""

    def __init__(self, out: Path) -> None:
        self.out = target(out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.out)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-{os.getpid()}-", dir=self.out.parent))
        os.chmod(self.path, (self.out.stat().st_mode & 0o7777) if self.out.is_dir() else 0o777 & ~_umask())

    def publish(self, manifest: dict[str, Any]) -> dict[str, str]:
        """Write the manifest, then swap the folder in; files of others in `out` are kept.
        Returns the sha256 of every file published (relative path -> digest).

        At every moment `out` is either the complete old output or the complete new one: a
        run killed while writing leaves a staging folder beside it, removed by the next run.
        """
        out, staging = self.out, self.path
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
        _fsync(staging / MANIFEST)
        published = {str(p.relative_to(staging)): file_sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        for folder in {staging / Path(name).parent for name in published}:
            _fsync(folder)
        try:
            if not out.exists():
                _fsync(staging)
                os.rename(staging, out)
                _fsync(out.parent)
                return published
            for child in out.iterdir():
                if child.name not in OUTPUT_NAMES:
                    if child.is_symlink():
                        os.symlink(os.readlink(child), staging / child.name)
                    elif child.is_dir():
                        shutil.copytree(child, staging / child.name, symlinks=True, copy_function=os.link)
                    else:
                        os.link(child, staging / child.name)
            _fsync(staging)
            if not _exchange(staging, out):
                old = out.with_name(f".{out.name}.old-{os.getpid()}")
                os.rename(out, old)
                os.rename(staging, out)
                self.path = old
            _fsync(out.parent)
            return published
        finally:
            shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
