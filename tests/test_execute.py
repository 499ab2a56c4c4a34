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
