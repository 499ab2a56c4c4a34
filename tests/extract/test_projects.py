"""Bullet items in both styles: inline runs with lead-in sections, and line hierarchies."""
from __future__ import annotations


def _rows(result, *fields: str) -> list[tuple]:
    names = {p.project_id: p.name for p in result.projects}
    return [tuple(names.get(p.parent_id) if f == "parent" else getattr(p, f) for f in fields)
            for p in result.projects]


def test_inline_run_sections_names_and_predicates(extract) -> None:
    text = ("먼저 신촌권역으로 ▷문화발전소 건립 ▷청년 창업 꿈터 2호점 조성 ▷신총 박스퀘어 조성사업이 추진된다. "
            "끝으로 가좌권역은 ▷모래내 서종시장 재개발 ▷가재울 도서관 건립을 위해 실시설계 용역이후 공사발주 예정이며 "
            "▷종합보육시설 건립 등 4대 권역별 발전전략으로 골고루 잘사는 서대문 조성에 나선다.")
    assert _rows(extract(text), "section", "name", "action", "status", "detail", "marker") == [
        ("신촌권역", "문화발전소 건립", "건립", None, None, "▷"),
        ("신촌권역", "청년 창업 꿈터 2호점 조성", "조성", None, None, "▷"),
        ("신촌권역", "신총 박스퀘어 조성사업", None, "추진", None, "▷"),
        ("가좌권역", "모래내 서종시장 재개발", "재개발", None, None, "▷"),
        ("가좌권역", "가재울 도서관 건립", "건립", "예정", "실시설계 용역이후 공사발주 예정", "▷"),
        ("가좌권역", "종합보육시설 건립", "건립", None, None, "▷"),
    ]


def test_connective_ending_closes_an_item_and_opens_a_section(extract) -> None:
    text = ("사람을 위하는 복지로 △보훈회관 리모델링 △장애인 복지를 강화하며 사람이 만드는 교육문화사업으로 "
            "△혁신교육지구 사업 △문화가 흐르는 서대문을 조성하며 사람이 사는 환경사업으로 △공원.놀이터 조성 "
            "△원전하나 줄이기 사업을 추진하며 사람이 주인인 참여사업으로 △자치분권 지원 등을 추진한다.")
    assert _rows(extract(text), "section", "name") == [
        ("사람을 위하는 복지", "보훈회관 리모델링"),
        ("사람을 위하는 복지", "장애인 복지를 강화"),
        ("사람이 만드는 교육문화사업", "혁신교육지구 사업"),
        ("사람이 만드는 교육문화사업", "문화가 흐르는 서대문을 조성"),
        ("사람이 사는 환경사업", "공원.놀이터 조성"),
        ("사람이 사는 환경사업", "원전하나 줄이기 사업"),
        ("사람이 주인인 참여사업", "자치분권 지원"),
    ]


def test_a_name_with_clauses_inside_ends_at_a_comma_before_an_adverb(extract) -> None:
    text = ("올해 시정 운영 방향은 ①정원박람회 성공 개최 ②시민이 주인이 되는 열린 행정, 이렇게 두 가지입니다. "
            "구는 ▲노인 복지 확충, 특히 요양시설 확대에 힘쓴다.")
    assert _rows(extract(text), "section", "name") == [
        ("시정 운영 방향", "정원박람회 성공 개최"), ("시정 운영 방향", "시민이 주인이 되는 열린 행정"),
        (None, "노인 복지 확충")]


def test_a_lead_in_of_what_the_items_were_done_as_names_the_section(extract) -> None:
    text = ("시는 친기업 시책으로 추진한 ▶원스톱 지원센터 운영 ▶인허가 기간 단축 등이 효과를 냈다. "
            "구는 복지 분야에서 펼치는 ◇경로당 지원 ◇돌봄 확대를 소개했다. 구는 새로 조성한 △공원 △도서관을 공개했다.")
    assert _rows(extract(text), "section", "name") == [
        ("친기업 시책", "원스톱 지원센터 운영"), ("친기업 시책", "인허가 기간 단축"),
        ("복지 분야", "경로당 지원"), ("복지 분야", "돌봄 확대"), (None, "공원"), (None, "도서관")]


