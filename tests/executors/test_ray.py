"""The Ray engine on a local Ray instance of two CPUs: the same bytes as the local engine in
both layouts, on a corpus with exact and near repeats across shards; a worker killed while it
holds a shard changes nothing; a document that crashes the analyser fails alone. Ray's
workers start with tests/sitecustomize_crash on their path (its markers abort or slow the
analyser); the local runs are made first, before Ray starts in this process."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray

from conftest import REPO, write_distinct_documents
from pipeline.run import RunOptions, RunSummary, run

CRASH_HELPER = REPO / "tests" / "sitecustomize_crash"
SHARD_BYTES = 6000                   # a few documents a shard: repeats fall in other shards
PRESS = ("구는 올해 경로당 냉난방비 지원에 8억원을 들여 어르신 쉼터를 모두 42곳으로 늘리고, 주민 누구나 이용할 수 있도록 "
         "운영 시간을 저녁 9시까지 넓힌다고 밝혔다.")


def _corpus(folder: Path) -> Path:
    """60 documents: 56 distinct ones with a press paragraph reposted far apart, exactly and
    with small edits (a near repeat); two whole copies of early ones at the end; an empty
    file and an image."""
    write_distinct_documents(folder, 56, lines=6)
    for k in (1, 7):
        shutil.copy(folder / f"doc{k:04d}.txt", folder / f"zz_copy_of_{k}.txt")
    for name, text in (("doc0003.txt", PRESS), ("doc0030.txt", PRESS.replace("모두 42곳으로", "모두 42곳 으로")),
                       ("doc0050.txt", PRESS)):
        with open(folder / name, "a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


def _options(corpus: Path, out: Path, **changes: object) -> RunOptions:
    return RunOptions([corpus], out, jobs=2, shard_bytes=SHARD_BYTES, **changes)


def _published(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ray")
    base = _corpus(root / "base")
    slow = shutil.copytree(base, root / "slow")
    for name in ("doc0010.txt", "doc0040.txt"):
        with open(slow / name, "a", encoding="utf-8") as fh:
            fh.write("KIWI-SLOW-MARKER 예산은 3억원이다.\n")
    crash = shutil.copytree(base, root / "crash")
    (crash / "doc0020_crash.txt").write_text("첫 문단은 멀쩡하다.\nKIWI-ABORT-MARKER 예산은 3억원이다.\n", encoding="utf-8")
    return {"root": root, "base": base, "slow": slow, "crash": crash}


@pytest.fixture(scope="module")
def local(folders: dict[str, Path]) -> dict[str, tuple[RunSummary, Path]]:
    """The local engine's outputs, made before Ray starts (its workers are forked)."""
    done = {}
    for name, corpus, layout in (("files", "base", "files"), ("dataset", "base", "dataset"), ("slow", "slow", "files")):
        out = folders["root"] / f"local-{name}"
        done[name] = (run(_options(folders[corpus], out, layout=layout)), out)
    return done


@pytest.fixture(scope="module")
def ray_instance(local: dict) -> None:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([str(CRASH_HELPER), str(REPO)])}})
    yield
    ray.shutdown()


@pytest.mark.parametrize("layout", ["files", "dataset"])
def test_ray_writes_the_bytes_the_local_engine_writes(folders, local, ray_instance, layout: str) -> None:
    summary, local_out = local[layout]
    out = folders["root"] / f"ray-{layout}"
    ray_summary = run(_options(folders["base"], out, layout=layout, engine="ray"))
    assert _published(out) == _published(local_out)
    assert ray_summary.line().rsplit(",", 1)[0] == summary.line().rsplit(",", 1)[0]
    documents = pq.read_table(out / ("documents.parquet" if layout == "files" else "documents")).to_pylist()
    assert len(documents) == 60
    if layout == "dataset":                                 # a part a shard that has rows
        assert len(list((out / "metrics").glob("part-*.parquet"))) > 10
    paragraphs = pq.read_table(out / ("paragraphs.parquet" if layout == "files" else "paragraphs")).to_pylist()
    assert {p["duplicate_kind"] for p in paragraphs} == {None, "exact", "near"}
    assert sorted(d["source"] for d in documents if d["duplicate_of"]) == ["zz_copy_of_1.txt", "zz_copy_of_7.txt"]
    assert [(d["source"], d["status"]) for d in documents if d["status"] != "ok"] == [
        ("zz_empty.txt", "error"), ("zz_image.txt", "error")]


def _busy_workers() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                title = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::_extract"):
                found.append(int(entry))
    return found


def test_a_worker_killed_while_it_holds_a_shard_changes_nothing(folders, local, ray_instance) -> None:
    out = folders["root"] / "ray-killed"
    result: list[RunSummary] = []
    worker = threading.Thread(target=lambda: result.append(run(_options(folders["slow"], out, engine="ray"))))
    worker.start()
    killed = []
    deadline = time.monotonic() + 120
    while not killed and worker.is_alive() and time.monotonic() < deadline:
        busy = _busy_workers()
        if busy:
            time.sleep(1.0)                        # well inside its shard (a slow document takes 3 s)
            busy = [pid for pid in busy if pid in _busy_workers()]
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                killed.append(busy[0])
        time.sleep(0.05)
    worker.join(300)
    assert killed, "no worker was seen holding a shard"
    assert result and result[0].failures == local["slow"][0].failures == 2          # the empty file and the image
    assert _published(out) == _published(local["slow"][1])


def test_a_document_that_crashes_the_analyser_fails_and_the_others_land(folders, local, ray_instance) -> None:
    out = folders["root"] / "ray-crash"
    summary = run(_options(folders["crash"], out, engine="ray"))
    assert ("doc0020_crash.txt", "analyser crashed: the worker process died on this document") in summary.failed
    assert summary.failures == 3
    metrics = pq.read_table(out / "metrics.parquet").to_pylist()
    expected = pq.read_table(local["files"][1] / "metrics.parquet").to_pylist()
    assert metrics == expected                               # every other document's rows, as the local engine gives


def test_the_ray_engine_without_ray_says_how_to_install_it(tmp_path: Path) -> None:
    poison = tmp_path / "poison" / "ray"
    poison.mkdir(parents=True)
    (poison / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    (tmp_path / "a.txt").write_text("예산은 3억원이다.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "a.txt"), "--out",
                           str(tmp_path / "out"), "--engine", "ray"], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tmp_path / "poison")}, timeout=300)
    assert done.returncode == 2 and not (tmp_path / "out").exists()
    assert done.stderr == ("error: --engine ray needs Ray, an optional extra: pip install -e '.[ray]' (from a checkout) "
                           "or pip install 'briefing-pipeline[ray]'\n")
