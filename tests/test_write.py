"""Stage 5 in-process: tables written as their rows come, in either layout, and published
with the manifest together, or not at all."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline import write
from pipeline.outfolder import TABLES
from pipeline.records import Document, Metric
from pipeline.write import SCHEMAS, Staging, TableWriter, paragraph_batch, record_batch


def _docs(n: int) -> list[Document]:
    return [Document(f"d{i}", f"{i}.txt", f"/in/{i}.txt", "0" * 64, "utf-8", 3, 1, n_bytes=9) for i in range(n)]


def metric(doc_id: str, k: int = 0, **changes) -> Metric:
    fields = dict(metric_id=f"{doc_id}-m{k:05d}", doc_id=doc_id, para_idx=0, sent_idx=0, subject=None, value=3e8,
                  value_max=None, unit="원", unit_category="money", qualifier=None, raw_text="3억원", prev_value=None,
                  change_value=None, change_pct=None, direction=None, period=None, prev_period=None, indicator=None,
                  project_id=None, char_start=0, char_end=3, sentence="3억원", source_kind="text", rule_id="unit.won")
    fields.update(changes)
    return Metric(**fields)


def _publish(out: Path, n_docs: int, layout: str = "files", shards: int = 1) -> dict[str, str]:
    """Every table from `n_docs` documents of one metric each, in `shards` shards."""
    with Staging(out) as staging:
        return _write(staging, n_docs, layout, shards)


def _write(staging: Staging, n_docs: int, layout: str, shards: int) -> dict[str, str]:
    docs = _docs(n_docs)
    per_shard = -(-n_docs // shards)
    whole = {name: TableWriter(staging.path, name) for name in TABLES}
    files: dict[str, list[str]] = {name: [] for name in TABLES}
    rows = dict.fromkeys(TABLES, 0)
    for shard, first in enumerate(range(0, n_docs, per_shard)):
        part = docs[first:first + per_shard]
        writers = whole if layout == "files" else {name: TableWriter(staging.path, name, shard) for name in TABLES}
        writers["documents"].write(record_batch("documents", part))
        writers["metrics"].write(record_batch("metrics", [metric(d.doc_id) for d in part]))
        if layout == "dataset":
            for name, writer in writers.items():
                files[name] += writer.close(empty=False)
                rows[name] += writer.rows
    for name in TABLES:
        if layout == "files":
            files[name], rows[name] = whole[name].close(), whole[name].rows
        files[name] = files[name] or TableWriter(staging.path, name, 0).close()
    return staging.publish({"row_counts": rows, "files": files})


def _read(out: Path) -> tuple[int, dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = {name: sum(pq.read_metadata(out / f).num_rows for f in manifest["files"][name]) for name in TABLES}
    assert counts == manifest["row_counts"]
    return counts["documents"], manifest


def _beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_first_publish_creates_the_folder_with_everything(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    published = _publish(out, 2)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.parquet" for t in TABLES] + ["manifest.json"])
    assert sorted(published) == sorted(p.name for p in out.iterdir())
    assert _read(out)[0] == 2
    assert out.stat().st_mode & 0o777 == 0o777 & ~_umask()      # not mkdtemp's 0700
    assert _beside(out) == []


def test_publishing_again_replaces_the_tables_and_keeps_the_files_of_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, 1)
    (out / ".cache" / "ab").mkdir(parents=True)
    (out / ".cache" / "ab" / "x.arrow").write_bytes(b"cached")
    (out / "notes.md").write_text("mine")
    (out / "link").symlink_to("notes.md")
    out.chmod(0o750)
    _publish(out, 3)
    assert _read(out)[0] == 3
    assert (out / ".cache" / "ab" / "x.arrow").read_bytes() == b"cached"
    assert (out / "notes.md").read_text() == "mine" and os.readlink(out / "link") == "notes.md"
    assert out.stat().st_mode & 0o777 == 0o750
    assert _beside(out) == []


def test_a_change_of_layout_leaves_no_table_of_the_other_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, 2, "dataset")
    assert (out / "metrics" / "part-00000-000.parquet").is_file()
    _publish(out, 2, "files")
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.parquet" for t in TABLES] + ["manifest.json"])
    _publish(out, 2, "dataset")
    assert not list(out.glob("*.parquet"))


def test_the_same_tables_give_byte_identical_files(tmp_path: Path) -> None:
    for layout in ("files", "dataset"):
        a, b = _publish(tmp_path / f"a-{layout}", 5, layout, 2), _publish(tmp_path / f"b-{layout}", 5, layout, 2)
        assert a == b


def test_the_dataset_layout_has_a_part_a_shard_with_the_same_schemas_read_by_any_reader(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, 6, "dataset", shards=3)
    count, manifest = _read(out)
    assert count == 6
    assert manifest["files"]["metrics"] == [f"metrics/part-{i:05d}-000.parquet" for i in range(3)]
    assert manifest["files"]["projects"] == ["projects/part-00000-000.parquet"]      # no rows: one empty part
    for name in TABLES:
        table = ds.dataset(out / name, format="parquet").to_table()
        assert table.schema == SCHEMAS[name] and all(f.metadata[b"description"] for f in table.schema)
    ids = duckdb.sql(f"SELECT doc_id FROM read_parquet('{out}/metrics/*.parquet')").fetchall()
    assert [i for (i,) in ids] == [f"d{i}" for i in range(6)]              # in order across parts
    assert pq.read_table(out / "projects").num_rows == 0


def test_rows_are_written_in_row_groups_of_bounded_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "ROW_GROUP_ROWS", 4)
    (tmp_path / "t").mkdir()
    writer = TableWriter(tmp_path / "t", "metrics")
    for k in range(10):
        writer.write(record_batch("metrics", [metric("d", k)]))
    assert writer.close() == ["metrics.parquet"]
    meta = pq.read_metadata(tmp_path / "t" / "metrics.parquet")
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4, 4, 2]
    assert pq.read_table(tmp_path / "t" / "metrics.parquet").column("metric_id").to_pylist() == \
        [f"d-m{k:05d}" for k in range(10)]


def test_many_small_batches_waiting_for_a_row_group_are_compacted(tmp_path: Path) -> None:
    """Each document's few rows come as a batch of their own; tens of thousands of them wait
    for one row group. Copied into one batch as they gather, they cost what their rows cost."""
    (tmp_path / "t").mkdir()
    writer = TableWriter(tmp_path / "t", "metrics")
    before = pa.total_allocated_bytes()
    for k in range(3000):
        writer.write(record_batch("metrics", [metric(f"d{k}", 0)]))
    waiting = pa.total_allocated_bytes() - before
    rows = pa.Table.from_batches([record_batch("metrics", [metric(f"d{k}", 0) for k in range(3000)])])
    assert waiting < 2 * rows.nbytes + write.COMPACT_BATCHES * 8192
    writer.close()
    assert pq.read_table(tmp_path / "t" / "metrics.parquet").equals(pq.read_table(
        _written(tmp_path / "u", rows)))


def _written(folder: Path, rows: pa.Table) -> Path:
    folder.mkdir()
    writer = TableWriter(folder, "metrics")
    for batch in rows.to_batches():
        writer.write(batch)
    writer.close()
    return folder / "metrics.parquet"


def test_a_failure_while_writing_leaves_the_previous_output_and_no_litter(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _publish(out, 1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = write.pq.ParquetWriter
    calls = []

    def failing(where, *args, **kwargs):
        calls.append(where)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(where, *args, **kwargs)
    monkeypatch.setattr(write.pq, "ParquetWriter", failing)
    with pytest.raises(OSError):
        _publish(out, 5)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _beside(out) == []


def test_without_an_atomic_exchange_the_fallback_still_publishes_whole(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _publish(out, 1)
    (out / "notes.md").write_text("mine")
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    _publish(out, 4)
    assert _read(out)[0] == 4 and (out / "notes.md").read_text() == "mine"
    assert _beside(out) == []


def test_a_symlinked_output_folder_is_replaced_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _publish(real, 1)
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    _publish(link, 2)
    assert link.is_symlink() and _read(real)[0] == 2
    assert _beside(real) == [] and _beside(link) == []


def test_what_killed_runs_left_beside_the_output_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, 1)
    dead = subprocess.Popen(["true"])
    dead.wait()
    for name in (f".out.new-{dead.pid}-k2j3", f".out.old-{dead.pid}", f".out.work-{dead.pid}-x1",
                 f".out.new-{os.getpid()}-alive"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "documents.parquet").write_bytes(b"half")
    (tmp_path / ".outer.new-1-x").mkdir()                       # another folder's: not ours to touch
    _publish(out, 2)
    assert _beside(out) == [f".out.new-{os.getpid()}-alive"]   # a live process's may be in use
    assert (tmp_path / ".outer.new-1-x").exists()


def test_an_old_output_left_aside_by_a_killed_fallback_swap_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out, 1)
    dead = subprocess.Popen(["true"])
    dead.wait()
    os.rename(out, tmp_path / f".out.old-{dead.pid}")        # killed between the two renames
    write.clean_leftovers(out)
    assert _read(out)[0] == 1 and _beside(out) == []
    os.rename(out, tmp_path / f".out.old-{dead.pid}")
    _publish(out, 2)
    assert _read(out)[0] == 2 and _beside(out) == []


def test_rows_that_do_not_fit_the_tables_raise_when_their_batch_is_made() -> None:
    record_batch("metrics", [metric("d")])
    with pytest.raises(Exception):
        record_batch("metrics", [metric("d", raw_text="bad \udcff text")])
    with pytest.raises(Exception):
        record_batch("metrics", [metric("d", char_end=2**40)])


def test_a_document_gives_its_paragraph_rows_with_the_marks_of_its_duplicates() -> None:
    stored = pa.record_batch([pa.array([1, 2, 4], pa.int32()), pa.array(["가나", "다라마", "가나"])],
                             names=["line_no", "text"])
    batch = paragraph_batch("d2", stored, [(2, "d1", 7, "exact")])
    assert batch.schema == SCHEMAS["paragraphs"]
    assert batch.to_pylist() == [
        {"doc_id": "d2", "para_idx": 0, "line_no": 1, "text": "가나", "n_chars": 2, "duplicate_of_doc": None,
         "duplicate_of_para": None, "duplicate_kind": None},
        {"doc_id": "d2", "para_idx": 1, "line_no": 2, "text": "다라마", "n_chars": 3, "duplicate_of_doc": None,
         "duplicate_of_para": None, "duplicate_kind": None},
        {"doc_id": "d2", "para_idx": 2, "line_no": 4, "text": "가나", "n_chars": 2, "duplicate_of_doc": "d1",
         "duplicate_of_para": 7, "duplicate_kind": "exact"}]


def test_a_run_never_imports_pandas_yet_pyarrow_still_gives_it_when_asked(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("관악구 청년주택 120호를 공급한다. 사업비는 48억원이다.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.run import RunOptions, run\n"
        f"summary = run(RunOptions([Path({str(tmp_path / 'in')!r})], Path({str(tmp_path / 'out')!r}), jobs=2))\n"
        "print(summary.metrics, 'pandas' in sys.modules)\n"
        "import pyarrow.parquet as pq\n"
        f"frame = pq.read_table({str(tmp_path / 'out' / 'metrics.parquet')!r}).to_pandas()\n"
        "print(len(frame), type(frame).__name__)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["2 False", "2 DataFrame"]
