"""Stage 1: find the input files, decode them, normalise the text, split paragraphs.

Real folders are messy, so nothing here raises for one bad file: a file that cannot be
read or is not text comes back as a document with status error and a one-line reason.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.morphology import WINDOW_CHARS
from pipeline.records import Document, Paragraph

MAX_FILE_BYTES = 512 * 1024 * 1024   # larger files are refused, not read into memory
PARAGRAPH_MAX_CHARS = WINDOW_CHARS   # longer lines are cut into paragraphs (at sentence ends), so that
                                     # the analyser never has to cut one at a worse place
BINARY_SNIFF_BYTES = 8000            # in undecodable bytes, a NUL byte this near the start means binary
BINARY_NUL_PERCENT = 1               # decoded text with more NUL characters than this is binary


class IngestError(Exception):
    """A document cannot be read as text; the message is the reason users see."""


@dataclass
class Source:
    path: Path
    source: str                # relative to the inputs' common folder, always valid UTF-8 text
    error: str | None = None   # set when discovery already knows the source cannot be read
    size: int = 0              # bytes on disk when found (0 when unknown): what shards are cut by


@dataclass
class Discovery:
    sources: list[Source]
    skipped: list[str]    # files passed over (not .txt), said so to the user


def display_name(name: str) -> str:
    """A path as text that can be stored: a component that is not UTF-8 (CP949 names from
    Korean Windows zips, undecodable bytes kept by the file system) is decoded as CP949,
    else shown with backslash escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    parts = []
    for part in os.fsencode(name).split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(part.decode("cp949"))
            except UnicodeDecodeError:
                parts.append(part.decode("utf-8", "backslashreplace"))
    return "/".join(parts)


def common_folder(inputs: list[Path]) -> Path:
    """The folder sources are named from: the deepest folder holding every input (a folder
    input holds itself, a file input is held by its folder), so that `2024/budget.txt` and
    `2025/budget.txt` keep their folders apart and `X Y` names files as `/abs/Y X` does."""
    folders = [os.path.abspath(p) if p.is_dir() else os.path.dirname(os.path.abspath(p)) for p in inputs]
    return Path(os.path.commonpath(folders)) if folders else Path(os.getcwd())


def _name(path: str, base: Path) -> str:
    return display_name(os.path.relpath(path, base))


def _reason(exc: OSError) -> str:
    return "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()


