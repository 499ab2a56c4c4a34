"""The cache cannot lie or run code: entries are Arrow IPC with a digest checked on read; a
damaged one is a miss and a warning; a full disk stops the run's writing to it."""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import pyarrow as pa

from pipeline.cache import Cache, DamagedEntry, ResultWriter, check_entry, read_scan, scan_key, write_scan
from pipeline.dedup import DocumentKeys, document_keys
from pipeline.records import Document, Paragraph, Project
from test_write import metric


def _project(k: int) -> Project:
    return Project(project_id=f"d-p{k:05d}", doc_id="d", para_idx=0, sent_idx=0, item_idx=k, marker="△", section=None,
                   parent_id=None, level=1, name=f"사업{k}", detail=None, action=None, status=None, char_start=0,
                   char_end=3, sentence="△사업", rule_id="marker.triangle")


def _entry(path: Path, chunks: int = 2, warnings: tuple[str, ...] = ("line 3: a warning",),
           compress: bool = False) -> dict[str, int]:
    writer = ResultWriter(path, compress)
    for c in range(chunks):
        writer.add([metric("d", 10 * c + k) for k in range(3)], [_project(c)])
    return writer.close(list(warnings))


@pytest.mark.parametrize("compress", [False, True])
def test_an_entry_gives_back_its_rows_chunk_by_chunk_with_counts_and_warnings(tmp_path: Path, compress: bool) -> None:
    counts = _entry(tmp_path / "e.arrow", compress=compress)
    assert counts == {"metrics": 6, "projects": 2, "warnings": 1}
    entry = check_entry(tmp_path / "e.arrow")
    assert entry.counts == counts and entry.warnings == ["line 3: a warning"]
    chunks = list(entry.chunks())
    assert [(c["metrics"].num_rows, c["projects"].num_rows) for c in chunks] == [(3, 1), (3, 1)]
    assert [m for c in chunks for m in c["metrics"].column("metric_id").to_pylist()] == \
        [f"d-m{k:05d}" for k in (0, 1, 2, 10, 11, 12)]
    assert chunks[1]["projects"].to_pylist()[0]["name"] == "사업1"
    assert not list(tmp_path.glob(".tmp-*"))


@pytest.mark.parametrize("where", [0, 100, 1000, -200, -20, -3])
def test_one_flipped_byte_anywhere_is_found(tmp_path: Path, where: int) -> None:
    path = tmp_path / "e.arrow"
    _entry(path)
    data = bytearray(path.read_bytes())
    data[where] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedEntry):
        check_entry(path)


