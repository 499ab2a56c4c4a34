"""Test helper, put on PYTHONPATH by tests/test_run.py only: every process that reads a rules
folder appends its process id to the file named by BRIEFING_RULES_LOG, so that the test sees
which processes of a run loaded the rules."""
import os

LOG = os.environ.get("BRIEFING_RULES_LOG")

if LOG:
    import pipeline.rules

    _load_dir = pipeline.rules.load_dir

    def _logged(folder):
        with open(LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return _load_dir(folder)

    pipeline.rules.load_dir = _logged
