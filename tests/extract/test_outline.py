"""Sections and items as the outline of a document gives them: lead-ins above lists, headings,
and what an item's name keeps."""
from __future__ import annotations

from pipeline.extract import Analysis, analysis_wanted
from pipeline.extract.layout import layout
from pipeline.ingest import split_paragraphs


def _sections(result) -> list[tuple[str | None, str]]:
    return [(p.section, p.name) for p in result.projects]


def test_the_prose_line_above_a_list_is_its_lead_in(extract) -> None:
    text = ("존경하는 구의회 의장님, 그리고 의원 여러분!\n"
            "내년도 예산안은 총 8,420억원입니다.\n\n"
            "먼저, 어르신 돌봄 분야에 1,260억원을 배정했습니다.\n"
            "△방문 간호 확대 84억원\n"
            "△경로당 냉난방비 지원 12억원\n\n"
            "둘째로, 청년 일자리 분야입니다. 전년 대비 6.1% 늘린 540억원을 담았습니다.\n"
            "창업 공간과 주거가 중심입니다.\n"
            "△청년 창업센터 2호점 개관 38억원\n")
    assert _sections(extract(text)) == [
        ("어르신 돌봄 분야", "방문 간호 확대"),
        ("어르신 돌봄 분야", "경로당 냉난방비 지원"),
        ("청년 일자리 분야", "청년 창업센터 2호점 개관"),
    ]


def test_an_address_is_no_heading(extract) -> None:
    result = extract("존경하는 구민 여러분!\n△주민센터 신축 45억원")
    assert _sections(result) == [(None, "주민센터 신축")]


def test_a_lead_in_heads_the_top_of_an_outline_and_its_items_head_theirs(extract) -> None:
    text = "올해 안전 분야에 220억원을 씁니다.\n□ 주요 추진사업\n○ 하천 정비 40억원\n○ 가로등 교체 12억원"
    assert _sections(extract(text)) == [
        ("안전 분야", "주요 추진사업"), ("주요 추진사업", "하천 정비"), ("주요 추진사업", "가로등 교체")]


def test_names_keep_bracketed_words_and_drop_bracketed_figures(extract) -> None:
    text = ("△청년 도시(일자리 연계, 주거비 지원) 2,380억원\n"
            "△체육관 건립(문화·체육 복합) 512억원\n"
            "△하수관로 정비(20억원)\n"
            "△보건소 신축(2027. 6월 준공)\n"
            "△미세먼지 농도(62.3% 감소)\n"
            "△기초연금 지급(’22. 30만 원 → ’24. 33만 원 이상)")
    result = extract(text)
    assert [p.name for p in result.projects] == [
        "청년 도시(일자리 연계, 주거비 지원)", "체육관 건립(문화·체육 복합)", "하수관로 정비", "보건소 신축", "미세먼지 농도", "기초연금 지급"]
    assert [(m.subject, m.value) for m in result.metrics[:3]] == [
        ("청년 도시", 238000000000), ("체육관 건립", 51200000000), ("하수관로 정비", 2000000000)]


def test_the_lines_above_a_list_are_analysed_whole(lex) -> None:
    paragraphs = split_paragraphs("d", "표지\n\n둘째로, 문화 분야입니다.\n예산은 늘었습니다.\n△도서관 건립 12억원\n끝.\n\n"
                                       "셋째, 복지를 넓히겠습니다.\n모두 살피겠습니다.\n\n첫 줄입니다.")
    wanted = analysis_wanted(paragraphs, layout(paragraphs, lex), lex)
    assert wanted == [Analysis.NONE, Analysis.WHOLE, Analysis.WHOLE, Analysis.FIGURES, Analysis.NONE,
                      Analysis.WHOLE, Analysis.NONE, Analysis.NONE]


