"""What each number measures and what it is compared with, for the phrasings briefings use."""
from __future__ import annotations

import pytest

FIELDS = ("subject", "value", "unit", "prev_value", "change_value", "change_pct", "direction", "period",
          "prev_period", "project_id")

# text -> the one full row expected (project_id None: no bullet item)
PHRASINGS = [
    ("서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다.",
     ("인구", 326479, "명", 326359, 120, None, "increase", None, None, None)),
    ("예산도 올들어 4천772억원으로 지난해 4,204억보다 11.9%증가했다.",
     ("예산", 477200000000, "원", 420400000000, None, 11.9, "increase", "올들어", "지난해", None)),
    ("관광객은 전년 대비 12.5% 늘어난 320만명으로 집계됐다.",
     ("관광객", 3200000, "명", None, None, 12.5, "increase", None, "전년", None)),
    ("어르신일자리 사업은 지난해보다 266명이 증가한 3,400명으로 증가했다.",
     ("어르신일자리 사업", 3400, "명", None, 266, None, "increase", None, "지난해", None)),
    ("주차면수는 1,200개로 150개(14.3%) 늘었다.",
     ("주차면수", 1200, "개", None, 150, 14.3, "increase", None, None, None)),
    ("세입은 16.5%(1446억원) 늘었다.",
     ("세입", 144600000000, "원", None, 144600000000, 16.5, "increase", None, None, None)),
    ("사회복지 분야는 올해에 비해 42.5% 증가한 1044억원으로 책정했다.",
     ("사회복지 분야", 104400000000, "원", None, None, 42.5, "increase", None, "올해", None)),
    ("쓰레기 배출량은 2만3천톤에서 1만9천톤으로 4천톤 감소했다.",
     ("쓰레기 배출량", 19000, "톤", 23000, -4000, None, "decrease", None, None, None)),
    ("출생아는 작년 1,200명에서 올해 980명으로 줄었다.",
     ("출생아", 980, "명", 1200, None, None, "decrease", "올해", "작년", None)),
    ("실업률은 3.5%로 전년보다 0.4%p 하락했다.",
     ("실업률", 3.5, "%", None, -0.4, None, "decrease", None, "전년", None)),
    ("부산 남구는 올해 제1회 추경예산 6841억원으로 확정, 당초 대비 544억원 증가했다고 24일 밝혔다.",
     ("추경예산", 684100000000, "원", None, 54400000000, None, "increase", "올해", "당초", None)),
    ("이를 위해 전년 대비 256억 원(2.2%)이 늘어난 총 1조1천667억 원 규모의 2023년도 본예산을 편성했다.",
     ("본예산", 1166700000000, "원", None, 25600000000, 2.2, "increase", None, "전년", None)),
    ("공사 기간은 18개월에서 14개월로 단축됐다.",
     ("공사 기간", 14, "개월", 18, None, None, "decrease", None, None, None)),
    ("인구는 71,260명(전년 대비 412명 감소)이다.",
     ("인구", 71260, "명", None, -412, None, "decrease", None, "전년", None)),
    ("사업체는 24,600개(전년 대비 2,100개, 9.3% 증가)로 집계됐다.",
     ("사업체", 24600, "개", None, 2100, 9.3, "increase", None, "전년", None)),
    ("고령인구 비율은 17.6%(전년 16.8% 대비 0.8%p 상승)이다.",
     ("고령인구 비율", 17.6, "%", 16.8, 0.8, None, "increase", None, "전년", None)),
    ("추경 예산은 1조 2,486억원 (기정예산 대비 1,104억원, 9.7% 증가)으로 편성했다.",
     ("추경 예산", 1248600000000, "원", None, 110400000000, 9.7, "increase", None, None, None)),
    ("흡연율은 28.4%로 지난해 29.1%보다 0.7%p 낮아졌다.",
     ("흡연율", 28.4, "%", 29.1, -0.7, None, "decrease", None, "지난해", None)),
    ("성북구는 내년도 예산안을 1조 162억원 규모로 편성했다. 이는 올해 본예산 9천48억원보다 1,114억원(12.3%) 늘어난 규모다.",
     ("예산안", 1016200000000, "원", 904800000000, 111400000000, 12.3, "increase", "내년도", "올해", None)),
    ("관광객이 1억 4,235만 명으로 집계돼 전년(1억 2,870만 명)보다 10.6% 증가했다.",
     ("관광객", 142350000, "명", 128700000, None, 10.6, "increase", None, "전년", None)),
    ("민원은 87건이 접수돼 지난해(64건)보다 23건 늘었다.",
     ("민원", 87, "건", 64, 23, None, "increase", None, "지난해", None)),
    ("예산은 500억원으로 50억원 늘었다.",
     ("예산", 50000000000, "원", None, 5000000000, None, "increase", None, None, None)),
    ("군은 현재 삼십 명 수준인 방문 돌봄 인력을 45명으로 늘린다.",
     ("방문 돌봄 인력", 45, "명", 30, None, None, "increase", None, None, None)),
    ("○ 분양률 : ’21년 말 42% → ’22년 목표 65%",
     ("분양률", 65, "%", 42, None, None, "increase", "’22년", "’21년 말", None)),
    ("작년 예산은 20억원이었지만 올해 예산은 25억원이다.",
     ("예산", 2500000000, "원", 2000000000, None, None, "increase", "올해", "작년", None)),
    ("주차요금 모바일 결제 비율을 현재 52%에서 70%까지 끌어올리겠다.",
     ("주차요금 모바일 결제 비율", 70, "%", 52, None, None, "increase", None, None, None)),
    ("공정률이 작년 감사 때 45%였다가 지금 52%밖에 안 됩니다.",
     ("공정률", 52, "%", 45, None, None, "increase", None, "작년", None)),
    ("반지하 주택 매입은 지난해 38호였으나 올해는 61호다.",
     ("반지하 주택 매입", 61, "호", 38, None, None, "increase", "올해", "지난해", None)),
    ("관광객은 95만2,374명으로 집계됐다.\n이는 지난해 같은 기간 92만8,105명보다 2만4,269명(2.6%) 늘어난 것이다.",
     ("관광객", 952374, "명", 928105, 24269, 2.6, "increase", None, "지난해", None)),
]


