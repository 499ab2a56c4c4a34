"""Years: the calendar year of each figure's period, and the document's own year.

metrics.py keeps a figure's period words as written (`period`, `prev_period`); here they
become years by their rules (`year_from` in rules/periods.toml): a year written in them
(`2018년`, `'24년`), the document's year with an offset (`올해`, `내년`, `지난해`), or the
year of the figure they are compared with, with an offset (`전년`, `당초`).

The document's year is, in this order: the one the user gives (`--doc-year`), a dateline in
the text (`2024. 11. 5.`, `보도일시 2024년 3월 5일(화)`), a year in the file name, a year in
the title line. With none, periods relative to the document stay unresolved: no guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

import regex

from pipeline.lexicon import Lexicon, PeriodYear
from pipeline.records import Metric

_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True)
class YearHint:
    """What the run knows of a document's year before reading it."""
    given: int | None = None          # --doc-year
    name: int | None = None           # a year in the file name


class DocumentYear(NamedTuple):
    year: int | None = None
    source: str | None = None         # given / text / name


_NAME_YEAR = regex.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_DATE = regex.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*(?:[.\-/]\s*(?P<month>\d{1,2})\s*[.\-/]\s*(?P<day>\d{1,2})(?!\d)\.?"
    r"|년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일)")
_DATE_EXTRAS = regex.compile(r"\(\s*[월화수목금토일]\s*\)|\d{1,2}\s*[:시]\s*\d{1,2}(?:\s*:\s*\d{2})?\s*분?|[\s:|·•()\[\]-]+")
_SET_APART = regex.compile(r"(?:\t|\s{3,})$")       # 가온군 문화관광과        2005년 4월 12일(화)
_TIME = regex.compile(r"\s*(?:\(\s*[월화수목금토일]\s*\)\s*)?\d{1,2}\s*:\s*\d{2}")   # a posting time: 2003-12-15 18:40
_TITLE_MAX_CHARS = 80
_OFFICE_MAX_CHARS = 16        # the office or team written after a dateline
_SENTENCE_END = regex.compile(r"(?:다|요|음|함|임)\s*[.!?]\s*\S{0,3}$")


def year_in_name(source: str) -> int | None:
    """A year in the file's name (`budget2024.txt`), else in the nearest folder (`2024/예산.txt`)."""
    for part in reversed(PurePosixPath(source.replace("\\", "/")).parts):
        m = _NAME_YEAR.search(part)
        if m:
            return int(m.group(1))
    return None


def document_year(hint: YearHint, dateline: int | None, title: str, lex: Lexicon) -> DocumentYear:
    """The document's year from the hint, the year of its first dateline, and its title line."""
    if hint.given is not None:
        return DocumentYear(hint.given, "given")
    if dateline is not None:
        return DocumentYear(dateline, "text")
    if hint.name is not None:
        return DocumentYear(hint.name, "name")
    title_year = _title_year(title, lex)
    return DocumentYear(title_year, "text") if title_year is not None else DocumentYear()


def dateline_year(line: str, lex: Lexicon) -> int | None:
    """The year of a line that dates the document: a full date standing alone (`2024. 11. 11.`,
    with a weekday or time at most, an office after it, or set apart at the end of a header line), after a dateline
    label (`보도일시`, `입력`, `등록일`, `일시`), or with the time it was posted (`2003-12-15 18:40`)."""
    labels = lex.cue("dateline")
    for m in _DATE.finditer(line):
        if not (1 <= int(m.group("month")) <= 12 and 1 <= int(m.group("day")) <= 31):
            continue
        before, after = line[:m.start()], line[m.end():]
        if "~" in after[:3] or "∼" in after[:3] or before.rstrip().endswith(("~", "∼")):
            continue                                      # 2018.3.1.~2019.2.28.: a span, not a date
        label = _DATE_EXTRAS.sub("", before)
        rest = _DATE_EXTRAS.sub("", after)
        alone = not rest or not label and len(rest) <= _OFFICE_MAX_CHARS and not _DIGIT.search(rest) \
            and not _SENTENCE_END.search(after)              # 2010. 3. 2. 경영기획팀
        if alone and (not label or label in labels or _SET_APART.search(before)) \
                or any(label.endswith(word) for word in labels) or _TIME.match(after):
            return int(m.group("year"))
    return None


def _title_year(line: str, lex: Lexicon) -> int | None:
    """A year the title names (`2025년도 주요업무계획`); a sentence is no title."""
    if len(line.strip()) > _TITLE_MAX_CHARS or _SENTENCE_END.search(line):
        return None
    for rule in lex.period_years:
        if rule.year_from == "written":
            m = rule.regex.search(line)
            if m and len(m.group("year")) == 4:
                return int(m.group("year"))
    return None


def resolve_years(metrics: list[Metric], doc_year: int | None, lex: Lexicon) -> None:
    """Fill `year` and `prev_year` from the periods as written, where a table did not already;
    rows in reading order, so a `전년` with no year of its own counts from the last year the
    text wrote out (`2025년도 예산안`, a table's year), else the document's year."""
    last_year: int | None = None
    for m in metrics:
        if m.year is None and m.period:
            m.year = year_of(m.period, lex, doc_year, last_year or doc_year)
        if m.prev_year is None and m.prev_period:
            m.prev_year = year_of(m.prev_period, lex, doc_year, m.year or last_year or doc_year)
        if m.year is not None and (m.period is None or _written(m.period, lex)):
            last_year = m.year                        # 2025년도 예산안 …: not 내년, said from the document's year


def year_of(period: str, lex: Lexicon, doc_year: int | None, compared_year: int | None) -> int | None:
    """The calendar year a period names; `compared_year` is the year a `value` period counts from."""
    rule = _rule_of(period.strip(), lex)
    if rule is None:
        return None
    if rule.year_from == "written":
        return _full_year(rule.regex.fullmatch(period.strip()).group("year"), doc_year)
    base = doc_year if rule.year_from == "document" else compared_year
    return None if base is None else base + rule.offset


def _written(period: str, lex: Lexicon) -> bool:
    rule = _rule_of(period.strip(), lex)
    return rule is not None and rule.year_from == "written"


def _rule_of(period: str, lex: Lexicon) -> PeriodYear | None:
    return next((rule for rule in lex.period_years if rule.regex.fullmatch(period)), None)


def _full_year(digits: str, doc_year: int | None) -> int:
    """`24` is 2024 near a document of 2020, 1997 for `97` near 1998; with no document year,
    00–69 are 2000s and 70–99 1900s."""
    if len(digits) == 4:
        return int(digits)
    yy = int(digits)
    if doc_year is None:
        return 2000 + yy if yy < 70 else 1900 + yy
    return min((c * 100 + yy for c in (doc_year // 100 - 1, doc_year // 100, doc_year // 100 + 1)),
               key=lambda y: abs(y - doc_year))
