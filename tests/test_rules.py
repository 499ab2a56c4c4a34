"""Rule files (issue 6): loading, validation messages, replacement, the `rules` commands,
and a user's own rules folder taught to the pipeline end to end."""
from __future__ import annotations

import importlib.resources
import os
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, run_cli
from pipeline.examples import extract_text
from pipeline.lexicon import build_lexicon
from pipeline.rules import RulesError, builtin_rules_dir, load_rules

BUILTIN_FILES = sorted((REPO / "rules").glob("*.toml"))
BUILTIN = {path.name: tomllib.loads(path.read_text(encoding="utf-8")) for path in BUILTIN_FILES}
BUILTIN_IDS = {entry["id"]: (kind, name) for name, data in BUILTIN.items()
               for kind, entries in data.items() for entry in entries if entry.get("enabled", True)}
N_EXAMPLES = sum(len(data.get("example", [])) for data in BUILTIN.values())


def write(folder: Path, text: str, name: str = "user.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- broken files: each kind of mistake, through the real command line --------------------

# name -> (file text, line the message must name, rule id it must name, fragments it must hold)
BROKEN = {
    "syntax_error": ('[[marker]]\nid = "user.marker.diamond"\nsymbol "◈"\n',
                     3, "user.marker.diamond", ["TOML syntax error", "Expected '='"]),
    "syntax_error_unclosed_string": ('[[unit]]\nid = "user.unit.cheok"\nform = "척\nunit = "척"\n',
                                     3, "user.unit.cheok", ["TOML syntax error"]),
    "unknown_kind": ('# a markr would be a typo\n[[markr]]\nid = "user.marker.diamond"\nsymbol = "◈"\n',
                     2, "user.marker.diamond", ["unknown rule kind `markr`", "did you mean [[marker]]?",
                                                "expected one of"]),
    "unknown_key": ('[[unit]]\nid = "user.unit.cheok"\nform = "척"\nunit = "척"\ncatgory = "count"\n',
                    5, "user.unit.cheok", ["unknown key `catgory`", "did you mean `category`?", "expected one of"]),
    "unknown_key_in_example_row": ('[[example]]\nid = "user.example.ships"\ntext = "선박 12척"\n'
                                   'metrics = [{value = 12, unti = "척"}]\n',
                                   4, "user.example.ships", ["unknown key `unti` in `metrics`",
                                                             "did you mean `unit`?"]),
    "wrong_type": ('[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\nlevel = "2"\n',
                   4, "user.marker.diamond", ["`level` must be a whole number", "got a string '2'"]),
    "wrong_type_scale": ('[[unit]]\nid = "user.unit.cheok"\nform = "척"\nunit = "척"\ncategory = "count"\n'
                         'scale = "10"\n', 6, "user.unit.cheok", ["`scale` must be a number", "got a string"]),
    "wrong_type_aliases": ('[[indicator]]\nid = "user.indicator.ships"\nname = "선박"\naliases = "선박"\n',
                           4, "user.indicator.ships", ["`aliases` must be an array"]),
    "wrong_type_in_example_row": ('[[example]]\nid = "user.example.ships"\ntext = "선박 12척"\n'
                                  'metrics = [{value = "12", unit = "척"}]\n',
                                  4, "user.example.ships", ["`value` in `metrics` must be a number"]),
    "bad_choice": ('[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\nposition = "inlne"\n',
                   4, "user.marker.diamond", ["`position` = 'inlne' is not allowed", "did you mean 'inline'?",
                                              "expected one of 'any', 'inline', 'line'"]),
    "bad_choice_category": ('[[unit]]\nid = "user.unit.cheok"\nform = "척"\nunit = "척"\ncategory = "ships"\n',
                            5, "user.unit.cheok", ["`category` = 'ships' is not allowed", "'count'"]),
    "bad_choice_direction": ('[[direction]]\nid = "user.direction.surge"\nword = "폭증"\ndirection = "up"\n',
                             4, "user.direction.surge", ["`direction` = 'up' is not allowed",
                                                         "'decrease', 'increase'"]),
    "duplicate_id_in_file": ('[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\n\n'
                             '[[marker]]\nid = "user.marker.diamond"\nsymbol = "◎"\n',
                             6, "user.marker.diamond", ["duplicate rule id", "first defined at", "user.toml:2"]),
    "bad_regex": ('[[not_metric]]\nid = "user.not_metric.pier"\npattern = "[0-9]+\\\\s*(번부두"\n',
                  3, "user.not_metric.pier", ["bad regex in `pattern`", "expected a regular expression"]),
    "regex_matching_nothing": ('[[marker]]\nid = "user.marker.stars"\npattern = "◈*"\n',
                               3, "user.marker.stars", ["matches empty text"]),
    "regex_backtracking": ('[[marker]]\nid = "user.marker.slow"\nposition = "line"\npattern = "(가|가가)+다"\n',
                           4, "user.marker.slow", ["`pattern` '(가|가가)+다' backtracks catastrophically",
                                                   "on the probe '가' × 4,000 then a NUL", "nested or overlapping"]),
    "regex_backtracking_not_metric": ('[[not_metric]]\nid = "user.not_metric.slow"\npattern = "(?:1|11)+x"\n',
                                      3, "user.not_metric.slow", ["backtracks catastrophically", "'1' × 4,000"]),
    "regex_backtracking_after_a_figure": ('[[not_metric]]\nid = "user.not_metric.tail"\npattern = "1(?:\\\\D|\\\\D)+x"\n',
                                          3, "user.not_metric.tail", ["backtracks catastrophically",
                                                                      "'1' then 'D' × 64 then a NUL"]),
    "missing_required_key": ('[[status]]\nid = "user.status.construction"\nword = "공사중"\n',
                             2, "user.status.construction", ["missing required key `status`",
                                                             "needs `id`, `word`, `status`"]),
    "missing_id": ('[[unit]]\nform = "척"\nunit = "척"\ncategory = "count"\n',
                   1, "no id", ["missing required key `id`", "expected a unique string"]),
    "marker_with_both": ('[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\npattern = "◈"\n',
                         4, "user.marker.diamond", ["has both `symbol` and `pattern`",
                                                    "expected exactly one of `symbol` or `pattern`"]),
    "marker_with_neither": ('[[marker]]\nid = "user.marker.diamond"\nposition = "line"\n',
                            2, "user.marker.diamond", ["has neither `symbol` nor `pattern`",
                                                       "expected exactly one of `symbol` or `pattern`"]),
    "not_metric_with_neither": ('[[not_metric]]\nid = "user.not_metric.empty"\n',
                                2, "user.not_metric.empty", ["has neither `pattern` nor `suffix`"]),
    "single_brackets": ('[marker]\nid = "user.marker.diamond"\nsymbol = "◈"\n',
                        1, "user.marker.diamond", ["must be an array of tables", "[[marker]] (two brackets)"]),
    "example_without_expectation": ('[[example]]\nid = "user.example.ships"\ntext = "선박 12척"\n',
                                    2, "user.example.ships", ["`metrics = [...]`, `projects = [...]` or "
                                                              "`none = true`"]),
    "id_with_semicolon": ('[[action]]\nid = "user;action"\nword = "준설"\n',
                          2, "user;action", ["without spaces or `;`"]),
}


def _assert_names(stderr: str, path: Path, line: int, rule_id: str, fragments: list[str]) -> None:
    assert f"{path}:{line}:" in stderr, stderr
    assert rule_id in stderr, stderr
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_rejected_by_rules_check(case: str, tmp_path: Path) -> None:
    text, line, rule_id, fragments = BROKEN[case]
    path = write(tmp_path / "user_rules", text)
    result = run_cli("rules", "check", "--rules", tmp_path / "user_rules")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ")
    _assert_names(result.stderr, path, line, rule_id, fragments)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_stops_run_before_anything_is_written(case: str, tmp_path: Path) -> None:
    text, line, rule_id, fragments = BROKEN[case]
    path = write(tmp_path / "user_rules", text)
    write(tmp_path / "in", "올해 입항 선박은 12척이다.\n", "port.txt")
    out = tmp_path / "out"
    result = run_cli("run", tmp_path / "in", "--out", out, "--rules", tmp_path / "user_rules")
    assert result.returncode == 2, result.stdout + result.stderr
    _assert_names(result.stderr, path, line, rule_id, fragments)
    assert not out.exists()


@pytest.mark.parametrize("command", ["list", "test"])
def test_broken_file_rejected_by_every_rules_command(command: str, tmp_path: Path) -> None:
    text, line, rule_id, fragments = BROKEN["unknown_key"]
    path = write(tmp_path, text)
    result = run_cli("rules", command, "--rules", tmp_path)
    assert result.returncode == 2
    _assert_names(result.stderr, path, line, rule_id, fragments)


def test_duplicate_id_across_files_of_one_folder(tmp_path: Path) -> None:
    first = write(tmp_path, '[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\n', "a.toml")
    second = write(tmp_path, '# the same id again\n[[unit]]\nid = "user.marker.diamond"\nform = "척"\n'
                             'unit = "척"\ncategory = "count"\n', "b.toml")
    result = run_cli("rules", "check", "--rules", tmp_path)
    assert result.returncode == 2
    _assert_names(result.stderr, second, 3, "user.marker.diamond", ["duplicate rule id", f"{first}:2"])


# Every rule kind rejects a wrong type and an unknown key, naming the key's line (in process: fast).
KIND_CASES = {
    "marker": ('symbol = "◈"', "note = 1", "notes = true"),
    "unit": ('form = "척"\nunit = "척"\ncategory = "count"', 'scale = "1"', "scael = 1"),
    "direction": ('word = "폭증"\ndirection = "increase"', "word = 1", 'dirction = "increase"'),
    "status": ('word = "공사중"\nstatus = "공사 중"', "status = true", 'stauts = "공사 중"'),
    "action": ('word = "준설"', "word = [\"준설\"]", 'wrod = "준설"'),
    "indicator": ('name = "선박"\naliases = ["선박"]', "name = 3", 'alias = ["선박"]'),
    "not_metric": ('suffix = "번부두"', "suffix = 1", 'sufix = "번부두"'),
    "qualifier": ('word = "남짓"\nposition = "after"', "sign = \"-1\"", 'qualifer = "approx"'),
    "period": ('word = "상반기"', "word = 2024", 'wrd = "상반기"'),
    "table_column": ('word = "척수"\nrole = "current"', "role = 1", 'rol = "current"'),
    "cue": ('word = "한편"\nrole = "discourse_adverb"', "word = false", 'roles = "relation"'),
    "example": ('text = "선박 12척"\nmetrics = []', "none = 1", 'metric = []'),
}


@pytest.mark.parametrize("kind", sorted(KIND_CASES))
@pytest.mark.parametrize("mistake", ["wrong_type", "unknown_key"])
def test_every_kind_names_file_line_and_id(kind: str, mistake: str, tmp_path: Path) -> None:
    good, wrong_type, unknown_key = KIND_CASES[kind]
    bad = wrong_type if mistake == "wrong_type" else unknown_key
    key = bad.split(" =")[0]
    # drop the good line of the same key, so the bad one is the only one
    lines = [line for line in good.splitlines() if line.split(" =")[0] != key]
    text = f'# user rules\n[[{kind}]]\nid = "user.{kind}"\n' + "\n".join(lines) + f"\n{bad}\n"
    path = write(tmp_path, text)
    with pytest.raises(RulesError) as err:
        load_rules([tmp_path])
    message = str(err.value)
    line = text.splitlines().index(bad) + 1
    assert message.startswith(f"{path}:{line}: {kind} rule 'user.{kind}': "), message
    if mistake == "unknown_key":
        assert "unknown key" in message and "expected one of" in message
    else:
        assert "must be" in message and ", got " in message


@pytest.mark.parametrize("kind", sorted(KIND_CASES))
def test_every_kind_accepts_a_good_rule(kind: str, tmp_path: Path) -> None:
    good = KIND_CASES[kind][0]
    write(tmp_path, f'[[{kind}]]\nid = "user.{kind}"\n{good}\n')
    rules = load_rules([tmp_path])
    assert [r.id for r in rules.of(kind) if r.id.startswith("user.")] == [f"user.{kind}"]


def test_missing_or_wrong_rules_folder(tmp_path: Path) -> None:
    result = run_cli("rules", "check", "--rules", tmp_path / "nowhere")
    assert result.returncode == 2 and "rules folder not found" in result.stderr
    result = run_cli("rules", "check", "--rules", tmp_path)
    assert result.returncode == 2 and "no rule files" in result.stderr
    path = write(tmp_path, '[[action]]\nid = "user.action"\nword = "준설"\n')
    result = run_cli("rules", "check", "--rules", path)
    assert result.returncode == 2 and "is a file" in result.stderr and str(tmp_path) in result.stderr


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    """Windows Notepad saves UTF-8 with a BOM; TOML would see an invalid first line."""
    (tmp_path / "user.toml").write_bytes(b"\xef\xbb\xbf" + '[[action]]\nid = "user.action"\nword = "준설"\n'.encode())
    rule = next(r for r in load_rules([tmp_path]).rules if r.id == "user.action")
    assert (rule.get("word"), rule.line) == ("준설", 2)


def _lines_run_loading(folder: Path) -> int:
    """Lines of pipeline/rules.py executed while loading the rules of `folder`: a count of
    the work done that does not depend on the machine's speed."""
    import pipeline.rules as rules_module
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != rules_module.__file__:
            return None
        if event == "line":
            count += 1
        return tracer
    sys.settrace(tracer)
    try:
        load_rules([folder])
    finally:
        sys.settrace(None)
    return count


def test_loading_rules_is_linear_in_their_number(tmp_path: Path) -> None:
    for n in (1, 1000, 2000):
        write(tmp_path / str(n), "".join(f'[[action]]\nid = "user.action.a{i}"\nword = "행동{i}"\n\n' for i in range(n)))
    base = _lines_run_loading(tmp_path / "1")                   # the built-in rules and one more
    small, large = (_lines_run_loading(tmp_path / str(n)) - base for n in (1000, 2000))
    assert 1.9 < large / small < 2.1, (small, large)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "user.toml").write_bytes('[[action]]\nid = "user.action"\nword = "준설"\n'.encode("cp949"))
    with pytest.raises(RulesError, match=r"user\.toml:1: cannot read rules file: not UTF-8"):
        load_rules([tmp_path])


