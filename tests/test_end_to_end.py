"""The seed briefing through the real command: the exact rows, the tables' types, a DuckDB join."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import SEED, run_cli
from pipeline.write import SCHEMAS

# (subject, value, unit, raw_text, prev_value, change_value, change_pct, direction)
SEED_METRICS = [
    ("인구", 326479, "명", "32만6,479명", 326359, 120, None, "increase"),
    ("예산", 477200000000, "원", "4천772억원", 420400000000, None, 11.9, "increase"),
    ("서울시⋅구공동협력사업 전 분야", 9, "개", "9개", None, None, None, None),
    ("지역복지사업 평가 최우수", 5, "년", "5년연속", None, None, None, None),
    ("결연", 500, "호", "500호", None, None, None, None),
    ("지역일자리", 8788, "명", "8,788명", None, None, None, None),
    ("어르신일자리 사업", 3400, "명", "3,400명", None, 266, None, "increase"),
    ("순회 업무보고", 14, "개", "14개동", None, None, None, None),
]

# (section, name, marker)
SEED_PROJECTS = [
    ("사람을 위하는 복지", "기초연금 및 아동수당확대", "△"),
    ("사람을 위하는 복지", "어린이집 확충 및 시간제 보육제 확대", "△"),
    ("사람을 위하는 복지", "보훈회관 리모델링", "△"),
    ("사람을 위하는 복지", "장애인 복지를 강화", "△"),
    ("사람이 만드는 교육문화사업", "혁신교육지구 사업", "△"),
    ("사람이 만드는 교육문화사업", "학교지원사업 추진", "△"),
    ("사람이 만드는 교육문화사업", "문화가 흐르는 서대문을 조성", "△"),
    ("사람이 사는 환경사업", "공원.놀이터 조성", "△"),
    ("사람이 사는 환경사업", "안전한 서대문 조성", "△"),
    ("사람이 사는 환경사업", "원전하나 줄이기 사업", "△"),
    ("사람이 주인인 참여사업", "협치구정", "△"),
    ("사람이 주인인 참여사업", "열린혁신 구정", "△"),
    ("사람이 주인인 참여사업", "자치분권 지원", "△"),
    ("신촌권역", "문화발전소 건립", "▷"),
    ("신촌권역", "청년문화전진기지 건립", "▷"),
    ("신촌권역", "청년 창업 꿈터 2호점 조성", "▷"),
    ("신촌권역", "신총 박스퀘어 조성사업", "▷"),
    ("아현⋅서대문권역", "안산 자락마을 도시재상", "▷"),
    ("아현⋅서대문권역", "북아현 문화체육센터 건립 사업", "▷"),
    ("홍제권역", "홍제권 도시활력 증진사업", "▷"),
    ("홍제권역", "홍제3 도시환경정비사업", "▷"),
    ("홍제권역", "홍제천구간 산책로 조성사업", "▷"),
    ("가좌권역", "모래내 서종시장 재개발", "▷"),
    ("가좌권역", "가재울 도서관 건립", "▷"),
    ("가좌권역", "종합보육시설 건립", "▷"),
    ("일자리 확충사업", "전통시장 활성화", "▷"),
    ("일자리 확충사업", "50플러스 센터 조성", "▷"),
    ("일자리 확충사업", "청년활동공간 조성", "▷"),
]


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seed_in")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    out = tmp_path_factory.mktemp("seed_out") / "out"
    done = run_cli("run", folder, "--out", out, "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "1 documents, 26 paragraphs, 12 duplicates, 8 metrics, 28 projects, 0 failures" in done.stdout
    return out


def _rows(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_seed_metrics_are_exactly_the_expected_rows(seed_out: Path) -> None:
    got = [(m["subject"], m["value"], m["unit"], m["raw_text"], m["prev_value"], m["change_value"],
            m["change_pct"], m["direction"]) for m in _rows(seed_out, "metrics")]
    assert got == [tuple(float(v) if isinstance(v, int) else v for v in row) for row in SEED_METRICS]


def test_seed_projects_are_exactly_the_expected_rows(seed_out: Path) -> None:
    got = [(p["section"], p["name"], p["marker"]) for p in _rows(seed_out, "projects")]
    assert got == SEED_PROJECTS


def test_seed_second_copy_is_marked_duplicate(seed_out: Path) -> None:
    paragraphs = _rows(seed_out, "paragraphs")
    duplicates = [p for p in paragraphs if p["duplicate_of_para"] is not None]
    assert len(duplicates) == 12
    by_idx = {p["para_idx"]: p["text"] for p in paragraphs}
    assert all(by_idx[p["duplicate_of_para"]] == p["text"] for p in duplicates)
    assert [d["n_duplicate_paragraphs"] for d in _rows(seed_out, "documents")] == [12]


def test_every_offset_points_at_its_text(seed_out: Path) -> None:
    texts = {(p["doc_id"], p["para_idx"]): p["text"] for p in _rows(seed_out, "paragraphs")}
    for m in _rows(seed_out, "metrics"):
        assert texts[(m["doc_id"], m["para_idx"])][m["char_start"]:m["char_end"]] == m["raw_text"]
    for p in _rows(seed_out, "projects"):
        span = texts[(p["doc_id"], p["para_idx"])][p["char_start"]:p["char_end"]]
        assert p["name"] in span and span.startswith(p["marker"])


def test_tables_have_the_contract_schemas(seed_out: Path) -> None:
    for name, schema in SCHEMAS.items():
        table_schema = pq.read_schema(seed_out / f"{name}.parquet")
        assert table_schema.remove_metadata() == schema.remove_metadata()
        for field in table_schema:
            assert field.metadata[b"description"]


def test_duckdb_joins_metrics_to_documents_and_projects(seed_out: Path) -> None:
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT d.source, m.subject, m.value, m.unit
        FROM '{seed_out}/metrics.parquet' m
        JOIN '{seed_out}/documents.parquet' d USING (doc_id)
        JOIN '{seed_out}/paragraphs.parquet' p ON p.doc_id = m.doc_id AND p.para_idx = m.para_idx
        WHERE m.unit = '원' AND p.duplicate_of_para IS NULL
        ORDER BY m.value DESC""").fetchall()
    assert rows == [("seodaemun_2018_briefing.txt", "예산", 477200000000.0, "원")]
    sections = con.execute(f"""
        SELECT section, count(*) FROM '{seed_out}/projects.parquet'
        GROUP BY section ORDER BY count(*) DESC, section LIMIT 2""").fetchall()
    assert sections == [("사람을 위하는 복지", 4), ("신촌권역", 4)]


