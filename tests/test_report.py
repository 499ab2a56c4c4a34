"""Progress and stage timings: a bar that moves from the start on a terminal and is absent
elsewhere; --verbose's stages through logging."""
from __future__ import annotations

import fcntl
import logging
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import REPO, run_cli, write_distinct_documents
from pipeline.report import CharCounter, RunReport


def test_each_stage_logs_its_time_and_counts(caplog: pytest.LogCaptureFixture) -> None:
    report = RunReport(progress=False)
    with caplog.at_level(logging.INFO, logger="pipeline"):
        report.stage("read", documents=1200, skipped_files=0)
        report.stage("publish")
        report.stage("analyse", analysis_cpu_s=1234.5)
    assert [r.name for r in caplog.records] == ["pipeline", "pipeline", "pipeline"]
    assert re.fullmatch(r"read: \d+\.\d\d s \(1,200 documents, 0 skipped files\)", caplog.records[0].getMessage())
    assert re.fullmatch(r"publish: \d+\.\d\d s", caplog.records[1].getMessage())
    assert re.fullmatch(r"analyse: \d+\.\d\d s \(1,234.50 analysis cpu s\)", caplog.records[2].getMessage())


def test_no_bar_and_no_channel_when_stderr_is_not_a_terminal() -> None:
    report = RunReport(progress=True)           # pytest's stderr is captured: not a terminal
    assert report.channel() is None
    report.reading(10)
    report.read_one()
    report.close()


def test_a_worker_counts_characters_in_a_few_messages() -> None:
    class Queue(list):
        put = list.append
    queue = Queue()
    counter = CharCounter(queue)
    for _ in range(1000):
        counter.add(7)
    counter.flush()
    assert sum(queue) == 7000 and len(queue) <= 3
    CharCounter(None).add(5)                    # no bar: nothing to send, nothing raised


def test_a_run_prints_no_bar_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    corpus = write_distinct_documents(tmp_path / "in", 3, lines=3)
    done = run_cli("run", corpus, "--out", tmp_path / "out")
    assert done.returncode == 0 and done.stderr == ""


def test_on_a_terminal_the_bar_moves_from_the_start(tmp_path: Path) -> None:
    """Reading counts documents; analysing counts characters while the workers go, so the
    bar shows figures between 0 and the total before the run ends."""
    corpus = write_distinct_documents(tmp_path / "in", 60)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))     # a terminal 120 wide
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(tmp_path / "out"),
                            "--no-cache", "--jobs", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:                          # the run closed the terminal's other end
            break
        if not chunk:
            break
        seen += chunk
    run.wait(timeout=120)
    os.close(master)
    assert run.returncode == 0
    frames = seen.decode("utf-8", "replace").replace("\r\n", "\r").split("\r")
    reading = [f for f in frames if f.startswith("reading")]
    analysing = [int(m.group(1)) for f in frames if (m := re.match(r"analysing:\s+(\d+)%", f))]
    assert reading and "/60 [" in reading[-1]
    assert any(0 < pct < 100 for pct in analysing), analysing
    assert analysing == sorted(analysing)
    assert "60 documents" in run.stdout.read().decode("utf-8")