def test_a_speech_point_heads_the_lists_of_its_lines(extract) -> None:
    """`넷째, …를 이루겠습니다.` pledges what the lines below it, until a blank line, are about;
    a nearer lead-in still wins."""
    text = ("넷째, 아이 키우기 좋은 도시를 이루겠습니다.\n"
            "보육 예산은 1,120억원입니다.\n"
            "그 가운데 시설 예산이 늘었고,\n"
            "▲공공 키즈카페 3곳 조성 ▲어린이집 냉난방기 교체를 반영했습니다.\n\n"
            "다섯째로, 걷기 편한 거리를 만들겠습니다.\n"
            "▲보행로 확장 ▲횡단보도 조명 설치를 추진합니다.\n\n"
            "여섯째, 안전 분야에 96억원을 증액했습니다. ▲하천 정비 ▲CCTV 교체\n\n"
            "△경로당 신축")
    assert _sections(extract(text)) == [
        ("아이 키우기 좋은 도시", "공공 키즈카페 3곳 조성"), ("아이 키우기 좋은 도시", "어린이집 냉난방기 교체"),
        ("걷기 편한 거리", "보행로 확장"), ("걷기 편한 거리", "횡단보도 조명 설치"),
        ("안전 분야", "하천 정비"), ("안전 분야", "CCTV 교체"),
        (None, "경로당 신축")]


def test_after_a_table_closed_by_its_total_the_items_are_the_heading_above_s_again(extract) -> None:
    """`□ 정책사업 : X (단위 : 천원)` names X without its unit note; a table whose last row is its
    total hands the text after it back to X, not to 합계."""
    text = ("□ 정책사업 : 평생학습 지원                (단위 : 천원)\n"
            "   단위사업       | 2024년 예산 | 2025년 예산\n"
            " 학습관 운영      |    412,000  |    436,000\n"
            " 강좌 개설        |    120,500  |    131,000\n"
            "   합    계       |    532,500  |    567,000\n\n"
            "○ 학습관 운영 : 436,000천원\n"
            "○ 강좌 개설 : 131,000천원\n")
    assert _sections(extract(text)) == [
        (None, "평생학습 지원"), ("평생학습 지원", "학습관 운영"), ("평생학습 지원", "강좌 개설")]


def test_a_list_flattened_onto_one_line_is_read_as_its_lines(extract) -> None:
    """PDF text puts a list on one line: its marker again before a bracketed label opens the
    next item; a name ends before the 등 that says the list goes on."""
    text = ("추진과제\n"
            "- (돌봄 확대) 방문 돌봄 인력 증원, 야간 돌봄센터 신설 등 - (안전 강화) 노후 시설 점검 등\n"
            "- 2024~2026년 단계적 추진")
    assert _sections(extract(text)) == [
        ("추진과제", "방문 돌봄 인력 증원, 야간 돌봄센터 신설"),
        ("추진과제", "노후 시설 점검"),
        ("추진과제", "2024~2026년 단계적 추진")]


def test_a_line_item_is_named_by_its_first_sentence(extract) -> None:
    result = extract("○ 마을 쉼터 조성사업 추진. 2025~2027년 3년간 군비 12억 투자\n- 경로당 연계 쉼터 6곳 설치")
    assert _sections(result) == [(None, "마을 쉼터 조성사업 추진"), ("마을 쉼터 조성사업 추진", "경로당 연계 쉼터 6곳 설치")]


def test_an_item_done_by_means_of_something_is_that_means(extract) -> None:
    result = extract("○ 노후 벤치 교체를 통하여 공원 이용객의 편의 증진")
    assert [(p.name, p.detail) for p in result.projects] == [("노후 벤치 교체", "공원 이용객의 편의 증진")]


def test_a_quoted_topic_leads_in_without_its_quotes(extract) -> None:
    text = "'생활 안심 권역'은 사업 수가 가장 많다.\n△골목길 비상벨 설치 8억원 △방범 조명 교체 5억원"
    assert _sections(extract(text)) == [("생활 안심 권역", "골목길 비상벨 설치"), ("생활 안심 권역", "방범 조명 교체")]


