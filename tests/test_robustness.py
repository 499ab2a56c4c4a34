"""Messy folders through the real command (issue 8).

One corpus folder of bad inputs beside one good briefing runs once through
`python -m pipeline run`: every bad file gets its status and a one-line reason, the good
documents keep their rows. Separate runs only where they are needed: --strict, a 20 MB file
on one line, an analyser that aborts the worker process, runs killed mid-write, and
byte-identical output whatever --jobs and listing order. Property-based tests feed arbitrary
text to the number grammar, the bullet segmenter and the per-document path, in-process.
"""
from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, SEED, run_cli
from pipeline.extract import projects as P
from pipeline.ingest import PARAGRAPH_MAX_CHARS, normalise, split_paragraphs
from pipeline.morphology import analyse
from pipeline.extract.numbers import parse_quantities

TABLES = ("documents", "paragraphs", "metrics", "projects")
OUTPUT_FILES = tuple(f"{t}.parquet" for t in TABLES) + ("manifest.json",)
CRASH_HELPER = Path(__file__).resolve().parent / "sitecustomize_crash"
CRASH_MARKER = "KIWI-ABORT-MARKER"          # tests/sitecustomize_crash/sitecustomize.py aborts on it
GOOD = "00_seodaemun_2018_briefing.txt"     # sorts first: its paragraphs are nobody's duplicates


# --------------------------------------------------------------------------- the bad corpus

@dataclass
class Case:
    id: str
    make: Callable[[Path], str]        # writes the input into the folder, returns its `source`
    status: str
    reason: str | None = None          # regular expression the whole `error` must match
    raw_texts: tuple[str, ...] = ()    # metrics that must come out of it (status ok)
    projects: tuple[str, ...] = ()     # project names that must come out of it