@pytest.mark.parametrize("text, expected", PHRASINGS, ids=[p[0][:20] for p in PHRASINGS])
def test_comparison_phrasing_gives_one_full_row(extract, text: str, expected: tuple) -> None:
    rows = extract(text).metrics
    assert len(rows) == 1, [(m.raw_text, m.value) for m in rows]
    got = tuple(getattr(rows[0], f) for f in FIELDS)
    assert _same(got, expected), got


def _same(got: tuple, expected: tuple) -> bool:
    return all((g == e) if not isinstance(e, (int, float)) or e is None else
               (g is not None and abs(g - e) <= 1e-9 * max(1, abs(e))) for g, e in zip(got, expected))


def test_an_earlier_period_in_brackets_after_the_item_word_is_the_earlier_figure(extract) -> None:
    rows = extract("○ 공약사업 이행률 87.4% 달성 (’24년 72.1%)\n○ 생활폐기물 412톤 처리 ('09년 398톤)").metrics
    assert [(m.value, m.prev_value, m.prev_period) for m in rows] == [(87.4, 72.1, "’24년"), (412, 398, "'09년")]


def test_a_figure_of_last_year_then_one_of_this_year_is_where_it_came_from(extract) -> None:
    rows = extract("전년도에는 4,870명이 받았고, 금년에는 10월 말 현재 5,312명입니다.\n"
                   "지난해 관광객은 100만명이었고 올해 매출은 50억원이다.").metrics
    assert [(m.value, m.prev_value, m.period, m.prev_period) for m in rows] == [
        (5312, 4870, "금년", "전년도"), (1000000, None, "지난해", None), (5000000000, None, "올해", None)]


def test_a_named_rate_of_change_is_the_change_of_the_figure_before_it(extract) -> None:
    rows = extract("내년도 세출 예산안은 올해 8832억 원보다 509억 원 증가한 9341억 원으로 증가 규모는 5.76%이다.\n"
                   "세입은 8,120억 원이며, 전년 대비 증감률은 -2.4%다.\n"
                   "고용률은 62.1%이고 실업률 증가폭은 0.3%p다.\n"
                   "인구 증가율은 0.5%다.").metrics
    assert [(m.subject, m.value, m.change_value, m.change_pct, m.direction) for m in rows] == [
        ("세출 예산안", 934100000000, 50900000000, 5.76, "increase"),
        ("세입", 812000000000, None, -2.4, "decrease"),
        ("고용률", 62.1, None, None, None),            # 실업률 names what its change is of
        ("실업률 증가폭", 0.3, None, None, None),
        ("인구 증가율", 0.5, None, None, None)]         # no figure before it to change


