"""Minutes (회의록): the speaker lines that open each turn.

A turn opens with a marker and the speaker's title and name (`○위원장 염태준`, `◯도로과장
남궁현`, `○ 이영희 위원 :`, `○복지과장(최민수) 답변드리겠습니다.`, masked `○위원장 정○○`, a broadcast
transcript's `◆ 오세준>`); what follows, on that line
and the lines after it, is the speaker's speech: prose, never an item. Metrics read in a turn
carry its speaker (`metrics.speaker`); the titles are the rules' `title` cue words.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.extract import projects as P
from pipeline.lexicon import Lexicon
from pipeline.records import Token, tokens_between

_COLON = regex.compile(r"\s*[:：]\s*")

NAME = r"\p{Hangul}(?:\p{Hangul}{1,3}|[○◯Ｏ〇OxX*＊]{1,3})"   # 염태준; masked as minutes publish them: 정○○, 최OO, 김**
_SPEECH_AFTER_LABEL = regex.compile(r"\s*[:：]\s*\S.{20,}(?:다|까|요|죠)\s*[.?!]?\s*$")


@dataclass(frozen=True)
class Turn:
    speaker: str        # title and name as written, spaces collapsed (`도로과장 남궁현`)
    start: int          # where the speech begins in the line (its end when the line holds none)


@lru_cache(maxsize=8)
def _forms(title: str, member_title: str) -> regex.Pattern:
    """Title(name), title name, name and a member's title; then a colon, two spaces, or the end
    of the line (a title(name) may go on after one space)."""
    name = rf"(?P<name>{NAME})"
    return regex.compile(
        rf"\s*(?P<speaker>{title}\s*\(\s*{name}\s*\))(?:\s*[:：])?\s*"
        rf"|\s*(?P<speaker>{title}\s+{name}|{name}\s+{member_title})(?:\s*[:：]\s*|\s{{2,}}|\s*$)"
        rf"|\s*(?P<speaker>{title}|{name})>\s+(?=.*(?:[다요까죠][.?!]|[?])[\"”’']?\s*$)")   # a transcript's
                                                  # `◆ 오세준> 네, 그렇습니다.` (not `◆ 사업개요 > 녹지 확충`)


_LABEL = regex.compile(r"\s*([^:：\n]{1,20}?)(?=\s*[:：])")
_DERIVED_TAGS = {"XSN", "XSV", "XSA"}     # 상설+화, 활성+화: a word made of a noun, no name


def speaker_turn(text: str, start: int, end: int, lex: Lexicon, tokens: list[Token]) -> Turn | None:
    """The turn a line of minutes opens, if it opens one: after its marker, a speaker; not a
    line of only a title-like word and a "name" that is what is done or, to the analyser's
    `tokens`, a derived word (`□ 전통시장 지원`, `• 야시장 상설화`: a market, no mayor)."""
    marker = P.line_marker(text, lex, start, end, set())
    if marker is None:
        return None
    m = _forms(lex.title.pattern, lex.member_title.pattern).match(text, marker.end, end)
    if m is not None and m.group("name") and not text[m.end():end].strip() and (
            m.group("name") in lex.actions or m.group("name") in lex.statuses
            or any(t.tag in _DERIVED_TAGS for t in tokens_between(tokens, m.start("name"), m.end("name")))):
        return None
    if m is None:
        label = _LABEL.match(text[marker.end:end])
        if label is None or not label.group(1).split() or not lex.title.fullmatch(label.group(1).split()[-1]) \
                or not _SPEECH_AFTER_LABEL.match(text, marker.end + label.end(), end):
            return None                                   # ○위원장 : 다음은 … 상정합니다.
        speaker_end = marker.end + label.end()
        speech = _COLON.match(text[speaker_end:end])
        return Turn(" ".join(label.group(1).split()), speaker_end + speech.end())
    return Turn(" ".join(m.group("speaker").split()), m.end())