def test_a_run_after_the_office_speaking_takes_the_topic_of_the_sentence_before(extract) -> None:
    text = ("지역경제 회복을 위한 사업도 함께 담겼다. 시는 △지역화폐 발행 확대 △전통시장 주차장 조성에 모두 216억 원을 반영했다. "
            "청년 분야는 올해 가장 공을 들인 분야다. 또한 구는 ▷청년 공유주택 조성 ▷일자리 카페 운영에 나선다.")
    assert _rows(extract(text), "section", "name") == [
        ("지역경제 회복을 위한 사업", "지역화폐 발행 확대"), ("지역경제 회복을 위한 사업", "전통시장 주차장 조성"),
        ("청년 분야", "청년 공유주택 조성"), ("청년 분야", "일자리 카페 운영")]


def test_a_second_lead_in_after_an_item_s_figure_and_its_object_particle(extract) -> None:
    text = ("주요 사업으로는 복지 분야에 ▷돌봄교실 운영 186억원 ▷무상급식 확대 97억원을, 교육환경 개선 분야에 "
            "▷화장실 개선 265억원 ▷내진보강 78억원을 반영했다.")
    assert _rows(extract(text), "section", "name") == [
        ("복지 분야", "돌봄교실 운영"), ("복지 분야", "무상급식 확대"), ("교육환경 개선 분야", "화장실 개선"),
        ("교육환경 개선 분야", "내진보강")]


def test_a_name_that_says_from_what_to_what_keeps_both(extract) -> None:
    text = ("셋째, 교통 분야에서는 ▲심야버스 노선 신설 ▲환승 할인 시간 30분에서 40분으로 연장을 검토해 주시기 바랍니다.\n"
            "□ 주요 변경 사항\n· 직무 교육 과정을 기존 8개에서 15개로 늘려 반도체 분야 신설")
    assert _rows(extract(text), "section", "name") == [
        ("교통 분야", "심야버스 노선 신설"), ("교통 분야", "환승 할인 시간 30분에서 40분으로 연장"), (None, "주요 변경 사항"),
        ("주요 변경 사항", "직무 교육 과정을 기존 8개에서 15개")]


def test_item_spans_hold_marker_and_name(extract) -> None:
    text = "또한 일자리 확충사업으로 ▷전통시장 활성화 ▷청년활동공간 조성을 추진하고 있으며 어르신일자리는 늘었다."
    result = extract(text)
    assert _rows(result, "section", "name", "status", "char_start", "char_end") == [
        ("일자리 확충사업", "전통시장 활성화", None, 14, 24),
        ("일자리 확충사업", "청년활동공간 조성", "추진", 24, 40),
    ]
    for p in result.projects:
        assert p.name in text[p.char_start:p.char_end]


def test_middle_dot_period_range_and_minus_are_not_markers(extract) -> None:
    result = extract("또한 아현⋅서대문권역은 ▷공원.놀이터 조성 ▷3~5개소 확충 사업을 추진한다.\n○ 절감액 = △1,920")
    assert _rows(result, "section", "name", "marker") == [
        ("아현⋅서대문권역", "공원.놀이터 조성", "▷"),
        ("아현⋅서대문권역", "3~5개소 확충 사업", "▷"),
        (None, "절감액", "○"),
    ]


def test_lead_in_without_particle_gives_no_section(extract) -> None:
    result = extract("시는 올해 ▶민생 안정과 회복, 시민 불편 해소 ▶친환경 녹색도시, 안전하고 살기 좋은 계획도시 조성에 나선다.")
    assert _rows(result, "section", "name") == [
        (None, "민생 안정과 회복, 시민 불편 해소"),
        (None, "친환경 녹색도시, 안전하고 살기 좋은 계획도시 조성"),
    ]


def test_run_continues_in_next_paragraph_with_its_section(extract) -> None:
    result = extract("주요 사업은 ▷도로 확장\n▷공영주차장 조성")
    assert _rows(result, "section", "name", "para_idx") == [("주요 사업", "도로 확장", 0), ("주요 사업", "공영주차장 조성", 1)]


