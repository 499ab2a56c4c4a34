"""Sentences and tokens: offsets into the stored text; skipped and chunked paths give the same rows."""
from __future__ import annotations

import pytest

from pipeline import morphology
from pipeline.examples import extract_text

TEXT = ("서대문구의 인구는 32만6,359명에서 32만6,479명으로 120명 증가했다. 구청장은 주민과 함께 하겠다고 말했다. "
        "먼저 신촌권역으로 ▷문화발전소 건립 ▷청년문화전진기지 건립이 추진된다. 2014. 12. 공사를 마쳤다.")


def test_token_and_sentence_offsets_point_into_the_text() -> None:
    (sentences,) = morphology.analyse([TEXT])
    assert [TEXT[s.start:s.end][:8] for s in sentences] == ["서대문구의 인구", "구청장은 주민과", "먼저 신촌권역으", "2014. 12"]
    for sentence in sentences:
        for token in sentence.tokens:
            assert sentence.start <= token.start < token.end <= sentence.end
            assert TEXT[token.start:token.end] == token.form or token.tag.startswith(("E", "V", "X", "J"))


def test_sentences_without_figures_or_markers_are_not_analysed() -> None:
    (sentences,) = morphology.analyse([TEXT], needed=lambda s: any(c.isdigit() or c == "▷" for c in s))
    assert [bool(s.tokens) for s in sentences] == [True, False, True, True]


def test_long_paragraph_in_windows_gives_the_same_rows(lex, monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = " ".join(TEXT.replace("32만6,479명", f"32만{6400 + k:,}명") for k in range(30))   # 30 figures, none said again
    whole = extract_text(paragraph, lex)
    monkeypatch.setattr(morphology, "WINDOW_CHARS", 120)
    assert max(b - a for a, b in morphology.rough_sentences(paragraph)) <= 120
    chunked = extract_text(paragraph, lex)
    assert [(m.char_start, m.value, m.subject) for m in chunked.metrics] == \
        [(m.char_start, m.value, m.subject) for m in whole.metrics]
    assert [(p.char_start, p.name) for p in chunked.projects] == [(p.char_start, p.name) for p in whole.projects]
    assert len(whole.metrics) == 30 and len(whole.projects) == 60


def test_the_stream_keeps_texts_apart_whatever_is_analysed() -> None:
    """Texts with nothing to analyse (first, between, last) still get their sentence spans,
    and every other text the tokens it gets on its own."""
    texts = ["구청장은 주민과 함께 하겠다고 말했다.", TEXT, "", "소식을 전했다. 예산은 3억원이다.", "끝으로 인사했다."]
    needed = lambda s: any(c.isdigit() or c == "▷" for c in s)      # noqa: E731
    streamed = list(morphology.analyse_stream(iter(texts), needed))
    alone = [morphology.analyse([text], needed)[0] for text in texts]
    assert streamed == alone
    assert [[bool(s.tokens) for s in sentences] for sentences in streamed] == \
        [[False], [True, False, True, True], [], [False, True], [False]]


def test_threads_give_the_tokens_of_the_calling_thread() -> None:
    texts = [TEXT, "예산은 3억원이다. " * 50, "▷도서관 건립 15억원"] * 20
    in_thread = morphology.analyse(texts)
    morphology.use_threads(2)
    try:
        threaded = morphology.analyse(texts)
    finally:
        morphology.use_threads(0)
    assert threaded == in_thread and sum(len(s.tokens) for t in threaded for s in t) > 1000


def test_one_thread_analyses_a_batch_ahead_and_gives_the_same_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """In one thread the analyser takes BATCH_CHARS of text before extraction gets the first
    results (each keeps the caches longer); the tokens are those of one text at a time."""
    texts = [TEXT, "예산은 3억원이다. " * 50, "▷도서관 건립 15억원"] * 20
    monkeypatch.setattr(morphology, "BATCH_CHARS", 1)
    one_by_one = morphology.analyse(texts)
    monkeypatch.setattr(morphology, "BATCH_CHARS", 10_000)
    pulled: list[int] = []

    def source():
        for k, text in enumerate(texts):
            pulled.append(k)
            yield text
    stream = morphology.analyse_stream(source())
    first = next(stream)
    assert len(pulled) > 20                        # a batch of about 10,000 characters was read ahead
    assert [first, *stream] == one_by_one


def test_a_recurring_piece_is_analysed_once_and_gets_its_own_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table row or heading said again (here in another text, at another offset) reuses the
    analysis of its first time: the same tokens, at its own offsets, not sent again."""
    row = "도서관 건립 15억원"
    said = "구청장은 주민과 함께 하겠다고 말했다."
    texts = [row, f"{said} {row}", "예산은 3억원이다."]
    monkeypatch.setattr(morphology, "_remembered", morphology._Remembered())
    sent_before = morphology.analyser_work()[1]
    needed = lambda s: any(c.isdigit() for c in s)      # noqa: E731
    together = morphology.analyse(texts, needed)
    sent = morphology.analyser_work()[1] - sent_before
    monkeypatch.setattr(morphology, "REMEMBERED_PIECE_CHARS", 0)
    alone = [morphology.analyse([text], needed)[0] for text in texts]
    assert together == alone
    assert [(t.form, t.start) for t in together[1][1].tokens][:2] == [("도서관", 22), ("건립", 26)]
    assert sent == len(row) + len("예산은 3억원이다.")


def test_only_short_pieces_are_remembered_and_only_up_to_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    remembered = morphology._Remembered()
    monkeypatch.setattr(morphology, "REMEMBERED_CHARS", 30)
    for k in range(4):
        remembered.keep(f"행 {k} 도서관 건립 15억원", morphology._Analysis())
    remembered.keep("가" * (morphology.REMEMBERED_PIECE_CHARS + 1), morphology._Analysis())
    assert list(remembered.pieces) == ["행 2 도서관 건립 15억원", "행 3 도서관 건립 15억원"]
    assert remembered.chars == 2 * len("행 2 도서관 건립 15억원")
