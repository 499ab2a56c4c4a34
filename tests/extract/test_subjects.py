"""What each figure measures (its subject) and what the text compares it with, in full rows,
for the phrasings briefings use. The sentences are written for these tests."""
from __future__ import annotations

import pytest

from pipeline.examples import extract_text

FIELDS = ("subject", "value", "unit", "prev_value", "change_value", "change_pct", "direction", "year", "prev_year")
DOC_YEAR = 2024

# text -> every metric row it gives, in order (the text is dated DOC_YEAR)
CASES = {
    "a place for people (요양원) before a count of people is not what it counts": (
        "요양원 50명 추가 입소가 가능하다.",
        [("추가 입소", 50, "명", None, None, None, None, None, None)]),
    "a comparison with a time ends the subject; readiness (재난 대비) stays in it": (
        "지난해 대비 국도비 예산이 685억원 증가했고 재난 대비 훈련 12회를 실시했다.",
        [("국도비 예산", 68500000000, "원", None, 68500000000, None, "increase", None, 2023),
         ("재난 대비 훈련", 12, "회", None, None, None, None, None, None)]),
    "people right before a count of people are what it counts, not the doing after it": (
        "스마트팜 실습교육 수료생 38명 배출, 참가자 120명 참여",
        [("스마트팜 실습교육 수료생", 38, "명", None, None, None, None, None, None),
         ("참가자", 120, "명", None, None, None, None, None, None)]),
    "a numeral and a counter that make one noun are a word": (
        "해운대 백사장 안전요원은 42명이다.",
        [("해운대 백사장 안전요원", 42, "명", None, None, None, None, None, None)]),
    "a count of a whole the next words take a part of; now is no subject": (
        "관내 경로당 52곳 가운데 냉방기 교체 대상은 지금까지 31곳이다.",
        [("관내 경로당", 52, "곳", None, None, None, None, None, None),
         ("냉방기 교체 대상", 31, "곳", None, None, None, None, None, None)]),
    "a figure with a counter of its own in brackets takes no unit of the figure before": (
        "○ 산사태 취약지역 : 412개소(전체 산림 면적의 72.6%가 경사도 20도 이상)",
        [("산사태 취약지역", 412, "개소", None, None, None, None, None, None),
         ("전체 산림 면적", 72.6, "%", None, None, None, None, None, None)]),
    "figures in brackets after places are theirs, no earlier figure": (
        "거제 인구 감소율은 3.4%로 통영시(4.1%)와 고성군(5.3%)보다는 낮았다.",
        [("거제 인구 감소율", 3.4, "%", None, None, None, None, None, None),
         ("통영시", 4.1, "%", None, None, None, None, None, None),
         ("고성군", 5.3, "%", None, None, None, None, None, None)]),
    "a rate said of the change (N%인 M원) is the change's rate": (
        "추경예산안의 총 규모는 6,726억 900만 원으로 제1회 추가경정예산 대비 4.17%인 269억 5100만 원이 증액되었다.",
        [("총 규모", 672609000000, "원", None, 26951000000, 4.17, "increase", None, None)]),
    "a figure after its rate of change is named where the rate is": (
        "교육 분야에는 1,284억원, 문화·관광 분야에는 올해보다 12.4% 증가한 873억원을 편성했다.",
        [("교육 분야", 128400000000, "원", None, None, None, None, None, None),
         ("문화·관광 분야", 87300000000, "원", None, None, 12.4, "increase", None, 2024)]),
    "an item that joins members measures as a whole": (
        "분야별로는 △보건 분야와 환경 분야 412억 원 △교통, 도로 및 주차 분야 270억 원 △청년 분야 95억 원이다.",
        [("보건 분야와 환경 분야", 41200000000, "원", None, None, None, None, None, None),
         ("교통, 도로 및 주차 분야", 27000000000, "원", None, None, None, None, None, None),
         ("청년 분야", 9500000000, "원", None, None, None, None, None, None)]),
    "topic across a clause": (
        "구세 수입은 재산세 호조에 힘입어 지난해보다 6.2% 늘어난 3,410억원으로 집계됐다.",
        [("구세 수입", 341000000000, "원", None, None, 6.2, "increase", None, 2023)]),
    "a word that opens with an adjective; a numeral inside words": (
        "시는 인명 구조장비 등 안전장비를 확보하고 농촌 빈집 71동과 공영주차장 12곳을 정비한다.",
        [("농촌 빈집", 71, "동", None, None, None, None, None, None),
         ("공영주차장", 12, "곳", None, None, None, None, None, None)]),
    "an earlier figure and its rate in the next sentence complete one row": (
        "구는 청년일자리 1,240개를 만들기 위해 청년일자리 사업에 86억원을 투입한다. 지난해 73억원보다 17.8% 늘어난 규모다.",
        [("청년일자리", 1240, "개", None, None, None, None, None, None),
         ("청년일자리 사업", 8600000000, "원", 7300000000, None, 17.8, "increase", None, 2023)]),
    "noun right before": (
        "올해 예산은 어르신 기초연금 612억원과 아동수당 188억원이 대부분이다.",
        [("어르신 기초연금", 61200000000, "원", None, None, None, None, 2024, None),
         ("아동수당", 18800000000, "원", None, None, None, None, 2024, None)]),
    "inline items": (
        "군은 ▲하천 정비 38억원 ▲농로 포장 12억원 ▲마을회관 신축 9억원을 편성했다.",
        [("하천 정비", 3800000000, "원", None, None, None, None, None, None),
         ("농로 포장", 1200000000, "원", None, None, None, None, None, None),
         ("마을회관 신축", 900000000, "원", None, None, None, None, None, None)]),
    "target with a year": (
        "시는 청년 고용률을 2026년까지 58%로 끌어올릴 계획이다.",     # raised to 58%: it goes up
        [("청년 고용률", 58, "%", None, None, None, "increase", 2026, None)]),
    "a target raised to (높이다: the way it goes)": (
        "시는 취업률을 62%까지 높이겠다고 밝혔다.",
        [("취업률", 62, "%", None, None, None, "increase", None, None)]),
    "count in a title": (
        "◆ 5대 전략 20개 핵심과제 추진",
        [("핵심과제", 20, "개", None, None, None, None, None, None)]),
    "a clause is no subject": (
        "공영주차장은 기존 12개소에서 20개소로 확대할 예정이다.",
        [("공영주차장", 20, "개소", 12, None, None, "increase", None, None)]),
    "frame words alone are no subject": (
        "도시재생 분야에 240억원을 투입하고, 조성 규모는 4만㎡이다.",
        [("도시재생 분야", 24000000000, "원", None, None, None, None, None, None),
         (None, 40000, "㎡", None, None, None, None, None, None)]),
    "an official is no subject": (
        "건설과장 박민수는 교량 보수에 17억원이 든다고 말했다.",
        [("교량 보수", 1700000000, "원", None, None, None, None, None, None)]),
    "a discourse word is no part of it": (
        "반면 세외수입은 412억원에 그쳤다.",
        [("세외수입", 41200000000, "원", None, None, None, None, None, None)]),
    "the words that distinguish it stay": (
        "이날 발표된 홍대 걷고싶은 거리 보행환경 개선 사업비는 46억원이다.",
        [("홍대 걷고싶은 거리 보행환경 개선 사업비", 4600000000, "원", None, None, None, None, None, None)]),
    "earlier figure and rate in brackets": (
        "예산은 (1,050 → 1,247억원, 18.8%)로 늘었다.",
        [("예산", 124700000000, "원", 105000000000, None, 18.8, "increase", None, None)]),
    "change in brackets with an arrow": (
        "시 예산은 1조 2,870억원(2,310억 원↑)이다.",
        [("시 예산", 1287000000000, "원", None, 231000000000, None, "increase", None, None)]),
    "arrow between two amounts": (
        "체육관 사업비는 85억원→120억원으로 늘었다.",
        [("체육관 사업비", 12000000000, "원", 8500000000, None, None, "increase", None, None)]),
    "a trailing arrow is no part of the item": (
        "▲도시철도 2호선 연장 2,410억원→ ▲트램 건설 300억원",
        [("도시철도 2호선 연장", 241000000000, "원", None, None, None, None, None, None),
         ("트램 건설", 30000000000, "원", None, None, None, None, None, None)]),
    "comparison in the next sentence": (
        "구는 올해 예산을 6,210억원으로 정했다. 전년 대비 5.4% 늘어난 규모다.",
        [("예산", 621000000000, "원", None, None, 5.4, "increase", 2024, 2023)]),
    "각각": (
        "버스와 택시 지원 예산이 각각 64억원, 38억원 증액됐다.",
        [("버스 예산", 6400000000, "원", None, 6400000000, None, "increase", None, None),
         ("택시 지원 예산", 3800000000, "원", None, 3800000000, None, "increase", None, None)]),
    "a direction word belongs to its own item": (
        "▲망원동 복합청사 건립 320억원 ▲경의선숲길 2단계 조성 85억원 ▲어르신 일자리 확대 212억원",
        [("망원동 복합청사 건립", 32000000000, "원", None, None, None, None, None, None),
         ("경의선숲길 2단계 조성", 8500000000, "원", None, None, None, None, None, None),
         ("어르신 일자리 확대", 21200000000, "원", None, None, None, "increase", None, None)]),
    "a total after its increase": (
        "어린이집을 3곳 늘려 총 98곳을 운영한다.",
        [("어린이집", 98, "곳", None, 3, None, "increase", None, None)]),
    "a headline restated by the body": (
        "가온구, 내년 예산 8,420억원 편성\n가온구는 내년 예산을 8,420억원으로 편성했다고 3일 밝혔다. 올해보다 6.1% 늘었다.",
        [("예산", 842000000000, "원", None, None, 6.1, "increase", 2025, 2024)]),
    "a change in brackets before its direction": (
        "복지 분야 예산은 499억원을(1,900 → 2,399억원, 26.2%) 증액했다.",
        [("복지 분야 예산", 239900000000, "원", 190000000000, 49900000000, 26.2, "increase", None, None)]),
    "named at its change": (
        "시는 안전분야에 142억원을 증액(105 → 247억원, 134.7%)했다.",
        [("안전분야", 24700000000, "원", 10500000000, 14200000000, 134.7, "increase", None, None)]),
    "a rate before the figure it came to": (
        "시내버스 재정지원금이 전년 대비 14.2% 늘어 312억원입니다.",
        [("시내버스 재정지원금", 31200000000, "원", None, None, 14.2, "increase", None, 2023)]),
    "from one figure to the next": (
        "포트홀 신고는 지난해 1,412건에서 올해 11월까지 1,967건이다.",
        [("포트홀 신고", 1967, "건", 1412, None, None, "increase", 2024, 2023)]),
    "what a sum is for": (
        "내년에는 경로당 냉난방비로 5억 1천만원을 편성했다.",
        [("경로당 냉난방비", 510000000, "원", None, None, None, None, 2025, None)]),
    "what is counted is no subject of the sum": (
        "벽지노선 손실보상은 내년에 9개 노선에 11억 4천만원이다.",
        [("노선", 9, "개", None, None, None, None, 2025, None),
         ("벽지노선 손실보상", 1140000000, "원", None, None, None, None, 2025, None)]),
    "what is counted names the sum when nothing else does": (
        "또 12개 농로 정비 사업에 46억원을 쓴다.",
        [("농로 정비 사업", 12, "개", None, None, None, None, None, None),
         ("농로 정비 사업", 4600000000, "원", None, None, None, None, None, None)]),
    "a frame in time between the date and the counted noun": (
        "2021년 이후 귀농 가구 312가구가 정착했다. 작년 말 기준 공영주차장 64곳을 운영 중이다. 평균 소득 310만원이다.",
        [("귀농 가구", 312, "가구", None, None, None, None, 2021, None),
         ("공영주차장", 64, "곳", None, None, None, None, 2023, None),
         ("평균 소득", 3100000, "원", None, None, None, None, None, None)]),
    "a change in points after a rate, in brackets or in the sentence after": (
        "ㅇ 청년 고용률 44.2% 달성 (전년 대비 2.3%p 상승)\n"
        "체납 징수율은 68.0%로 나타났다. 이는 전년도 징수율(65.5%)보다 2.5%p 높아진 것이다.",
        [("청년 고용률", 44.2, "%", None, 2.3, None, "increase", None, 2023),
         ("체납 징수율", 68.0, "%", 65.5, 2.5, None, "increase", None, 2023)]),
    "a change in brackets that compare, of the figure before them, not of another subject": (
        "○ 마을버스 지원 312억원 편성(전년 대비 41억원 증가)\n취업률 61.3%, 실업률은 0.4%p 하락했다.",
        [("마을버스 지원", 31200000000, "원", None, 4100000000, None, "increase", None, 2023),
         ("취업률", 61.3, "%", None, None, None, "decrease", None, None),
         ("실업률", 0.4, "%p", None, -0.4, None, "decrease", None, None)]),
    "a line that says how the figure above moved is its change, no item": (
        "  ○ 인    구 : 52만1,406명\n     - 전년 대비 2,417명 감소하였으며, 고령인구 비율은 21.3%로\n       높아졌음\n"
        "  □ 세    대 : 23만4,110세대\n    ○ 전년 말 23만1,950세대 대비 2,160세대 증가",
        [("인구", 521406, "명", None, -2417, None, "decrease", None, 2023),
         ("고령인구 비율", 21.3, "%", None, None, None, None, None, None),
         ("세대", 234110, "세대", 231950, 2160, None, "increase", None, 2023)]),
    "an action after a count is what is done, not what is counted": (
        "○ 마을활동가 320명 위촉(전년 280명)\n○ 안전점검원 12명 배치로 노후주택 860가구 점검\n○ 돌봄교사 6명 → 9명 증원\n"
        "○ 공공기관과 학교 등 3개소 모집",
        [("마을활동가", 320, "명", 280, None, None, "increase", None, 2023),
         ("안전점검원", 12, "명", None, None, None, None, None, None),
         ("노후주택", 860, "가구", None, None, None, None, None, None),
         ("돌봄교사", 9, "명", 6, None, None, "increase", None, None),
         ("모집", 3, "개소", None, None, None, None, None, None)]),
    "a cause is no subject": (
        "등록면허세는 302억원이었다. 등록면허세는 부동산 거래 감소로 29억원 줄었다.",
        [("등록면허세", 30200000000, "원", None, -2900000000, None, "decrease", None, None)]),
    "a share of a whole (its 는 is no verb 늘다)": (
        "세출 총액 중 12.4%는 복지 예산이다. 예산액 1,286억원 중 873억원을 집행했다.",
        [("세출 총액", 12.4, "%", None, None, None, None, None, None),
         ("예산액", 128600000000, "원", None, None, None, None, None, None),
         (None, 87300000000, "원", None, None, None, None, None, None)]),
    "a series of three figures": (
        "* (등록 장애인) ’19년 2,410명 → ’21년 2,530명 → ’23년 2,602명",
        [("등록 장애인", 2410, "명", None, None, None, None, 2019, None),
         ("등록 장애인", 2530, "명", None, None, None, None, 2021, None),
         ("등록 장애인", 2602, "명", None, None, None, None, 2023, None)]),
    "an item that is a clause names its field lines by its nouns": (
        "○ 노후 하수관 9.4km를 교체해 역류를 막겠음\n  - 사업비 : 31억원\n○ 서부 정수장을 증설하여 공급량 확대\n"
        "  - 용량 : 8,000톤",
        [("노후 하수관", 9.4, "km", None, None, None, None, None, None),
         ("노후 하수관 교체 사업비", 3100000000, "원", None, None, None, None, None, None),
         ("서부 정수장 증설 용량", 8000, "톤", None, None, None, None, None, None)]),
    "a figure of an earlier period in brackets is the earlier figure": (
        "○ 급식 지원 학생 : 4,210명(’23년 3,980명)\n돌봄교실은 188실(전년 171실)이다.",
        [("급식 지원 학생", 4210, "명", 3980, None, None, "increase", None, 2023),
         ("돌봄교실", 188, "실", 171, None, None, "increase", None, 2023)]),
    "a sentence that only names a field names the figures after it": (
        "넷째로, 생활체육 분야입니다. 전년보다 4.5% 늘어난 612억원을 담았습니다.",
        [("생활체육 분야", 61200000000, "원", None, None, 4.5, "increase", None, 2023)]),
    "a lead-in that says its items were cut gives their figures its direction": (
        "감액된 사업은 ▲청사 조경 개선 4억원 ▲기념품 제작 1억원이다. 신규 사업은 ▲마을버스 2억원이다.",
        [("청사 조경 개선", 400000000, "원", None, None, None, "decrease", None, None),
         ("기념품 제작", 100000000, "원", None, None, None, "decrease", None, None),
         ("마을버스", 200000000, "원", None, None, None, None, None, None)]),
    "an item's figure is the item's, not its lead-in's": (
        "또 계속사업은 ▲하수관로 정비사업 3개소 41억원 ▲맑은 물 공급을 위한 정수장 개량 12억원 등이다.",
        [("하수관로 정비사업", 3, "개소", None, None, None, None, None, None),
         ("하수관로 정비사업", 4100000000, "원", None, None, None, None, None, None),
         ("정수장 개량", 1200000000, "원", None, None, None, None, None, None)]),
    "a proper noun ending in 도 is an office only when it is a province": (
        "- 도시철도 7,335억원 / 대중교통 9,755억원",
        [("도시철도", 733500000000, "원", None, None, None, None, None, None),
         ("대중교통", 975500000000, "원", None, None, None, None, None, None)]),
    "a stretch from one place to another stays in the name (청솔~백로 구간)": (
        "○ 국도 12호선 가람~누리 구간 확장 : 8.4km, 도 대항 역전경주 5연패",
        [("국도 12호선 가람~누리 구간 확장", 8.4, "km", None, None, None, None, None, None),
         ("도 대항 역전경주", 5, "연패", None, None, None, None, None, None)]),
    "the date a figure is counted at is no subject (말 기준)": (
        "구가 운영하는 공공도서관은 지난해 말 기준 17곳이다.",
        [("공공도서관", 17, "곳", None, None, None, None, 2023, None)]),
    "a noun made of a verb is one noun (숲가꾸기, 길찾기)": (
        "○ 도시숲가꾸기 12만ha 추진, 길찾기 안내판 340개 설치",
        [("도시숲가꾸기", 120000, "ha", None, None, None, None, None, None),
         ("길찾기 안내판", 340, "개", None, None, None, None, None, None)]),
    "figures in a comma list, each after its own phrase, are all changes like the last": (
        "올해는 작년보다 내국인은 30만 명, 외국인은 5만 명이 늘었다. 이 중 일반회계는 25억원, 특별회계는 3억원이 증액됐다.",
        [("내국인", 300000, "명", None, 300000, None, "increase", 2024, 2023),
         ("외국인", 50000, "명", None, 50000, None, "increase", 2024, 2023),
         ("일반회계", 2500000000, "원", None, 2500000000, None, "increase", None, None),
         ("특별회계", 300000000, "원", None, 300000000, None, "increase", None, None)]),
    "a sum after X에서 is X's, unless X is a body acting on it": (
        "분야별로는 노인복지에서 64억원, 아동보육에서 21억원이 늘었고 행안부에서 특별교부세 8억원을 받았다.",
        [("노인복지", 6400000000, "원", None, 6400000000, None, "increase", None, None),
         ("아동보육", 2100000000, "원", None, 2100000000, None, "increase", None, None),
         ("특별교부세", 800000000, "원", None, None, None, None, None, None)]),
    "a figure compared with an earlier one it has no noun of its own for takes the earlier one's": (
        "당초 본예산 3,120억원보다 9.4% 늘어난 3,413억원으로 편성했다.",
        [("본예산", 341300000000, "원", 312000000000, None, 9.4, "increase", None, 2024)]),
    "a figure that a noun after it reaches (N에 달하는 X, N 규모의 X)": (
        "모두 2,300억원에 달하는 사업비는 국비로 충당한다. 도는 90억원 규모의 청년기금을 만든다.",
        [("사업비", 230000000000, "원", None, None, None, None, None, None),
         ("청년기금", 9000000000, "원", None, None, None, None, None, None)]),
    "what a count counts opens with an action word (18개 건설 사업)": (
        "시는 도로 확장 등 12개 건설 사업을 추진한다.",
        [("건설 사업", 12, "개", None, None, None, None, None, None)]),
    "a later figure in brackets of figures is the noun's before them, like the first": (
        "체육시설(12곳, 3만㎡)을 확충한다.",
        [("체육시설", 12, "곳", None, None, None, None, None, None),
         ("체육시설", 30000, "㎡", None, None, None, None, None, None)]),
    "a rate of a whole is its share, unless the sentence is about the part": (
        "전체 관광객의 38%가 해안 지역을 찾았다. 복지 분야는 전체 예산의 41%인 812억원이다.",
        [("전체 관광객", 38, "%", None, None, None, None, None, None),
         ("복지 분야", 41, "%", None, None, None, None, None, None),
         ("복지 분야", 81200000000, "원", None, None, None, None, None, None)]),
    "an office that a clause is about is no subject: the topic before it is": (
        "공시지가 상승률은 수원시가 6.2%로 가장 높았다.",
        [("공시지가 상승률", 6.2, "%", None, None, None, None, None, None)]),
    "a change with no noun before it changed the noun after its direction verb": (
        "군은 지난해보다 86억원(4.1%) 늘어난 새해 예산안을 의회에 냈다.",
        [("새해 예산안", 8600000000, "원", None, 8600000000, 4.1, "increase", None, 2023)]),
    "a count before an action or a word such as 신규, 포함 counts the noun before it": (
        "○ 돌봄 전문인력 1,800명 양성, 청년 인턴 250명 고용\n○ 안내 도우미 3,200명(수어통역사 140명 포함)",
        [("돌봄 전문인력", 1800, "명", None, None, None, None, None, None),
         ("청년 인턴", 250, "명", None, None, None, None, None, None),
         ("안내 도우미", 3200, "명", None, None, None, None, None, None),
         ("수어통역사", 140, "명", None, None, None, None, None, None)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_full_rows(lex, name: str) -> None:
    text, expected = CASES[name]
    rows = extract_text(text, lex, DOC_YEAR).metrics
    got = [tuple(getattr(m, f) for f in FIELDS) for m in rows]
    assert len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected)), got


def _same(got: tuple, expected: tuple) -> bool:
    return all(g == e if not isinstance(e, (int, float)) or isinstance(e, bool) else
               g is not None and abs(g - e) <= 1e-9 * max(1, abs(e)) for g, e in zip(got, expected))


def test_a_letter_spaced_field_label_is_the_whole_label(extract) -> None:
    """`면    적 : 38,000㎡`: the analyser may read the first syllable as an ending; the label is one word."""
    rows = extract("  - 면    적 : 38,000㎡\n  - 사 업 비 : 52억원").metrics
    assert [(m.subject, m.value) for m in rows] == [("면적", 38000), ("사업비", 5200000000)]


def test_a_determiner_glued_to_the_start_of_a_name_stays_in_it(extract) -> None:
    """`한솔` reads as 한/MM 솔/NNG, `석봉가도교` as 석/MM 봉가도교; a determiner written apart
    (`각 부서`) is no part of the subject."""
    rows = extract("○ (가칭)한솔 청년주택 건립 : 120호\n각 부서 인원은 12명이다.\n"
                   "계속 사업으로 석봉가도교 확장(38억원)을 추진한다.").metrics
    assert [(m.subject, m.value) for m in rows] == [("한솔 청년주택 건립", 120), ("부서 인원", 12),
                                                    ("석봉가도교 확장", 3800000000)]


def test_a_part_of_a_figure_is_of_what_the_whole_counts(extract) -> None:
    text = "관내 초등학교 열네 곳 가운데 여섯 곳은 전교생이 60명 이하이다. 접수된 민원 120건 중 96건을 처리했다."
    assert [(m.subject, m.value) for m in extract(text).metrics] == [
        ("관내 초등학교", 14), ("관내 초등학교", 6), ("전교생", 60), ("민원", 120), ("민원", 96)]