def test_line_hierarchy_nests_items_under_headings(extract) -> None:
    text = ("율하천 생태복원사업\n□ 주요 추진사업\n  ○ 청년창업 지원\n    - 사업비: 15억원\n  ○ 도서관 건립\n"
            "□ 추진상황\n  ○ 2015. 3. : 토목공사 1차분 착공(준공 : 2016. 6월)\n[ 기 타 ]\n  ○ 공원 조성\n※ 참고 사항")
    result = extract(text)
    assert _rows(result, "section", "name", "parent", "level", "marker", "status") == [
        ("율하천 생태복원사업", "주요 추진사업", None, 1, "□", "추진"),
        ("주요 추진사업", "청년창업 지원", "주요 추진사업", 2, "○", None),
        ("주요 추진사업", "도서관 건립", "주요 추진사업", 2, "○", None),
        ("율하천 생태복원사업", "추진상황", None, 1, "□", "추진"),
        ("추진상황", "토목공사 1차분 착공", "추진상황", 2, "○", "착공"),
        ("기 타", "공원 조성", "추진상황", 2, "○", None),
    ]
    (cost,) = result.metrics
    assert (cost.subject, cost.value, cost.project_id) == ("청년창업 지원 사업비", 1500000000,
                                                           result.projects[1].project_id)


def test_amounts_after_items_stay_out_of_names(extract) -> None:
    result = extract("10대 사업은 △지역균형발전 전략사업(171억5천만원) △재해위험(부용)지구 정비(30억100만원) 등이다.\n"
                     "주요 예산은 ▷문현지구 정비 23억원 ▷도로 확장 20억원 등이다.")
    assert _rows(result, "section", "name") == [
        ("10대 사업", "지역균형발전 전략사업"), ("10대 사업", "재해위험(부용)지구 정비"),
        ("주요 예산", "문현지구 정비"), ("주요 예산", "도로 확장")]
    assert [(m.subject, m.value) for m in result.metrics] == [
        ("지역균형발전 전략사업", 17150000000), ("지구 정비", 3001000000),
        ("문현지구 정비", 2300000000), ("도로 확장", 2000000000)]


def test_a_figure_and_the_note_on_it_after_an_item_stay_out_of_its_name(extract) -> None:
    result = extract("■ 감액 사업\n  - 세교3지구 도시개발 보상비 △2,450,000천원(집행 시기 조정)\n"
                     "  - 시청사 주차타워 건립 1,380,000천원(공모 결과 반영)\n  - 복구사업(성립전)")
    assert _rows(result, "name")[1:] == [("세교3지구 도시개발 보상비",), ("시청사 주차타워 건립",), ("복구사업(성립전)",)]


def test_field_lines_are_attributes_of_the_item_above(extract) -> None:
    text = ("□ 사업개요\n  ○ 사업명 : 율하천 생태복원\n  ○ 위    치 : 관동동 일원\n"
            "  ○ 사 업 비 : 9,800백만원 (국비 60%)\n  ○ 주요시설 : 산책로 1.6㎞, 생태습지 2곳\n"
            "□ 부대사업\n  ○ 사 업 비 : 12억원")
    result = extract(text)
    assert _rows(result, "name", "parent") == [("사업개요", None), ("율하천 생태복원", "사업개요"), ("부대사업", None)]
    river = result.projects[1].project_id
    assert [(m.subject, m.value, m.project_id) for m in result.metrics] == [
        ("율하천 생태복원 사업비", 9800000000, river), ("율하천 생태복원 국비", 60, river),
        ("율하천 생태복원 산책로", 1.6, river), ("율하천 생태복원 생태습지", 2, river),
        ("부대사업 사업비", 1200000000, result.projects[2].project_id)]


def test_figure_lines_and_sentences_under_an_item(extract) -> None:
    text = ("□ 상수도 시설 확충\n"
            "  ○ 노후 상수관 18km를 교체하여 누수를 줄임\n"
            "    - 연면적 1,250㎡, 지하 1층~지상 3층\n"
            "    - 급수인구 184,300명, 전년 대비 2,150명 증가\n"
            "  ○ 배수지 감시 체계를 확대함\n"
            "    * 감시 지점 12곳 추가")
    result = extract(text)
    assert _rows(result, "section", "name", "detail") == [
        (None, "상수도 시설 확충", None),
        ("상수도 시설 확충", "노후 상수관 18km를 교체", "누수"),
        ("상수도 시설 확충", "배수지 감시 체계를 확대", None),
    ]
    pipes = result.projects[1].project_id
    assert [(m.subject, m.value, m.change_value, m.direction, m.project_id) for m in result.metrics] == [
        ("노후 상수관", 18, None, None, pipes),
        ("노후 상수관 교체 연면적", 1250, None, None, pipes),
        ("노후 상수관 교체 지하", 1, None, None, pipes),
        ("노후 상수관 교체 지상", 3, None, None, pipes),
        ("노후 상수관 교체 급수인구", 184300, 2150, "increase", pipes),
        ("감시 지점", 12, None, None, None),
    ]


