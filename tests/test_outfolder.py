"""The output folder: refused before any work when it cannot be written, recognised when
it still holds what a run published."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.outfolder import check_writable, published_digests


def test_writable_output_folders_pass_the_check(tmp_path: Path) -> None:
    check_writable(tmp_path / "new")                       # created when publishing
    check_writable(tmp_path / "a" / "b" / "c")             # and its parents
    (tmp_path / "old").mkdir()
    check_writable(tmp_path / "old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    assert list((tmp_path / "old").iterdir()) == []


@pytest.mark.parametrize("where, message", [
    ("file", r"^{tmp}/file exists and is not a folder$"),
    ("file/out", r"^{tmp}/file is not a folder$"),
    ("file/a/b/out", r"^{tmp}/file is not a folder$"),
    ("/proc/briefings", r"^files cannot be created there \(/proc\)$"),
])
def test_an_output_folder_that_cannot_be_written_is_refused_with_the_reason(tmp_path: Path, where: str,
                                                                            message: str) -> None:
    (tmp_path / "file").write_text("x")
    out = Path(where) if where.startswith("/") else tmp_path / where
    with pytest.raises(OSError, match=message.format(tmp=re.escape(str(tmp_path)))):
        check_writable(out)


def test_published_files_are_recognised_until_one_changes_or_goes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    files = ["documents.parquet", "metrics/part-00000.parquet", "metrics/part-00001.parquet", "manifest.json"]
    assert published_digests(out, files) is None
    (out / "metrics").mkdir()
    for name in files:
        (out / name).write_text(name)
    digests = published_digests(out, files)
    assert digests is not None and sorted(digests) == sorted(files) and len(set(digests.values())) == 4
    link = tmp_path / "link"
    link.symlink_to(out)
    assert published_digests(link, files) == digests               # a symlinked folder is where it points
    (out / "notes.txt").write_text("a file of the user's")
    assert published_digests(out, files) == digests
    (out / "metrics" / "part-00001.parquet").write_text("edited")
    assert published_digests(out, files) != digests
    (out / "metrics" / "part-00001.parquet").unlink()
    assert published_digests(out, files) is None
