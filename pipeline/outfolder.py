"""The output folder: where it really is, whether a run can write it, and whether it still
holds what a run published. Kept apart from the table writer so that a run checks its
output folder without loading pyarrow (the workers are started before that import)."""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

TABLES = ("documents", "paragraphs", "metrics", "projects")
MANIFEST = "manifest.json"
# what a run publishes, in either layout (a file a table, or a folder of parts a table): a
# new run replaces all of these; anything else in the output folder is someone else's
OUTPUT_NAMES = frozenset([MANIFEST, *TABLES, *(f"{t}.parquet" for t in TABLES)])


def target(out: Path) -> Path:
    """The folder that is replaced: a symlinked output folder is replaced where it points."""
    out = out.absolute()
    return Path(os.path.realpath(out)) if out.is_symlink() else out


def check_writable(out: Path) -> None:
    """Fail before any work when the output folder (or the folder it goes in) cannot be
    written; the OSError's message says why in plain words."""
    out = target(out)
    if out.exists() and not out.is_dir():
        raise OSError(f"{out} exists and is not a folder")
    existing = out.parent                  # publish creates missing parents: the nearest one that exists
    while not existing.exists() and not existing.is_symlink() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OSError(f"{existing} is not a folder")
    try:
        tempfile.TemporaryDirectory(dir=existing, prefix=f".{out.name}.check-").cleanup()
    except OSError as exc:
        raise OSError(f"{_reason(exc)} ({existing})") from None
    if out.exists():
        try:
            tempfile.NamedTemporaryFile(dir=out, prefix=".write-check-", delete=True).close()
        except OSError as exc:
            raise OSError(f"{_reason(exc)} ({out})") from None


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.ENOENT:
        return "files cannot be created there"
    return (exc.strerror or str(exc)).lower()


def published_digests(out: Path, files: list[str]) -> dict[str, str] | None:
    """The sha256 of each of `files` (paths in `out`), None if one is missing or unreadable:
    what says that `out` still holds what a run published, unchanged."""
    try:
        return {name: file_sha256(target(out) / name) for name in files}
    except OSError:
        return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
