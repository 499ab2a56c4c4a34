"""The run's story (pipeline/run.py): a cached run never loads the analyser, failures are
tried again, nothing is silently dropped, and the same input gives the same tables however
it is written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from conftest import REPO, SEED


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *args], cwd=REPO, capture_output=True,
                          text=True, env=env, timeout=600)


def test_unchanged_input_is_served_from_the_cache_without_the_analyser(tmp_path: Path) -> None:
    """Later runs cannot import kiwipiepy nor datasketch: they neither analyse nor deduplicate.
    While the output is as the first run left it, a run leaves it alone; when it was touched,
    the tables are built again from the cached results of each document."""
    out = tmp_path / "out"
    first = _run([str(SEED), "--out", str(out)])
    assert first.returncode == 0, first.stderr
    before = {p.name: (p.read_bytes(), p.stat().st_ino) for p in out.iterdir() if p.is_file()}
    assert len(before) == 5
    for package in ("kiwipiepy", "datasketch"):
        poisoned = tmp_path / "poison" / package
        poisoned.mkdir(parents=True)
        (poisoned / "__init__.py").write_text(f"raise ImportError('the {package} must not be loaded')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "poison")}
    second = _run([str(SEED), "--out", str(out)], env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout.replace(first.stdout.split(", ")[-1], second.stdout.split(", ")[-1])
    assert {p.name: (p.read_bytes(), p.stat().st_ino) for p in out.iterdir() if p.is_file()} == before
    (out / "metrics.parquet").write_bytes(b"edited by hand")
    third = _run([str(SEED), "--out", str(out)], env)
    assert third.returncode == 0, third.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == {k: v[0] for k, v in before.items()}
    fourth = _run([str(SEED), "--out", str(out), "--no-cache"], env)
    assert fourth.returncode == 1
    assert "must not be loaded" in _errors(out)          # the poison works: the cache did the work


def test_a_run_after_one_changed_file_reads_only_that_file_again(tmp_path: Path, monkeypatch) -> None:
    """The other files are only read to hash their bytes: their paragraphs and duplicate
    digests come from the scans the first run kept; the tables are those of a run without
    a cache, and the default cache drops the scan of the file's old bytes."""
    from pipeline import shards
    from pipeline.run import RunOptions, run
    folder = tmp_path / "in"
    folder.mkdir()
    repost = "구청은 올해 주민이 고른 어린이 공원 두 곳을 새로 꾸미기로 했으며 예산은 9억원이다.\n"
    for name, text in (("a.txt", repost), ("b.txt", "관악구 청년주택 120호를 공급한다. 사업비는 48억원이다.\n"),
                       ("c.txt", f"주차장 3곳을 새로 만든다.\n\n{repost}")):
        (folder / name).write_text(text, encoding="utf-8")
    log = tmp_path / "decoded.log"
    real = shards.document_from_bytes

    def logged(src, data, sha):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as file:                 # a forked reader writes here too
            file.write(src.source + "\n")
        return real(src, data, sha)
    monkeypatch.setattr(shards, "document_from_bytes", logged)
    options = RunOptions([folder], tmp_path / "out")
    options.cache_dir = options.out / ".cache"
    run(options)
    assert sorted(log.read_text().split()) == ["a.txt", "b.txt", "c.txt"]
    scans = sorted((options.cache_dir / "scans").rglob("*.arrow"))
    assert len(scans) == 3
    with (folder / "b.txt").open("a", encoding="utf-8") as text:
        text.write("추가 사업비는 12억원이다.\n")
    log.unlink()
    summary = run(options)
    assert log.read_text().split() == ["b.txt"]
    now = sorted((options.cache_dir / "scans").rglob("*.arrow"))
    assert len(now) == 3 and len(set(now) & set(scans)) == 2
    assert summary.duplicates == 1                                     # c.txt's repost, found from stored digests
    fresh = RunOptions([folder], tmp_path / "fresh")
    run(fresh)
    assert _files(options.out) == _files(fresh.out)


