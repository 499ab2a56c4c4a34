"""The rules compiled for extraction: patterns from rules run with the regex module's timeout."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex

from pipeline import lexicon
from pipeline.lexicon import RuleTimeout, TimedPattern, build_lexicon
from pipeline.rules import Rule, load_rules


def _rule(rule_id: str = "user.not_metric.slow") -> Rule:
    return Rule("not_metric", rule_id, "/rules/user.toml", 3, {"pattern": "(?:1|11)+x"})


def test_a_rule_pattern_answers_like_the_compiled_pattern() -> None:
    timed = TimedPattern(regex.compile(r"\d{4}\."), [_rule()])
    text = "2018. 3. 그리고 2019."
    assert timed.match(text).group() == "2018."
    assert timed.search(text, 5).group() == "2019."
    assert [m.span() for m in timed.finditer(text, 0, len(text))] == [(0, 5), (13, 18)]
    assert timed.findall(text) == ["2018.", "2019."] and timed.pattern == r"\d{4}\."


@pytest.mark.parametrize("call", ["match", "search", "finditer"])
def test_a_rule_pattern_past_its_time_names_its_rule(monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    monkeypatch.setattr(lexicon, "PATTERN_TIMEOUT_S", 0.05)
    timed = TimedPattern(regex.compile("(?:1|11)+x"), [_rule()])
    with pytest.raises(RuleTimeout, match=r"^the pattern of not_metric rule 'user\.not_metric\.slow' "
                                          r"\(/rules/user\.toml:3\) ran over 0\.05 s on one text$"):
        result = getattr(timed, call)("1" * 60)
        list(result) if call == "finditer" else result


def test_patterns_of_users_rules_are_timed_and_words_and_built_in_patterns_are_not(tmp_path: Path) -> None:
    (tmp_path / "user.toml").write_text('[[period]]\nid = "user.period.quarter"\npattern = "[1-4]분기"\n\n'
                                        '[[not_metric]]\nid = "user.not_metric.pier"\npattern = "\\\\d+번부두"\n\n'
                                        '[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\n', encoding="utf-8")
    lex = build_lexicon(load_rules([tmp_path]))
    assert isinstance(lex.period_regex, TimedPattern) and [r.id for r in lex.period_regex.rules] == ["user.period.quarter"]
    diamond = next(m for m in lex.markers if m.rule_id == "user.marker.diamond")
    assert not isinstance(diamond.regex, TimedPattern) and not isinstance(lex.any_marker, TimedPattern)
    assert [rule_id for p, rule_id in lex.not_metric_patterns if isinstance(p, TimedPattern)] == ["user.not_metric.pier"]
    builtin = build_lexicon(load_rules())
    assert not any(isinstance(p, TimedPattern) for p in [builtin.period_regex, builtin.any_marker,
                                                            *(m.regex for m in builtin.markers),
                                                            *(p for p, _ in builtin.not_metric_patterns)])


def test_the_joined_not_metric_patterns_name_the_rule_the_first_matching_pattern_is() -> None:
    lex = build_lexicon(load_rules())
    pattern, groups = lex.first_not_metric
    text = "2018년 3월 5일 10시 30분 02-330-1234 65세 이상 '24년 제3차 20대 청년 1인 가구 120명 3.5% 1일 2교대제"
    for i in range(len(text)):
        m = pattern.match(text, i)
        joined = next(rule_id for number, rule_id in groups if m.start(number) >= 0) if m else None
        assert joined == next((rule_id for p, rule_id in lex.not_metric_patterns if p.match(text, i)), None)


def test_a_not_metric_pattern_with_a_back_reference_is_tried_on_its_own(tmp_path: Path) -> None:
    from pipeline.extract.numbers import parse_quantities
    (tmp_path / "user.toml").write_text('[[not_metric]]\nid = "user.not_metric.twin"\npattern = "(\\\\d)\\\\1명"\n',
                                        encoding="utf-8")
    lex = build_lexicon(load_rules([tmp_path]))
    assert lex.first_not_metric is None              # joined, \\1 would name another group
    found = {text[q.start:q.end]: q.not_metric for text in ["33명 주민 120명"] for q in parse_quantities(text, lex)}
    assert found == {"33명": "user.not_metric.twin", "120명": None}


def test_not_metric_patterns_with_named_groups_or_flags_are_tried_on_their_own(tmp_path: Path) -> None:
    from pipeline.extract.numbers import parse_quantities
    (tmp_path / "user.toml").write_text('[[not_metric]]\nid = "user.not_metric.pier"\npattern = "(?P<n>[0-9]+)\\\\s*부두"\n'
                                        '[[not_metric]]\nid = "user.not_metric.gate"\npattern = "(?P<n>[0-9]+)\\\\s*번\\\\s*게이트"\n',
                                        encoding="utf-8")
    lex = build_lexicon(load_rules([tmp_path]))
    assert lex.first_not_metric is None
    found = {text[q.start:q.end]: q.not_metric for text in ["3부두 5번 게이트 120명"] for q in parse_quantities(text, lex)}
    assert found == {"3": "user.not_metric.pier", "5번": "user.not_metric.gate", "120명": None}