def test_a_signed_figure_in_brackets_after_a_figure_is_its_change(extract) -> None:
    rows = extract(" ▶ 하수처리장 확충 : 1조 2,500억원 (+700억원)\n ▶ 정수장 구축 : 420억원 → 1,050억원 (+630억원)\n"
                   " ▶ 처리시설 확충 : 850억원 (△350억원)\n 예산 100억원 (국비 20억원)").metrics
    assert [(m.value, m.prev_value, m.change_value, m.direction) for m in rows] == [
        (1.25e12, None, 7e10, "increase"), (1.05e11, 4.2e10, 6.3e10, "increase"), (8.5e10, None, -3.5e10, "decrease"),
        (1e10, None, None, None), (2e9, None, None, None)]


def test_a_comparative_adjective_right_after_a_figure_that_is_compared_makes_it_the_change(extract) -> None:
    rows = extract("지난해 출생아는 137명으로 2023년 129명보다 8명 많았다. 관광객은 120만명으로 전년보다 3만명 적었다.").metrics
    assert [(m.value, m.prev_value, m.change_value, m.direction) for m in rows] == [
        (137, 129, 8, "increase"), (1200000, None, -30000, "decrease")]


def test_a_comparative_adjective_that_describes_gives_no_direction(extract) -> None:
    rows = extract("재정자립도는 서울시가 93.3%로 가장 높았고 강진군이 7.8%로 가장 낮았다. "
                   "공약 113건 중 81건을 마쳐 72%의 높은 완료율을 보였다.").metrics
    assert [(m.value, m.change_value, m.change_pct, m.direction) for m in rows] == [
        (93.3, None, None, None), (7.8, None, None, None), (113, None, None, None), (81, None, None, None),
        (72, None, None, None)]


def test_figures_in_parentheses_after_nouns_share_the_clause_direction(extract) -> None:
    rows = extract("사회복지(200억원), 교통 및 물류(110억원) 분야에 예산이 증가했다.").metrics
    assert [(m.subject, m.value, m.direction, m.change_value) for m in rows] == [
        ("사회복지", 20000000000, "increase", None), ("교통 및 물류", 11000000000, "increase", None)]


def test_a_sentence_that_refers_back_but_reports_its_own_figure_keeps_it(extract) -> None:
    rows = extract("보령머드축제에 관광객 183만명이 다녀갔다. 이는 전체의 22.9%에 해당한다.").metrics
    assert [(m.value, m.prev_value, m.change_pct) for m in rows] == [(1830000, None, None), (22.9, None, None)]
    rows = extract("구는 예산안을 1조 162억원 규모로 편성했다. 구청장은 이는 올해 9천48억원보다 1,114억원(12.3%) 늘어난 "
                   "규모로, 구 예산이 1조원을 넘어선 것은 처음이라고 말했다.").metrics
    assert [(m.value, m.prev_value, m.change_value, m.change_pct) for m in rows] == [
        (1016200000000, 904800000000, 111400000000, 12.3), (1e12, None, None, None)]


def test_a_comparison_after_a_comma_clause_and_one_after_its_own_figures(extract) -> None:
    rows = extract("사업비는 총 120억원(국비 40억원, 도비 80억원)을 투입하며, 이는 지난해 86억원보다 34억원(39.5%) "
                   "늘어난 규모다. 입장료 수입은 31억원에 달했고, 판매장 두 곳의 매출액도 전년 대비 18% 늘었다.").metrics
    assert [(m.value, m.prev_value, m.change_value, m.change_pct) for m in rows] == [
        (1.2e10, 8.6e9, 3.4e9, 39.5), (4e9, None, None, None), (8e9, None, None, None),
        (3.1e9, None, None, None), (2, None, None, None), (18, None, None, 18)]


