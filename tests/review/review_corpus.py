"""A corpus that exercises the review site: the seed briefing, a budget page (tables,
hierarchy, shares), a repost of a seed paragraph (a duplicate in another document), a
document whose text and file name are hostile HTML, and a file that is not text."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO, SEED, run_cli

HOSTILE_NAME = '"><img src=x onerror=window.__pwned=1>.txt'
HOSTILE_TEXT = ('<script>window.__pwned = "script"</script> 올해 예산은 3억원으로 늘었다.\n'
                '"><img src=x onerror="window.__pwned=\'img\'"> 인구는 120명 증가했다.\n')
REPOST_LINE = 2          # the line of the seed the repost copies


def budget_page() -> str:
    """The 사업명세서 page of the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("A 세출예산 사업명세서 page:\n\n```text\n")[1].split("```")[0]


def make_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / "a_seed.txt")
    (folder / "b_budget.txt").write_text(budget_page(), encoding="utf-8")
    seed_lines = SEED.read_text(encoding="utf-8").splitlines()
    (folder / "c_repost.txt").write_text(f"다시 싣는 기사\n{seed_lines[REPOST_LINE - 1]}\n", encoding="utf-8")
    (folder / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "e_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return folder


def read_tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist()
            for name in ("documents", "paragraphs", "metrics", "projects")}


def write_tables(out: Path, tables: dict[str, pa.Table]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")


@pytest.fixture(scope="session")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus run with `run --review`: the output folder, its site in OUT/review."""
    base = tmp_path_factory.mktemp("reviewed")
    out = base / "out"
    done = run_cli("run", make_corpus(base / "in"), "--out", out, "--review", "--no-cache")
    assert done.returncode == 1, done.stderr          # the image fails; the others land
    assert (out / "review" / "index.html").is_file()
    return out