def test_lines_that_lost_their_marker_keep_their_bracketed_label(extract) -> None:
    text = ("붙임  2024년 복지 주요사업\n"
            "(돌봄) 어르신 방문간호 확대 : 1,200가구\n"
            "(돌봄) 야간 긴급돌봄 센터 운영\n"
            "(아동) 공공 키즈카페 2호점 조성 : 사업비 9억원\n"
            "(단위 : 백만원)\n"
            "(14시 05분 개의)")
    result = extract(text)
    assert [(p.section, p.marker, p.name) for p in result.projects] == [
        ("2024년 복지 주요사업", "(돌봄)", "어르신 방문간호 확대"),
        ("2024년 복지 주요사업", "(돌봄)", "야간 긴급돌봄 센터 운영"),
        ("2024년 복지 주요사업", "(아동)", "공공 키즈카페 2호점 조성"),
    ]
    assert [(m.subject, m.value, m.project_id) for m in result.metrics] == [
        ("어르신 방문간호 확대", 1200, result.projects[0].project_id),
        ("사업비", 900000000, result.projects[2].project_id),
    ]


def test_numbered_lines_head_the_items_below_them(extract) -> None:
    text = "Ⅰ. 2023년 추진성과\n 1. 안전도시\n  ○ 스마트 가로등 교체 : 2,300등\nⅡ. 2024년 추진계획\n 가. 교통\n  ○ 마을버스 노선 신설"
    result = extract(text)
    assert [(p.section, p.name, p.level) for p in result.projects] == [
        ("안전도시", "스마트 가로등 교체", 1), ("교통", "마을버스 노선 신설", 1)]


def test_a_run_is_headed_by_where_the_money_goes_then_by_what_it_is_for(extract) -> None:
    text = ("첫째, 시민 안전을 위해 안전분야에 142억원을 증액했다. ▲하천 재해예방 40억원 ▲소방차 구입 29억원\n"
            "시는 원도심 재생과 일자리 창출을 위해 △스마트팜, 드론, 수소 등 3대 신산업 육성 △청년 창업 지원을 추진한다.")
    assert _sections(extract(text)) == [
        ("안전분야", "하천 재해예방"), ("안전분야", "소방차 구입"),
        ("원도심 재생과 일자리 창출", "스마트팜, 드론, 수소 등 3대 신산업 육성"),
        ("원도심 재생과 일자리 창출", "청년 창업 지원"),
    ]


def test_a_run_is_headed_by_what_is_looked_at_in_some_manner(extract) -> None:
    text = ("새해 예산을 분야별로 보면 △복지 분야 320억원 △교통 분야 115억원 등이다.\n"
            "주요 사업을 구체적으로 살펴보면 ▲공영주차장 확충 ▲마을버스 증차 등이다.")
    assert _sections(extract(text)) == [
        ("새해 예산", "복지 분야"), ("새해 예산", "교통 분야"), ("주요 사업", "공영주차장 확충"), ("주요 사업", "마을버스 증차")]


def test_a_run_after_a_clause_of_only_its_year_takes_the_topic_of_the_sentence_before(extract) -> None:
    text = ("주거 분야에서는 노후 주거지 정비에 속도를 내겠습니다. 재정비촉진지구 정비사업이 진행 중이며, "
            "올해는 △모아타운 조성 △빌라 집수리 지원을 추진하겠습니다.")
    assert _sections(extract(text)) == [("주거 분야", "모아타운 조성"), ("주거 분야", "빌라 집수리 지원")]


def test_a_line_of_figures_heads_nothing(extract) -> None:
    text = "○ 기금 현황\n4,928,328 1,634,633 1,232,000\n○ 재원조성\n - 시 출연금, 이자수입"
    assert _sections(extract(text)) == [(None, "기금 현황"), (None, "재원조성"), ("재원조성", "시 출연금, 이자수입")]