def test_a_clause_item_names_its_field_lines_with_its_prefixed_nouns_not_its_count(extract) -> None:
    result = extract("○ 소규모 하수처리장 3곳을 건설하고 농촌 마을 하수를 처리함\n  - 처리용량 : 하루 350톤")
    assert [(m.subject, m.value) for m in result.metrics] == [
        ("소규모 하수처리장", 3), ("소규모 하수처리장 건설 처리용량", 350)]


def test_report_outline_with_enumerators_arrows_and_field_lines(extract) -> None:
    text = ("Ⅰ. 일반현황\n 1. 조직 : 3국 19과 (정원 1,234명)\nⅡ. 주요업무 추진계획\n 가. 복지도시 조성\n"
            "  ○ 어르신 일자리 확대 : 5,000명 → 5,500명\n  ○ 청년 월세 지원 (월 20만원)\n 나. 안전도시 조성\n"
            "  ○ 방범용 CCTV 확충")
    result = extract(text)
    assert _rows(result, "section", "name", "parent", "level") == [   # numbered lines are headings, not items
        ("복지도시 조성", "어르신 일자리 확대", None, 1),
        ("복지도시 조성", "청년 월세 지원", None, 1),
        ("안전도시 조성", "방범용 CCTV 확충", None, 1),
    ]
    jobs = next(m for m in result.metrics if m.value == 5500)
    assert (jobs.subject, jobs.prev_value, jobs.project_id) == ("어르신 일자리 확대", 5000, result.projects[0].project_id)
    assert [m.value for m in result.metrics] == [1234, 5500, 200000]


def test_speaker_turns_in_minutes_are_not_items(extract) -> None:
    result = extract("○위원장 김철수 : 다음은 의사일정 제3항 추가경정예산안을 상정합니다.\n"
                     "○기획예산과장 이영희 : 이번 추경 규모는 총 312억원으로 기정예산 대비 4.5% 증가했습니다.")
    assert result.projects == []
    assert [(m.subject, m.value, m.change_pct, m.project_id) for m in result.metrics] == [
        ("이번 추경 규모", 31200000000, 4.5, None)]


def test_category_tags_date_labels_and_counters_that_look_like_statuses(extract) -> None:
    result = extract("□ 주요 내용\n ○ (어르신) 경로당 냉난방비 지원 확대(연 60만원 → 80만원)\n"
                     " ○ (안전) 스마트 횡단보도 40개소 설치\n □ 향후 계획\n ○ '24. 3월 : 세부 시행계획 수립")
    assert _rows(result, "section", "name", "status") == [
        (None, "주요 내용", None),
        ("주요 내용", "경로당 냉난방비 지원 확대", None),
        ("주요 내용", "스마트 횡단보도 40개소 설치", None),
        (None, "향후 계획", "계획"),
        ("향후 계획", "세부 시행계획 수립", None),
    ]
    heating = result.metrics[0]
    assert (heating.value, heating.prev_value, heating.subject) == (800000, 600000, "경로당 냉난방비 지원 확대")


def test_one_syllable_topic_is_the_speaker_not_a_section(extract) -> None:
    result = extract("구는 △도시재생 뉴딜사업(총사업비 250억원) △스마트시티 챌린지 등을 추진한다.")
    assert _rows(result, "section", "name") == [(None, "도시재생 뉴딜사업"), (None, "스마트시티 챌린지")]


def test_repeated_outline_headings_still_close_and_head_their_sections(extract) -> None:
    text = ("□ 도로 확장사업\n ○ 추진상황\n  - 설계 완료\n□ 공원 조성사업\n ○ 추진상황\n  - 부지 매입")
    assert _rows(extract(text), "section", "name", "parent") == [
        (None, "도로 확장사업", None), ("도로 확장사업", "추진상황", "도로 확장사업"), ("추진상황", "설계 완료", "추진상황"),
        (None, "공원 조성사업", None), ("추진상황", "부지 매입", "공원 조성사업")]


def test_lead_in_with_a_stacked_particle(extract) -> None:
    result = extract("주요 사업으로는 ▲어린이집 확충 ▲노인일자리 사업 등이 반영됐다. 이번 추경에는 ▲재난지원금 지급 등이 담겼다.")
    assert _rows(result, "section", "name") == [
        ("주요 사업", "어린이집 확충"), ("주요 사업", "노인일자리 사업"), ("이번 추경", "재난지원금 지급")]