# --- replacement, switching off, order of folders --------------------------------------------

def test_a_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    path = write(tmp_path, '[[status]]\nid = "status.chujin"\nword = "추진"\nstatus = "추진 예정"\n')
    builtin = load_rules()
    rules = load_rules([tmp_path])
    assert len(rules.rules) == len(builtin.rules)
    [rule] = [r for r in rules.rules if r.id == "status.chujin"]
    assert rule.file == str(path) and rule.get("status") == "추진 예정"
    assert rule.replaces.startswith(str(builtin_rules_dir() / "statuses.toml"))
    assert rules.digest != builtin.digest
    [project] = extract_text("▷청년센터 건립을 추진한다.", build_lexicon(rules)).projects
    assert project.status == "추진 예정" and "status.chujin" in project.rule_id.split(";")


def test_enabled_false_switches_a_builtin_rule_off(tmp_path: Path) -> None:
    write(tmp_path, '[[marker]]\nid = "marker.white_pointer"\nenabled = false\n')
    rules = load_rules([tmp_path])
    assert "marker.white_pointer" not in {r.id for r in rules.rules}
    assert [r.id for r in rules.switched_off] == ["marker.white_pointer"]
    text = "먼저 신촌권역으로 ▷문화발전소 건립 ▷신총 박스퀘어 조성사업이 추진된다."
    assert len(extract_text(text, build_lexicon(load_rules())).projects) == 2
    assert extract_text(text, build_lexicon(rules)).projects == []


