"""Stage 1 in-process: discovery, reading, decoding, normalisation, paragraphs (issue 8)."""
from __future__ import annotations

import os
import random
import signal
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import ingest
from pipeline.ingest import (PARAGRAPH_MAX_CHARS, IngestError, Source, decode, discover, display_name, line_pieces,
                             make_doc_id, normalise, read_bytes, read_document, reading_form, split_paragraphs)

KOREAN = "서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다.\n△도서관 건립 △공원 조성\n"


# --------------------------------------------------------------------------- decoding

@pytest.mark.parametrize("data, encoding", [
    (KOREAN.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + KOREAN.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + KOREAN.encode("utf-16-le"), "utf-16-le"),
    (b"\xfe\xff" + KOREAN.encode("utf-16-be"), "utf-16-be"),
    (b"\xff\xfe\x00\x00" + KOREAN.encode("utf-32-le"), "utf-32-le"),
    (b"\x00\x00\xfe\xff" + KOREAN.encode("utf-32-be"), "utf-32-be"),
    (KOREAN.encode("euc-kr"), "euc-kr"),
    (("똠방각하 " + KOREAN).encode("cp949"), "cp949"),             # 똠 is CP949, not EUC-KR
    ((KOREAN * 20).encode("utf-16-le"), "utf-16-le"),               # no BOM: detected
])
def test_every_encoding_of_korean_text_is_read(data: bytes, encoding: str) -> None:
    text, found = decode(data)
    assert found == encoding
    assert text.endswith(KOREAN) and "\x00" not in text


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-1.7\n", "PDF document"), (b"PK\x03\x04", "ZIP archive"),
    (b"\xff\xd8\xff\xe0", "JPEG image"), (b"GIF89a", "GIF image"), (b"\x1f\x8b\x08", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office / HWP 5 document"), (b"HWP Document File", "HWP document"),
    (b"{\\rtf1\\ansi", "RTF document"), (b"\x7fELF\x02", "executable"), (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00\x05\x16\x07\x00\x02", "macOS resource fork"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
])
def test_binary_files_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(IngestError, match=rf"^not text: binary content \({kind}\)$"):
        decode(data + bytes(100))


def test_nul_bytes_mean_binary_but_a_stray_one_is_dropped() -> None:
    with pytest.raises(IngestError, match=r"^not text: binary content \(NUL bytes\)$"):
        decode("한글\x00 본문".encode("utf-8"))
    with pytest.raises(IngestError, match=r"NUL bytes"):
        decode(bytes(random.Random(1).randrange(256) for _ in range(5000)) + bytes(200))
    for text in ("가나다 " * 3000 + "\x00 끝", "첫 줄에\x00 " + "NUL 하나가 있는 긴 글입니다. " * 5):   # < 1 %, far in or near the start
        decoded, _ = decode(text.encode("utf-8"))
        assert "\x00" not in normalise(decoded)


def test_reading_says_which_control_characters_it_dropped_and_where(tmp_path: Path) -> None:
    text = "첫 줄\n" + "둘째 줄에 NUL이 하나, 벨이 하나 있습니다. " * 4 + "\x00\x07\n셋째 줄 \x1b\n"
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    doc, paragraphs = read_document(Source(tmp_path / "x.txt", "x.txt"))
    assert doc.status == "ok" and len(paragraphs) == 3
    assert doc.read_warnings == ["line 2: dropped 3 control characters (NUL ×1, BEL ×1, ESC ×1), from this line on"]
    (tmp_path / "y.txt").write_text("깨끗한 글\n", encoding="utf-8")
    assert read_document(Source(tmp_path / "y.txt", "y.txt"))[0].read_warnings == []


