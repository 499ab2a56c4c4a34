"""Years: each figure's year from its period words, and the document's own year."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.extract.periods import YearHint, dateline_year, document_year, year_in_name, year_of

from tests.conftest import run_cli


def _years(result) -> list[tuple]:
    return [(m.value, m.period, m.year, m.prev_period, m.prev_year) for m in result.metrics]


@pytest.mark.parametrize("line, year", [
    ("2024. 11. 5.", 2024),
    ("2016. 11. 21.(월)", 2016),
    ("2023년 12월 28일", 2023),
    ("보도일시 : 2019. 3. 4.(월) 조간", 2019),
    ("2019. 3. 4. 가온시 복지정책과", 2019),             # the office that wrote it
    ("2019. 3. 4. 가온시가 새 계획을 발표했다.", None),  # a sentence that starts with a date
    ("보도일시 2019. 3. 4.(월) 11:00", 2019),
    ("입력 | 2001-09-24 19:36:00", 2001),
    ("  • 입력 2009년 11월 13일 21시 09분", 2009),
    ("작성자 행정지원과 등록일 2017.12.18", 2017),
    ("2018.3.1.~2019.2.28.", None),                    # a span of dates, not the day it was written
    ("자료: 사업체조사 (2022. 12. 31. 기준)", None),    # the date the data refer to
    ("2024. 13. 5.", None),                             # no thirteenth month
    ("예산은 2024. 3. 5. 확정됐다.", None),             # a date inside a sentence
])
def test_datelines(lex, line: str, year: int | None) -> None:
    assert dateline_year(line, lex) == year


@pytest.mark.parametrize("source, year", [
    ("budget2024.txt", 2024), ("2019/보도자료_03.txt", 2019), ("a012_chungbuk_speech2013.txt", 2013),
    ("2020/plan_2022.txt", 2022), ("report_120345.txt", None), ("notes.txt", None),
])
def test_a_year_in_the_file_name_or_its_folder(source: str, year: int | None) -> None:
    assert year_in_name(source) == year


def test_the_document_year_is_given_then_dated_then_named_then_titled(lex) -> None:
    title = "2025년도 주요업무계획"
    assert document_year(YearHint(given=2020, name=2021), 2022, title, lex) == (2020, "given")
    assert document_year(YearHint(name=2021), 2022, title, lex) == (2022, "text")
    assert document_year(YearHint(name=2021), None, title, lex) == (2021, "name")
    assert document_year(YearHint(), None, title, lex) == (2025, "text")
    assert document_year(YearHint(), None, "구는 2025년 예산을 편성했다.", lex) == (None, None)


@pytest.mark.parametrize("period, doc_year, compared, year", [
    ("2018년", None, None, 2018), ("2025년도", 2024, None, 2025), ("'24년", None, None, 2024),
    ("’97년", 1998, None, 1997), ("’07년", None, None, 2007), ("’20.6월", 2021, None, 2020),
    ("올해", 2016, None, 2016), ("금년", 2013, None, 2013), ("내년", 2016, None, 2017), ("내년도", 2013, None, 2014),
    ("지난해", 2022, None, 2021), ("작년", 2022, None, 2021), ("올해", None, None, None),
    ("전년", 2024, 2025, 2024), ("전년도", None, 2009, 2008), ("당초", None, 2024, 2024), ("전년", None, None, None),
])
def test_a_period_names_its_year(lex, period: str, doc_year: int | None, compared: int | None,
                                 year: int | None) -> None:
    assert year_of(period, lex, doc_year, compared) == year


def test_years_of_a_dated_speech_count_from_its_dateline(extract) -> None:
    text = ("2025년도 예산안 제출 시정연설\n\n"
            "2025년도 예산안은 총 3조 2,140억원입니다. 올해 본예산보다 1,280억원 늘었습니다.\n"
            "복지 분야는 전년 대비 6.2% 증가한 9,870억원입니다.\n"
            "지방채는 지난해 820억원에서 640억원으로 줄였습니다.\n\n"
            "2024. 11. 12.\n가온시장 한 지 수")
    result = extract(text)
    assert (result.year, result.year_source) == (2024, "text")
    assert _years(result) == [
        (3214000000000, "2025년도", 2025, "올해", 2024),
        (987000000000, None, None, "전년", 2024),           # the year before the budget year the text spoke of
                                                            # (a title's year is no figure's year)
        (64000000000, None, None, "지난해", 2023),
    ]


def test_with_no_year_known_relative_periods_stay_unresolved(extract) -> None:
    result = extract("올해 관광객은 320만명으로 지난해보다 12% 늘었다.\n’22년 190만명 → ’23년 286만명")
    assert (result.year, result.year_source) == (None, None)
    assert _years(result) == [(3200000, "올해", None, "지난해", None), (2860000, "’23년", 2023, "’22년", 2022)]


def test_arrows_of_three_figures_or_more_are_a_series(extract) -> None:
    result = extract("* (등록 장애인) ’19년 2,410명 → ’21년 2,530명 → ’23년 2,602명")
    assert [(m.subject, m.value, m.prev_value, m.year) for m in result.metrics] == [
        ("등록 장애인", 2410, None, 2019), ("등록 장애인", 2530, None, 2021), ("등록 장애인", 2602, None, 2023)]


def test_run_takes_the_year_from_the_name_or_the_option(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "briefing2019.txt").write_text("올해 예산은 4,210억원으로 지난해보다 3.2% 늘었다.\n", encoding="utf-8")
    (raw / "undated.txt").write_text("내년 예산은 1,020억원이다.\n", encoding="utf-8")
    for extra, expected in (([], [(2019, "name"), (None, None)]), (["--doc-year", "2021"], [(2021, "given")] * 2)):
        out = tmp_path / f"out{len(extra)}"
        done = run_cli("run", raw, "--out", out, "--no-cache", *extra)
        assert done.returncode == 0, done.stderr
        documents = pq.read_table(out / "documents.parquet").to_pylist()
        assert [(d["year"], d["year_source"]) for d in documents] == expected
        metrics = pq.read_table(out / "metrics.parquet").to_pylist()
        year = expected[0][0]
        assert [(m["year"], m["prev_year"]) for m in metrics] == [
            (year, year - 1), (None if not extra else 2022, None)]


def test_a_doc_year_that_is_no_year_is_a_usage_error(tmp_path) -> None:
    done = run_cli("run", tmp_path, "--out", tmp_path / "out", "--doc-year", "24")
    assert done.returncode == 2 and "not a year" in done.stderr