def test_enabled_false_on_a_whole_rule(tmp_path: Path) -> None:
    write(tmp_path, '[[unit]]\nid = "user.unit.tol"\nform = "톨"\nunit = "톨"\ncategory = "count"\n'
                    'enabled = false\n')
    rules = load_rules([tmp_path])
    assert "user.unit.tol" not in {r.id for r in rules.rules}
    assert [r.id for r in rules.switched_off] == ["user.unit.tol"]
    assert extract_text("밤은 12톨이다.", build_lexicon(rules)).metrics == []


def test_switching_off_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[[marker]]\nid = "marker.white_pointr"\nenabled = false\n')
    result = run_cli("rules", "check", "--rules", tmp_path)
    assert result.returncode == 2
    _assert_names(result.stderr, path, 2, "marker.white_pointr",
                  ["no earlier rule has this id", "did you mean 'marker.white_pointer'?"])


def test_a_partial_rule_still_needs_its_keys(tmp_path: Path) -> None:
    """Only `id` + `enabled = false` may leave the other keys out; a replacement is whole."""
    path = write(tmp_path, '[[status]]\nid = "status.chujin"\nstatus = "추진 예정"\n')
    with pytest.raises(RulesError, match="missing required key `word`") as err:
        load_rules([tmp_path])
    assert str(err.value).startswith(f"{path}:2: status rule 'status.chujin'")


