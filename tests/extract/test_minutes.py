"""Council minutes: speaker lines open turns, figures carry their speaker, speakers are
never items or subjects."""
from __future__ import annotations

import pytest

from pipeline.extract.minutes import speaker_turn

MINUTES = (
    "제118회 누리군의회 예산결산특별위원회 회의록\n"
    "일  시 : 2021년 12월 6일(월) 오전 10시\n\n"
    "○위원장 한도윤  회의를 속개하겠습니다.\n"
    "○ 서예린 위원 : 경로당 냉난방비가 올해 4억 2천만원인데 내년에는 얼마입니까?\n"
    "◯노인복지과장 문재혁  노인복지과장 문재혁입니다.\n"
    "  내년에는 경로당 냉난방비로 5억 1천만원을 편성했습니다.\n"
    "○복지정책과장(오수빈) 답변드리겠습니다. 기초생활수급자는 3,412명으로 전년보다 4.1% 늘었습니다.\n"
    "○ 건설과장 박민수\n"
    "  농로 포장은 12km입니다.\n"
)


def test_figures_carry_the_speaker_of_their_turn(extract) -> None:
    result = extract(MINUTES)
    assert result.projects == []
    assert [(m.speaker, m.subject, m.value, m.year) for m in result.metrics] == [
        ("서예린 위원", "경로당 냉난방비", 420000000, 2021),
        ("노인복지과장 문재혁", "경로당 냉난방비", 510000000, 2022),
        ("복지정책과장(오수빈)", "기초생활수급자", 3412, None),
        ("건설과장 박민수", "농로 포장", 12, None),
    ]
    assert result.metrics[2].change_pct == 4.1 and result.metrics[2].prev_year == 2020


def test_a_speaker_before_a_colon_names_no_figure(extract) -> None:
    result = extract("○ 보건소장 임하진 : 방문 간호사를 늘려 380가구를 돌봅니다.")
    assert [(m.speaker, m.subject, m.value) for m in result.metrics] == [("보건소장 임하진", None, 380)]


def test_figures_outside_minutes_have_no_speaker(extract) -> None:
    result = extract("구는 올해 경로당 냉난방비로 4억원을 편성했다.\n○ 경로당 보수 지원 3억원")
    assert [m.speaker for m in result.metrics] == [None, None]


@pytest.mark.parametrize("line, speaker", [
    ("○위원장 한도윤  회의를 속개하겠습니다.", "위원장 한도윤"),
    ("◯노인복지과장 문재혁", "노인복지과장 문재혁"),
    ("○ 서예린 위원 : 질문하겠습니다.", "서예린 위원"),
    ("○복지정책과장(오수빈) 답변드리겠습니다.", "복지정책과장(오수빈)"),
    ("○ 위원장 : 다음은 의사일정 제2항 추가경정예산안을 상정합니다.", "위원장"),
    ("○ 전통 시장 : 현대화 사업 추진", None),            # a market, not a mayor
    ("○ 도서관 건립 20억원", None),
    ("□ 전통시장 지원", None),                        # what is done for a market, no name
    ("○ 수산시장 이전", None),
    ("○위원장 김성화  도로 예산은 얼마입니까?", "위원장 김성화"),   # a name the analyser may cut 김성+화
    ("위원장 한도윤  회의를 속개하겠습니다.", None),       # a speaker line opens with its marker
    ("○위원장 정○○  성원이 되었으므로 개의하겠습니다.", "위원장 정○○"),   # names masked as published
    ("○박○○ 위원  수급자가 몇 명이나 됩니까?", "박○○ 위원"),
    ("○위원장 최OO   성원이 되었으므로 개의하겠습니다.", "위원장 최OO"),   # masked with letters
    ("◯김** 위원  질의하겠습니다.", "김** 위원"),
    ("○제2부시장 이정훈  제2부시장 이정훈입니다.", "제2부시장 이정훈"),               # a numbered title
])
def test_speaker_lines(lex, line: str, speaker: str | None) -> None:
    turn = speaker_turn(line, 0, len(line), lex, [])
    assert (turn.speaker if turn else None) == speaker


def test_a_speakers_name_and_self_introduction_name_no_figure(extract) -> None:
    rows = extract("◯임소라 위원  스마트 쉘터 120곳 중에 몇 곳을 설치했습니까?\n"
                   "◯노인장애인과장 한수빈  노인장애인과장 한수빈입니다. 3개소 중 2개소는 구유지입니다.").metrics
    assert [(m.subject, m.value, m.speaker) for m in rows] == [
        ("스마트 쉘터", 120, "임소라 위원"), (None, 3, "노인장애인과장 한수빈"), (None, 2, "노인장애인과장 한수빈")]