def test_a_cut_entry_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "e.arrow"
    _entry(path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(DamagedEntry):
        check_entry(path)


def test_a_damaged_cache_entry_is_a_miss_said_as_a_warning_and_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    path = cache.result_path("ab" + "0" * 38)
    _entry(path)
    assert cache.result("ab" + "0" * 38) is not None
    data = bytearray(path.read_bytes())
    data[300] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cache.result("ab" + "0" * 38) is None
    assert len(cache.damaged) == 1 and "digest does not match" in cache.damaged[0] and str(path) in cache.damaged[0]
    assert not path.exists()


def test_the_record_of_the_last_run_is_json_with_a_digest(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.last_run() is None
    cache.write_last_run({"key": "k", "published": {"a.parquet": "00"}, "summary": {"documents": 3}})
    assert cache.last_run() == {"key": "k", "published": {"a.parquet": "00"}, "summary": {"documents": 3}}
    path = tmp_path / "runs" / "last.json"
    stored = json.loads(path.read_text())
    stored["body"]["summary"]["documents"] = 4                 # edited by hand: the digest no longer holds
    path.write_text(json.dumps(stored))
    assert cache.last_run() is None and cache.damaged and not path.exists()


def test_a_full_disk_stops_caching_once_and_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache")
    _entry(tmp_path / "e.arrow")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "link", full)
    cache.keep(tmp_path / "e.arrow", "ab" + "1" * 38)
    cache.keep(tmp_path / "e.arrow", "ab" + "2" * 38)
    assert cache.full == (f"the cache folder {tmp_path / 'cache'} is full (No space left on device): "
                          "the rest of this run is not cached")
    assert not list((tmp_path / "cache").rglob("*.arrow")) and not list((tmp_path / "cache").rglob(".tmp-*"))


def test_what_a_failed_run_cached_is_taken_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    _entry(tmp_path / "e.arrow")
    cache.keep(tmp_path / "e.arrow", "ab" + "3" * 38)
    cache.write_last_run({"published": {}, "summary": {}})
    assert len(list((tmp_path / "cache").rglob("*.*"))) == 2
    cache.forget_written()
    assert not list((tmp_path / "cache").rglob("*.*"))


def test_pruning_keeps_what_the_run_used_and_drops_pickles(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    _entry(tmp_path / "e.arrow")
    for key in ("ab" + "4" * 38, "cd" + "5" * 38):
        cache.keep(tmp_path / "e.arrow", key)
    cache.write_last_run({})
    (tmp_path / "cache" / "old.pkl").write_bytes(b"\x80\x04")
    write_scan(tmp_path / "s.arrow", *_scan())
    for key in ("ef" + "6" * 38, "01" + "7" * 38):
        cache.keep_scan(tmp_path / "s.arrow", key)
    cache.prune({"ab" + "4" * 38}, {"01" + "7" * 38})
    assert sorted(p.relative_to(tmp_path / "cache").as_posix() for p in (tmp_path / "cache").rglob("*.*")) == [
        "results/ab/ab" + "4" * 38 + ".arrow", "runs/last.json", "scans/01/01" + "7" * 38 + ".arrow"]


# --------------------------------------------------------------------------- scan entries

def _scan(texts: tuple[str, ...] = ("첫 줄 3억원", "둘째 줄은 조금 더 길게 써서 비슷한 문단 찾기에 들어갑니다.")
          ) -> tuple[Document, pa.RecordBatch, DocumentKeys]:
    paragraphs = [Paragraph("d", k, 2 * k + 1, text) for k, text in enumerate(texts)]
    doc = Document("d", "d.txt", "/in/d.txt", "0" * 64, encoding="cp949", n_chars=sum(map(len, texts)),
                   n_paragraphs=len(texts), read_warnings=["line 3: dropped a control character (NUL)"])
    batch = pa.RecordBatch.from_arrays([pa.array([p.line_no for p in paragraphs], pa.int32()), pa.array(list(texts))],
                                       names=["line_no", "text"])
    return doc, batch, document_keys(paragraphs)


@pytest.mark.parametrize("with_keys", [True, False])
def test_a_scan_entry_gives_back_paragraphs_digests_and_what_reading_found(tmp_path: Path, with_keys: bool) -> None:
    doc, batch, keys = _scan()
    write_scan(tmp_path / "s.arrow", doc, batch, keys if with_keys else None)
    stored = read_scan(tmp_path / "s.arrow", with_keys)
    assert stored.paragraphs.column("line_no").to_pylist() == [1, 3]
    assert stored.paragraphs.column("text").to_pylist() == batch.column("text").to_pylist()
    assert (stored.encoding, stored.n_chars, stored.read_warnings) == ("cp949", doc.n_chars, doc.read_warnings)
    assert stored.keys == (keys if with_keys else None)
    with pytest.raises(DamagedEntry):                     # asked for digests it does not hold, or the other way
        read_scan(tmp_path / "s.arrow", not with_keys)


def test_a_damaged_scan_entry_is_a_miss_said_once(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = "ab" + "1" * 38
    write_scan(tmp_path / "s.arrow", *_scan())
    cache.keep_scan(tmp_path / "s.arrow", key)
    data = bytearray(cache.scan_path(key).read_bytes())
    data[60] ^= 0x01
    cache.scan_path(key).write_bytes(bytes(data))
    assert cache.scan(key, with_keys=True) is None
    assert len(cache.damaged) == 1 and "(read again)" in cache.damaged[0]
    assert not cache.scan_path(key).exists() and cache.scan(key, with_keys=True) is None and len(cache.damaged) == 1


def test_scan_keys_differ_by_content_and_by_whether_digests_are_made() -> None:
    keys = {scan_key("a" * 64, True), scan_key("a" * 64, False), scan_key("b" * 64, True)}
    assert len(keys) == 3 and all(len(k) == 40 for k in keys)


def test_an_entry_of_another_shape_from_the_cache_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its digest holds (a writer made it whole), but the cache is another run's: its
    schema and every chunk are checked before any row is used."""
    import pyarrow as pa

    from pipeline import cache as cache_module
    other = pa.schema([pa.field("metrics", pa.list_(pa.struct([("x", pa.int32())])))])
    monkeypatch.setattr(cache_module, "entry_schema", lambda: other)
    ResultWriter(tmp_path / "e.arrow", compress=False).close([])
    monkeypatch.undo()
    entry = check_entry(tmp_path / "e.arrow")
    assert list(entry.chunks()) == []                       # the run's own: its shape is taken as written
    entry.foreign = True
    with pytest.raises(DamagedEntry, match="not a result of this pipeline version"):
        list(entry.chunks())