@pytest.mark.parametrize("at", [0, 1, 1834, 5000])
def test_invalid_utf8_says_at_which_byte(at: int) -> None:
    head = ("가나다라 " * (at // 13) + "a" * (at % 13)).encode("utf-8")       # 13 bytes a unit
    assert len(head) == at
    data = head + b"\xff\xff" + "마바사".encode("utf-8")
    with pytest.raises(IngestError, match=rf"^undecodable: invalid UTF-8 at byte {len(head)} and not CP949$"):
        decode(data)


def test_damaged_utf8_is_not_read_as_cp949_mojibake() -> None:
    good = ("각간감갑 " * 200).encode("utf-8")
    data = good + "가".encode("cp949") + good
    data.decode("cp949")                       # it would decode as CP949 (into nonsense) ...
    with pytest.raises(IngestError, match=rf"^undecodable: invalid UTF-8 at byte {len(good)} and not CP949$"):
        decode(data)                           # ... but it is UTF-8 with a bad byte in the middle


def test_invalid_bom_marked_text_says_where() -> None:
    with pytest.raises(IngestError, match=r"^undecodable: invalid UTF-16-LE at byte 6$"):
        decode(b"\xff\xfe" + "가나".encode("utf-16-le") + b"\x00\xdc")       # a lone low surrogate


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_decode_of_any_bytes_gives_text_or_a_one_line_reason(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except IngestError as exc:
        reason = str(exc)
        assert reason.startswith(("not text: ", "undecodable: ")) and "\n" not in reason
    else:
        assert encoding and text.count("\x00") * 100 <= len(text)


# --------------------------------------------------------------------------- normalisation

def test_normalise_composes_hangul_and_drops_control_characters() -> None:
    assert normalise(unicodedata.normalize("NFD", "강남구 예산")) == "강남구 예산"
    assert normalise("a\x07b\x1b[1mc\x7f\td") == "ab[1mc\td"
    assert normalise("한\u200e글\u202e자\u2066") == "한글자"
    assert normalise("서울⋅부산ㆍ대구 ３０％\u00a0증가") == "서울⋅부산ㆍ대구 30% 증가"   # dots as written
    assert reading_form("서울⋅부산ㆍ대구‧광주") == "서울·부산·대구·광주"


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1c", "\x1e"])
def test_every_line_or_page_break_ends_a_paragraph(brk: str) -> None:
    paragraphs = split_paragraphs("d", normalise(f"첫 줄 3억원{brk}둘째 줄 5억원"))
    assert [p.text for p in paragraphs] == ["첫 줄 3억원", "둘째 줄 5억원"]


# --------------------------------------------------------------------------- paragraphs

def test_a_short_line_is_one_paragraph_with_its_line_number() -> None:
    paragraphs = split_paragraphs("d", "\n  첫 문단  \n\n \t\n둘째 문단\n")
    assert [(p.para_idx, p.line_no, p.text) for p in paragraphs] == [(0, 2, "  첫 문단"), (1, 5, "둘째 문단")]


def _pieces_ok(line: str, limit: int) -> list[str]:
    spans = line_pieces(line, limit)
    assert spans == sorted(spans)
    covered = 0
    for a, b in spans:
        assert not line[covered:a].strip()                 # only blanks are left out between pieces
        assert 0 < b - a <= limit and line[a:b].strip()
        covered = b
    assert not line[covered:].strip()
    return [line[a:b] for a, b in spans]


def test_a_long_line_is_cut_at_sentence_ends() -> None:
    line = " ".join(f"{i}번째 사업의 예산은 {i}억원이다." for i in range(2000))
    pieces = _pieces_ok(line, PARAGRAPH_MAX_CHARS)
    assert len(pieces) > 1 and all(p.endswith("이다.") for p in pieces)
    assert all(len(p) >= PARAGRAPH_MAX_CHARS // 4 for p in pieces[:-1])
    paragraphs = split_paragraphs("d", "제목\n" + line + "\n끝")
    assert {p.line_no for p in paragraphs[1:-1]} == {2} and [p.para_idx for p in paragraphs] == list(
        range(len(paragraphs)))


def test_a_long_list_without_sentence_ends_is_cut_before_a_bullet() -> None:
    line = "주요사업으로 " + " ".join(f"△생활시설{i} 조성" for i in range(3000)) + " 등을 추진한다."
    pieces = _pieces_ok(line, PARAGRAPH_MAX_CHARS)
    assert len(pieces) > 1 and all(p.startswith("△") for p in pieces[1:])
    assert all(p.endswith("조성") for p in pieces[:-1])


def test_a_line_without_any_blank_is_cut_anyway() -> None:
    pieces = _pieces_ok("가" * 50_000, 4000)
    assert "".join(pieces) == "가" * 50_000


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["가나다", " ", "   ", "\t", "다. ", "?", "△", "①", "x", "3", "。", "」. "]),
                max_size=400).map("".join), st.sampled_from([8, 40, 300]), st.integers(1, 40))
def test_pieces_of_any_line_cover_it_within_the_limit(unit: str, limit: int, times: int) -> None:
    line = (unit * times).rstrip()
    if line.strip():
        _pieces_ok(line, limit)
    else:
        assert line_pieces(line, limit) == []


# --------------------------------------------------------------------------- reading files

def _no_hang(seconds: int = 5):
    def alarm(*_):
        raise TimeoutError("reading blocked")
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)