def test_replacing_with_another_kind_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[[unit]]\nid = "marker.hyphen"\nform = "척"\nunit = "척"\ncategory = "count"\n')
    with pytest.raises(RulesError) as err:
        load_rules([tmp_path])
    assert str(err.value).startswith(f"{path}:2: unit rule 'marker.hyphen': has the id of the marker rule")


def test_later_folders_replace_and_switch_off_earlier_ones(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write(first, '[[unit]]\nid = "user.unit.tol"\nform = "톨"\nunit = "톨"\ncategory = "count"\n')
    path = write(second, '[[unit]]\nid = "user.unit.tol"\nform = "톨"\nunit = "톨"\ncategory = "count"\n'
                         'scale = 10\n')
    write(third, '[[unit]]\nid = "user.unit.tol"\nenabled = false\n')
    [metric] = extract_text("밤은 12톨이다.", build_lexicon(load_rules([first]))).metrics
    assert metric.value == 12 and metric.rule_id == "user.unit.tol"
    [metric] = extract_text("밤은 12톨이다.", build_lexicon(load_rules([first, second]))).metrics
    assert metric.value == 120 and metric.rule_id == "user.unit.tol"
    [rule] = [r for r in load_rules([first, second]).rules if r.id == "user.unit.tol"]
    assert rule.file == str(path) and rule.replaces == f"{first / 'user.toml'}:2"
    assert "user.unit.tol" not in {r.id for r in load_rules([first, second, third]).rules}
    assert extract_text("밤은 12톨이다.", build_lexicon(load_rules([first, second, third]))).metrics == []
    # order matters: the last folder wins
    [metric] = extract_text("밤은 12톨이다.", build_lexicon(load_rules([second, first]))).metrics
    assert metric.value == 12


def test_replacement_keeps_the_rule_in_place(tmp_path: Path) -> None:
    write(tmp_path, '[[marker]]\nid = "marker.white_triangle"\nsymbol = "△"\nposition = "inline"\n')
    builtin = [r.id for r in load_rules().rules]
    assert [r.id for r in load_rules([tmp_path]).rules] == builtin


def test_a_user_rule_takes_over_a_builtin_word(tmp_path: Path) -> None:
    """A new id for a word a built-in rule already has: the user's rule applies and is named."""
    path = write(tmp_path, '[[unit]]\nid = "user.unit.won"\nform = "원"\nunit = "원"\ncategory = "money"\n')
    result = run_cli("rules", "check", "--rules", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"note: unit rule 'unit.won' ({builtin_rules_dir() / 'units.toml'}:" in result.stderr
            and f"is not in force: 'user.unit.won' ({path}:2) takes over its `form` '원'" in result.stderr)
    assert "1 taken over" in result.stdout
    rules = load_rules([tmp_path])
    assert "unit.won" not in {r.id for r in rules.rules}
    [metric] = extract_text("예산은 500원이다.", build_lexicon(rules)).metrics
    assert metric.rule_id.split(";")[0] == "user.unit.won"


def test_two_rules_of_one_folder_for_the_same_word_warn(tmp_path: Path) -> None:
    write(tmp_path, '[[unit]]\nid = "user.unit.tol"\nform = "톨"\nunit = "톨"\ncategory = "count"\n\n'
                    '[[unit]]\nid = "user.unit.tol2"\nform = "톨"\nunit = "개"\ncategory = "count"\n')
    result = run_cli("rules", "check", "--rules", tmp_path)
    assert result.returncode == 0
    assert (f"warning: {tmp_path / 'user.toml'}:8: unit rule 'user.unit.tol2': `form` = '톨' is also given by "
            f"unit rule 'user.unit.tol' ({tmp_path / 'user.toml'}:2)") in result.stderr
    assert "only one of them applies" in result.stderr


def test_builtin_rules_claim_each_word_once() -> None:
    assert load_rules().warnings == []


def test_rule_words_are_read_like_the_text(tmp_path: Path) -> None:
    """A word written decomposed (NFD) or with a look-alike character still matches the text."""
    word = unicodedata.normalize("NFD", "공사중")
    write(tmp_path, f'[[status]]\nid = "user.status.construction"\nword = "{word}"\nstatus = "공사 중"\n')
    [rule] = [r for r in load_rules([tmp_path]).rules if r.id == "user.status.construction"]
    assert rule.get("word") == "공사중"


# --- the rules commands -----------------------------------------------------------------------

def test_rules_list_shows_every_rule_with_kind_id_and_file() -> None:
    result = run_cli("rules", "list")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    listed = {row[1]: (row[0], row[2]) for row in rows}
    assert len(rows) == len(BUILTIN_IDS) == len(listed)
    for rule_id, (kind, name) in BUILTIN_IDS.items():
        assert listed[rule_id][0] == kind
        assert re.fullmatch(rf".*[/\\]{re.escape(name)}:\d+", listed[rule_id][1]), listed[rule_id]
    text = (REPO / "rules" / "markers.toml").read_text(encoding="utf-8").splitlines()
    line = int(listed["marker.white_triangle"][1].rsplit(":", 1)[1])
    assert text[line - 1] == 'id = "marker.white_triangle"'


def test_rules_list_with_a_user_folder(tmp_path: Path) -> None:
    path = write(tmp_path, '[[marker]]\nid = "user.marker.diamond"\nsymbol = "◈"\n\n'
                           '[[status]]\nid = "status.chujin"\nword = "추진"\nstatus = "추진"\n\n'
                           '[[unit]]\nid = "unit.count_dae"\nenabled = false\n')
    result = run_cli("rules", "list", "--rules", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:3] == ["marker", "user.marker.diamond", f"{path}:2"] for line in lines)
    [chujin] = [line for line in lines if line.split()[1] == "status.chujin"]
    assert f"{path}:6" in chujin and "(replaces" in chujin and "statuses.toml" in chujin
    assert not any(line.split()[1] == "unit.count_dae" for line in lines)
    assert "switched off: unit unit.count_dae" in result.stderr
    assert len(lines) == len(BUILTIN_IDS)          # one added, one replaced, one switched off