def test_short_turns_with_a_name_and_a_role_are_speech_and_head_nothing(extract) -> None:
    result = extract("○ 이정훈 위원 : 작년 집행률은 어땠습니까?\n○ 위원장 박영수 : 더 질의하실 위원 안 계십니까?\n"
                     "○위원장 김정호  의석을 정돈하여 주시기 바랍니다.\n○ 전통 시장 : 현대화 사업 추진")
    assert _rows(result, "section", "name") == [(None, "전통 시장 : 현대화 사업 추진")]


def test_a_long_sentence_after_a_list_is_prose_of_its_own(extract) -> None:
    result = extract("■ 방문 의료: 간호사가 가정을 찾아 건강 상태 점검\n■ 일상 돌봄: 청소·세탁·병원 동행 서비스\n"
                     "군은 지난달 28일 군청 소회의실에서 관계기관 협의체 회의를 열고 보건의료원 등 12개 기관과 업무협약을 맺었다.\n"
                     "■ 주거 개선: 문턱 제거\n  대상 가구는 모두 120가구다.")
    rows = {m.raw_text: (m.subject, m.project_id) for m in result.metrics}
    assert rows["12개"][1] is None and rows["12개"][0] != "일상 돌봄: 청소·세탁·병원 동행 서비스"
    assert rows["120가구"][1] == result.projects[-1].project_id        # indented: it goes on the item


def test_a_lead_in_as_follows_names_the_section_and_a_time_names_none(extract) -> None:
    result = extract("울산시의 올해 중점 추진 과제는 다음과 같다.\n○ 노후 경유차 조기폐차 지원 확대\n○ 도로 재비산먼지 저감\n"
                     "시는 2026년까지 ▷초등학교 4곳 신설 ▷도서관 2곳 건립을 추진한다.")
    assert _rows(result, "section", "name") == [
        ("중점 추진 과제", "노후 경유차 조기폐차 지원 확대"), ("중점 추진 과제", "도로 재비산먼지 저감"),
        (None, "초등학교 4곳 신설"), (None, "도서관 2곳 건립")]


def test_the_last_inline_item_ends_before_its_particle_or_copula(extract) -> None:
    result = extract("사업비는 ▲시설비 100억원(80%) ▲공간 조성비 12억원(10%)으로 구성된다. "
                     "공급 물량은 ▲매입임대 3,000호 ▲전세임대 4,200호다.")
    assert [p.name for p in result.projects] == ["시설비", "공간 조성비", "매입임대", "전세임대"]


def test_an_item_named_before_a_colon_ends_there_unless_the_label_is_one_word_or_a_date(extract) -> None:
    """`□ 농산물 산지유통센터(APC) 건립: 총사업비 …`, `○ 주민과의 소통 강화: 동별 간담회`: the name is
    the words before the colon, brackets and all; a one-word label (`사업위치 :`) or a date label
    (`‘16. 3 :`) is no name of that kind."""
    result = extract("□ 농산물 산지유통센터(APC) 건립: 총사업비 45억원, 처리능력 하루 80톤\n"
                     "  ○ 주민과의 소통 강화: 동별 주민 간담회 정례화")
    assert [p.name for p in result.projects] == ["농산물 산지유통센터(APC) 건립", "주민과의 소통 강화"]


def test_the_field_a_speech_is_in_heads_its_run(extract) -> None:
    """`교통 분야에서는` (에서 and 는 as the analyser cuts it) is what the sentence is about: the
    run after it and in the next sentence is that field's, and so is the sum before the run."""
    result = extract("먼저 교통 분야에서는 415억원을 편성하여 △버스정류장 개선 22억원 △자전거도로 정비 9억원을 추진하겠습니다.\n"
                     "다음으로 환경 분야에서는 전체 예산의 9.2%인 611억원을 반영하였습니다. △하수관로 정비 80억원을 편성하였습니다.")
    assert _rows(result, "section", "name") == [("교통 분야", "버스정류장 개선"), ("교통 분야", "자전거도로 정비"),
                                                ("환경 분야", "하수관로 정비")]
    assert [(m.subject, m.value) for m in result.metrics] == [
        ("교통 분야", 41500000000), ("버스정류장 개선", 2200000000), ("자전거도로 정비", 900000000),
        ("환경 분야", 9.2), ("환경 분야", 61100000000), ("하수관로 정비", 8000000000)]