def test_names_with_a_figure_inside_are_subjects(extract) -> None:
    rows = extract("동탄9동이 6만4,118명으로 가장 많았다. 홍제3동 주민은 3만명이다.").metrics
    assert [(m.subject, m.value) for m in rows] == [("동탄9동", 64118), ("홍제3동 주민", 30000)]


def test_per_unit_frames_and_names_that_start_with_an_adverb(extract) -> None:
    rows = extract("보증 한도는 업체당 최대 5천만원이다. 늘봄학교 참여 대상은 1만1,240명이다.").metrics
    assert [(m.subject, m.value) for m in rows] == [("보증 한도", 5e7), ("늘봄학교 참여 대상", 11240)]


def test_each_new_figure_takes_the_change_right_after_it(extract) -> None:
    rows = extract("일반회계는 8,912억원으로 541억원, 특별회계는 1,567억원으로 91억원이 각각 증가했다.").metrics
    assert [(m.subject, m.value, m.change_value, m.direction) for m in rows] == [
        ("일반회계", 8.912e11, 5.41e10, "increase"), ("특별회계", 1.567e11, 9.1e9, "increase")]


def test_bare_shares_in_brackets_take_the_unit_of_the_figure_before(extract) -> None:
    rows = extract("사업비는 1,200백만원(국비 600, 시비 300, 구비 300)이다. 예산은 4천772억원(국비 2000)이다.").metrics
    assert [(m.subject, m.value, m.unit) for m in rows] == [
        ("사업비", 1.2e9, "원"), ("국비", 6e8, "원"), ("시비", 3e8, "원"), ("구비", 3e8, "원"), ("예산", 4.772e11, "원")]


def test_subject_is_the_noun_phrase_before_the_figure(extract) -> None:
    rows = extract("보고회에서는 공약사업 108개, 시 주요 현안 52개와 더불어 지역일자리 8,788명 창출을 점검했다.").metrics
    assert [(m.subject, m.value, m.unit) for m in rows] == [
        ("공약사업", 108, "개"), ("시 주요 현안", 52, "개"), ("지역일자리", 8788, "명")]


def test_subject_from_object_and_following_noun(extract) -> None:
    rows = extract("‘경로효친카드’를 1만명에게 발급하고 모두 9건의 도로를 개설한다.").metrics
    assert [(m.subject, m.value, m.unit) for m in rows] == [("경로효친카드", 10000, "명"), ("도로", 9, "건")]


def test_indicator_comes_from_the_rules_aliases(extract) -> None:
    rows = extract("서대문구의 인구는 32만명이고 어르신일자리 사업은 3,400명이다.").metrics
    assert [(m.subject, m.indicator) for m in rows] == [("인구", "인구"), ("어르신일자리 사업", "일자리")]


def test_metric_inside_a_bullet_item_carries_its_project(extract) -> None:
    result = extract("▷청년창업꿈터 조성(사업비 15억원) ▷도서관 건립")
    (metric,) = result.metrics
    assert metric.subject == "사업비" and metric.value == 1500000000
    assert metric.project_id == result.projects[0].project_id and result.projects[0].name == "청년창업꿈터 조성"


def test_duplicate_paragraph_yields_no_metrics(extract) -> None:
    text = "예산은 4천772억원으로 늘었다.\n예산은 4천772억원으로 늘었다."
    result = extract(text)
    assert [(m.para_idx, m.value) for m in result.metrics] == [(0, 477200000000)]


def test_rule_ids_name_unit_and_direction(extract) -> None:
    (metric,) = extract("인구는 120명 감소했다.").metrics
    assert metric.rule_id.split(";") == ["unit.people_myeong", "direction.decrease.감소", "indicator.population"]
    assert metric.change_value == -120 and metric.direction == "decrease"


def test_counters_of_other_figures_are_not_subjects(extract) -> None:
    rows = extract("사업은 5년간 총 1조원이 투입되며 만 65세 이상 어르신 3천명에게 1인당 10만원을 지급한다.").metrics
    assert [(m.subject, m.value, m.unit) for m in rows] == [
        ("사업", 5, "년"), ("사업", 1000000000000, "원"), ("어르신", 3000, "명"), ("사업", 100000, "원")]