def test_rules_check_counts() -> None:
    result = run_cli("rules", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{len(BUILTIN_IDS)} rules ok from {len(BUILTIN_FILES)} files")


def test_builtin_examples_all_pass() -> None:
    result = run_cli("rules", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == f"{N_EXAMPLES} passed, 0 failed"
    assert N_EXAMPLES >= 10


# --- installed package: the built-in rules are package data -------------------------------------

def test_builtin_rules_found_through_importlib_resources() -> None:
    files = importlib.resources.files("pipeline.builtin_rules")
    names = sorted(p.name for p in files.iterdir() if p.name.endswith(".toml"))
    assert names == [p.name for p in BUILTIN_FILES]
    assert builtin_rules_dir() == Path(str(files))
    assert {r.file for r in load_rules().rules} <= {str(Path(str(files)) / n) for n in names}


def test_builtin_rules_ship_in_the_built_package(tmp_path: Path) -> None:
    """Build the package as a wheel lays it out (pyproject maps pipeline.builtin_rules to rules/)
    and run the command from there, away from the source tree."""
    setuptools = pytest.importorskip("setuptools")
    assert setuptools
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(REPO / "pyproject.toml", src)
    shutil.copytree(REPO / "pipeline", src / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", src / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    lib = tmp_path / "lib"
    build = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                            "--build-lib", str(lib)], cwd=src, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    shipped = sorted(p.name for p in (lib / "pipeline" / "builtin_rules").glob("*.toml"))
    assert shipped == [p.name for p in BUILTIN_FILES]
    shutil.rmtree(src)                           # nothing left to find but the built package
    env = {**os.environ, "PYTHONPATH": str(lib)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = subprocess.run([sys.executable, "-m", "pipeline", "rules", "list"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stderr
    files = {line.split()[2].rsplit(":", 1)[0] for line in listed.stdout.splitlines()}
    assert files == {str(lib / "pipeline" / "builtin_rules" / name) for name in shipped}
    assert len(listed.stdout.splitlines()) == len(BUILTIN_IDS)


# --- a user teaches the pipeline: ◈ markers and ships counted in 척 ------------------------------

PORT_RULES = """\
# Busan port briefings: ◈ bullets, ships counted in 척, and the status word 공사중.

[[marker]]
id = "port.marker.diamond"
symbol = "◈"
position = "any"

[[unit]]
id = "port.unit.cheok"
form = "척"
unit = "척"
category = "count"

[[status]]
id = "port.status.gongsajung"
word = "공사중"
status = "공사 중"

[[example]]
id = "port.example.ships_and_projects"
text = "올해 입항 선박은 12척으로 늘었다. 항만 분야는 ◈신항 부두 확장 ◈어항 정비공사가 공사중이며 ◈해양공원 조성을 추진한다."
metrics = [{value = 12, unit = "척", subject = "입항 선박"}]
projects = [{name = "신항 부두 확장", section = "항만 분야"}, {name = "어항 정비공사", section = "항만 분야", status = "공사 중"}, {name = "해양공원 조성", section = "항만 분야"}]
"""

PORT_TEXT = """\
부산항 업무보고
올해 입항 선박은 12척으로 늘었다.
항만 분야는 ◈신항 부두 확장 ◈어항 정비공사가 공사중이며 ◈해양공원 조성을 추진한다.
"""


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("port")
    rules = write(root / "port_rules", PORT_RULES, "port.toml")
    write(root / "in", PORT_TEXT, "busan_port.txt")
    return {"root": root, "rules": rules.parent, "file": rules, "in": root / "in"}


def test_diamond_is_not_a_builtin_marker() -> None:
    rules = load_rules()
    assert "◈" not in {r.get("symbol") for r in rules.of("marker")}
    result = extract_text(PORT_TEXT, build_lexicon(rules))
    assert all(p.marker != "◈" for p in result.projects)
    assert not any("◈" in p.name for p in result.projects)


def test_user_folder_run_extracts_diamond_items_and_ships(port: dict[str, Path]) -> None:
    out = port["root"] / "out"
    result = run_cli("run", port["in"], "--out", out, "--rules", port["rules"])
    assert result.returncode == 0, result.stdout + result.stderr
    projects = pq.read_table(out / "projects.parquet").to_pylist()
    metrics = pq.read_table(out / "metrics.parquet").to_pylist()

    diamond = [p for p in projects if p["marker"] == "◈"]
    assert [(p["name"], p["section"]) for p in diamond] == [
        ("신항 부두 확장", "항만 분야"), ("어항 정비공사", "항만 분야"), ("해양공원 조성", "항만 분야")]
    for p in diamond:
        assert p["rule_id"].split(";")[0] == "port.marker.diamond"
    [under_construction] = [p for p in diamond if p["name"] == "어항 정비공사"]
    assert under_construction["status"] == "공사 중"
    assert "port.status.gongsajung" in under_construction["rule_id"].split(";")

    [ships] = [m for m in metrics if m["unit"] == "척"]
    assert ships["value"] == 12 and ships["unit_category"] == "count" and ships["raw_text"] == "12척"
    assert ships["subject"] == "입항 선박"
    assert "port.unit.cheok" in ships["rule_id"].split(";")


def test_user_folder_rules_test_passes(port: dict[str, Path]) -> None:
    result = run_cli("rules", "test", "--rules", port["rules"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == f"{N_EXAMPLES + 1} passed, 0 failed"


def test_user_folder_rules_list_and_check(port: dict[str, Path]) -> None:
    listed = run_cli("rules", "list", "--rules", port["rules"])
    assert listed.returncode == 0
    for kind, rule_id, line in (("marker", "port.marker.diamond", 4), ("unit", "port.unit.cheok", 9),
                                ("status", "port.status.gongsajung", 15),
                                ("example", "port.example.ships_and_projects", 20)):
        assert f"{port['file']}:{line}" in next(row for row in listed.stdout.splitlines()
                                                if row.split()[:2] == [kind, rule_id])
    checked = run_cli("rules", "check", "--rules", port["rules"])
    assert checked.returncode == 0 and "warning" not in checked.stderr and "error" not in checked.stderr
    taken_over = int(re.search(r"(\d+) taken over", checked.stdout).group(1))
    assert checked.stdout.startswith(f"{len(BUILTIN_IDS) + 4 - taken_over} rules ok")


def test_wrong_expectation_fails_with_a_clear_message(port: dict[str, Path], tmp_path: Path) -> None:
    wrong = PORT_RULES.replace("metrics = [{value = 12,", "metrics = [{value = 13,")
    path = write(tmp_path, wrong, "port.toml")
    result = run_cli("rules", "test", "--rules", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert f"{path}:20: example 'port.example.ships_and_projects': FAILED" in out
    assert "expected metric {'value': 13, 'unit': '척', 'subject': '입항 선박'} did not come out" in out
    assert "differs in value 12.0 (expected 13)" in out
    assert "came out: 1 metrics" in out and "'raw_text': '12척'" in out
    assert out.splitlines()[-1] == f"{N_EXAMPLES} passed, 1 failed"


def test_example_broken_by_a_new_rule_is_reported(tmp_path: Path) -> None:
    """A user rule that changes what built-in examples give shows up in `rules test`."""
    write(tmp_path, '[[marker]]\nid = "marker.white_pointer"\nenabled = false\n')
    result = run_cli("rules", "test", "--rules", tmp_path)
    assert result.returncode == 1
    assert "example 'example.marker.inline_sections': FAILED" in result.stdout
    assert re.search(r"^\d+ passed, [1-9]\d* failed$", result.stdout.splitlines()[-1])


def test_docs_walk_through_rules_pass(tmp_path: Path) -> None:
    """docs/rules.md: the port.toml of the walk-through loads and its example passes."""
    from pipeline.examples import check_example

    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    walk = docs[docs.index("### 1. Make a rules folder"):]
    block = walk[walk.index("```toml\n") + len("```toml\n"):]
    write(tmp_path, block[:block.index("```")], "port.toml")
    rules = load_rules([tmp_path])
    mine = [r for r in rules.rules if r.file == str(tmp_path / "port.toml")]
    assert {r.kind for r in mine} == {"marker", "unit", "status", "example"}
    lex = build_lexicon(rules)
    for rule in (r for r in mine if r.kind == "example"):
        assert check_example(rule, lex) == []
