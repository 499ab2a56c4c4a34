"""Why a document failed, as users see it: one storable line naming the stage, the error
and the innermost place in the pipeline's own code (for a bug report)."""
from __future__ import annotations

import os

REASON_MAX_CHARS = 300


def one_line(reason: str) -> str:
    """A reason as users see it: one line, storable text, not endless."""
    line = " ".join(reason.split()) or "unknown error"
    line = line.encode("utf-8", "backslashreplace").decode("utf-8")
    return line if len(line) <= REASON_MAX_CHARS else line[:REASON_MAX_CHARS - 1] + "…"


def error_reason(stage: str, exc: BaseException) -> str:
    """`processing failed: IndexError: list index out of range (projects.py:171)`."""
    where = ""
    tb = exc.__traceback__
    remote = getattr(exc.__cause__, "tb", None)                 # from a worker process
    if isinstance(remote, str):
        places = [line.strip() for line in remote.splitlines() if "/pipeline/" in line and line.strip().startswith("File")]
        if places:
            parts = places[-1].split('"')
            line_no = places[-1].split("line ")[-1].split(",")[0]
            where = f" ({os.path.basename(parts[1])}:{line_no})" if len(parts) > 1 else ""
    local = ""
    while tb is not None:
        if f"{os.sep}pipeline{os.sep}" in tb.tb_frame.f_code.co_filename:
            local = f" ({os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno})"
        tb = tb.tb_next
    where = where or local
    message = str(exc).splitlines()[0] if str(exc).strip() else ""
    return f"{stage} failed: {type(exc).__name__}{': ' + message if message else ''}{where}"
