"""The command line: documented in full, exit codes as promised."""
from __future__ import annotations

import argparse
from pathlib import Path

import regex

from conftest import REPO, SEED, run_cli
from pipeline.cli import _parser
from pipeline.write import SCHEMAS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_every_command_and_option_is_in_the_readme() -> None:
    commands = _subparsers(_parser())
    assert set(commands) == {"run", "rules"}
    names = ["run", *(f"rules {sub}" for sub in _subparsers(commands["rules"]))]
    for name in names:
        assert f"`{name}" in README or f"| `{name}` |" in README, name
    for parser in [commands["run"], *_subparsers(commands["rules"]).values()]:
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert regex.search(rf"`{regex.escape(option)}[ `]", README), option


def test_every_table_column_is_in_the_readme() -> None:
    for name, schema in SCHEMAS.items():
        section = README.split(f"### `{name}.parquet`")[1].split("\n### ")[0]
        documented = set(regex.findall(r"^\| `(\w+)` \|", section, flags=regex.M))
        assert documented == set(schema.names), (name, set(schema.names) ^ documented)


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("run", tmp_path / "nope", "--out", tmp_path / "out")
    assert done.returncode == 2 and "input not found" in done.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("run", SEED, "--out", blocker / "out")
    assert done.returncode == 2 and "cannot write the output folder" in done.stderr


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    done = run_cli("run", SEED, "--out", tmp_path / "out", "--jobs", "0")
    assert done.returncode == 2 and "--jobs" in done.stderr