@pytest.fixture
def no_hang():
    _no_hang()
    yield
    signal.alarm(0)


def test_unreadable_files_have_a_reason_and_never_block(tmp_path: Path, no_hang) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "device.txt").symlink_to("/dev/zero")
    expected = {
        "pipe.txt": "unreadable: not a regular file (a named pipe)",
        "dangling.txt": "unreadable: broken symbolic link (its target nowhere.txt does not exist)",
        "loop.txt": "unreadable: symbolic link loop",
        "dir.txt": "unreadable: not a regular file (a folder)",
        "device.txt": "unreadable: not a regular file (a character device)",
        "gone.txt": "unreadable: the file disappeared before it could be read",
    }
    for name, reason in expected.items():
        doc, paragraphs = read_document(Source(tmp_path / name, name))
        assert (doc.status, doc.error, paragraphs, doc.sha256) == ("error", reason, [], ""), name
        assert doc.doc_id == make_doc_id(name, "")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:                              # sparse: costs no disk
        fh.truncate(ingest.MAX_FILE_BYTES + 1)
    with pytest.raises(IngestError, match=r"^too large: 512 MB \(the limit is 512 MB\)$"):
        read_bytes(big)
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    (tmp_path / "small.txt").write_bytes(b"x" * 1000)
    assert read_bytes(tmp_path / "small.txt") == b"x" * 1000


@pytest.mark.parametrize("data, reason", [
    (b"", "empty: no text in the file"),
    (b" \r\n\t\n\xe3\x80\x80\n", "empty: only white space"),                  # U+3000 is a space too
    (b"\x01\x02 \x07\n", "empty: only white space and control characters"),
    (b"\xef\xbb\xbf", "empty: only white space"),
])
def test_empty_documents_say_why(tmp_path: Path, data: bytes, reason: str) -> None:
    (tmp_path / "x.txt").write_bytes(data)
    doc, paragraphs = read_document(Source(tmp_path / "x.txt", "x.txt"))
    assert (doc.status, doc.error, paragraphs, doc.n_bytes) == ("error", reason, [], len(data))