def test_a_speaker_line_said_again_opens_the_turn_again_and_heads_nothing(extract) -> None:
    """The chair's line, repeated word for word, is a duplicate paragraph: it still opens the
    chair's turn (figures are the chair's, not the last speaker's), and the list the chair
    leads in is under its lead-in, not under the chair's name."""
    text = ("○위원장 한도윤\n  회의를 속개하겠습니다.\n○ 건설과장 박민수\n  농로 포장은 12km입니다.\n○위원장 한도윤\n"
            "  계수조정 결과 2건 1억 3천만원을 삭감하였습니다. 삭감 내역은 다음과 같습니다.\n"
            "  - 군정 소식지 제작 8천만원\n  - 해외 연수 5천만원\n")
    result = extract(text)
    assert [(p.section, p.name) for p in result.projects] == [("삭감 내역", "군정 소식지 제작"), ("삭감 내역", "해외 연수")]
    assert [(m.speaker, m.value) for m in result.metrics] == [
        ("건설과장 박민수", 12), ("위원장 한도윤", 2), ("위원장 한도윤", 130000000), ("위원장 한도윤", 80000000),
        ("위원장 한도윤", 50000000)]


def test_an_officer_s_title_and_a_broadcast_transcript_open_turns(extract) -> None:
    """`○기획감사담당관 김○○` (담당관 is a title) and a transcript's `◇ 진행자>` / `◆ 한지우>` open
    turns: their lines are speech, never items, and their figures carry the speaker."""
    text = ("○기획감사담당관 김○○  2026년도 예산안은 4,120억원입니다.\n\n"
            "◇ 진행자> 구 인구는 지금 얼마나 됩니까?\n◆ 한지우> 3월 말 기준으로 41만 2,300명입니다.\n")
    result = extract(text)
    assert result.projects == []
    assert [(m.speaker, m.subject, m.value) for m in result.metrics] == [
        ("기획감사담당관 김○○", "예산안", 412000000000), ("한지우", None, 412300)]


def test_a_heading_with_an_arrow_is_no_transcript_speaker(extract) -> None:
    """`◆ 사업개요 > 도심 녹지 확충` names a heading, not a speaker: only a name or title glued to
    `>` before a sentence (`◆ 오세준> 네, 그렇습니다.`) opens a turn."""
    result = extract("◆ 사업개요 > 도심 녹지 확충\n  ○ 가로수 식재 1,200본\n◆ 오세준> 네, 그렇습니다.")
    assert [(p.section, p.name) for p in result.projects] == [
        (None, "사업개요 > 도심 녹지 확충"), ("사업개요 > 도심 녹지 확충", "가로수 식재")]


def test_a_market_and_what_is_done_to_it_are_no_speaker(extract) -> None:
    """`야시장 상설화` looks like a title and a name (시장, three syllables); the analyser reads
    상설+화, a derived word: an item under its heading, no turn."""
    result = extract("□ 전통시장 지원\n  • 야시장 상설화\n  • 노동시장 유연화\n○시장 강동진  답변드리겠습니다.")
    assert [(p.section, p.name) for p in result.projects] == [
        (None, "전통시장 지원"), ("전통시장 지원", "야시장 상설화"), ("전통시장 지원", "노동시장 유연화")]


def test_a_speaker_announcing_a_count_of_requests_names_the_list(extract) -> None:
    text = ("○장민서 위원  제가 몇 가지 요청드리겠습니다.\n  ① 시니어클럽을 권역별로 확대할 것\n  ② 시장형 사업단 신규 업종 발굴\n"
            "○노인복지과장 문태식  네. 검토하겠습니다.\n○김민수 위원  세 가지를 제안드리겠습니다.\n  ① 공원 확충\n  ② 주차장 확충")
    assert [(p.section, p.name) for p in extract(text).projects] == [
        ("몇 가지 요청", "시니어클럽을 권역별로 확대할 것"), ("몇 가지 요청", "시장형 사업단 신규 업종 발굴"),
        ("세 가지 제안", "공원 확충"), ("세 가지 제안", "주차장 확충")]


def test_announcing_remarks_names_no_list(extract) -> None:
    text = "○김민수 위원  제가 두 가지 말씀드리겠습니다.\n  ① 공원 확충\n  ② 주차장 확충"
    assert [(p.section, p.name) for p in extract(text).projects] == [(None, "공원 확충"), (None, "주차장 확충")]
