"""Test helper, put on PYTHONPATH by tests/test_robustness.py only: kiwipiepy aborts the
process, as its issue 172 reports (an uncatchable std::length_error), whenever a text it is
given holds the marker below. Production code has no hook for this: the worker really dies."""
import os

MARKER = "KIWI-ABORT-MARKER"

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
        return _tokenize(self, text if isinstance(text, str) else texts, *args, **kwargs)

    kiwipiepy.Kiwi.tokenize = _aborting_tokenize