def test_earlier_figure_in_brackets_or_before_a_comparison_word(extract) -> None:
    rows = extract("외국인 관광객은 약 250만명으로 전년(180만명) 대비 38.9% 늘었다. 인구는 전년 32만명 대비 1만명 늘어난 33만명이다.").metrics
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.change_pct, m.prev_period, m.qualifier) for m in rows] == [
        ("외국인 관광객", 2500000, 1800000, None, 38.9, "전년", "approx"),
        ("인구", 330000, 320000, 10000, None, "전년", None)]


def test_an_earlier_figure_that_fits_no_current_one_is_its_own_row(extract) -> None:
    rows = extract("지원 인원을 30명에서 예산 5억원으로 바꿨다.").metrics
    assert sorted((m.value, m.unit, m.prev_value) for m in rows) == [(30, "명", None), (500000000, "원", None)]


def test_shares_in_brackets_after_a_total(extract) -> None:
    """총사업비 is one word (총 glued on is no qualifier); 국 and 시 alone name their shares as 국비, 시비."""
    rows = extract("시는 총사업비 120억원(국비 60억원, 시비 60억원)을 투입해 센터를 건립한다.").metrics
    assert [(m.subject, m.value) for m in rows] == [("총사업비", 12000000000), ("국비", 6000000000), ("시비", 6000000000)]
    rows = extract("군은 사업비 412억원(국 120, 도 82, 군 210)을 들인다.").metrics
    assert [(m.subject, m.value) for m in rows] == [("사업비", 41200000000), ("국비", 12000000000), ("도비", 8200000000),
                                                    ("군비", 21000000000)]


def test_a_share_in_brackets_measures_the_figure_before_it(extract) -> None:
    rows = extract("이 가운데 사회복지 예산이 2,100억원(42%)으로 가장 많고, 교육 예산 800억원(16%) 순이다.").metrics
    assert [(m.subject, m.value, m.unit) for m in rows] == [
        ("사회복지 예산", 210000000000, "원"), ("사회복지 예산", 42, "%"), ("교육 예산", 80000000000, "원"), ("교육 예산", 16, "%")]


def test_a_header_on_one_line_gives_no_figures(extract) -> None:
    """`구 분 50∼99명 100∼299명`: the label column's word opens a table's header, whose figures
    name the columns; a line that only mentions 구분 before a colon is read as usual."""
    result = extract("구 분 5∼9명 10∼49명 50명이상\n○ 구분 : 일반회계 120억원, 특별회계 30억원")
    assert [(m.subject, m.value) for m in result.metrics] == [("일반회계", 12000000000), ("특별회계", 3000000000)]


def test_a_figure_said_again_is_the_row_it_restates(extract) -> None:
    """A headline's figure restated in the body is one row, which the body's comparison
    completes; a question and its answer about a cut are the list's row; the same figure of
    another period, or of a subject that says less, is a row of its own."""
    rows = extract("도담구 지난해 구세 2,140억원 걷혀\n서울 도담구의 지난해 구세 수입은 2,140억원으로 집계됐다.\n"
                   "이는 전년(1,968억원)보다 172억원, 8.7% 늘어난 것이다.\n"
                   "올해 청소 예산은 12억원이고 내년 청소 예산도 12억원이다.\n가동 주민은 120명이고 주민은 120명이다.").metrics
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.change_pct, m.direction, m.period) for m in rows] == [
        ("구세", 214000000000, 196800000000, 17200000000, 8.7, "increase", "지난해"),
        ("청소 예산", 1200000000, None, None, None, None, "올해"), ("청소 예산", 1200000000, None, None, None, None, "내년"),
        ("가동 주민", 120, None, None, None, None, None), ("주민", 120, None, None, None, None, None)]
    minutes = extract("◯기획예산과장 성민아  삭감 내역은 다음과 같습니다.\n   - 구정 홍보 영상 제작 : 2억원\n"
                      "○남궁별 위원  구정 홍보 영상 제작 2억원은 전액 삭감된 것이지요?\n"
                      "◯기획예산과장 성민아  예, 2억원 전액 삭감했습니다.").metrics
    assert [(m.subject, m.value, m.para_idx) for m in minutes] == [("구정 홍보 영상 제작", 200000000, 1)]
    item = extract("구는 올해 경로당 냉난방비로 4억원을 편성했다.\n○ 경로당 냉난방비 4억원")
    assert [(m.subject, m.value, m.para_idx, m.project_id) for m in item.metrics] == [
        ("경로당 냉난방비", 400000000, 0, item.projects[0].project_id)]      # the row is of the item it restates


