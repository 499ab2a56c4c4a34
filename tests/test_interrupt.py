"""Ctrl-C: the workers stop, the previous output stays, one line is printed, exit 130."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SEED, run_cli, write_distinct_documents


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it, whatever this test run inherited (a shell starts
    background jobs with SIGINT ignored, and Python keeps an ignored SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_distinct_documents(tmp_path_factory.mktemp("interrupt") / "in", 150)


@pytest.mark.parametrize("moment", ["workers starting", "analysing"])
def test_ctrl_c_stops_the_workers_and_writes_nothing(corpus: Path, tmp_path: Path, moment: str) -> None:
    out = tmp_path / "out"
    assert run_cli("run", SEED, "--out", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--no-cache"],
                           cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True, preexec_fn=_as_from_a_terminal)
    deadline = time.monotonic() + 60
    while not _children(run.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(run.pid)
    assert workers, "the run started no worker"
    if moment == "analysing":
        time.sleep(2.0)
    os.killpg(run.pid, signal.SIGINT)                 # what a terminal does: the whole process group
    stdout, stderr = run.communicate(timeout=60)
    assert (run.returncode, stdout, stderr) == (130, "", "interrupted: nothing written\n")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "out"] == []      # no staging folder left
    time.sleep(0.2)
    assert [w for w in workers if _alive(w)] == []