def test_a_run_without_a_lead_in_is_named_by_the_class_after_it(extract) -> None:
    """`▲A ▲B 등 X도 추진한다`: X names the run when nothing before it does, and so does the set
    the money goes to (`등 3대 관광사업에 52억원을`); generic words (`등 3개 분야 사업을`) name
    nothing, and a lead-in before the run wins."""
    texts = ["또 ▲마을쉼터 조성 ▲골목길 정비 등의 생활 SOC 사업도 펼친다.", "△어린이집 확충 △경로당 신축 등 3개 분야 사업을 추진한다.",
             "주요 사업으로는 ▲버스 증차 ▲정류장 개선 등 교통 시책이 있다.",
             "군은 올해 ▲둘레길 조성 ▲야영장 확충 등 3대 관광사업에 52억원을 투입한다."]
    assert [_rows(extract(text), "section", "name") for text in texts] == [
        [("생활 SOC 사업", "마을쉼터 조성"), ("생활 SOC 사업", "골목길 정비")], [(None, "어린이집 확충"), (None, "경로당 신축")],
        [("주요 사업", "버스 증차"), ("주요 사업", "정류장 개선")],
        [("3대 관광사업", "둘레길 조성"), ("3대 관광사업", "야영장 확충")]]


def test_lines_that_say_how_a_figure_moved_are_no_items_and_lead_in_nothing(extract) -> None:
    """`- 전년 대비 2,417명 감소하였으며, …` and `○ 전년 말 … 대비 … 증가` say how the figure above
    moved; the list after them has no lead-in from them (`○ 전년보다 2곳 늘어난 …` is an item)."""
    result = extract("  ○ 인    구 : 52만1,406명\n     - 전년 대비 2,417명 감소하였으며, 고령인구 비율은 21.3%로\n"
                     "       높아졌음\n  □ 세    대 : 23만4,110세대\n    ○ 전년 말 23만1,950세대 대비 2,160세대 증가\n"
                     "  □ 청년 창업 지원\n    ○ 전년보다 2곳 늘어난 창업센터 5곳 운영")
    assert _rows(result, "section", "name") == [(None, "청년 창업 지원"), ("청년 창업 지원", "전년보다 2곳 늘어난 창업센터 5곳 운영")]


def test_a_line_that_states_a_figure_of_its_topic_is_a_finding_not_a_project(extract) -> None:
    """`❍ 세입결산액은 4,210억원이며` reports a figure about its topic: its metrics stay, it is no
    project; an item that names a project and its amount is one."""
    text = ("□ 결산 개요\n  ❍ 세입결산액은 4,210억원이며, 세출결산액은 3,985억원임\n"
            "  ❍ 복지 분야는 1,520억원으로 전체의 38.2%를 차지\n  ❍ 경로당 신축 12억원\n")
    result = extract(text)
    assert _rows(result, "name", "section") == [("결산 개요", None), ("경로당 신축", "결산 개요")]
    assert [(m.subject, m.value) for m in result.metrics] == [
        ("세입결산액", 421000000000), ("세출결산액", 398500000000), ("복지 분야", 152000000000), ("복지 분야", 38.2),
        ("경로당 신축", 1200000000)]


def test_a_last_item_whose_figure_is_the_subject_of_the_predicate_ends_before_it(extract) -> None:
    """`▲… 13억원이 추가됐다`: the figure marked as subject and the verb are the sentence's, not the
    name's (an object and its action, `△장애인 복지를 강화하며`, stay in it)."""
    result = extract("복지 분야에서는 ▲경로당 냉방비 8억원 ▲돌봄센터 확충(4곳→7곳) 12억원이 추가됐다.")
    assert _rows(result, "section", "name") == [("복지 분야", "경로당 냉방비"), ("복지 분야", "돌봄센터 확충")]
    assert [(m.subject, m.value) for m in result.metrics] == [
        ("경로당 냉방비", 800000000), ("돌봄센터 확충", 7), ("돌봄센터 확충", 1200000000)]


