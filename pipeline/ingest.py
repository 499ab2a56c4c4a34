"""Stage 1: find the input files, decode them, normalise the text, split paragraphs."""
from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import regex

from pipeline.records import Document, Paragraph


class IngestError(Exception):
    """A document cannot be read as text; the message is the reason users see."""


@dataclass
class Source:
    path: Path
    source: str           # relative to the INPUT it came from


@dataclass
class Discovery:
    sources: list[Source]
    skipped: list[str]    # files passed over (not .txt), said so to the user


def discover(inputs: list[Path]) -> Discovery:
    """Every `*.txt` under the inputs, in sorted path order; symlinked folders are not followed."""
    found: dict[str, Source] = {}
    skipped: list[str] = []
    for given in inputs:
        if given.is_dir():
            for folder, dirs, files in os.walk(given, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    path = Path(folder) / name
                    if name.lower().endswith(".txt"):
                        found.setdefault(str(path), Source(path, path.relative_to(given).as_posix()))
                    else:
                        skipped.append(str(path))
        else:
            found.setdefault(str(given), Source(given, given.name))
    return Discovery([found[k] for k in sorted(found)], sorted(skipped))


_MAGIC = [
    (b"\x89PNG", "PNG image"), (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"), (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "MS Office / HWP 5 document"), (b"HWP Document", "HWP document"),
]
_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]


def decode(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding found: BOMs, UTF-8, CP949/EUC-KR, then detection."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"not text: binary content ({kind})")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError as exc:
                raise IngestError(f"undecodable: invalid {name} at byte {exc.start + len(bom)}") from None
    try:
        text = data.decode("utf-8")
        if "\x00" in text:
            raise IngestError("not text: binary content (NUL bytes)")
        return text, "utf-8"
    except UnicodeDecodeError as utf8_error:
        for name in ("euc-kr", "cp949"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
        guess = charset_normalizer.from_bytes(data).best()
        if guess is not None and guess.encoding.startswith("utf_16") and "\x00" not in str(guess):
            return str(guess), guess.encoding.replace("_", "-")
        if data.count(b"\x00") > len(data) // 100:
            raise IngestError("not text: binary content (NUL bytes)") from None
        raise IngestError(f"undecodable: invalid UTF-8 at byte {utf8_error.start} and not CP949") from None


_SAME_CHARACTER = str.maketrans({
    "\u22c5": "·", "\u318d": "·", "\u30fb": "·", "\u2027": "·", "\u2219": "·",
    "\u00a0": " ", "\u3000": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ",
    "\u200b": None, "\ufeff": None, "\u2060": None, "\u00ad": None,
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\uff5e": "~", "\u301c": "~",
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    "\uff05": "%", "\uff0c": ",", "\uff0e": ".", "\uff1a": ":", "\uff08": "(", "\uff09": ")",
    "\uff0b": "+", "\uff0d": "-", "\uff1d": "=", "\uff0f": "/",
})
_CONTROL = regex.compile(r"[\p{Cc}--[\t\n]]", flags=regex.V1)


def normalise(text: str) -> str:
    """NFC, one form for characters that mean the same, no control characters, \\n line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_SAME_CHARACTER)
    return _CONTROL.sub("", text)


def split_paragraphs(doc_id: str, text: str) -> list[Paragraph]:
    """One paragraph per non-blank line, trailing spaces dropped; line_no keeps the place."""
    return [Paragraph(doc_id, idx, line_no, line)
            for idx, (line_no, line) in enumerate(
                (n, raw.rstrip()) for n, raw in enumerate(text.split("\n"), 1) if raw.strip())]


def make_doc_id(source: str, sha256: str) -> str:
    return hashlib.sha256(f"{source}\n{sha256}".encode("utf-8")).hexdigest()[:16]


def read_document(src: Source) -> tuple[Document, list[Paragraph]]:
    """Read one file; a file that is not usable text comes back with status error."""
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return Document(make_doc_id(src.source, ""), src.source, str(src.path), "", status="error",
                        error=f"unreadable: {reason}"), []
    sha = hashlib.sha256(data).hexdigest()
    doc = Document(make_doc_id(src.source, sha), src.source, str(src.path), sha, n_bytes=len(data))
    try:
        raw, doc.encoding = decode(data)
    except IngestError as exc:
        doc.status, doc.error = "error", str(exc)
        return doc, []
    text = normalise(raw)
    paragraphs = split_paragraphs(doc.doc_id, text)
    doc.n_chars = sum(len(p.text) for p in paragraphs)
    doc.n_paragraphs = len(paragraphs)
    if not paragraphs:
        doc.status, doc.error = "error", "empty: no text in the file" if not data else "empty: only white space"
    return doc, paragraphs