def test_a_cached_result_keeps_its_document_year_and_a_given_year_is_part_of_its_key(tmp_path: Path) -> None:
    """The document's year travels with its cached result; a run with --doc-year does not
    reuse the result of a run without it, nor the other way round."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "briefing2019.txt").write_text("올해 예산은 4,210억원으로 지난해보다 3.2% 늘었다.\n", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"

    def years(*extra: str) -> list[tuple]:
        done = _run([str(raw), "--out", str(out), "--cache", str(cache), *extra])
        assert done.returncode == 0, done.stderr
        (document,) = pq.read_table(out / "documents.parquet").to_pylist()
        (metric,) = pq.read_table(out / "metrics.parquet").to_pylist()
        return [document["year"], document["year_source"], metric["year"], metric["prev_year"]]

    assert years() == [2019, "name", 2019, 2018]
    assert years("--doc-year", "2021") == [2021, "given", 2021, 2020]
    (out / "documents.parquet").write_bytes(b"edited by hand")      # the tables are built again, from the cache
    assert years() == [2019, "name", 2019, 2018]
    assert len(list((cache / "results").glob("*/*.arrow"))) == 2


def _errors(out: Path) -> str:
    return " ".join(e or "" for e in pq.read_table(out / "documents.parquet").column("error").to_pylist())


def test_a_run_with_a_failed_document_is_done_again_next_time(tmp_path: Path) -> None:
    """Failures are not cached: the output of a run in which the analyser crashed on one
    document is not taken as up to date, and that document is analysed again."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("관악구 청년주택 120호를 공급한다.\n", encoding="utf-8")
    (folder / "crash.txt").write_text("KIWI-ABORT-MARKER 예산은 3억원이다.\n", encoding="utf-8")
    out = tmp_path / "out"
    helper = str(Path(__file__).resolve().parent / "sitecustomize_crash")
    first = _run([str(folder), "--out", str(out)], {**os.environ, "PYTHONPATH": helper})
    assert first.returncode == 1 and "analyser crashed" in _errors(out)
    second = _run([str(folder), "--out", str(out)])          # the analyser no longer crashes
    assert second.returncode == 0, second.stderr
    statuses = pq.read_table(out / "documents.parquet").column("status").to_pylist()
    assert statuses == ["ok", "ok"]
    assert pq.read_table(out / "metrics.parquet").column("raw_text").to_pylist() == ["3억원", "120호"]


# --------------------------------------------------------------------------- no silent drops

def _tables(out: Path) -> dict[str, list[dict]]:
    return {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in ("documents", "paragraphs", "metrics", "projects")}


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_an_input_without_documents_is_an_error_and_the_previous_output_stays(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run([str(SEED), "--out", str(out)]).returncode == 0
    before = _files(out)
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "notes.md").write_text("not a briefing")
    done = _run([str(empty), "--out", str(out)])
    assert done.returncode == 2 and done.stdout == ""
    assert f"error: no documents found in {empty} (only 1 files that are not *.txt)" in done.stderr
    assert _files(out) == before


BUDGET_ROWS = "(단위 : 천원)\n구분\t예산액\t전년도\t증감\n일반회계\t1,500\t1,200\t300\n특별회계\t700\t650\t50\n"
PRESS = "구는 올해 경로당 냉난방비 지원에 8억원을 들여 어르신 쉼터를 모두 42곳으로 늘린다고 밝혔다.\n"


def _budget_books(folder: Path) -> None:
    folder.mkdir()
    (folder / "1_본예산.txt").write_text("2025년 본예산\n" + BUDGET_ROWS + PRESS, encoding="utf-8")
    (folder / "2_제1회추경.txt").write_text("2025년 제1회 추경\n" + BUDGET_ROWS + "추가사업\t90\t0\t90\n" + PRESS,
                                         encoding="utf-8")
    (folder / "3_본예산_사본.txt").write_text("2025년 본예산\n" + BUDGET_ROWS + PRESS, encoding="utf-8")


def _metrics_by_source(out: Path) -> dict[str, list[str]]:
    tables = _tables(out)
    source = {d["doc_id"]: d["source"] for d in tables["documents"]}
    found: dict[str, list[str]] = {s: [] for s in source.values()}
    for m in tables["metrics"]:
        found[source[m["doc_id"]]].append(m["raw_text"])
    return found


