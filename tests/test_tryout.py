"""`try`: one text's rows, every column and the rule ids, as a terminal table or JSON."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, run_cli
from pipeline.records import Metric, Project
from pipeline.rules import load_rules
from pipeline.tryout import display_width, render_table, try_text

TEXT = "서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다. 신촌권역으로 ▷문화발전소 건립 ▷청년 창업 꿈터 조성이 추진된다."


def test_the_rows_of_a_text_with_every_column() -> None:
    rows = try_text(TEXT, load_rules())
    [metric] = rows["metrics"]
    assert list(metric) == [f for f in Metric.__dataclass_fields__ if f != "doc_id"]
    assert (metric["subject"], metric["value"], metric["prev_value"], metric["change_value"], metric["raw_text"]) == \
           ("인구", 326479, 326359, 120, "32만6,479명")
    assert metric["rule_id"] == "unit.people_myeong;direction.increase.증가;indicator.population"
    assert [(p["section"], p["name"], p["rule_id"]) for p in rows["projects"]] == [
        ("신촌권역", "문화발전소 건립", "marker.white_pointer;action.geonrip"),
        ("신촌권역", "청년 창업 꿈터 조성", "marker.white_pointer;action.joseong;status.chujin")]
    assert list(rows["projects"][0]) == [f for f in Project.__dataclass_fields__ if f != "doc_id"]


def test_the_terminal_table_has_a_line_per_column_and_a_column_per_row() -> None:
    table = render_table(try_text(TEXT, load_rules())).splitlines()
    assert table[0] == "1 metric"
    assert table[1].split() == ["column", "metric", "1"]
    assert table[3].split() == ["metric_id", "example-m00000"]
    rule = next(line for line in table if line.startswith("rule_id") and "people" in line)
    assert rule.split() == ["rule_id", "unit.people_myeong;direction.increase.증가;indicator.population"]
    sentence = next(line for line in table if line.startswith("sentence"))
    assert sentence.endswith("…") and display_width(sentence.split(None, 1)[1]) <= 40
    projects = table.index("2 projects")
    assert table[projects + 1].split() == ["column", "project", "1", "project", "2"]
    header, name = table[projects + 1], next(line for line in table[projects:] if line.startswith("name "))
    second_column = display_width(header[:header.index("project 2")])
    assert display_width(name[:name.index("청년 창업 꿈터 조성")]) == second_column


def test_json_and_stdin_from_the_command_line() -> None:
    done = run_cli("try", TEXT, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(try_text(TEXT, load_rules()), ensure_ascii=False))
    piped = subprocess.run([sys.executable, "-m", "pipeline", "try", "-", "--json"], input=TEXT, cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert piped.stdout == done.stdout


def test_a_text_that_gives_nothing_says_so() -> None:
    done = run_cli("try", "안녕하세요.")
    assert done.returncode == 0 and done.stdout == "0 metrics\n0 projects\n"