def test_a_heading_that_ends_in_a_noun_with_yo_is_a_heading(extract) -> None:
    """`개요`, `수요` end in 요 like a polite sentence; without a stop they are nouns."""
    result = extract("보도자료\n\n구는 예산을 늘렸다고 밝혔다.\n\n붙임 1  2025년 주거안정 주요 사업 개요\n"
                     "○ 공공임대 500호 공급\n\n청년 주거 수요\n○ 청년 월세 지원")
    assert [(p.section, p.name) for p in result.projects] == [
        ("2025년 주거안정 주요 사업 개요", "공공임대 500호 공급"), ("청년 주거 수요", "청년 월세 지원")]


def test_a_numbered_heading_after_an_item_is_a_heading_not_its_continuation(extract) -> None:
    """` 2. 농업 경쟁력 강화` right after an item's line holds a digit, but it is the heading's number:
    the next items are under it, not under ` 1. …`."""
    result = extract(" 1. 지역경제 활성화\n  □ 농공단지 기업 유치: 신규 입주기업 8개사\n"
                     " 2. 농업 경쟁력 강화\n  □ 친환경 농업 육성\n 3. 문화·관광\n  □ 상림공원 명품화 사업")
    assert [(p.section, p.name) for p in result.projects] == [
        ("지역경제 활성화", "농공단지 기업 유치"), ("농업 경쟁력 강화", "친환경 농업 육성"), ("문화·관광", "상림공원 명품화 사업")]


def test_a_lead_in_right_under_a_heading_leaves_the_heading_to_head_the_list(extract) -> None:
    """A prose lead-in (`…을 위해 다음과 같이 추진하겠습니다.`, `주요 사업은 다음과 같다.`) right under a
    heading heads nothing: the heading does; with no heading right above, the lead-in does."""
    result = extract(" 3. 농업·농촌 경쟁력 강화\n\n   스마트농업 확산과 농가 소득 안정을 위해 다음과 같이 추진하겠습니다.\n"
                     "     ① 스마트팜 보급 확대 : 22농가\n"
                     "2. 주요 불용 사업\n   불용액이 큰 주요 사업은 다음과 같다.\n  ○ 진영 공공도서관 건립 : 불용액 36억 원\n"
                     "올해 중점 과제는 다음과 같다.\n○ 노후 경유차 조기폐차 지원")
    assert [(p.section, p.name) for p in result.projects] == [
        ("농업·농촌 경쟁력 강화", "스마트팜 보급 확대"), ("주요 불용 사업", "진영 공공도서관 건립"),
        ("중점 과제", "노후 경유차 조기폐차 지원")]


def test_an_item_name_wrapped_onto_the_next_line_is_joined(extract) -> None:
    """A name that stops on a word that cannot end it (`및 찾아가는`, `정비와`) goes on in the
    deeper line below, up to its predicate; its items are under the whole name, and a name that
    ends well (`경로당 구축`) takes nothing from the line below."""
    text = ("1. 복지ㆍ보건 분야\n  □ 마을 돌봄센터 기능 강화 및 찾아가는\n     방문간호서비스 확대\n"
            "    ㆍ 간호사 4명 추가 배치\n  ○ 노후 하수관로 정비와\n     빗물받이 신설을 추진함\n"
            "  ○ 스마트 경로당 구축\n     2개소 신규")
    assert _sections(extract(text)) == [
        ("복지ㆍ보건 분야", "마을 돌봄센터 기능 강화 및 찾아가는 방문간호서비스 확대"),
        ("마을 돌봄센터 기능 강화 및 찾아가는 방문간호서비스 확대", "간호사 4명 추가 배치"),
        ("마을 돌봄센터 기능 강화 및 찾아가는 방문간호서비스 확대", "노후 하수관로 정비와 빗물받이 신설을 추진"),
        ("마을 돌봄센터 기능 강화 및 찾아가는 방문간호서비스 확대", "스마트 경로당 구축")]