def test_a_good_document_records_what_was_read(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(KOREAN.encode("cp949"))
    doc, paragraphs = read_document(Source(tmp_path / "x.txt", "x.txt"))
    assert (doc.status, doc.error, doc.encoding, doc.n_paragraphs) == ("ok", None, "euc-kr", 2)
    assert doc.n_chars == sum(len(p.text) for p in paragraphs) and doc.n_bytes == len(KOREAN.encode("cp949"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_reading_any_file_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    doc, paragraphs = read_document(Source(path, "any.txt"))
    if doc.status == "ok":
        assert paragraphs and doc.error is None and doc.n_paragraphs == len(paragraphs)
        assert all(p.text.strip() and "\n" not in p.text and len(p.text) <= PARAGRAPH_MAX_CHARS for p in paragraphs)
    else:
        assert doc.error and "\n" not in doc.error and not paragraphs


# --------------------------------------------------------------------------- discovery

def _tree(root: Path) -> None:
    for rel in ("b/2.txt", "a/1.txt", "a/z/3.TXT", "c.txt", "notes.md", "a/.DS_Store", "b/img.png"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / "a" / "loop").symlink_to("..", target_is_directory=True)


def test_discovery_is_sorted_skips_non_txt_and_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover([tmp_path])
    assert [s.source for s in found.sources] == ["a/1.txt", "a/z/3.TXT", "b/2.txt", "c.txt"]
    assert found.skipped == sorted(str(tmp_path / r) for r in ("notes.md", "a/.DS_Store", "b/img.png"))


def test_discovery_does_not_depend_on_the_order_the_file_system_lists(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    expected = discover([tmp_path, tmp_path / "c.txt"])
    scandir = os.scandir
    for seed in range(5):
        rng = random.Random(seed)

        class Shuffled:
            def __init__(self, path: str) -> None:
                self.entries = list(scandir(path))
                rng.shuffle(self.entries)

            def __enter__(self) -> list:
                return self.entries

            def __exit__(self, *exc: object) -> None:
                pass
        monkeypatch.setattr(ingest.os, "scandir", Shuffled)
        inputs = [tmp_path / "c.txt", tmp_path] if seed % 2 else [tmp_path, tmp_path / "c.txt"]
        assert discover(inputs) == expected


def test_sources_are_named_from_the_inputs_common_folder(tmp_path: Path) -> None:
    for rel in ("2024/budget.txt", "2025/budget.txt", "2025/sub/note.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [s.source for s in discover([tmp_path / "2024", tmp_path / "2025"]).sources] == [
        "2024/budget.txt", "2025/budget.txt", "2025/sub/note.txt"]
    assert [s.source for s in discover([tmp_path / "2025"]).sources] == ["budget.txt", "sub/note.txt"]
    assert [s.source for s in discover([tmp_path / "2025" / "sub" / "note.txt"]).sources] == ["note.txt"]
    assert [s.source for s in discover([tmp_path / "2025", tmp_path / "2025" / "budget.txt"]).sources] == [
        "budget.txt", "sub/note.txt"]                                   # the same file once


def test_the_order_of_sources_does_not_depend_on_how_the_inputs_are_written(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for rel in ("x/b.txt", "x/a.txt", "y/a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    monkeypatch.chdir(tmp_path)
    one = discover([Path("x"), Path("y")])
    other = discover([tmp_path / "y", Path("./x/")])
    assert [(s.source, s.path) for s in one.sources] == [(s.source, s.path) for s in other.sources]
    assert [s.source for s in one.sources] == ["x/a.txt", "x/b.txt", "y/a.txt"]
    assert all(s.path.is_absolute() for s in one.sources)


def test_folders_the_run_calls_its_own_are_not_walked(tmp_path: Path) -> None:
    for rel in ("a.txt", "out/metrics.txt", "out/.cache/x.txt", ".out.new-1-x/documents.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = discover([tmp_path], lambda entry: entry.name in ("out", ".out.new-1-x"))
    assert [s.source for s in found.sources] == ["a.txt"]


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1200):
        deep = deep / "d"
        os.mkdir(deep)
    (deep / "bottom.txt").write_text("x")
    try:
        assert [s.source for s in discover([tmp_path]).sources] == ["d/" * 1200 + "bottom.txt"]
    finally:                                      # bottom up: pytest's own cleanup would recurse
        (deep / "bottom.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_a_folder_that_cannot_be_listed_is_a_failed_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    scandir = os.scandir

    def refusing(path="."):
        if Path(path) == tmp_path / "b":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)
    monkeypatch.setattr(os, "scandir", refusing)
    found = discover([tmp_path])
    assert [s.source for s in found.sources] == ["a/1.txt", "a/z/3.TXT", "b", "c.txt"]
    doc, _ = read_document(found.sources[2])
    assert (doc.status, doc.error) == ("error", "unreadable folder: permission denied")


def test_file_names_that_are_not_utf8_become_readable_text(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/" + "예산.txt".encode("cp949")
    open(raw, "wb").close()
    open(os.fsencode(tmp_path) + b"/bad\xff\xfe.txt", "wb").close()
    sources = sorted(s.source for s in discover([tmp_path]).sources)
    assert sources == ["bad\\xff\\xfe.txt", "예산.txt"]
    for s in sources:
        s.encode("utf-8")
        make_doc_id(s, "")
    assert display_name("폴더/" + os.fsdecode("예산.txt".encode("cp949"))) == "폴더/예산.txt"
    assert display_name(unicodedata.normalize("NFD", "강남.txt")) == unicodedata.normalize("NFD", "강남.txt")
