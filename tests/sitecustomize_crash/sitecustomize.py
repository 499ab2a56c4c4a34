"""Test helper, put on PYTHONPATH by tests/test_robustness.py and tests/executors/test_ray.py
only: kiwipiepy aborts the process, as its issue 172 reports (an uncatchable std::length_error),
whenever a text it is given holds the abort marker below, and takes its time over a text that
holds the slow marker. Production code has no hook for this: the worker really dies."""
import os
import time

MARKER = "KIWI-ABORT-MARKER"
SLOW_MARKER = "KIWI-SLOW-MARKER"
SLOW_SECONDS = 3.0

try:
    import kiwipiepy
except ImportError:                       # not this environment's business
    kiwipiepy = None

if kiwipiepy is not None:
    _tokenize = kiwipiepy.Kiwi.tokenize

    def _aborting_tokenize(self, text, *args, **kwargs):
        texts = [text] if isinstance(text, str) else list(text)
        if any(isinstance(t, str) and MARKER in t for t in texts):
            os.abort()
        if any(isinstance(t, str) and SLOW_MARKER in t for t in texts):
            time.sleep(SLOW_SECONDS)
        return _tokenize(self, text if isinstance(text, str) else texts, *args, **kwargs)

    kiwipiepy.Kiwi.tokenize = _aborting_tokenize