def test_a_second_run_is_byte_identical_and_uses_the_cache(seed_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli("run", SEED, "--out", out, "--jobs", "1")
    second = run_cli("run", SEED, "--out", out, "--jobs", "2")
    assert first.returncode == second.returncode == 0
    assert any((out / ".cache").iterdir())
    for name in ("documents", "paragraphs", "metrics", "projects"):
        assert (out / f"{name}.parquet").read_bytes() == (seed_out / f"{name}.parquet").read_bytes()


def test_the_readme_budget_page_and_its_funding_source_query(tmp_path: Path) -> None:
    """The 사업명세서 page of the README gives the rows it shows, and its DuckDB query sums the
    department's budget by funding source."""
    readme = (SEED.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Tables, and a budget book's page")[1].split("\n## ")[0]
    page = section.split("```text\n")[1].split("```")[0]
    query = section.split("```sql\n")[1].split("```")[0]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(page, encoding="utf-8")
    out = tmp_path / "output"
    assert run_cli("run", tmp_path / "in", "--out", out, "--jobs", "1", cwd=tmp_path).returncode == 0
    rows = duckdb.connect().execute(query.replace("'output/", f"'{out}/")).fetchall()
    assert rows == [("page.txt", "노인복지과", "국비", 3e9), ("page.txt", "노인복지과", "군비", 1.5e9),
                    ("page.txt", "노인복지과", "도비", 1e9)]
    table = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    shown = [[cell.strip() for cell in cells[:2]] for cells in table[1:] if not cells[0].strip().startswith("---")]
    metrics = pq.read_table(out / "metrics.parquet").to_pylist()
    assert [[m["subject"], f"{m['value']:.0f}"] for m in metrics] == shown