def _write(name: str | bytes, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = (os.fsencode(folder) + b"/" + name) if isinstance(name, bytes) else folder / name
        with open(path, "wb") as fh:
            fh.write(data)
        return name.decode("cp949") if isinstance(name, bytes) else name
    return make


def _text(name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Callable[[Path], str]:
    return _write(name, bom + text.encode(encoding))


def _symlink(name: str, target: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).symlink_to(target)
        return name
    return make


def _fifo(name: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        os.mkfifo(folder / name)
        return name
    return make


def _symlink_loop_folder(folder: Path) -> str:
    """A folder holding a symlink to its own parent: walking it must not go round forever."""
    inner = folder / "loop_dir"
    inner.mkdir()
    (inner / "back").symlink_to("..", target_is_directory=True)
    (inner / "self").symlink_to(".", target_is_directory=True)
    (inner / "inside.txt").write_text("서대문구는 올해 작은도서관 3개소를 새로 연다.\n", encoding="utf-8")
    return "loop_dir/inside.txt"


def _folder_named_txt(folder: Path) -> str:
    inner = folder / "folder.txt"
    inner.mkdir()
    (inner / "inner.txt").write_text("중랑구 주차장 확충 사업비는 17억원이다.\n", encoding="utf-8")
    return "folder.txt/inner.txt"


def _zip_bytes() -> bytes:
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("briefing.txt", "압축된 보도자료 12억원")
    return buffer.getvalue()


def _invalid_utf8() -> bytes:
    head = ("가나다라 " * 141 + "a").encode("utf-8")          # exactly 1834 bytes of good UTF-8
    assert len(head) == 1834
    return head + b"\xff" + "마바사 예산은 5억원이다.\n".encode("utf-8") * 20


def _ten_thousand_bullets() -> str:
    return "주요사업으로 " + " ".join(f"△생활시설{i} 조성" for i in range(10_000)) + " 등을 추진한다.\n"


NFD_NAME = unicodedata.normalize("NFD", "강남구_보도자료.txt")
CP949_NAME = "예산.txt".encode("cp949")

CASES = [
    Case("good", lambda f: shutil.copy(SEED, f / GOOD) and GOOD, "ok", None, ("32만6,479명", "4천772억원")),
    Case("empty", _write("empty.txt", b""), "error", r"empty: no text in the file"),
    Case("whitespace", _write("whitespace.txt", b" \t\r\n\n   \n\t\r\n"), "error", r"empty: only white space"),
    Case("png", _write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "error",
         r"not text: binary content \(PNG image\)"),
    Case("pdf", _write("renamed_pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
         "error", r"not text: binary content \(PDF document\)"),
    Case("zip", _write("archive.txt", _zip_bytes()), "error", r"not text: binary content \(ZIP archive\)"),
    Case("hwp", _write("hangul.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), "error",
         r"not text: binary content \(MS Office / HWP 5 document\)"),
    Case("nul", _text("nul_bytes.txt", "한글 보고서\x00\x00\x00 본문 3억원\n"), "error",
         r"not text: binary content \(NUL bytes\)"),
    Case("stray_nul", _text("stray_nul.txt", "첫머리의 NUL\x00 하나는 버리고 나머지를 읽는다. " + "예산은 4천772억원이다. " * 8 + "\n"),
         "ok", None, ("4천772억원",)),
    Case("appledouble", _write("._00_seodaemun_2018_briefing.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X"),
         "error", r"not text: binary content \(macOS resource fork\)"),
    Case("invalid_utf8", _write("broken_utf8.txt", _invalid_utf8()), "error",
         r"undecodable: invalid UTF-8 at byte 1834 and not CP949"),
    Case("cp949", _text("cp949.txt", "똠방각하 마을 도서관 건립 예산은 3억5천만원으로 지난해보다 12% 늘었다.\n", "cp949"),
         "ok", None, ("3억5천만원",)),
    Case("euc_kr", _text("euc_kr.txt", "마포구 청년 일자리는 1,250명으로 확대된다.\n", "euc-kr"), "ok", None, ("1,250명",)),
    Case("utf16le", _text("utf16le_bom.txt", "은평구 공원 조성 사업비는 45억원이다.\r\n", "utf-16-le", b"\xff\xfe"),
         "ok", None, ("45억원",)),
    Case("utf16be", _text("utf16be_bom.txt", "종로구 관광객은 2만3천명으로 8.5% 증가했다.\r\n", "utf-16-be", b"\xfe\xff"),
         "ok", None, ("2만3천명",)),
    Case("nfd", _text(NFD_NAME, unicodedata.normalize("NFD", "강남구 예산은 1조2천억원으로 편성됐다.\n")), "ok", None,
         ("1조2천억원",)),
    Case("control", _text("control_chars.txt", "노원구\x07 주민 \x1b[1m참여\x1b[0m가 늘었다.\x0c성북구 예산은 30억원이다.\x01\n"),
         "ok", None, ("30억원",)),
    Case("absurd_numbers", _text("absurd_numbers.txt",
                                 "1,2,3억 32만만 999999999999999999조 1..5% 그리고 동대문구 예산은 7억원이다.\n"), "ok",
         None, ("7억원",)),
    Case("unbalanced", _text("unbalanced.txt", "사업 (예산 5억원 「청년 정책 ”미완성 [괄호 △공원 조성 {{{ 3개소\n"
                                               "((((((\n]]]]」」」\n\"\"\"'\n▷ 「도서관 건립(2곳\n"), "ok", None,
         ("5억원", "3개소", "2곳")),
    Case("bullets", _text("ten_thousand_bullets.txt", _ten_thousand_bullets()), "ok", None, (),
         ("생활시설0 조성", "생활시설9999 조성")),
    Case("symlink_loop", _symlink_loop_folder, "ok", None, ("3개소",)),
    Case("self_loop", _symlink("self_loop.txt", "self_loop.txt"), "error", r"unreadable: symbolic link loop"),
    Case("dangling", _symlink("dangling.txt", "missing-target.txt"), "error",
         r"unreadable: broken symbolic link \(its target missing-target\.txt does not exist\)"),
    Case("fifo", _fifo("named_pipe.txt"), "error", r"unreadable: not a regular file \(a named pipe\)"),
    Case("folder_named_txt", _folder_named_txt, "ok", None, ("17억원",)),
    Case("cp949_name", _write(CP949_NAME, "서초구 예산은 12억원이다.\n".encode("utf-8")), "ok", None, ("12억원",)),
    Case("upper_case", _text("UPPER_CASE.TXT", "강서구 공원 2곳을 조성한다. 사업비는 8억원이다.\n"), "ok", None, ("8억원",)),
]
NOT_TXT = ["notes.md", "photo.png", ".DS_Store", "report.hwp", "loop_dir/readme"]


def build_corpus(folder: Path) -> dict[str, str]:
    """The bad corpus in `folder`; case id -> the source it should be recorded under."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = {case.id: case.make(folder) for case in CASES}
    for name in NOT_TXT:
        (folder / name).write_bytes(b"not a text briefing")
    return sources


@dataclass
class Run:
    done: subprocess.CompletedProcess
    seconds: float
    out: Path
    rows: dict[str, list[dict]]
    manifest: dict


def read_output(out: Path) -> tuple[dict[str, list[dict]], dict]:
    rows = {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES}
    return rows, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _run(*args: str | Path, out: Path, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
    started = time.monotonic()
    if env is None:
        done = run_cli("run", *args, "--out", out, timeout=timeout)
    else:
        done = subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, args), "--out", str(out)],
                              cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env,
                              preexec_fn=_no_core_dumps)
    seconds = time.monotonic() - started
    rows, manifest = read_output(out) if (out / "manifest.json").exists() else ({}, {})
    return Run(done, seconds, out, rows, manifest)


def _no_core_dumps() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, str]]:
    root = tmp_path_factory.mktemp("messy")
    sources = build_corpus(root / "in")
    run = _run(root / "in", "--jobs", "2", "--no-cache", out=root / "out")
    assert run.done.returncode == 1, run.done.stderr
    return run, sources


def _doc(run: Run, source: str) -> dict:
    found = [d for d in run.rows["documents"] if d["source"] == source]
    assert len(found) == 1, (source, [d["source"] for d in run.rows["documents"]])
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_messy_input_gets_its_status_and_reason(corpus: tuple[Run, dict[str, str]], case: Case) -> None:
    run, sources = corpus
    doc = _doc(run, sources[case.id])
    assert doc["status"] == case.status, doc
    if case.reason is None:
        assert doc["error"] is None and doc["n_paragraphs"] > 0, doc
    else:
        assert doc["error"] is not None and re.fullmatch(case.reason, doc["error"]), doc["error"]
        assert "\n" not in doc["error"]
    metrics = [m["raw_text"] for m in run.rows["metrics"] if m["doc_id"] == doc["doc_id"]]
    projects = [p["name"] for p in run.rows["projects"] if p["doc_id"] == doc["doc_id"]]
    assert set(case.raw_texts) <= set(metrics), metrics
    assert set(case.projects) <= set(projects), projects[:5]
    assert doc["n_metrics"] == len(metrics) and doc["n_projects"] == len(projects)
    if case.status == "error":
        assert not metrics and not projects
        assert f"failed: {doc['source']}: {doc['error']}" in run.done.stderr


def test_the_good_briefing_keeps_every_row_beside_the_bad_files(corpus: tuple[Run, dict[str, str]], extract) -> None:
    run, _ = corpus
    doc = _doc(run, GOOD)
    alone = extract(SEED.read_text(encoding="utf-8"))
    assert alone.metrics and alone.projects
    got_m = [(m["para_idx"], m["raw_text"], m["value"], m["subject"]) for m in run.rows["metrics"]
             if m["doc_id"] == doc["doc_id"]]
    got_p = [(p["para_idx"], p["name"], p["section"]) for p in run.rows["projects"] if p["doc_id"] == doc["doc_id"]]
    assert got_m == [(m.para_idx, m.raw_text, m.value, m.subject) for m in alone.metrics]
    assert got_p == [(p.para_idx, p.name, p.section) for p in alone.projects]


def test_decoded_documents_record_their_encoding(corpus: tuple[Run, dict[str, str]]) -> None:
    run, sources = corpus
    expected = {"good": "utf-8", "cp949": "cp949", "euc_kr": "euc-kr", "utf16le": "utf-16-le",
                "utf16be": "utf-16-be", "nfd": "utf-8"}
    assert {case: _doc(run, sources[case])["encoding"] for case in expected} == expected


def test_decomposed_hangul_is_composed_and_the_file_name_kept(corpus: tuple[Run, dict[str, str]]) -> None:
    run, sources = corpus
    doc = _doc(run, NFD_NAME)                          # the name as on disk, so it can be found again
    texts = [p["text"] for p in run.rows["paragraphs"] if p["doc_id"] == doc["doc_id"]]
    assert texts == ["강남구 예산은 1조2천억원으로 편성됐다."]
    assert all(unicodedata.is_normalized("NFC", p["text"]) for p in run.rows["paragraphs"])


def test_control_characters_are_gone_and_page_breaks_split_lines(corpus: tuple[Run, dict[str, str]]) -> None:
    run, sources = corpus
    doc = _doc(run, sources["control"])
    texts = [p["text"] for p in run.rows["paragraphs"] if p["doc_id"] == doc["doc_id"]]
    assert texts == ["노원구 주민 [1m참여[0m가 늘었다.", "성북구 예산은 30억원이다."]
    for para in run.rows["paragraphs"]:
        assert not any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in para["text"]), para["text"][:80]


def test_absurd_numbers_give_no_nonsense(corpus: tuple[Run, dict[str, str]]) -> None:
    run, sources = corpus
    doc = _doc(run, sources["absurd_numbers"])
    metrics = [m for m in run.rows["metrics"] if m["doc_id"] == doc["doc_id"]]
    assert "7억원" in [m["raw_text"] for m in metrics]
    for m in metrics:
        assert not math.isnan(m["value"])


def test_the_ten_thousand_bullets_are_ten_thousand_projects(corpus: tuple[Run, dict[str, str]]) -> None:
    run, sources = corpus
    doc = _doc(run, sources["bullets"])
    names = [p["name"] for p in run.rows["projects"] if p["doc_id"] == doc["doc_id"]]
    assert names == [f"생활시설{i} 조성" for i in range(10_000)]


def test_files_that_are_not_txt_are_skipped_and_said_so(corpus: tuple[Run, dict[str, str]]) -> None:
    run, _ = corpus
    for name in NOT_TXT:
        assert re.search(rf"skipped \(not \.txt\): \S*/{re.escape(name)}$", run.done.stderr, re.M), name
        assert not any(d["source"].endswith(name) for d in run.rows["documents"])
    assert run.manifest["skipped_files"] == len(NOT_TXT)


def test_the_symlink_loop_is_not_followed(corpus: tuple[Run, dict[str, str]]) -> None:
    run, _ = corpus
    assert not [d["source"] for d in run.rows["documents"] if "/back/" in d["source"] or "/self/" in d["source"]]


def test_exit_code_summary_and_manifest_agree_with_the_tables(corpus: tuple[Run, dict[str, str]]) -> None:
    run, _ = corpus
    docs = run.rows["documents"]
    failed = [d for d in docs if d["status"] != "ok"]
    assert len(docs) == len(CASES) and len(failed) == sum(c.status == "error" for c in CASES)
    assert f"{len(failed)} failures" in run.done.stdout.strip().splitlines()[-1]
    assert run.manifest["row_counts"] == {t: len(run.rows[t]) for t in TABLES}
    assert [(i["doc_id"], i["status"]) for i in run.manifest["inputs"]] == [(d["doc_id"], d["status"]) for d in docs]
    assert [d["source"] for d in docs] == sorted(d["source"] for d in docs)


def test_every_offset_lies_in_its_paragraph(corpus: tuple[Run, dict[str, str]]) -> None:
    run, _ = corpus
    check_rows(run.rows)


def check_rows(rows: dict[str, list[dict]]) -> None:
    """raw_text at its offsets, names inside their items, paragraphs within the length limit."""
    text = {(p["doc_id"], p["para_idx"]): p["text"] for p in rows["paragraphs"]}
    for p in rows["paragraphs"]:
        assert p["n_chars"] == len(p["text"]) <= PARAGRAPH_MAX_CHARS and p["text"].strip()
    for m in rows["metrics"]:
        para = text[(m["doc_id"], m["para_idx"])]
        assert 0 <= m["char_start"] < m["char_end"] <= len(para), m
        assert para[m["char_start"]:m["char_end"]] == m["raw_text"], m
    for p in rows["projects"]:
        para = text[(p["doc_id"], p["para_idx"])]
        assert 0 <= p["char_start"] < p["char_end"] <= len(para), p
        assert p["name"] and p["name"] in para[p["char_start"]:p["char_end"]], p


# --------------------------------------------------------------------------- --strict

def test_strict_stops_at_the_first_failure_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / GOOD)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.parquet").write_bytes(b"previous output")
    run = _run(folder, "--strict", out=out)
    assert run.done.returncode == 1
    assert "empty.txt: empty: no text in the file" in run.done.stderr and "--strict" in run.done.stderr
    assert "image.txt" not in run.done.stderr                     # stopped at the first one
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet"]
    assert (out / "documents.parquet").read_bytes() == b"previous output"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_strict_stops_when_the_analyser_crashes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / GOOD)
    (folder / "crash.txt").write_text(f"{CRASH_MARKER} 예산은 3억원이다.\n", encoding="utf-8")
    run = _run(folder, "--strict", "--jobs", "2", "--no-cache", out=tmp_path / "out", env=_crash_env())
    assert run.done.returncode == 1, run.done.stderr
    assert re.search(r"error: crash\.txt: analyser crashed: .*SIGABRT.* \(--strict: nothing written\)", run.done.stderr)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the analyser dies

def _crash_env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(CRASH_HELPER), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def test_an_analyser_that_kills_its_worker_costs_only_that_document(tmp_path: Path, extract) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / GOOD)
    (folder / "crash.txt").write_text(f"첫 문단은 멀쩡하다.\n{CRASH_MARKER} 예산은 3억원이다.\n", encoding="utf-8")
    (folder / "other.txt").write_text("관악구 청년주택 120호를 공급한다. 사업비는 48억원이다.\n", encoding="utf-8")
    (folder / "zz_after.txt").write_text("구로구 △어린이공원 조성 △도서관 건립을 추진한다. 예산은 9억원이다.\n",
                                         encoding="utf-8")
    run = _run(folder, "--jobs", "2", "--no-cache", out=tmp_path / "out", env=_crash_env())
    assert run.done.returncode == 1, run.done.stderr
    docs = {d["source"]: d for d in run.rows["documents"]}
    assert docs["crash.txt"]["status"] == "error"
    assert docs["crash.txt"]["error"] == "analyser crashed: the worker process was killed by SIGABRT on this document"
    assert "failed: crash.txt: analyser crashed" in run.done.stderr
    for source in (GOOD, "other.txt", "zz_after.txt"):
        assert docs[source]["status"] == "ok" and docs[source]["n_metrics"] > 0, docs[source]
    good = [m["raw_text"] for m in run.rows["metrics"] if m["doc_id"] == docs[GOOD]["doc_id"]]
    assert good == [m.raw_text for m in extract(SEED.read_text(encoding="utf-8")).metrics]
    names = [p["name"] for p in run.rows["projects"] if p["doc_id"] == docs["zz_after.txt"]["doc_id"]]
    assert names == ["어린이공원 조성", "도서관 건립"]
    # the paragraphs of the crashed document are still there to look at
    assert [p["text"] for p in run.rows["paragraphs"] if p["doc_id"] == docs["crash.txt"]["doc_id"]][0] == \
        "첫 문단은 멀쩡하다."


# --------------------------------------------------------------------------- a 20 MB line

def _twenty_megabyte_line(path: Path) -> int:
    """A dump on one line: 1 MB of varied briefings (every digit redrawn, so each part is
    analysed), then the same briefing pasted over and over up to 20 MB."""
    import random
    seed = SEED.read_text(encoding="utf-8").replace("\n", " ")
    rng = random.Random(8)
    parts, size = [], 0
    while size < 2**20:
        part = re.sub("[0-9]", lambda _: rng.choice("123456789"), seed)
        parts.append(part)
        size += len(part.encode("utf-8"))
    while size < 20 * 2**20:
        parts.append(seed)
        size += len(seed.encode("utf-8"))
    path.write_text("".join(parts), encoding="utf-8")
    return size


def test_a_twenty_megabyte_single_line_file_is_processed_in_pieces(tmp_path: Path) -> None:
    """Cut into paragraphs and streamed through the analyser (its speed and memory are the
    benchmarks' business: benchmarks/run.py on a --single corpus)."""
    folder = tmp_path / "in"
    folder.mkdir()
    size = _twenty_megabyte_line(folder / "dump.txt")
    (folder / "small.txt").write_text("양천구 예산은 5억원이다.\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "--jobs", "2",
                           "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    rows, manifest = read_output(out)
    dump = next(d for d in rows["documents"] if d["source"] == "dump.txt")
    assert dump["status"] == "ok" and dump["n_bytes"] == size
    paragraphs = [p for p in rows["paragraphs"] if p["doc_id"] == dump["doc_id"]]
    assert all(p["line_no"] == 1 for p in paragraphs) and len(paragraphs) > size // (3 * PARAGRAPH_MAX_CHARS)
    assert sum(p["n_chars"] for p in paragraphs) == dump["n_chars"]
    assert dump["n_metrics"] > 1000 and dump["n_projects"] > 1000
    assert any(d["source"] == "small.txt" and d["n_metrics"] == 1 for d in rows["documents"])
    check_rows(rows)


# --------------------------------------------------------------------------- killed mid-write

def _complete_output(out: Path) -> str:
    """The manifest of a complete, consistent output folder (all five files, row counts and
    documents as the manifest says); fails the test otherwise."""
    present = sorted(p.name for p in out.iterdir() if p.name in OUTPUT_FILES)
    assert present == sorted(OUTPUT_FILES), present
    text = (out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    for table in TABLES:
        assert pq.read_table(out / f"{table}.parquet").num_rows == manifest["row_counts"][table], table
    ids = pq.read_table(out / "documents.parquet").column("doc_id").to_pylist()
    assert ids == [i["doc_id"] for i in manifest["inputs"]]
    return text


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _kill_when(args: list[str], when: Callable[[], Callable[[], bool]], timeout: float = 120) -> bool:
    """Start `python -m pipeline run ARGS`, SIGKILL it at the moment `when()` says; True if it
    was still running then. Its worker processes must die with it."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", *args], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moment = when()
    workers: set[int] = set()
    deadline = time.monotonic() + timeout
    scanned = 0.0
    try:
        while proc.poll() is None and not moment():
            if time.monotonic() - scanned > 0.05:
                workers |= _descendants(proc.pid)
                scanned = time.monotonic()
            assert time.monotonic() < deadline, "the moment never came"
            time.sleep(0.001)
        killed = proc.poll() is None
        workers |= _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        end = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "worker processes outlived the killed run"
        return killed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def _after(seconds: float) -> Callable[[], Callable[[], bool]]:
    def when() -> Callable[[], bool]:
        start = time.monotonic()
        return lambda: time.monotonic() - start >= seconds
    return when


def _once(condition: Callable[[], bool], delay: float = 0.0) -> Callable[[], Callable[[], bool]]:
    """`delay` seconds after `condition()` first holds."""
    def when() -> Callable[[], bool]:
        seen: list[float] = []

        def moment() -> bool:
            if not seen and condition():
                seen.append(time.monotonic())
            return bool(seen) and time.monotonic() - seen[0] >= delay
        return moment
    return when


def test_a_run_killed_at_any_moment_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    old_in, new_in, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    old_in.mkdir()
    new_in.mkdir()
    shutil.copy(SEED, old_in / GOOD)
    shutil.copy(SEED, new_in / GOOD)
    for i in range(6):
        (new_in / f"extra_{i}.txt").write_text(f"영등포구 {i}번째 사업비는 {i + 2}억원이다. △공원 조성 △도로 정비\n",
                                              encoding="utf-8")
    first = _run(old_in, "--jobs", "1", out=out)
    assert first.done.returncode == 0, first.done.stderr
    old = _complete_output(out)
    reference = _run(new_in, "--jobs", "2", "--no-cache", out=tmp_path / "reference")   # how long a run takes
    assert reference.done.returncode == 0, reference.done.stderr
    new = _complete_output(reference.out)
    assert new != old
    # Files of others in the output folder are carried over when publishing: many of them
    # make publishing long enough to be killed in the middle of it.
    notes = out / "notes"
    notes.mkdir()
    for i in range(3000):
        (notes / f"{i}.md").write_text("x")
    args = [str(new_in), "--out", str(out), "--jobs", "2", "--no-cache"]

    def staging() -> list[Path]:
        return [tmp_path / n for n in os.listdir(tmp_path) if n.startswith(f".{out.name}.new-")]

    def publishing() -> bool:
        return bool(staging())

    def tables_written_aside() -> bool:
        return any((p / "manifest.json").exists() for p in staging())

    def others_linked() -> bool:
        return any(len(os.listdir(p / "notes")) == 3000 for p in staging() if (p / "notes").is_dir())

    moments = [(f"{share:.0%} into the run", _after(share * reference.seconds)) for share in (0.15, 0.4, 0.7)]
    moments += [("as publishing starts", _once(publishing)), ("with the tables written aside", _once(tables_written_aside))]
    for label, when in moments:
        assert _kill_when(args, when), f"the run finished before the kill {label}"
        assert _complete_output(out) == old, f"killed {label}: the output changed"
        assert len(list(notes.iterdir())) == 3000
    # killed around the swap itself: the old or the new output, whole
    for delay in (0.0, 0.01, 0.02, 0.05):
        _kill_when(args, _once(others_linked, delay))
        assert _complete_output(out) in (old, new), f"killed {delay} s after linking: a mixed output"
        assert len(list(notes.iterdir())) == 3000
    final = _run(new_in, "--jobs", "2", "--no-cache", out=out)
    assert final.done.returncode == 0, final.done.stderr
    assert _complete_output(out) == new
    assert len(list(notes.iterdir())) == 3000
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")]
    assert not leftovers, leftovers


# --------------------------------------------------------------------------- determinism

def test_output_is_byte_identical_whatever_jobs_listing_order_and_cache(tmp_path: Path) -> None:
    files = {
        GOOD: SEED.read_bytes(),
        "b/cp949.txt": "똠방각하 도서관 건립 예산은 3억5천만원이다. △공원 조성 △주차장 확충\n".encode("cp949"),
        "b/bullets.txt": _ten_thousand_bullets()[:3000].encode("utf-8") + "\n".encode(),
        "c/absurd.txt": "1,2,3억 32만만 999999999999999999조 1..5% 예산은 7억원이다.\n".encode("utf-8"),
        "c/empty.txt": b"",
        NFD_NAME: unicodedata.normalize("NFD", "강남구 예산은 1조2천억원으로 편성됐다.\n").encode("utf-8"),
        "d/other.txt": "관악구 청년주택 120호를 공급한다. 사업비는 48억원이다.\n".encode("utf-8"),
    }
    order = list(files)
    for name, names in (("a", order), ("b", order[::-1])):
        root = tmp_path / name / "briefings"
        for i, rel in enumerate(names):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            for j in range(i if name == "b" else 0):            # churn the folder listing of b
                (path.parent / f"tmp{j}.tmp").write_bytes(b"")
                (path.parent / f"tmp{j}.tmp").unlink()
            path.write_bytes(files[rel])
    runs = [
        _run(tmp_path / "a" / "briefings", "--jobs", "1", "--no-cache", out=tmp_path / "out_a"),
        _run(tmp_path / "b" / "briefings", "--jobs", "2", out=tmp_path / "out_b"),
        _run(tmp_path / "b" / "briefings", "--jobs", "2", out=tmp_path / "out_b"),      # from the cache
    ]
    outputs = []
    for run in runs:
        assert run.done.returncode == 1, run.done.stderr                              # empty.txt
        outputs.append({name: (run.out / name).read_bytes() for name in OUTPUT_FILES})
    assert outputs[0] == outputs[1] == outputs[2]
    assert "0 documents" not in runs[2].done.stdout


# --------------------------------------------------------------------------- unwritable output

@pytest.mark.parametrize("where, reason", [
    ("a_file", r"exists and is not a folder"),
    ("under_a_file/out", r"is not a folder"),
    ("/proc/briefing-out", r"files cannot be created there \(/proc\)"),
])
def test_an_output_folder_that_cannot_be_written_stops_before_any_work(tmp_path: Path, where: str,
                                                                         reason: str) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "under_a_file").write_text("not a folder")
    out = Path(where) if where.startswith("/") else tmp_path / where
    before = sorted(p.name for p in tmp_path.iterdir())
    done = run_cli("run", SEED, "--out", out)
    assert done.returncode == 2
    assert re.search(rf"^error: cannot write the output folder {re.escape(str(out))}: .*{reason}", done.stderr, re.M), \
        done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --------------------------------------------------------------------------- property-based

PIECES = [
    "△", "▷", "○", "□", "ㅇ", "※", "- ", "· ", "1. ", "가. ", "①", "▲", "■", "◦",
    " ", " ", "  ", "\n", "\t", "|", "│", "=", ":", ",", ".", "..", "~", "∼", "(", ")", "「", "」", "\"", "'",
    "[", "]", "{", "}", "<", ">", "※", "%", "%p", "㎡",
    "0", "1", "2", "3", "5", "9", "10", "32", "120", "1,250", "4,204", "11.9", "0.5", "1..5", "1,2,3", ",000",
    "십", "백", "천", "만", "억", "조", "만만", "억억", "점", "삼십이만", "일", "이", "오", "한 ", "두 ", "세 ", "열 ",
    "원", "명", "개", "개소", "호", "년", "km", "톤", "억원", "천원", "만원",
    "약 ", "여", " 이상", " 미만", "가량", "마이너스 ", "△1,920",
    "사업", "조성", "건립", "추진", "예정", "완료", "확대", "강화", "지원", "리모델링", "도서관", "공원", "예산",
    "인구", "일자리", "은 ", "는 ", "이 ", "가 ", "을 ", "를 ", "으로 ", "에서 ", "보다 ", "와 ", "및 ", "등 ",
    "하며 ", "하고 ", "했다.", "한다. ", "증가", "감소", "늘었다", "줄었다", "지난해 ", "올해 ", "2018년 ",
    "32만6,359명", "4천772억원", "1조 162억원", "3~5개소", "20여개", "999999999999999999조", "32만만",
    "(단위 : 천원)", "구분 | 2017 | 2018 | 증감", "\u00a0", "\u3000", "\u200b", "ㆍ", "⋅", "％", "１２",
]
_pieces = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
messy_text = st.one_of(
    _pieces,
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(sorted(set("".join(PIECES)))), max_size=300),
    st.tuples(_pieces, st.integers(1, 80)).map(lambda t: t[0] * t[1]),      # long, repetitive lines
)
EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_text)
def test_the_number_grammar_never_raises_and_its_spans_lie_in_the_text(lex, text: str) -> None:
    for q in parse_quantities(text, lex):
        assert 0 <= q.start < q.end <= len(text), (text, q)
        assert not math.isnan(q.value) and (q.value_max is None or not math.isnan(q.value_max)), (text, q)


@EXAMPLES
@given(messy_text)
def test_the_bullet_segmenter_never_raises_and_its_items_lie_in_the_paragraph(lex, text: str) -> None:
    paragraphs = split_paragraphs("p", normalise(text))
    analyses = analyse([p.text for p in paragraphs])
    for para, sentences in zip(paragraphs, analyses):
        text, n = para.text, len(para.text)                       # the paragraph, from here on
        spans = [(q.start, q.end) for q in parse_quantities(text, lex)]
        items = []
        marker = P.line_marker(text, lex, 0, n, set())
        if marker is not None:
            item = P.line_item(text, marker, n, spans, lex)
            items += [item] if item else []
        markers = P.find_markers(text, lex, 0, n, True, set())
        for mk in markers:
            assert 0 <= mk.start < mk.end <= n and text[mk.start:mk.end] == mk.symbol
        for s in sentences:
            in_sentence = [m for m in markers if s.start <= m.start < s.end]
            if in_sentence:
                tokens = [t for t in s.tokens]
                items += P.inline_items(text, tokens, in_sentence, s.end, lex, spans)
        for item in items:
            assert 0 <= item.marker.start < item.marker.end <= item.start <= item.name_start, (text, item)
            assert item.name_start < item.name_end <= item.end <= n, (text, item)
            assert text[item.name_start:item.name_end].strip(), (text, item)


@EXAMPLES
@given(messy_text)
def test_the_per_document_path_never_raises_and_every_row_points_into_its_paragraph(extract, text: str) -> None:
    paragraphs = split_paragraphs("example", normalise(text))      # as extract_text splits them
    result = extract(text)
    rows = {
        "paragraphs": [{"doc_id": "example", "para_idx": p.para_idx, "text": p.text, "n_chars": len(p.text)}
                       for p in paragraphs],
        "metrics": [{"doc_id": m.doc_id, "para_idx": m.para_idx, "char_start": m.char_start, "char_end": m.char_end,
                     "raw_text": m.raw_text} for m in result.metrics],
        "projects": [{"doc_id": p.doc_id, "para_idx": p.para_idx, "char_start": p.char_start, "char_end": p.char_end,
                      "name": p.name} for p in result.projects],
    }
    check_rows(rows)
    for m in result.metrics:
        assert not math.isnan(m.value), m


def test_reasons_are_one_storable_line_of_bounded_length() -> None:
    from pipeline.reasons import REASON_MAX_CHARS, one_line
    assert one_line("processing failed: ValueError: bad\n  second line") == \
        "processing failed: ValueError: bad second line"
    assert one_line("unreadable: \udcff name") == "unreadable: \\udcff name"
    assert len(one_line("x" * 10_000)) == REASON_MAX_CHARS and one_line("") == "unknown error"