def test_an_item_opened_by_when_it_happens_is_named_after_the_colon(extract) -> None:
    """`○ 2026. 상반기 : …`, `○ 3/4분기 : …`: a date or a part of the year before the colon is when,
    not what."""
    result = extract("□ 향후 계획\n  ○ 2026. 상반기 : 공공도서관 설계 공모\n  ○ 3/4분기 : 생활체육관 준공\n"
                     "  ○ '27. 3월 : 조례 개정")
    assert _rows(result, "section", "name")[1:] == [
        ("향후 계획", "공공도서관 설계 공모"), ("향후 계획", "생활체육관 준공"), ("향후 계획", "조례 개정")]


def test_a_marker_line_that_titles_a_table_is_no_project(extract) -> None:
    """`■ 분야별 세출예산` right above its unit note and table titles it; an item with figures of its
    own above a table stays one."""
    result = extract("■ 분야별 세출예산\n(단위 : 천원)\n구 분\t2025년\t2024년\n합 계\t1,000\t900\n\n"
                     "□ 경로당 신축 12억원\n(단위 : 천원)\n구 분\t2025년\t2024년\n공사비\t1,200\t800")
    assert [p.name for p in result.projects] == ["경로당 신축"]


def test_a_finding_is_told_from_an_item_that_does_something(extract) -> None:
    """A topic and its figure is a finding only when nothing is done: `○ … 지원사업은 총 30억원을
    투입하여 … 지원`, `○ 도서관 건립사업은 120억원으로 2025년 준공 예정` and `○ 올해는 30억원으로 …
    추진` are items."""
    result = extract("□ 개요\n○ 청년 창업 지원사업은 총 30억원을 투입하여 100개 기업 지원\n"
                     "○ 도서관 건립사업은 120억원으로 2025년 준공 예정\n○ 올해는 30억원으로 도서관 건립 추진\n"
                     "○ 세입결산액은 4,210억원이며, 세출결산액은 3,985억원임")
    assert [p.name for p in result.projects] == [
        "개요", "청년 창업 지원사업", "도서관 건립사업", "올해는 30억원으로 도서관 건립 추진"]


def test_a_place_named_like_a_status_and_a_word_ending_like_a_source_keep_their_items(extract) -> None:
    """`달성군` is a place, not the status 달성; `(수급자)` ends in 자 but is no funding share."""
    result = extract("▲달성군 노인복지관 건립(50억원) ▲주거급여 지원(수급자)")
    assert [(p.name, p.status) for p in result.projects] == [
        ("달성군 노인복지관 건립", None), ("주거급여 지원(수급자)", None)]


def test_a_facility_before_a_colon_and_what_it_does_is_an_item_a_field_is_not(extract) -> None:
    """`○ 공영주차장 : 142개소 … 운영` names a facility and what it does: an item; `○ 사업비 : 15억원`
    and a letter-spaced label (`○ 조    직 : 4담당(… 관광개발)`) are fields of the item above."""
    result = extract("□ 시설별 운영 실적\n ○ 공영주차장 : 142개소 2만 1,860면 운영, 주차수입 186억원\n"
                     "  - 사업비 : 15억원\n ○ 조    직 : 4담당(문화예술, 관광개발)")
    assert [(p.section, p.name) for p in result.projects] == [(None, "시설별 운영 실적"), ("시설별 운영 실적", "공영주차장")]


def test_a_ministry_that_speaks_names_no_section(extract) -> None:
    result = extract("산림청은 ▲생활밀착형 숲 확대 ▲산림재해 방지를 추진한다.\n"
                     "해수부는 지역 주민의 참여를 높이기 위해 ▲현장 코디네이터 배치를 추진한다.\n"
                     "일부는 ▲빈집 정비를 요구했다.")
    assert _rows(result, "section", "name") == [
        (None, "생활밀착형 숲 확대"), (None, "산림재해 방지"), ("지역 주민의 참여를 높이기", "현장 코디네이터 배치"),
        ("일부", "빈집 정비")]


def test_a_triangle_before_a_count_that_a_particle_follows_is_a_bullet(extract) -> None:
    result = extract("주요 사업은 △30개소에 태양광 설치 △경로당 보수이다. 사용처는 ▲전통시장 ▲골목상권이다.")
    assert _rows(result, "section", "name") == [
        ("주요 사업", "30개소에 태양광 설치"), ("주요 사업", "경로당 보수"), ("사용처", "전통시장"), ("사용처", "골목상권")]
    assert [(m.value, m.unit) for m in result.metrics] == [(30, "개소")]
