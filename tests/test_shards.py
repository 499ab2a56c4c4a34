"""Shard tasks: shards cut by size alone, scans that store paragraphs and digests, and the
log that lets a task run again after its worker died pick up where it stopped."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from pipeline import shards
from pipeline.cache import Cache
from pipeline.ingest import Source, discover, make_doc_id
from pipeline.limits import DOC_MEMORY_BYTES
from pipeline.shards import (DocumentOutcome, DocumentWork, ExtractTask, ParagraphFile, ShardLog, Watchdog, WorkFolder,
                             lost_shard, plan_shards, scan_shard)


def _sources(sizes: list[int]) -> list[Source]:
    return [Source(Path(f"/in/{i}.txt"), f"{i}.txt", size=size) for i, size in enumerate(sizes)]


def test_shards_are_consecutive_documents_cut_by_size_alone() -> None:
    sources = _sources([100, 300, 250, 50, 900, 10, 10])
    cut = plan_shards(sources, shard_bytes=400)
    assert [[s.source for s in shard.sources] for shard in cut] == [
        ["0.txt", "1.txt"], ["2.txt", "3.txt"], ["4.txt"], ["5.txt", "6.txt"]]
    assert [shard.first for shard in cut] == [0, 2, 4, 5] and [shard.index for shard in cut] == [0, 1, 2, 3]
    assert plan_shards(sources, 400) == cut                                  # the same inputs, the same shards


def test_by_default_a_run_has_about_sixty_four_shards_within_bounds() -> None:
    assert len(plan_shards(_sources([1000] * 100))) == 1                    # 100 KB: one shard of the smallest size
    many = plan_shards(_sources([2**20] * 640))                             # 640 MB: 64 shards of 10 MB
    assert len(many) == 64 and all(len(s.sources) == 10 for s in many)
    huge = plan_shards(_sources([2**30] * 3))                               # a document larger than a shard is alone
    assert [len(s.sources) for s in huge] == [1, 1, 1]


def test_a_scan_stores_each_document_s_paragraphs_and_digests(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("첫 줄 3억원\n\n둘째 줄\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"")
    long = "셋째 문서의 긴 본문은 여기에 이어서 씁니다. " * 5
    (tmp_path / "in" / "c.txt").write_text(f"셋째\x00{long}\n", encoding="utf-8")
    shard = plan_shards(discover([tmp_path / "in"]).sources)[0]
    work = WorkFolder(tmp_path / "work")
    scanned = scan_shard(shard, work, with_keys=True)
    assert [(s.document.source, s.document.status, len(s.keys)) for s in scanned] == [
        ("a.txt", "ok", 2), ("b.txt", "error", 0), ("c.txt", "ok", 1)]
    assert scanned[2].document.read_warnings == ["line 1: dropped a control character (NUL)"]
    stored = ParagraphFile(work.paragraphs(0))
    try:
        assert [(p.para_idx, p.line_no, p.text) for p in stored.paragraphs(0, "a")] == [(0, 1, "첫 줄 3억원"), (1, 3, "둘째 줄")]
        assert stored.paragraphs(1, "b") == []
        assert stored.batch(2).column("text").to_pylist() == [f"셋째{long}".rstrip()]
    finally:
        stored.close()
    assert scan_shard(shard, work, with_keys=False)[0].keys is None


def _paragraph_rows(work: WorkFolder, documents: int) -> list[list[tuple[int, str]]]:
    stored = ParagraphFile(work.paragraphs(0))
    try:
        return [list(zip(stored.batch(k).column("line_no").to_pylist(), stored.batch(k).column("text").to_pylist()))
                for k in range(documents)]
    finally:
        stored.close()


def test_with_a_cache_a_file_scanned_before_is_only_read_and_hashed(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes("사업비 3억원\r\n\r\n비교적 긴 둘째 문단은 비슷한 문단 찾기에 쓰이는 길이를 넘깁니다.\r\n".encode("cp949"))
    (folder / "b.txt").write_text("둘째 문서 5명\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")
    first_work, again_work = WorkFolder(tmp_path / "w1"), WorkFolder(tmp_path / "w2")
    shard = plan_shards(discover([folder]).sources)[0]
    cache = Cache(tmp_path / "cache")
    first = scan_shard(shard, first_work, with_keys=True, cache=cache.folder)
    assert [(s.stored, s.scan_key is not None) for s in first] == [(True, True), (True, True), (False, False)]
    assert not cache.folder.exists()                            # a new scan waits in the work folder ...
    for item in first[:2]:
        assert item.scan_key is not None
        cache.keep_scan(first_work.scan(item.scan_key), item.scan_key)      # ... until the run keeps it

    (folder / "b.txt").write_text("둘째 문서는 바뀌어 7명\n", encoding="utf-8")
    read_again: list[str] = []
    real = shards.document_from_bytes

    def counted(src: Source, data: bytes, sha: str):  # type: ignore[no-untyped-def]
        read_again.append(src.source)
        return real(src, data, sha)
    monkeypatch.setattr(shards, "document_from_bytes", counted)
    again = scan_shard(plan_shards(discover([folder]).sources)[0], again_work, with_keys=True, cache=tmp_path / "cache")
    assert read_again == ["b.txt", "c.txt"]                    # a.txt came from its stored scan
    assert again[0].document == first[0].document and again[0].keys == first[0].keys
    assert (again[0].document.encoding, again[0].stored, again[0].damaged) == ("euc-kr", False, None)
    assert _paragraph_rows(again_work, 3)[0] == _paragraph_rows(first_work, 3)[0] == [
        (1, "사업비 3억원"), (3, "비교적 긴 둘째 문단은 비슷한 문단 찾기에 쓰이는 길이를 넘깁니다.")]
    assert _paragraph_rows(again_work, 3)[1] == [(1, "둘째 문서는 바뀌어 7명")]
    assert again[2].document.status == "error" and again[2].scan_key is None      # failures are never stored


def test_a_renamed_file_keeps_its_stored_scan_under_its_new_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old.txt").write_text("본문 12억원\n", encoding="utf-8")
    cache, work = Cache(tmp_path / "cache"), WorkFolder(tmp_path / "w1")
    first = scan_shard(plan_shards(discover([folder]).sources)[0], work, True, cache.folder)[0]
    assert first.scan_key is not None
    cache.keep_scan(work.scan(first.scan_key), first.scan_key)
    (folder / "old.txt").rename(folder / "new.txt")
    moved = scan_shard(plan_shards(discover([folder]).sources)[0], WorkFolder(tmp_path / "w2"), True, tmp_path / "cache")
    assert not moved[0].stored and moved[0].document.source == "new.txt"
    sha = hashlib.sha256("본문 12억원\n".encode("utf-8")).hexdigest()
    assert (moved[0].document.doc_id, moved[0].document.path) == (make_doc_id("new.txt", sha), str(folder / "new.txt"))


def _task(tmp_path: Path, positions: list[int]) -> ExtractTask:
    return ExtractTask(7, [DocumentWork(p, f"d{p}", k, 10, []) for k, p in enumerate(positions)],
                       WorkFolder(tmp_path), "rules")


def test_the_log_tells_a_new_attempt_what_the_dead_one_did(tmp_path: Path) -> None:
    path = tmp_path / "shard.log"
    log = ShardLog(path)
    log.write("reached", 3)
    log.done(3, {"metrics": 2, "projects": 0, "warnings": 0})
    log.write("reached", 4)
    log.write("reached", 5)
    log.write("alone", 6)
    log.failed(8, "timeout after 2 s (--doc-timeout)\nsecond line")
    log.close()
    with open(path, "ab") as fh:
        fh.write(b"done 9 {\"metr")                         # cut by a full disk or a kill: ignored
    again = ShardLog(path)
    assert again.reached == {3, 4, 5} and again.alone == {6}
    assert again.outcomes == {3: DocumentOutcome(3, None, {"metrics": 2, "projects": 0, "warnings": 0}),
                              8: DocumentOutcome(8, "timeout after 2 s (--doc-timeout) second line")}
    again.close()


def test_a_task_given_up_keeps_what_was_done_and_fails_the_rest(tmp_path: Path) -> None:
    task = _task(tmp_path, [10, 11, 12])
    log = ShardLog(task.work.log(7))
    log.done(11, {"metrics": 1, "projects": 1, "warnings": 0})
    log.close()
    outcome = lost_shard(task, "the worker died on every attempt")
    assert [(d.position, d.error) for d in outcome.documents] == [
        (10, "the worker died on every attempt"), (11, None), (12, "the worker died on every attempt")]


def _wait_for(stopped: list[int]) -> None:
    deadline = time.monotonic() + 5
    while not stopped and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("alone", [True, False])
def test_the_watchdog_stops_a_document_over_its_time_and_fails_it_when_alone(tmp_path: Path, alone: bool) -> None:
    stopped: list[int] = []
    dog = Watchdog(rss=lambda: 0, stop=stopped.append)
    dog.start()
    log = ShardLog(tmp_path / "shard.log")
    dog.watch(4, 0.3, alone, log)
    _wait_for(stopped)
    assert stopped == [shards.EXIT_OVERRAN]
    assert ({4: "timeout after 0.3 s (--doc-timeout)"} if alone else {}) == {p: o.error for p, o in log.outcomes.items()}


def test_the_watchdog_stops_a_document_that_takes_too_much_memory(tmp_path: Path) -> None:
    stopped: list[int] = []
    dog = Watchdog(rss=lambda: DOC_MEMORY_BYTES + 1, stop=stopped.append)
    dog.start()
    log = ShardLog(tmp_path / "shard.log")
    dog.watch(2, 0, True, log)
    _wait_for(stopped)
    assert stopped and log.outcomes[2].error == "too large: analysing it took more than 3 GiB of memory"