def discover(inputs: list[Path], skip_folder: Callable[[os.DirEntry], bool] | None = None) -> Discovery:
    """Every `*.txt` under the inputs, named relative to their common folder and sorted by
    that name (however the inputs were written, in whatever order). The walk keeps its own
    stack, so a tree of any depth is walked; symlinked folders are not followed (a symlink
    loop cannot trap it); a folder that cannot be listed is a failed source; `skip_folder`
    leaves out folders that are not input (the run's own output and cache)."""
    base = common_folder(inputs)
    found: dict[str, Source] = {}
    skipped: list[str] = []
    for given in inputs:
        top = os.path.abspath(given)
        if not given.is_dir():
            found.setdefault(top, Source(Path(top), _name(top, base), size=_size_of(top)))
            continue
        folders = [top]
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:
                name = _name(folder, base) if folder != top or len(inputs) > 1 else (given.name or str(given))
                found.setdefault(folder, Source(Path(folder), name, f"unreadable folder: {_reason(exc)}"))
                continue
            for entry in entries:
                if _is_folder(entry):
                    if not entry.is_symlink() and not (skip_folder and skip_folder(entry)):
                        folders.append(entry.path)
                elif entry.name.lower().endswith(".txt"):
                    found.setdefault(entry.path, Source(Path(entry.path), _name(entry.path, base),
                                                        size=_size_of(entry.path)))
                else:
                    skipped.append(display_name(os.path.join(given, os.path.relpath(entry.path, top))))
    return Discovery(sorted(found.values(), key=lambda s: (s.source, str(s.path))), sorted(skipped))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _size_of(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


_MAGIC = [
    (b"\x89PNG", "PNG image"), (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"), (b"\xd0\xcf\x11\xe0", "MS Office / HWP 5 document"),
    (b"HWP Document", "HWP document"), (b"{\\rtf", "RTF document"), (b"\x7fELF", "executable"),
    (b"Rar!\x1a\x07", "RAR archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\x00\x05\x16\x07", "macOS resource fork"),
    (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"),
]
# UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
_HANGUL_SYLLABLE = regex.compile(r"[\uac00-\ud7a3]")


def _binary_nul(text: str) -> bool:
    """More than 1 % NUL: not a text file. A stray NUL in good text is dropped, with a warning."""
    return text.count("\x00") * 100 > BINARY_NUL_PERCENT * len(text)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding found: BOMs, UTF-8, CP949/EUC-KR, then detection.

    Raises IngestError with the reason users see for binary or undecodable content.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"not text: binary content ({kind})")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise IngestError(f"undecodable: invalid {name.upper()} at byte {exc.start + len(bom)}") from None
            if _binary_nul(text):
                raise IngestError("not text: binary content (NUL bytes)")
            return text, name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        bad = utf8_error.start
    else:
        if _binary_nul(text):
            raise IngestError("not text: binary content (NUL bytes)")
        return text, "utf-8"
    # Not UTF-8. A long valid UTF-8 stretch of Hangul before the bad byte means a damaged
    # UTF-8 file: reading it as CP949 would only give mojibake.
    head = data[max(0, bad - 6000):bad].decode("utf-8", "ignore")
    if len(_HANGUL_SYLLABLE.findall(head)) < 3:
        for name in ("euc-kr", "cp949"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if not _binary_nul(text):
                return text, name
            break
    if data.count(b"\x00"):
        import charset_normalizer          # only here, for the rare file with NUL bytes (UTF-16 without a BOM?)
        guess = charset_normalizer.from_bytes(data[:1_000_000]).best()
        if guess is not None and guess.encoding.startswith("utf_16"):
            name = guess.encoding.replace("_", "-")
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" not in text:
                return text, name
        if data.count(b"\x00") * 100 > len(data) or b"\x00" in data[:BINARY_SNIFF_BYTES]:
            raise IngestError("not text: binary content (NUL bytes)")
    raise IngestError(f"undecodable: invalid UTF-8 at byte {bad} and not CP949")


_SAME_CHARACTER = str.maketrans({
    "\u00a0": " ", "\u3000": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ",
    "\u200b": None, "\ufeff": None, "\u2060": None, "\u00ad": None,
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\uff5e": "~", "\u301c": "~",
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    "\uff05": "%", "\uff0c": ",", "\uff0e": ".", "\uff1a": ":", "\uff08": "(", "\uff09": ")",
    "\uff0b": "+", "\uff0d": "-", "\uff1d": "=", "\uff0f": "/",
    # line and page breaks other than \n (form feed, vertical tab, NEL, Unicode separators)
    "\x0b": "\n", "\x0c": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n", "\x85": "\n",
    "\u2028": "\n", "\u2029": "\n",
    # invisible direction marks and overrides
    "\u200e": None, "\u200f": None, "\u202a": None, "\u202b": None, "\u202c": None, "\u202d": None,
    "\u202e": None, "\u2066": None, "\u2067": None, "\u2068": None, "\u2069": None,
})
_SAME_CHARACTER_FOUND = regex.compile("[" + "".join(regex.escape(chr(c)) for c in _SAME_CHARACTER) + "]")
_CONTROL = regex.compile(r"[\p{Cc}--[\t\n]]", flags=regex.V1)


# Middle dots that look alike (ㆍ ⋅ ・ ‧ ∙): the text keeps them as written, extraction reads
# them all as `·` (pipeline/lookalikes.py), and its rows give them back as the text has them.
MIDDLE_DOTS = "\u318d\u22c5\u30fb\u2027\u2219"
_READING_FORM = str.maketrans({dot: "·" for dot in MIDDLE_DOTS})


def reading_form(text: str) -> str:
    """The text as extraction reads it: every middle dot as `·` (the same length)."""
    return text.translate(_READING_FORM)


def normalise(text: str) -> str:
    """NFC, one form for characters that mean the same, no control characters, \\n line ends."""
    return clean(text)[0]


def clean(text: str) -> tuple[str, str | None]:
    """normalise, and what it dropped: a warning naming the control characters (NUL, ESC …)
    and the first line that held one, or None when there were none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _SAME_CHARACTER_FOUND.search(text):         # translate looks every character up: only when needed
        text = text.translate(_SAME_CHARACTER)
    first = _CONTROL.search(text)
    if first is None:
        return text, None
    counts = Counter(_CONTROL.findall(text, first.start()))
    named = ", ".join(f"{_control_name(ch)} ×{n}" for ch, n in sorted(counts.items()))
    line = text.count("\n", 0, first.start()) + 1
    total = sum(counts.values())
    warning = (f"line {line}: dropped a control character ({named[:-3]})" if total == 1 else
               f"line {line}: dropped {total} control characters ({named}), from this line on")
    return _CONTROL.sub("", text), warning


_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1b: "ESC", 0x7f: "DEL"}


def _control_name(ch: str) -> str:
    return _CONTROL_NAMES.get(ord(ch), f"U+{ord(ch):04X}")


# Where an overlong line is cut: after a sentence end (a period, ? or ! after a word, not
# after a digit as in `1.` or `2015. 3.`), before a word or a number that is not a bullet
# marker (`1.`, `2)`).
_SENTENCE_CUT = regex.compile(
    r"(?<=[\p{Hangul}\p{Latin}\)\]\"'”’」』][.?!。])[ \t]++(?=[\p{Hangul}\p{Latin}]|\d++(?![.)]))")
# The others match at the start of a run of blanks only (each run is tried once: linear time).
_MARKER_CUT = regex.compile(r"(?<![ \t])[ \t]++(?=[\p{So}\p{No}])")   # before a bullet (△ ▷ ○ □ ①): the run goes on
_WORD_CUT = regex.compile(r"(?<![ \t])[ \t]++(?=\p{Hangul})")
_ANY_SPACE = regex.compile(r"(?<![ \t])[ \t]++(?=\S)")


def line_pieces(line: str, limit: int = PARAGRAPH_MAX_CHARS) -> list[tuple[int, int]]:
    """Spans of a line as paragraphs: the line itself, or for a line longer than `limit`
    (a dump saved on one line) pieces of at most `limit` characters (mostly more than half
    of it) cut at sentence ends, else before a bullet, else between words, else anywhere. Extraction works paragraph by paragraph, so
    this keeps its cost in proportion to the text."""
    n = len(line)
    if n <= limit:
        return [(0, n)] if line.strip() else []
    spans: list[tuple[int, int]] = []
    start = 0
    while n - start > limit:
        balanced = (start + limit // 2, min(start + limit, n - limit // 2))    # no short piece at the end
        wide = (start + limit // 4, start + limit)
        cut: tuple[int, int] | None = None
        for pattern in (_SENTENCE_CUT, _MARKER_CUT, _WORD_CUT, _ANY_SPACE):
            for lo, hi in (balanced, wide):
                for m in pattern.finditer(line, lo, hi):
                    cut = (m.start(), m.end())
                if cut:
                    break
            if cut:
                break
        end, next_start = cut or (balanced[1], balanced[1])
        spans.append((start, end))
        while next_start < n - limit // 2 and line[next_start] in " \t":    # a piece does not start blank
            next_start += 1
        start = next_start
    spans.append((start, n))
    return [(a, b) for a, b in spans if line[a:b].strip()]


def split_paragraphs(doc_id: str, text: str) -> list[Paragraph]:
    """One paragraph per non-blank line, trailing spaces dropped; line_no keeps the place.
    A line longer than PARAGRAPH_MAX_CHARS gives several paragraphs with the same line_no."""
    paragraphs: list[Paragraph] = []
    for line_no, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        for a, b in line_pieces(line):
            paragraphs.append(Paragraph(doc_id, len(paragraphs), line_no, line[a:b].rstrip()))
    return paragraphs


def make_doc_id(source: str, sha256: str) -> str:
    return hashlib.sha256(f"{source}\n{sha256}".encode("utf-8", "backslashreplace")).hexdigest()[:16]


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _size(n: int) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; IngestError with the reason users see otherwise. Never
    blocks on a named pipe and never reads a device or more than MAX_FILE_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise IngestError(f"unreadable: broken symbolic link (its target {os.readlink(path)} does not exist)"
                              ) from None
        if exc.errno == errno.ENOENT:
            raise IngestError("unreadable: the file disappeared before it could be read") from None
        if exc.errno == errno.ELOOP:
            raise IngestError("unreadable: symbolic link loop") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise IngestError("unreadable: permission denied") from None
        if exc.errno == errno.ENXIO:
            raise IngestError("unreadable: not a regular file (a socket)") from None
        raise IngestError(f"unreadable: {(exc.strerror or type(exc).__name__).lower()}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(f"unreadable: not a regular file ({_kind(info.st_mode)})")
        if info.st_size > MAX_FILE_BYTES:
            raise IngestError(f"too large: {_size(info.st_size)} (the limit is {_size(MAX_FILE_BYTES)})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise IngestError(f"too large: more than {_size(MAX_FILE_BYTES)}")
        return b"".join(chunks)
    except OSError as exc:
        raise IngestError(f"unreadable: {(exc.strerror or type(exc).__name__).lower()}") from None
    finally:
        os.close(fd)


def read_document(src: Source) -> tuple[Document, list[Paragraph]]:
    """Read one file; a file that is not usable text comes back with status error."""
    try:
        data = source_bytes(src)
    except IngestError as exc:
        return unreadable(src, str(exc)), []
    return document_from_bytes(src, data, hashlib.sha256(data).hexdigest())


def source_bytes(src: Source) -> bytes:
    """The bytes of a found input; IngestError with the reason it cannot be read (its own,
    when finding it already failed)."""
    if src.error:
        raise IngestError(src.error)
    return read_bytes(src.path)


def unreadable(src: Source, reason: str) -> Document:
    """The record of a file that could not be read at all."""
    return Document(make_doc_id(src.source, ""), src.source, str(src.path), "", status="error", error=reason)


def document_from_bytes(src: Source, data: bytes, sha: str) -> tuple[Document, list[Paragraph]]:
    """The document a file's bytes (whose sha256 is `sha`) make: decoded, cleaned, in paragraphs."""
    doc = Document(make_doc_id(src.source, sha), src.source, str(src.path), sha, n_bytes=len(data))
    try:
        raw, doc.encoding = decode(data)
    except IngestError as exc:
        doc.status, doc.error = "error", str(exc)
        return doc, []
    text, dropped = clean(raw)
    paragraphs = split_paragraphs(doc.doc_id, text)
    doc.n_chars = sum(len(p.text) for p in paragraphs)
    doc.n_paragraphs = len(paragraphs)
    if not paragraphs:
        doc.status = "error"
        doc.error = ("empty: no text in the file" if not data else
                     "empty: only white space" if not raw.strip() else
                     "empty: only white space and control characters")
    elif dropped:
        doc.read_warnings.append(dropped)
    return doc, paragraphs
