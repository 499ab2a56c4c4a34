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
