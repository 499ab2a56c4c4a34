"""The command line: documented in full, exit codes as promised."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from conftest import REPO, SEED, run_cli
from pipeline import __version__
from pipeline.cli import EXIT_FAILURES, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, _parser, main
from pipeline.write import SCHEMAS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_every_command_option_and_exit_code_is_in_the_readme() -> None:
    commands = _subparsers(_parser())
    assert set(commands) == {"run", "review", "try", "rules"}
    names = ["run", "review", "try", *(f"rules {sub}" for sub in _subparsers(commands["rules"]))]
    for name in names:
        assert f"### `{name}" in README or f"| `{name}` |" in README, name
    parsers = [_parser(), *(p for n, p in commands.items() if n != "rules"), *_subparsers(commands["rules"]).values()]
    for parser in parsers:
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert regex.search(rf"`{regex.escape(option)}[ `]", README), option
    exits = README.split("### Exit codes")[1].split("\n## ")[0]
    for code in (EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INTERRUPTED):
        assert regex.search(rf"^\| `{code}` \|", exits, flags=regex.M), code


@pytest.mark.parametrize("program", ["console script", "module"])
def test_messages_name_the_program_as_it_was_called(program: str) -> None:
    if program == "module":
        command, name = [sys.executable, "-m", "pipeline"], "python -m pipeline"
    else:
        command, name = [str(Path(sys.executable).parent / "briefing-pipeline")], "briefing-pipeline"
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout == f"{name} {__version__}\n"
    for args, usage in ((["rules"], f"usage: {name} rules [-h] COMMAND ..."),
                        (["run"], f"usage: {name} run [-h]"), ([], f"usage: {name} [-h] [--version] COMMAND ...")):
        done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stderr.startswith(usage), done.stderr
        assert "rules_command" not in done.stderr and "pipeline.cli" not in done.stderr


def test_quiet_prints_nothing_when_all_goes_well(tmp_path: Path) -> None:
    done = run_cli("run", SEED, "--out", tmp_path / "out", "--quiet")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_verbose_prints_each_stage_with_its_time_on_stderr(tmp_path: Path) -> None:
    done = run_cli("run", SEED, "--out", tmp_path / "out", "--verbose")
    stages = [line.split(":")[0] for line in done.stderr.splitlines()]
    assert stages == ["rules", "find", "start workers", "read", "deduplicate", "cache", "analyse and extract",
                      "stop workers", "build tables", "publish"]
    assert regex.search(r"^analyse and extract: [\d.]+ s \(1 documents, [\d,]+ characters, [\d,]+ characters analysed, "
                        r"[\d.]+ analysis cpu s, [\d.]+ extraction cpu s\)$", done.stderr, flags=regex.M)
    assert regex.search(r"^read: \d+\.\d\d s \(1 documents, 26 paragraphs, 0 skipped files\)$", done.stderr, flags=regex.M)
    assert regex.search(r"^build tables: [\d.]+ s \(1 documents, 26 paragraphs, 8 metrics, 28 projects\)$",
                        done.stderr, flags=regex.M)
    assert done.stdout.startswith("1 documents, 26 paragraphs")


def test_json_is_one_object_with_counts_failures_warnings_and_seconds(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "notes.md").write_text("x")
    done = run_cli("run", folder, "--out", tmp_path / "out", "--json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    seconds = summary.pop("seconds")
    assert isinstance(seconds, float) and seconds > 0
    assert summary == {"output": str(tmp_path / "out"),
                       "tables": {"documents": 2, "paragraphs": 26, "metrics": 8, "projects": 28},
                       "duplicates": 12, "failures": [{"source": "image.txt", "reason": "not text: binary content (PNG image)"}],
                       "warnings": [], "skipped": [str(folder / "notes.md")]}
    again = run_cli("run", folder, "--out", tmp_path / "out", "--json", "--review")   # served from the cache
    assert {k: v for k, v in json.loads(again.stdout).items() if k != "seconds"} == \
           {**summary, "review": str(tmp_path / "out" / "review" / "index.html")}
    assert (tmp_path / "out" / "review" / "index.html").is_file()


def test_review_open_opens_the_index_in_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("run", SEED, "--out", tmp_path / "out").returncode == 0
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    assert main(["review", str(tmp_path / "out"), "--open"]) == EXIT_OK
    assert opened == [(tmp_path / "out" / "review" / "index.html").as_uri()]


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
