"""Running over worker processes with a cache: a cached run never loads the analyser."""
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
    """The second run cannot import kiwipiepy nor datasketch: it neither analyses nor deduplicates."""
    out = tmp_path / "out"
    first = _run([str(SEED), "--out", str(out)])
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    for package in ("kiwipiepy", "datasketch"):
        poisoned = tmp_path / "poison" / package
        poisoned.mkdir(parents=True)
        (poisoned / "__init__.py").write_text(f"raise ImportError('the {package} must not be loaded')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "poison")}
    second = _run([str(SEED), "--out", str(out)], env)
    assert second.returncode == 0, second.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    third = _run([str(SEED), "--out", str(out), "--no-cache"], env)
    assert third.returncode == 1
    assert "must not be loaded" in _errors(out)          # the poison works: the cache did the work


def _errors(out: Path) -> str:
    return " ".join(e or "" for e in pq.read_table(out / "documents.parquet").column("error").to_pylist())


def test_jobs_become_workers_with_analyser_threads() -> None:
    from pipeline.execute import WorkerPlan
    plans = {jobs: WorkerPlan.for_jobs(jobs, documents=100) for jobs in (1, 2, 3, 4, 8, 16)}
    assert [(p.processes, p.threads) for p in plans.values()] == [(1, 0), (1, 2), (1, 3), (2, 2), (3, 2), (6, 2)]
    assert WorkerPlan.for_jobs(8, documents=1) == WorkerPlan(1, 8)      # one document: one worker, all threads


def test_chunks_keep_document_order_and_give_every_worker_several() -> None:
    from pipeline.execute import CHUNK_CHARS, _chunks
    from pipeline.records import Document
    docs = [Document(f"d{i}", f"d{i}.txt", "", "", n_chars=1000 + 37 * i) for i in range(40)]
    chunks = _chunks(docs, processes=2)
    assert [d for chunk in chunks for d in chunk] == docs
    assert len(chunks) >= 8 and all(chunks)
    big = [Document(f"b{i}", f"b{i}.txt", "", "", n_chars=CHUNK_CHARS // 3) for i in range(30)]
    assert all(sum(d.n_chars for d in chunk) <= CHUNK_CHARS for chunk in _chunks(big, processes=1))
