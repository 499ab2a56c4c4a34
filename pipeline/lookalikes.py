"""Middle dots that look alike (ㆍ ⋅ ・ ‧ ∙): extraction reads a document with every one as
`·`, so that rules, patterns and the analyser see one character; the rows it gives are then
written back with the dots the document has (a subject `국ㆍ도비 보조금` stays as written, and
so does a name or a section that holds one, or an item's `ㆍ` marker)."""
from __future__ import annotations

from dataclasses import replace

import regex

from pipeline.ingest import MIDDLE_DOTS, reading_form
from pipeline.records import DocumentResult, Paragraph

_DOT_FOUND = regex.compile(f"[{MIDDLE_DOTS}]")
_WORD_WITH_DOT = regex.compile(r"\S*·\S*")
_METRIC_TEXT = ("subject", "raw_text", "sentence", "row_label", "column_label", "calculation", "speaker")
_PROJECT_TEXT = ("name", "section", "detail", "sentence")


def for_reading(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs as extraction reads them: a copy of each one that holds a look-alike dot,
    with `·` in its place (offsets unchanged), the others as they are."""
    return [replace(p, text=reading_form(p.text)) if _DOT_FOUND.search(p.text) else p for p in paragraphs]


def as_written(result: DocumentResult, written: list[Paragraph], read: list[Paragraph]) -> DocumentResult:
    """The result with the text of its rows in the document's own dots: each word with a `·`
    is found in the text as read and takes the characters written at that place."""
    pairs = [(r.text, w.text) for w, r in zip(written, read) if r is not w]
    if not pairs:
        return result
    restore = _Restorer(pairs)
    written_at = {w.para_idx: w.text for w in written}
    for project in result.projects:                  # `ㆍ 맞춤형 복지팀 …`: the marker as its line has it
        line = written_at.get(project.para_idx, "")
        if project.marker == "·" and project.char_start < len(line) and _DOT_FOUND.match(line, project.char_start):
            project.marker = line[project.char_start]
    for rows, fields in ((result.metrics, _METRIC_TEXT), (result.projects, _PROJECT_TEXT)):
        for row in rows:
            for name in fields:
                value = getattr(row, name)
                if value and "·" in value:
                    setattr(row, name, restore(value))
    result.warnings = [restore(w) if "·" in w else w for w in result.warnings]
    return result


class _Restorer:
    """Words with a `·` as the document wrote them, looked up once each."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self.found: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        return _WORD_WITH_DOT.sub(lambda m: self._written(m.group()), text)

    def _written(self, word: str) -> str:
        if word not in self.found:
            self.found[word] = self._look_up(word) or "".join(
                self._look_up(word[max(0, k - 1):k + 2], k - max(0, k - 1)) or "·" if ch == "·" else ch
                for k, ch in enumerate(word))       # a word joined from others: each dot by its neighbours
        return self.found[word]

    def _look_up(self, piece: str, dot: int | None = None) -> str | None:
        """`piece` as written where the text as read holds it (only its dot at `dot`, if given)."""
        for read, written in self.pairs:
            k = read.find(piece)
            if k >= 0:
                return written[k:k + len(piece)] if dot is None else written[k + dot]
        return None
