"""Shared fixtures: the built-in lexicon, text extraction, and the real command line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.examples import extract_text
from pipeline.lexicon import Lexicon, build_lexicon
from pipeline.records import DocumentResult
from pipeline.rules import load_rules

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "raw" / "seodaemun_2018_briefing.txt"


@pytest.fixture(scope="session")
def lex() -> Lexicon:
    return build_lexicon(load_rules())


@pytest.fixture(scope="session")
def extract(lex: Lexicon):
    """Text in, the rows `run` would extract from a document holding it."""
    def _extract(text: str) -> DocumentResult:
        return extract_text(text, lex)
    return _extract


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=timeout)
