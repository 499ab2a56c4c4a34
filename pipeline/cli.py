"""Command line: `run` runs the pipeline (pipeline/run.py); `rules list|check|test` manage the rules.

Exit codes: 0 all went well; 1 some documents failed (or a rule example failed); 2 a usage
or configuration error (bad rules, unwritable output, output that could not be published),
with nothing written.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.dedup import MODES
from pipeline.rules import RulesError, load_rules
from pipeline.run import RunOptions, StrictFailure, UsageError, run
from pipeline.shards import DEFAULT_DOC_TIMEOUT_S

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="Korean briefing texts in, typed Parquet tables out.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run_cmd = commands.add_parser("run", help="process INPUT files and folders into tables in --out")
    run_cmd.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                         help="text files, or folders searched recursively for *.txt")
    run_cmd.add_argument("--out", type=Path, default=Path("output"),
                         help="folder the tables are written to (default: output)")
    run_cmd.add_argument("--rules", type=Path, action="append", default=[], metavar="DIR",
                         help="extra rules folder, after the built-in rules (repeatable)")
    run_cmd.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                         help="cores to analyse on (default: all); 1 analyses and extracts in one thread")
    run_cmd.add_argument("--cache", type=Path, metavar="DIR",
                         help="cache folder for incremental runs (default: OUT/.cache)")
    run_cmd.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    run_cmd.add_argument("--strict", action="store_true",
                         help="stop at the first document that fails (nothing is written)")
    run_cmd.add_argument("--dedup", choices=MODES, default="run",
                         help="repeated paragraphs: across the run (prose only) and within each document "
                              "(default), within each document only, or not at all")
    run_cmd.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT_S, metavar="SECONDS",
                         help=f"a document still being analysed after this long fails (default: "
                              f"{DEFAULT_DOC_TIMEOUT_S:g}; 0: no limit)")

    rules_cmd = commands.add_parser("rules", help="list, check or test the extraction rules")
    rules_sub = rules_cmd.add_subparsers(dest="rules_command", required=True)
    for name, text in (("list", "every rule in force with its kind, id and file"),
                       ("check", "validate the rules only"),
                       ("test", "run every [[example]] through the pipeline")):
        sub = rules_sub.add_parser(name, help=text)
        sub.add_argument("--rules", type=Path, action="append", default=[], metavar="DIR",
                         help="extra rules folder, after the built-in rules (repeatable)")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.doc_timeout < 0:
        print("error: --doc-timeout must be 0 (no limit) or more seconds", file=sys.stderr)
        return EXIT_USAGE
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        print(f"error: input not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    cache = None if args.no_cache else (args.cache or args.out / ".cache")
    bar = _ProgressBar()
    options = RunOptions(args.inputs, args.out, args.rules, args.jobs, cache, args.strict, args.dedup,
                         args.doc_timeout, progress=bar.update)
    try:
        summary = run(options)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StrictFailure as exc:
        print(f"error: {exc} (--strict: nothing written)", file=sys.stderr)
        return EXIT_FAILURES
    except OSError as exc:
        print(f"error: cannot write the output folder {args.out}: {exc} (the previous output is unchanged)",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        bar.close()
    for source, reason in summary.failed:
        print(f"failed: {source}: {reason}", file=sys.stderr)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in summary.skipped:
        print(f"skipped (not .txt): {path}", file=sys.stderr)
    print(summary.line())
    return EXIT_FAILURES if summary.failures else EXIT_OK


class _ProgressBar:
    """Documents read, then documents analysed, on stderr when it is a terminal."""

    def __init__(self) -> None:
        self.bar = None
        self.stage = ""

    def update(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, unit="doc", desc=stage, disable=None, leave=False)
        if self.bar is not None:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _rules(args: argparse.Namespace) -> int:
    from pipeline.examples import run_examples
    from pipeline.rules import CLAIMS

    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for warning in rules.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for old, new in rules.taken_over:
        key = CLAIMS[old.kind][0]
        print(f"note: {old.kind} rule {old.id!r} ({old.where}) is not in force: {new.id!r} ({new.where}) "
              f"takes over its `{key}` {old.get(key)!r}", file=sys.stderr)
    if args.rules_command == "list":
        for rule in rules.rules:
            replaced = f"  (replaces {rule.replaces})" if rule.replaces else ""
            print(f"{rule.kind:<13} {rule.id:<40} {rule.file}:{rule.line}{replaced}")
        for rule in rules.switched_off:
            print(f"switched off: {rule.kind} {rule.id} ({rule.where})", file=sys.stderr)
        return EXIT_OK
    if args.rules_command == "check":
        replaced = sum(bool(r.replaces) for r in rules.rules)
        print(f"{len(rules.rules)} rules ok from {len(rules.files)} files ({replaced} replaced, "
              f"{len(rules.switched_off)} switched off, {len(rules.taken_over)} taken over)")
        return EXIT_OK
    failures, total = run_examples(rules)
    for failure in failures:
        print(failure)
    print(f"{total - len(failures)} passed, {len(failures)} failed")
    return EXIT_FAILURES if failures else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return _run(args) if args.command == "run" else _rules(args)


def entry() -> None:
    """The command as a program: main, then leave at once. By then every file is written,
    flushed and closed and the workers are gone; what is left is freeing the rows and modules
    one by one (0.1 s), which the operating system does faster."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