def test_numbered_items_inline_after_a_label_and_on_the_line_below(extract) -> None:
    """`□ 군정목표 : ① … ② …` names the heading 군정목표 (not the whole line), and the next line
    going on with ③ ④ continues the same run under it."""
    text = ("Ⅰ. 2024년 군정 방향\n  □ 군정목표 : ① 활기찬 지역경제  ② 든든한 복지안전망\n"
            "               ③ 깨끗한 생활환경  ④ 열린 소통행정")
    assert _sections(extract(text)) == [
        ("2024년 군정 방향", "군정목표"), ("군정목표", "활기찬 지역경제"), ("군정목표", "든든한 복지안전망"),
        ("군정목표", "깨끗한 생활환경"), ("군정목표", "열린 소통행정")]


def test_a_field_written_with_ro_neun_heads_its_run_and_a_continued_run(extract) -> None:
    """`주거 분야로는` (로 and 는 as the analyser cuts them) is what the sentence is about; a run
    later in the paragraph opened only by 이어 or 또한 goes on with that list, past a sentence
    about one of its items."""
    text = ("먼저 주거 분야로는 전체 예산의 12.5%인 840억원을 편성해 △청년 월세 지원 120억원 △공공임대 리모델링 95억원을 "
            "담았습니다. 청년 월세는 올해 2,000가구에서 내년 2,600가구로 늘리겠습니다. 이어 △빈집 정비 △노후 주택 "
            "집수리 지원도 함께 추진하겠습니다.\n"
            "환경 분야로는 410억원을 편성해 △하수관로 정비 80억원 △도시숲 조성 35억원에 투자하겠습니다.")
    assert _sections(extract(text)) == [
        ("주거 분야", "청년 월세 지원"), ("주거 분야", "공공임대 리모델링"), ("주거 분야", "빈집 정비"),
        ("주거 분야", "노후 주택 집수리 지원"), ("환경 분야", "하수관로 정비"), ("환경 분야", "도시숲 조성")]


def test_a_lead_in_that_ends_in_a_figure_and_its_share_names_no_section(extract) -> None:
    """`문화 분야 예산은 210억원(비중 2.4%)으로 △…`: the figure with its bracket is no section;
    what the lead-in is about is."""
    text = "문화 분야 예산은 210억원(비중 2.4%)으로 △구립도서관 건립 48억원 △생활문화센터 운영 6억원 등을 담았다."
    assert _sections(extract(text)) == [("문화 분야 예산", "구립도서관 건립"), ("문화 분야 예산", "생활문화센터 운영")]


def test_a_plan_the_run_goes_through_heads_it_and_neither_speaker_nor_office_does(extract) -> None:
    """`'…계획'을 통해 ▲…`: the plan, without its quote; `교육청은 ▲…` (opening no run before it to go
    on with), `"구의회는 ▲…` name the office speaking, and in a quotation the speaker before it names nothing either; words inside
    the quotation do (`“올해는 복지 분야에 ▲…`)."""
    text = ("교육청은 ▲작은 학교 통합 ▲통학버스 증차를 추진한다.\n\n"
            "군은 '2025년 농업 활력 계획'을 통해 ▲청년농 정착 지원 ▲스마트팜 보급을 추진한다.\n\n"
            "최 의장은 \"구의회는 ▲예산 심사 강화 ▲조례 정비를 과제로 삼겠다\"고 말했다.\n"
            "이 군수는 “올해는 문화 분야에 ▲도서관 신축 ▲공연장 보수를 추진하겠다”고 말했다.")
    assert _sections(extract(text)) == [
        (None, "작은 학교 통합"), (None, "통학버스 증차"),
        ("2025년 농업 활력 계획", "청년농 정착 지원"), ("2025년 농업 활력 계획", "스마트팜 보급"),
        (None, "예산 심사 강화"), (None, "조례 정비"),
        ("문화 분야", "도서관 신축"), ("문화 분야", "공연장 보수")]