def test_a_comparison_after_a_colon_compares_the_figure_before_it(extract) -> None:
    rows = extract("○ 총규모 1조 2,480억원 : 2024년 본예산(1조 1,868억원) 대비 612억원(5.2%) 증가\n"
                   "올해보다 내국인은 30만 명, 외국인은 50만 명이 증가할 것으로 본다.").metrics
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.change_pct, m.direction) for m in rows[:1]] == [
        ("총규모", 1248000000000, 1186800000000, 61200000000, 5.2, "increase")]
    assert [(m.subject, m.value) for m in rows[1:]] == [("내국인", 300000), ("외국인", 500000)]   # no colon: two changes


def test_a_figure_that_adds_up_the_figures_before_it_is_their_total(extract) -> None:
    """`A 3억원, B 9억원으로 12억원을 증액`: 12억원 is the sum of the two, the topic's own row (an
    increase), not the change of B; an earlier figure and a change that add up to the new one
    still compare."""
    rows = extract("교부금은 보통교부금 3억 2천만 원, 특별교부금 9억 원으로, 12억 2천만 원을 증액했다.").metrics
    assert [(m.subject, m.value, m.change_value, m.direction) for m in rows] == [
        ("보통교부금", 320000000, None, "increase"), ("특별교부금", 900000000, None, "increase"),
        ("교부금", 1220000000, 1220000000, "increase")]
    rows = extract("복지 예산은 올해 800억 원보다 120억 원 증가한 920억 원이다.").metrics
    assert [(m.subject, m.value, m.prev_value, m.change_value) for m in rows] == [
        ("복지 예산", 92000000000, 80000000000, 12000000000)]


def test_a_second_change_in_a_sentence_is_a_row_of_its_own(extract) -> None:
    """A change after another change of the same figure is not lost: it is the change of its
    own topic (`인건비는 … 원을, 운영비는 … 원을 증액`)."""
    rows = extract("인건비는 5억 원으로 1억 원을, 운영비는 2억 원을 증액 편성했다.").metrics
    assert [(m.subject, m.value, m.change_value, m.direction) for m in rows] == [
        ("인건비", 500000000, 100000000, "increase"), ("운영비", 200000000, 200000000, "increase")]


def test_a_clause_of_comparisons_compares_the_figure_of_its_kind_before_it(extract) -> None:
    """`전체 예산의 41.5%인 2,830억원을 편성해 | 전년 2,610억원에서 220억원 늘었다`: the earlier
    figure and the change are the amount's (not the share's, which stands first), and a share
    of the whole said in a field with 에는 is that field's."""
    rows = extract("먼저 복지 분야에는 전체 예산의 41.5%인 2,830억원을 편성해 전년 2,610억원에서 220억원 늘었다.").metrics
    assert [(m.subject, m.value, m.prev_value, m.change_value, m.direction) for m in rows] == [
        ("복지 분야", 41.5, None, None, None), ("복지 분야", 283000000000, 261000000000, 22000000000, "increase")]


def test_a_row_with_an_earlier_figure_and_no_direction_word_moved_as_its_figures_did(extract) -> None:
    """`15개소 → 19개소`, `4.2%에서 3.8%로`: no word says which way, the two figures do; the same
    figure twice moved neither way."""
    rows = extract("○ 대기오염 측정망 확충 : 15개소 → 19개소\n○ 실업률 : 4.2%에서 3.8%로\n○ 공공청사 : 12곳 → 12곳").metrics
    assert [(m.value, m.prev_value, m.direction) for m in rows] == [
        (19, 15, "increase"), (3.8, 4.2, "decrease"), (12, 12, None)]


def test_earnings_raised_are_earned_not_a_change(extract) -> None:
    rows = [(m.subject, m.value, m.change_value, m.direction)
            for m in extract("축제는 입장료 수입 21억원을 올렸다. 구는 예산을 10억원 올렸다.").metrics]
    assert rows == [("입장료 수입", 2100000000, None, None), ("예산", 1000000000, 1000000000, "increase")]
