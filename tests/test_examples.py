"""Rule examples: how an [[example]] is checked against what the real per-document path gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.examples import check_example, run_examples
from pipeline.lexicon import Lexicon
from pipeline.rules import Rule, load_rules

BUILTIN_EXAMPLES = load_rules().of("example")


def example(**data) -> Rule:
    return Rule("example", "test.example", "/rules/test.toml", 7, {"id": "test.example", **data})


@pytest.mark.parametrize("rule", BUILTIN_EXAMPLES, ids=[r.id for r in BUILTIN_EXAMPLES])
def test_builtin_example(rule: Rule, lex: Lexicon) -> None:
    assert check_example(rule, lex) == []


def test_keys_left_out_are_not_checked(lex: Lexicon) -> None:
    assert check_example(example(text="서대문구의 인구는 32만6,479명이다.", metrics=[{"value": 326479}]), lex) == []
    assert check_example(example(text="서대문구의 인구는 32만6,479명이다.", metrics=[{}]), lex) == []


def test_numbers_compare_as_numbers(lex: Lexicon) -> None:
    rule = example(text="예산은 4천772억원이다.", metrics=[{"value": 4.772e11, "unit": "원"}])
    assert check_example(rule, lex) == []


def test_a_wrong_value_names_file_line_id_expected_and_what_came_out(lex: Lexicon) -> None:
    rule = example(text="서대문구의 인구는 32만6,479명이다.", metrics=[{"value": 326480, "unit": "명"}])
    problems = check_example(rule, lex)
    assert problems[0] == "/rules/test.toml:7: example 'test.example': FAILED"
    report = "\n".join(problems)
    assert "expected metric {'value': 326480, 'unit': '명'} did not come out" in report
    assert "differs in value 326479.0 (expected 326480)" in report
    assert "came out: 1 metrics" in report and "'raw_text': '32만6,479명'" in report


def test_rows_that_were_not_expected_fail(lex: Lexicon) -> None:
    rule = example(text="참여 기업은 300개, 참여 인원은 1,200명이다.", metrics=[{"value": 300}])
    report = "\n".join(check_example(rule, lex))
    assert "unexpected metric came out" in report and "1,200명" in report


def test_an_empty_list_expects_no_rows(lex: Lexicon) -> None:
    assert check_example(example(text="사업을 추진한다.", metrics=[]), lex) == []
    report = "\n".join(check_example(example(text="행사에 300명이 왔다.", metrics=[]), lex))
    assert "unexpected metric came out" in report


def test_none_true(lex: Lexicon) -> None:
    assert check_example(example(text="2018년 3월 17일에 열렸다.", none=True), lex) == []
    report = "\n".join(check_example(example(text="▷청년센터 건립", none=True), lex))
    assert "expected no rows (none = true), but a project came out" in report


def test_each_expected_row_needs_its_own_row(lex: Lexicon) -> None:
    rule = example(text="▷청년센터 건립", projects=[{"name": "청년센터 건립"}, {"name": "청년센터 건립"}])
    report = "\n".join(check_example(rule, lex))
    assert "did not come out (no other projects left to match)" in report


def test_parent_is_the_parent_name(lex: Lexicon) -> None:
    rule = example(text="□ 주요 추진사업\n○ 청년창업 지원",
                   projects=[{"name": "주요 추진사업"}, {"name": "청년창업 지원", "parent": "주요 추진사업"}])
    assert check_example(rule, lex) == []


def test_a_crash_is_the_example_failure(lex: Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.examples as examples

    def boom(*_args, **_kwargs):
        raise ValueError("analyser exploded")
    monkeypatch.setattr(examples, "process_document", boom)
    [problem] = check_example(example(text="12명", metrics=[]), lex)
    assert problem == "/rules/test.toml:7: example 'test.example': extraction failed: ValueError: analyser exploded"


def test_run_examples_counts_failed_examples_not_lines(tmp_path: Path) -> None:
    (tmp_path / "user.toml").write_text(
        '[[example]]\nid = "user.example.wrong"\ntext = "행사에 300명이 왔다."\n'
        'metrics = [{value = 301}]\nprojects = [{name = "없는 사업"}]\n', encoding="utf-8")
    rules = load_rules([tmp_path])
    failures, total = run_examples(rules)
    assert total == len(BUILTIN_EXAMPLES) + 1
    assert len(failures) == 1
    assert failures[0].startswith(f"{tmp_path / 'user.toml'}:2: example 'user.example.wrong': FAILED")
