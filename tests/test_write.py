"""Stage 5 in-process: tables and manifest published together, or not at all (issue 8)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import write
from pipeline.records import Document, DocumentResult, Metric, Paragraph
from pipeline.outfolder import TABLE_FILES
from pipeline.write import build_tables, check_rows, publish


def _output(n_docs: int) -> tuple[dict, dict]:
    docs = [Document(f"d{i}", f"{i}.txt", f"/in/{i}.txt", "0" * 64, "utf-8", 3, 1, n_bytes=9) for i in range(n_docs)]
    paragraphs = [Paragraph(d.doc_id, 0, 1, "3억원") for d in docs]
    metrics = [_metric(d.doc_id) for d in docs]
    tables = build_tables(docs, paragraphs, metrics, [])
    manifest = {"inputs": [{"doc_id": d.doc_id} for d in docs],
                "row_counts": {name: t.num_rows for name, t in tables.items()}}
    return tables, manifest


def _metric(doc_id: str, **changes) -> Metric:
    fields = dict(metric_id=f"{doc_id}-m00000", doc_id=doc_id, para_idx=0, sent_idx=0, subject=None, value=3e8,
                  value_max=None, unit="원", unit_category="money", qualifier=None, raw_text="3억원", prev_value=None,
                  change_value=None, change_pct=None, direction=None, period=None, prev_period=None, indicator=None,
                  project_id=None, char_start=0, char_end=3, sentence="3억원", source_kind="text", rule_id="unit.won")
    fields.update(changes)
    return Metric(**fields)


def _read(out: Path) -> tuple[int, dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = {name: pq.read_table(out / f"{name}.parquet").num_rows for name in manifest["row_counts"]}
    assert counts == manifest["row_counts"]
    return counts["documents"], manifest


def _beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_first_publish_creates_the_folder_with_everything(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    publish(out, *_output(2))
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLE_FILES)
    assert _read(out)[0] == 2
    assert out.stat().st_mode & 0o777 == 0o777 & ~_umask()      # not mkdtemp's 0700
    assert _beside(out) == []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_publishing_again_replaces_the_tables_and_keeps_the_files_of_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, *_output(1))
    (out / ".cache" / "ab").mkdir(parents=True)
    (out / ".cache" / "ab" / "x.pkl").write_bytes(b"cached")
    (out / "notes.md").write_text("mine")
    (out / "link").symlink_to("notes.md")
    out.chmod(0o750)
    publish(out, *_output(3))
    assert _read(out)[0] == 3
    assert (out / ".cache" / "ab" / "x.pkl").read_bytes() == b"cached"
    assert (out / "notes.md").read_text() == "mine" and os.readlink(out / "link") == "notes.md"
    assert out.stat().st_mode & 0o777 == 0o750
    assert _beside(out) == []


def test_the_same_tables_give_byte_identical_files(tmp_path: Path) -> None:
    publish(tmp_path / "a", *_output(3))
    publish(tmp_path / "b", *_output(3))
    for name in TABLE_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_failure_while_writing_leaves_the_previous_output_and_no_litter(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    publish(out, *_output(1))
    before = {name: (out / name).read_bytes() for name in TABLE_FILES}
    real = write.pq.write_table
    calls = []

    def failing(table, where, **kwargs):
        calls.append(where)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(table, where, **kwargs)
    monkeypatch.setattr(write.pq, "write_table", failing)
    with pytest.raises(OSError):
        publish(out, *_output(5))
    assert {name: (out / name).read_bytes() for name in TABLE_FILES} == before
    assert _beside(out) == []


def test_without_an_atomic_exchange_the_fallback_still_publishes_whole(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    publish(out, *_output(1))
    (out / "notes.md").write_text("mine")
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    publish(out, *_output(4))
    assert _read(out)[0] == 4 and (out / "notes.md").read_text() == "mine"
    assert _beside(out) == []


def test_a_symlinked_output_folder_is_replaced_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "real"
    publish(real, *_output(1))
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    publish(link, *_output(2))
    assert link.is_symlink() and _read(real)[0] == 2
    assert _beside(real) == [] and _beside(link) == []


def test_what_killed_runs_left_beside_the_output_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, *_output(1))
    dead = subprocess.Popen(["true"])
    dead.wait()
    for name in (f".out.new-{dead.pid}-k2j3", f".out.old-{dead.pid}", f".out.new-{os.getpid()}-alive"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "documents.parquet").write_bytes(b"half")
    (tmp_path / ".outer.new-1-x").mkdir()                       # another folder's: not ours to touch
    publish(out, *_output(2))
    assert _beside(out) == [f".out.new-{os.getpid()}-alive"]   # a live process's may be in use
    assert (tmp_path / ".outer.new-1-x").exists()


def test_rows_that_do_not_fit_the_tables_are_caught_per_document() -> None:
    check_rows(DocumentResult(metrics=[_metric("d")]))
    with pytest.raises(Exception):
        check_rows(DocumentResult(metrics=[_metric("d", raw_text="bad \udcff text")]))
    with pytest.raises(Exception):
        check_rows(DocumentResult(metrics=[_metric("d", char_end=2**40)]))


def test_an_old_output_left_aside_by_a_killed_fallback_swap_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, *_output(1))
    dead = subprocess.Popen(["true"])
    dead.wait()
    os.rename(out, tmp_path / f".out.old-{dead.pid}")        # killed between the two renames
    write._clean_leftovers(out)
    assert _read(out)[0] == 1 and _beside(out) == []
    os.rename(out, tmp_path / f".out.old-{dead.pid}")
    publish(out, *_output(2))
    assert _read(out)[0] == 2 and _beside(out) == []


def test_a_document_whose_rows_cannot_be_written_fails_alone(tmp_path: Path) -> None:
    import pickle

    from pipeline.execute import RunOptions, cache_key, run
    from pipeline.ingest import Source, read_document
    from pipeline.rules import load_rules

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("가나다 라마바\n", encoding="utf-8")       # nothing to analyse: no model load
    (folder / "b.txt").write_text("사아자 차카타\n", encoding="utf-8")
    rules, cache = load_rules(), tmp_path / "cache"
    cache.mkdir()
    doc, paragraphs = read_document(Source(folder / "a.txt", "a.txt"))
    bad = DocumentResult(metrics=[_metric(doc.doc_id, raw_text="\udcff")])   # not storable text
    (cache / f"{cache_key(doc, paragraphs, rules.digest)}.pkl").write_bytes(pickle.dumps(bad))
    summary = run(RunOptions([folder], tmp_path / "out", rules, jobs=1, cache_dir=cache))
    assert summary.failures == 1 and summary.metrics == 0
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert [(d["source"], d["status"]) for d in docs] == [("a.txt", "error"), ("b.txt", "ok")]
    assert docs[0]["error"].startswith("writing failed: UnicodeEncodeError")