def test_table_rows_repeated_across_documents_keep_their_facts_and_a_repost_does_not(tmp_path: Path) -> None:
    """A 본예산 and its 제1회 추경 share unchanged rows: both keep them. The reposted press
    paragraph gives its figures once. A byte copy of the 본예산 is its duplicate."""
    _budget_books(tmp_path / "in")
    done = _run([str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-cache"])
    assert done.returncode == 0, done.stderr
    rows = ["1,500", "700"]                             # each with its earlier figure and its change
    assert _metrics_by_source(tmp_path / "out") == {
        "1_본예산.txt": rows + ["8억원", "42곳"], "2_제1회추경.txt": rows + ["90"], "3_본예산_사본.txt": []}
    documents = _tables(tmp_path / "out")["documents"]
    assert [d["duplicate_of"] for d in documents] == [None, None, documents[0]["doc_id"]]
    assert [d["n_duplicate_paragraphs"] for d in documents] == [0, 1, 6]


def test_dedup_document_and_off(tmp_path: Path) -> None:
    _budget_books(tmp_path / "in")
    for mode, press_in_every in (("document", True), ("off", True)):
        out = tmp_path / mode
        assert _run([str(tmp_path / "in"), "--out", str(out), "--no-cache", "--dedup", mode]).returncode == 0
        found = _metrics_by_source(out)
        assert all(("8억원" in m) == press_in_every for m in found.values()), found
        documents = _tables(out)["documents"]
        assert [d["duplicate_of"] for d in documents] == [None, None, None]
        assert sum(d["n_duplicate_paragraphs"] for d in documents) == 0


def test_documents_of_the_same_name_in_two_inputs_are_told_apart(tmp_path: Path) -> None:
    for year, amount in (("2024", "3억원"), ("2025", "5억원")):
        (tmp_path / year).mkdir()
        (tmp_path / year / "budget.txt").write_text(f"예산은 {amount}이다.\n", encoding="utf-8")
    done = _run([str(tmp_path / "2024"), str(tmp_path / "2025"), "--out", str(tmp_path / "out"), "--no-cache"])
    assert done.returncode == 0, done.stderr
    assert _metrics_by_source(tmp_path / "out") == {"2024/budget.txt": ["3억원"], "2025/budget.txt": ["5억원"]}


def test_the_tables_do_not_depend_on_how_the_inputs_were_written(tmp_path: Path) -> None:
    for name in ("x", "y"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(f"{name} 예산은 3억원이다.\n", encoding="utf-8")
        (tmp_path / name / "b.txt").write_text(f"{name} 인구는 120명 늘었다.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "run", "x", "y", "--out", "out1", "--no-cache"], cwd=tmp_path,
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "y"), "x", "--out", "out2", "--no-cache"],
                   cwd=tmp_path, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert _files(tmp_path / "out1") == _files(tmp_path / "out2")
    assert [d["source"] for d in _tables(tmp_path / "out1")["documents"]] == ["x/a.txt", "x/b.txt", "y/a.txt", "y/b.txt"]


def test_a_stray_nul_or_control_byte_is_dropped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    text = "".join(f"서대문구는 올해 예산 4천77{k}억원을 편성했다. " for k in range(4))
    (tmp_path / "in" / "a.txt").write_bytes(f"첫 줄\n{text}\x00\n마지막 줄은 \x1b굵게\n".encode("utf-8"))
    done = _run([str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-cache"])
    assert done.returncode == 0, done.stderr
    assert "warning: a.txt: line 2: dropped 2 control characters (NUL ×1, ESC ×1), from this line on" in done.stderr
    (doc,) = _tables(tmp_path / "out")["documents"]
    assert (doc["status"], doc["warnings"], doc["n_paragraphs"]) == ("ok", 1, 3)
    assert _metrics_by_source(tmp_path / "out")["a.txt"] == [f"4천77{k}억원" for k in range(4)]


def test_an_output_folder_inside_the_input_is_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    for _ in range(2):
        done = _run([str(folder), "--out", str(folder / "out"), "--cache", str(folder / "cache")])
        assert done.returncode == 0, done.stderr
        (folder / "out" / "notes.txt").write_text("a file of the user's, kept in the output folder")
    assert [d["source"] for d in _tables(folder / "out")["documents"]] == ["a.txt"]
    assert "1 documents" in done.stdout


def test_a_tree_thousands_of_folders_deep_loses_nothing(tmp_path: Path) -> None:
    """Deeper than the recursion limit, and deeper than a path may be long: the files the
    walk reaches are documents, the folder it cannot list is a failed source."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "top.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    fds = [os.open(folder, os.O_RDONLY)]
    try:
        for depth in range(1, 2200):                          # 2 characters a level: past 4,096 at 2,048
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
            if depth in (1500, 2100):
                with open(os.open(f"at_{depth}.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fds[-1]), "w") as fh:
                    fh.write("예산은 5억원이다.\n")
        done = _run([str(folder), "--out", str(tmp_path / "out"), "--no-cache"])
    finally:
        for depth in range(len(fds) - 1, 0, -1):              # bottom up: pytest's cleanup would recurse
            for name in os.listdir(fds[depth]):
                if name != "d":
                    os.unlink(name, dir_fd=fds[depth])
            os.close(fds[depth])
            os.rmdir("d", dir_fd=fds[depth - 1])
        os.close(fds[0])
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    documents = {d["source"].rsplit("/", 1)[-1]: d for d in _tables(tmp_path / "out")["documents"]}
    assert documents["top.txt"]["status"] == documents["at_1500.txt"]["status"] == "ok"
    assert [d["error"] for d in documents.values() if d["status"] != "ok"] == ["unreadable folder: file name too long"]


# --------------------------------------------------------------------------- rules once, and timed

def test_rules_are_loaded_once_a_run_not_in_every_worker(tmp_path: Path) -> None:
    log = tmp_path / "loads.log"
    helper = str(Path(__file__).resolve().parent / "sitecustomize_rules_log")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(f"{i}번째 문서의 예산은 {i + 1}억원이다.\n", encoding="utf-8")
    done = _run([str(folder), "--out", str(tmp_path / "out"), "--jobs", "4", "--no-cache"],
                {**os.environ, "PYTHONPATH": os.pathsep.join([helper, str(REPO)]), "BRIEFING_RULES_LOG": str(log)})
    assert done.returncode == 0, done.stderr
    assert len(set(log.read_text().split())) == 1                 # one process read the rules folders


def test_the_summary_seconds_include_loading_the_rules(tmp_path: Path, monkeypatch, caplog) -> None:
    import logging
    import re
    import time

    import pipeline.run
    from pipeline.run import RunOptions, run
    real = pipeline.run.load_rules

    def slow(dirs):
        time.sleep(0.5)
        return real(dirs)
    monkeypatch.setattr(pipeline.run, "load_rules", slow)
    (tmp_path / "a.txt").write_text("가나다 라마바\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="pipeline"):
        summary = run(RunOptions([tmp_path / "a.txt"], tmp_path / "out"))
    stages = {r.getMessage().split(":")[0]: float(re.search(r": (\d+\.\d+) s", r.getMessage()).group(1))
              for r in caplog.records}
    assert stages["rules"] >= 0.5 and summary.seconds >= sum(stages.values()) - 0.01


def test_a_rule_pattern_that_runs_past_its_time_fails_its_document_only(tmp_path: Path, monkeypatch) -> None:
    """A pattern that slipped past `rules check` (its probes) still cannot stall the run."""
    import pipeline.lexicon
    import pipeline.rules
    from pipeline.run import RunOptions, run
    monkeypatch.setattr(pipeline.rules, "_backtracking_probe", lambda compiled: None)
    monkeypatch.setattr(pipeline.lexicon, "PATTERN_TIMEOUT_S", 0.2)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "user.toml").write_text('[[not_metric]]\nid = "user.not_metric.slow"\npattern = "1(?:\\\\D|\\\\D)+x"\n',
                                     encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    (folder / "b.txt").write_text("예산은 1억원" + "가" * 40 + ".\n", encoding="utf-8")
    summary = run(RunOptions([folder], tmp_path / "out", [rules], jobs=1))
    ((source, reason),) = summary.failed
    expected = (f"processing failed: RuleTimeout: the pattern of not_metric rule 'user.not_metric.slow' "
                f"({rules / 'user.toml'}:2) ran over 0.2 s on one text (lexicon.py:")
    assert source == "b.txt" and reason.startswith(expected), reason
    assert summary.metrics == 1


# --------------------------------------------------------------------------- a cache that cannot lie

def test_a_damaged_cache_entry_is_recomputed_and_said(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run([str(SEED), "--out", str(out)]).returncode == 0
    before = _files(out)
    (entry,) = (out / ".cache" / "results").rglob("*.arrow")
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x01
    entry.write_bytes(bytes(data))
    (out / "metrics.parquet").write_bytes(b"edited by hand")          # the tables must be built again
    done = _run([str(SEED), "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert f"warning: cache entry {entry}: its digest does not match its content (recomputed)" in done.stderr
    assert _files(out) == before


def test_no_cache_file_is_ever_unpickled(tmp_path: Path, monkeypatch) -> None:
    import pickle

    from pipeline.run import RunOptions, run
    loads: list[str] = []
    monkeypatch.setattr(pickle, "load", lambda *a, **k: loads.append("load"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: loads.append("loads"))
    (tmp_path / "a.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    options = RunOptions([tmp_path / "a.txt"], tmp_path / "out", cache_dir=tmp_path / "cache")
    first, second = run(options), run(options)
    (tmp_path / "out" / "metrics.parquet").unlink()
    third = run(options)
    assert first.metrics == second.metrics == third.metrics == 1 and loads == []


def test_a_full_cache_disk_is_said_and_a_run_failing_for_space_takes_back_its_cache(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    import errno

    import pytest

    from pipeline import cache as cache_module
    from pipeline import write
    from pipeline.run import RunOptions, run
    (tmp_path / "a.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    options = RunOptions([tmp_path / "a.txt"], tmp_path / "out", cache_dir=tmp_path / "cache")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(cache_module.os, "link", full)
    summary = run(options)
    assert summary.warned == [(None, f"the cache folder {tmp_path / 'cache'} is full (No space left on device): "
                                     "the rest of this run is not cached")]
    assert not list((tmp_path / "cache").rglob("*.arrow"))
    monkeypatch.undo()
    before = sorted((tmp_path / "cache").rglob("*.*"))
    monkeypatch.setattr(write.Staging, "publish", lambda self, manifest: full())
    with pytest.raises(OSError):
        run(RunOptions([tmp_path / "a.txt"], tmp_path / "out2", cache_dir=tmp_path / "cache"))
    assert sorted((tmp_path / "cache").rglob("*.*")) == before


def test_the_dataset_layout_holds_the_rows_of_the_files_layout(tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"{i}구 예산은 {i + 3}억원이다. △공원 {i + 1}곳 조성\n", encoding="utf-8")
    for layout in ("files", "dataset"):
        done = _run([str(folder), "--out", str(tmp_path / layout), "--no-cache", "--layout", layout])
        assert done.returncode == 0, done.stderr
    for table in ("documents", "paragraphs", "metrics", "projects"):
        whole = pq.read_table(tmp_path / "files" / f"{table}.parquet")
        parts = pq.read_table(tmp_path / "dataset" / table)
        assert parts.to_pylist() == whole.to_pylist() and parts.schema == whole.schema, table
        assert pd.read_parquet(tmp_path / "dataset" / table).equals(whole.to_pandas())
        rows = duckdb.sql(f"SELECT * FROM read_parquet('{tmp_path / 'dataset' / table}/*.parquet')").fetchall()
        assert len(rows) == whole.num_rows
    manifest = (tmp_path / "dataset" / "manifest.json").read_text(encoding="utf-8")
    assert '"layout": "dataset"' in manifest and '"metrics/part-00000-000.parquet"' in manifest
