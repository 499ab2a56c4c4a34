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


def write_distinct_documents(folder: Path, count: int, lines: int = 20) -> Path:
    """`count` briefing-like documents whose lines all differ in their figures (so none is a
    duplicate): enough analysis to watch a run while it works."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(count):
        text = "\n".join(f"{d}구 {k}동의 인구는 {1000 + 37 * d + k}명에서 {2000 + 41 * d + k}명으로 늘었고, "
                         f"예산은 {d * 13 + k + 1}억원으로 지난해 {d * 7 + k + 1}억원보다 증가했다. "
                         f"주요 사업으로 ▷{d}호 청년주택 {k + 3}곳 건립 ▷공원 {d + k + 2}개소 조성을 추진한다."
                         for k in range(lines))
        (folder / f"doc{d:04d}.txt").write_text(text + "\n", encoding="utf-8")
    return folder