def test_a_speech_s_point_that_names_a_noun_with_its_clause_heads_the_runs_under_it(extract) -> None:
    """`첫째, 아이를 키우기 좋은 도시입니다.` names the noun with its clause; `둘째, 주민과 기업의
    상생입니다.` a noun joined by particles; `셋째, … 교통망을 빈틈없이 확충하겠습니다.` pledges an
    object past its manner; a run on the next line whose lead-in names nothing is that point's."""
    text = ("첫째, 아이를 키우기 좋은 도시입니다.\n△국공립 어린이집 확충 △아동수당 지급에 320억원을 편성했습니다.\n\n"
            "둘째, 주민과 기업의 상생입니다.\n△상생협력기금 조성 △지역 인재 채용 지원\n\n"
            "셋째, 사람 중심의 교통망을 빈틈없이 확충하겠습니다.\n버스 노선 개편과 함께 △마을버스 증차 △환승센터 건립을 추진하겠습니다.")
    assert _sections(extract(text)) == [
        ("아이를 키우기 좋은 도시", "국공립 어린이집 확충"), ("아이를 키우기 좋은 도시", "아동수당 지급"),
        ("주민과 기업의 상생", "상생협력기금 조성"), ("주민과 기업의 상생", "지역 인재 채용 지원"),
        ("사람 중심의 교통망", "마을버스 증차"), ("사람 중심의 교통망", "환승센터 건립")]


def test_a_point_opened_by_an_ordinal_with_ro_names_its_noun_without_it(extract) -> None:
    """`첫째로, 아이를 키우기 좋은 도시입니다.`: the section starts after 첫째로 and its comma."""
    text = "첫째로, 아이를 키우기 좋은 도시입니다.\n△국공립 어린이집 확충 △아동수당 지급"
    assert _sections(extract(text)) == [("아이를 키우기 좋은 도시", "국공립 어린이집 확충"),
                                        ("아이를 키우기 좋은 도시", "아동수당 지급")]


def test_what_a_run_responds_to_heads_it(extract) -> None:
    """`폭염에 대응해 ▲…`, `… 감소에 대응하여 ▲…`: what the run responds to is its section."""
    text = "시는 폭염에 대응해 ▲그늘막 설치 ▲무더위쉼터 운영을 추진한다.\n\n교육청은 학령인구 감소에 대응하여 ▲작은 학교 통합을 추진한다."
    assert _sections(extract(text)) == [("폭염", "그늘막 설치"), ("폭염", "무더위쉼터 운영"), ("학령인구 감소", "작은 학교 통합")]


def test_a_field_with_에는_leads_in_the_run_with_what_is_joined_to_it(extract) -> None:
    text = ("먼저 일자리와 지역경제 분야에는 1,084억원을 편성해 ▲청년 창업 지원공간 조성 18억원 ▲전통시장 시설 현대화 24억원 등을 반영했습니다.\n"
            "올해에는 50억원을 들여 ▲도로 정비 ▲하천 정비를 추진합니다.")
    assert _sections(extract(text)) == [("일자리와 지역경제 분야", "청년 창업 지원공간 조성"),
                                        ("일자리와 지역경제 분야", "전통시장 시설 현대화"),
                                        (None, "도로 정비"), (None, "하천 정비")]     # a time is no field


def test_a_lead_in_that_is_an_amount_leaves_the_run_to_the_sentence_before(extract) -> None:
    text = ("둘째, 복지 분야에는 전체 예산의 34.2%인 3,846억원을 투입합니다. 지난해보다 412억원 늘어난 규모로, "
            "▲기초연금 1,102억원 ▲아동수당 318억원을 반영했습니다.")
    assert _sections(extract(text)) == [("복지 분야", "기초연금"), ("복지 분야", "아동수당")]


def test_a_lead_in_with_an_amount_that_says_no_change_is_a_section(extract) -> None:
    assert _sections(extract("구는 50억원 이상 사업에는 ▲도로 확장 ▲교량 보수를 우선 반영했다.")) == [
        ("50억원 이상 사업", "도로 확장"), ("50억원 이상 사업", "교량 보수")]
