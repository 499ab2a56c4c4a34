"""Command line: `run` runs the pipeline (pipeline/run.py); `review` builds the review site;
`try` shows what one text gives; `rules list|check|test` manage the rules.

Exit codes: 0 all went well; 1 some documents failed (or a rule example failed); 2 a usage
or configuration error (bad rules, unwritable output, output that could not be published),
with nothing written; 130 interrupted by Ctrl-C, with nothing written.

Every message names the program as it was called (`briefing-pipeline` or
`python -m pipeline`). stdout holds results (the summary, `--json`'s object); everything
else (failures, warnings, progress, --verbose's timings) goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.dedup import MODES
from pipeline.rules import RuleSet, RulesError, load_rules
from pipeline.limits import DEFAULT_DOC_TIMEOUT_S, ENGINES, LAYOUTS

if TYPE_CHECKING:
    from pipeline.run import RunSummary

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
INTERRUPTED = "interrupted: nothing written"


def program_name(argv0: str) -> str:
    """How the user called us: the console script by its name, the package as `python -m pipeline`."""
    name = Path(argv0).name
    return "python -m pipeline" if name in ("__main__.py", "-m", "-c", "") else name


def _parser(prog: str = "python -m pipeline") -> argparse.ArgumentParser:
    talk = argparse.ArgumentParser(add_help=False)
    talk.add_argument("--quiet", action="store_true", help="print only errors")
    talk.add_argument("--verbose", action="store_true", help="also print each stage's time and counts on stderr")
    rules = argparse.ArgumentParser(add_help=False)
    rules.add_argument("--rules", type=Path, action="append", default=[], metavar="DIR",
                       help="extra rules folder, after the built-in rules (repeatable)")

    parser = argparse.ArgumentParser(prog=prog, description="Korean briefing texts in, typed Parquet tables out.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run_cmd = commands.add_parser("run", parents=[talk, rules], help="process INPUT files and folders into tables in --out")
    run_cmd.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                         help="text files, or folders searched recursively for *.txt")
    run_cmd.add_argument("--out", type=Path, default=Path("output"),
                         help="folder the tables are written to (default: output)")
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
    run_cmd.add_argument("--layout", choices=LAYOUTS, default="files",
                         help="a Parquet file a table (default), or a folder of Parquet parts a table")
    run_cmd.add_argument("--engine", choices=ENGINES, default="local",
                         help="where the shards are analysed: this machine (default) or a Ray cluster")
    run_cmd.add_argument("--ray-address", metavar="ADDRESS",
                         help="with --engine ray: the cluster to join (auto, ray://HOST:PORT; default: a local "
                              "Ray instance)")
    run_cmd.add_argument("--doc-year", type=_year, metavar="YEAR",
                         help="the year every document was written in, that 올해, 내년 and 지난해 count from "
                              "(default: each document's dateline, else a year in its file name, else its title)")
    run_cmd.add_argument("--review", action="store_true", help="build the review site in OUT/review/ after the run")
    run_cmd.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")

    review_cmd = commands.add_parser("review", parents=[talk], help="build a static HTML review of OUT's tables")
    review_cmd.add_argument("out", type=Path, metavar="OUT", help="an output folder of `run`")
    review_cmd.add_argument("--open", action="store_true", help="open the review's index in a web browser")

    try_cmd = commands.add_parser("try", parents=[talk, rules],
                                  help="show the metrics and projects one sentence or short text gives")
    try_cmd.add_argument("text", metavar="TEXT", help="the text (in quotes), or - to read it from stdin")
    try_cmd.add_argument("--json", action="store_true", help="print the rows as one JSON object")
    try_cmd.add_argument("--doc-year", type=_year, metavar="YEAR", help="the year the text was written in")

    rules_cmd = commands.add_parser("rules", help="list, check or test the extraction rules")
    rules_sub = rules_cmd.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    for name, text in (("list", "every rule in force with its kind, id and file"),
                       ("check", "validate the rules only"),
                       ("test", "run every [[example]] through the pipeline")):
        rules_sub.add_parser(name, parents=[talk, rules], help=text)
    return parser


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _note(args: argparse.Namespace, message: str) -> None:
    """A line that is neither a result nor an error (a warning, a skipped file): left out by --quiet."""
    if not args.quiet:
        print(message, file=sys.stderr)


def _load_rules(args: argparse.Namespace) -> RuleSet | None:
    try:
        return load_rules(args.rules)
    except RulesError as exc:
        _error(str(exc))
        return None


def _run(args: argparse.Namespace) -> int:
    from pipeline.report import RunReport
    from pipeline.run import RunOptions, StrictFailure, UsageError, run

    if args.jobs < 1:
        _error("--jobs must be at least 1")
        return EXIT_USAGE
    if args.doc_timeout < 0:
        _error("--doc-timeout must be 0 (no limit) or more seconds")
        return EXIT_USAGE
    if args.ray_address and args.engine != "ray":
        _error("--ray-address needs --engine ray")
        return EXIT_USAGE
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        _error(f"input not found: {', '.join(missing)}")
        return EXIT_USAGE
    cache = None if args.no_cache else (args.cache or args.out / ".cache")
    report = RunReport(progress=not args.quiet)
    options = RunOptions(args.inputs, args.out, args.rules, args.jobs, cache, args.strict, args.dedup,
                         args.doc_timeout, args.layout, args.engine, args.ray_address, doc_year=args.doc_year,
                         report=report)
    try:
        summary = run(options)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except StrictFailure as exc:
        _error(f"{exc} (--strict: nothing written)")
        return EXIT_FAILURES
    except OSError as exc:
        _error(f"cannot write the output folder {args.out}: {exc} (the previous output is unchanged)")
        return EXIT_USAGE
    finally:
        report.close()
    for source, reason in summary.failed:
        print(f"failed: {source}: {reason}", file=sys.stderr)
    for source, warning in summary.warned:
        _note(args, f"warning: {source}: {warning}" if source else f"warning: {warning}")
    for path in summary.skipped:
        _note(args, f"skipped (not .txt): {path}")
    site = _build_review(args.out, args) if args.review else None
    if args.json:
        print(json.dumps(run_summary_json(summary, args.out, site), ensure_ascii=False))
    elif not args.quiet:
        print(summary.line())
    if args.review and site is None:
        return EXIT_USAGE
    return EXIT_FAILURES if summary.failures else EXIT_OK


def run_summary_json(summary: RunSummary, out: Path, site: Path | None) -> dict[str, Any]:
    """The summary for scripts: counts per table, every failure and warning, the seconds."""
    return {
        "output": str(out),
        "tables": {"documents": summary.documents, "paragraphs": summary.paragraphs,
                   "metrics": summary.metrics, "projects": summary.projects},
        "duplicates": summary.duplicates,
        "failures": [{"source": source, "reason": reason} for source, reason in summary.failed],
        "warnings": [{"source": source, "warning": warning} for source, warning in summary.warned],
        "skipped": list(summary.skipped),
        "seconds": round(summary.seconds, 3),
        **({"review": str(site / "index.html")} if site is not None else {}),
    }


def _build_review(out: Path, args: argparse.Namespace) -> Path | None:
    """The review site of OUT; None (and the reason on stderr) when it cannot be built."""
    from pipeline.review.site import ReviewError, build_site
    try:
        site = build_site(out)
    except ReviewError as exc:
        _error(str(exc))
        return None
    except OSError as exc:
        _error(f"cannot write the review site in {out}: {exc}")
        return None
    _note(args, f"review: {site.folder / 'index.html'} ({site.documents:,} documents)")
    return site.folder


def _review(args: argparse.Namespace) -> int:
    site = _build_review(args.out, args)
    if site is None:
        return EXIT_USAGE
    if args.open:
        import webbrowser
        webbrowser.open((site / "index.html").absolute().as_uri())
    return EXIT_OK


def _year(text: str) -> int:
    """A --doc-year: a four-digit year."""
    if not re.fullmatch(r"(?:1[89]|20)\d\d", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; expected four digits such as 2024")
    return int(text)


def _try(args: argparse.Namespace) -> int:
    from pipeline.tryout import render_json, render_table, try_text

    text = sys.stdin.read() if args.text == "-" else args.text
    rules = _load_rules(args)
    if rules is None:
        return EXIT_USAGE
    rows = try_text(text, rules, args.doc_year)
    print(render_json(rows) if args.json else render_table(rows))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from pipeline.examples import run_examples
    from pipeline.rules import CLAIMS

    rules = _load_rules(args)
    if rules is None:
        return EXIT_USAGE
    for warning in rules.warnings:
        _note(args, f"warning: {warning}")
    for old, new in rules.taken_over:
        key = CLAIMS[old.kind][0]
        _note(args, f"note: {old.kind} rule {old.id!r} ({old.where}) is not in force: {new.id!r} ({new.where}) "
                    f"takes over its `{key}` {old.get(key)!r}")
    if args.rules_command == "list":
        for rule in rules.rules:
            replaced = f"  (replaces {rule.replaces})" if rule.replaces else ""
            print(f"{rule.kind:<13} {rule.id:<40} {rule.file}:{rule.line}{replaced}")
        for rule in rules.switched_off:
            _note(args, f"switched off: {rule.kind} {rule.id} ({rule.where})")
        return EXIT_OK
    if args.rules_command == "check":
        replaced = sum(bool(r.replaces) for r in rules.rules)
        if not args.quiet:
            print(f"{len(rules.rules)} rules ok from {len(rules.files)} files ({replaced} replaced, "
                  f"{len(rules.switched_off)} switched off, {len(rules.taken_over)} taken over)")
        return EXIT_OK
    failures, total = run_examples(rules)
    for failure in failures:
        print(failure)
    if not args.quiet or failures:
        print(f"{total - len(failures)} passed, {len(failures)} failed")
    return EXIT_FAILURES if failures else EXIT_OK


def _logging(args: argparse.Namespace) -> None:
    """--verbose: the run's stage timings (logger `pipeline`, level INFO) on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("pipeline")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO if args.verbose and not args.quiet else logging.WARNING)


COMMANDS = {"run": _run, "review": _review, "try": _try, "rules": _rules}


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    args = _parser(prog or program_name(sys.argv[0])).parse_args(argv)
    _logging(args)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


def entry() -> None:
    """The command as a program: main, then leave at once. By then every file is written,
    flushed and closed and the workers are gone; what is left is freeing the rows and modules
    one by one (0.1 s), which the operating system does faster."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
