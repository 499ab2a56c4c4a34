"""Budget books: what the free text of a table says about the row or item above it.

A budget book's basis column (산출기초) holds the items of each row (`○ 경로당 운영비 지원`),
their amounts, funding shares (`국 227,928,454 분 6,228,407 시 51,341,772`, or `(국 29,765)`,
which a flattened page writes as `29,765` / `)` / `(국`) and calculations
(`28,800 X 1인 X 232일 = 6,682`, the result before or after a lone `=`, across line breaks).
A calculation is one metric, its result in the table's unit, and its factors its
`calculation` text; a share is a metric of its owner with the source in its subject.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.extract import cells as C
from pipeline.extract import metrics as M
from pipeline.extract import prose
from pipeline.extract.context import DocContext, add_metric
from pipeline.extract.layout import Span, Table
from pipeline.extract.numbers import Quantity, parse_quantities
from pipeline.extract.units import figure_value
from pipeline.lexicon import UnitForm
from pipeline.records import Paragraph, Project, Sentence

_FIGURE = r"[△-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?"
_TRAILING_AMOUNT = regex.compile(rf"(?:^|\s)({_FIGURE}\s*(?:원|천원|백만원)?)$")
_SPACES = regex.compile(r"\s+")
_DIGIT = regex.compile(r"\d")
_AMOUNT = regex.compile(rf"({_FIGURE})\s*(원|천원|백만원)?")
_FORMULA_START = regex.compile(rf"(?<![\w,.]){_FIGURE}\s*(?:[^\s\d]{{1,4}}\s*)?[xX×*]\s*\d")
_EQUALS_RESULT = regex.compile(rf"=\s*(?P<result>{_FIGURE})\s*(?P<unit>원|천원|백만원)?\s*$")
_SHARE = regex.compile(rf"\(?\s*(?P<word>[^\s\d(),=]{{1,5}})\s*(?P<value>{_FIGURE})\s*\)?\s*,?")
_OPEN_SOURCE = regex.compile(r"\(\s*([^\s\d()]{1,5})\s*$")           # `(국`, `(ⓧ`: a share's source, its figure above
_AMOUNT_HEADING = regex.compile(rf"\s*\[\s*(?P<name>[^\[\]]+?)\s*\]\s*(?P<amount>{_FIGURE}(?:\s*(?:원|천원|백만원))?)\s*")
_RATE_BEFORE = regex.compile(r"(?:율|률|비율)\s*[:：]?\s*$")
_MARKER = regex.compile(r"\s*(?:[○ㅇ◦●□■◆◇▶▷•·*※-]|\d{1,2}[.)])\s*")


@dataclass
class Owner:
    """What a share or an amount belongs to: the row or item read last."""
    subject: str
    label: str
    level: int | None = None
    project: Project | None = None
    amounts: set[float] = field(default_factory=set)


@dataclass
class _Pending:
    span: Span
    para: Paragraph
    text: str


class NoteReader:
    """The free text of one table, read in order."""

    def __init__(self, ctx: DocContext, table: Table, paragraphs: dict[int, tuple[Paragraph, list[Sentence]]],
                 unit: UnitForm | None) -> None:
        self.ctx, self.table, self.paragraphs, self.unit = ctx, table, paragraphs, unit
        self.owner: Owner | None = None
        self.item_level: int | None = None
        self.formula: _Pending | None = None        # factors waiting for their result
        self.waiting = False                         # a lone `=` waits for the figure after it
        self.figure: _Pending | None = None         # a lone figure: a result, a share or an amount
        self.bracket: _Pending | None = None        # a figure followed by `)`: a share, its source next
        self.source: str | None = None               # a line of only a funding source (`국`): a share, its figure next
        self.resolved = False                        # the last note was a formula's result: a lone `=` is its

    def row(self, owner: Owner) -> None:
        self.flush()
        self.owner, self.formula, self.waiting, self.item_level = owner, None, False, None

    def note(self, span: Span) -> None:
        para, sentences = self.paragraphs[span.para]
        text = para.text[span.start:span.end]
        t = text.strip()
        here = _Pending(span, para, t)
        if t == "=":
            if self.figure is not None:
                self._calculation(self.figure, self.formula)
                self.figure, self.formula = None, None
            elif not self.resolved:
                self.waiting = True
            self.resolved = False
            return
        self.resolved = False
        source, self.source = self.source, None
        if source is not None and _AMOUNT.fullmatch(t) and any(ch.isdigit() for ch in t):
            self._share(source, here)                    # `국` / `412,300`: one cell a line
            return
        if t in self.ctx.lex.funding_sources and self.owner is not None and self.formula is None:
            self.flush()
            self.source = t
            return
        if _AMOUNT.fullmatch(t) and any(ch.isdigit() for ch in t):
            if self.waiting or self.formula is not None and self.figure is None:
                self._calculation(here, self.formula)       # the figure under factors is their result,
                self.resolved = not self.waiting            # whether a lone `=` follows it or not
                self.waiting, self.formula = False, None
                return
            self.flush()
            self.figure = here
            return
        if t == ")" and self.figure is not None:
            self.bracket, self.figure = self.figure, None
            return
        opened = _OPEN_SOURCE.fullmatch(t)
        if opened and self.bracket is not None:
            self._share(opened.group(1), self.bracket)
            self.bracket = None
            return
        self.flush()
        self.waiting = False
        self._line(para, sentences, span)

    def flush(self) -> None:
        """A lone figure that was no result and no share: the amount of the item above it."""
        if self.figure is not None:
            self._amount(self.figure)
        self.figure = self.bracket = None

    # ------------------------------------------------------------ one line of free text

    def _line(self, para: Paragraph, sentences: list[Sentence], span: Span) -> None:
        text = para.text
        start, end = span.start, span.end
        shares = _shares(text, start, end, self.ctx)
        if shares and _RATE_BEFORE.search(text, start, shares[0][0]):
            shares = []                                  # (보조율 : 국비 5, 시비 2): rates, not amounts
        if shares and shares[0][0] == start + len(text[start:end]) - len(text[start:end].lstrip()):
            for _, word, value in shares:
                self._share(word, _Pending(value, para, text[value.start:value.end]))
            return
        heading = _AMOUNT_HEADING.fullmatch(text, start, end)
        if heading:                                      # [ 일 반 수 용 비 ]  38,400: a heading with its amount
            prose.read_line(self.ctx, para, start, heading.start("amount"), sentences)
            self.owner = Owner(C.clean_label(heading.group("name")), C.clean_label(heading.group("name")), None)
            self._emit(para, q, self.owner.subject, "table") if (q := self._quantity(
                _Pending(Span(span.para, heading.start("amount"), heading.end("amount")), para, ""))) else None
            return
        body_end = end
        result = _EQUALS_RESULT.search(text, start, end)
        equals = text.rfind("=", start, result.start("result") + 1) if result else -1
        formula = _FORMULA_START.search(text, start, equals if result else end)
        if result is not None:
            body_end = equals
        if formula is not None:
            body_end = min(body_end, formula.start())
        tail = _tail_start(text, start, body_end, shares, self.ctx)
        item_before = self.ctx.last_item
        calculates = formula is not None or result is not None
        if tail > start and text[start:tail].strip() and (
                not calculates or _MARKER.match(text, start) and not self._nested(text, start)):
            prose.read_line(self.ctx, para, start, tail, sentences)   # an item, a heading, prose
        opened = self.ctx.last_item is not item_before and self.ctx.last_item is not None \
            and self.ctx.last_item.para_idx == para.para_idx
        if opened:
            project = self.ctx.last_item
            self.owner = Owner(project.name, project.name, None, project)
            self.item_level = project.level
        label = None if opened else _label(text, start, body_end)
        if formula is not None or result is not None:
            factors_end = equals if result is not None else end
            self.formula = _Pending(Span(span.para, formula.start(), factors_end), para,
                                    text[formula.start():factors_end]) if formula is not None else None
            self.formula_label = label
            if result is not None:
                value = Span(span.para, result.start("result"),
                             result.end("unit") if result.group("unit") else result.end("result"))
                self._calculation(_Pending(value, para, text[value.start:value.end]), self.formula, label=label)
                self.formula = None
            elif text[start:end].rstrip().endswith("="):
                self.waiting = True
            return
        if tail < end:
            for a, b in _amounts(text, tail, shares[0][0] if shares else end):
                self._amount(_Pending(Span(span.para, a, b), para, text[a:b]))
            for _, word, value in shares:
                self._share(word, _Pending(value, para, text[value.start:value.end]))

    def _nested(self, text: str, start: int) -> bool:
        """A formula line under an item (`- 인건비 28,800 X 1인 X 232일`): part of the item."""
        marker = _MARKER.match(text, start)
        return bool(marker) and self.item_level is not None and _FORMULA_START.search(text, start) is not None \
            and not text[marker.start():marker.end()].strip().startswith(("○", "ㅇ", "□", "■"))

    # ------------------------------------------------------------ the rows it gives

    def _quantity(self, pending: _Pending, factors: _Pending | None = None) -> Quantity | None:
        text = pending.para.text
        q = next(iter(parse_quantities(text[:pending.span.end], self.ctx.lex)[-1:]), None)
        if q is None or q.start < pending.span.start - 1:
            return None
        if q.unit is None and self.unit is not None:
            won = self.ctx.lex.unit_by_form.get("원")
            prose.scale_bare(q, won if won is not None and factors is not None and _is_product(q.value, factors.text)
                             else self.unit)          # `3,128,300 X 3인 X 12월 = 112,619,000`: in won, as its factors
        if q.unit is None or q.category != "money" and self.unit is not None and self.unit.category == "money":
            return None
        return q

    def _calculation(self, result: _Pending, formula: _Pending | None, label: str | None = None) -> None:
        q = self._quantity(result, formula)
        if q is None:
            return
        factors = C.clean_label(_SPACES.sub(" ", formula.text)).strip(" =") if formula else None
        if label is None and formula is not None:
            label = getattr(self, "formula_label", None)
        owner = self.owner
        subject = label or (owner.subject if owner else None)
        if formula is not None:
            self._unit_prices(formula, subject, factors)
        self._emit(result.para, q, subject, "calculation", calculation=factors or None)

    def _unit_prices(self, formula: _Pending, subject: str | None, factors: str | None) -> None:
        """`1,300두 X 350,000원`, `9,471원 X 1인 X 30시간`: a factor written with a unit of money is
        a unit price (or a base amount), a row of its own beside the result."""
        text = formula.para.text
        for q in parse_quantities(text[:formula.span.end], self.ctx.lex):
            if q.start >= formula.span.start and q.unit is not None and q.category == "money" and not q.not_metric:
                self._emit(formula.para, q, subject, "unit_price", calculation=factors or None)

    def _share(self, word: str, value: _Pending) -> None:
        q = self._quantity(value)
        owner = self.owner
        if q is None or owner is None:
            return
        name = self.ctx.lex.funding_sources.get(word, (word, ""))
        if name[1]:
            q.rule_ids.append(name[1])
        self._emit(value.para, q, f"{owner.subject} {name[0]}", "share", column=name[0])

    def _amount(self, pending: _Pending) -> None:
        owner = self.owner
        if owner is None or owner.project is None:
            return
        q = self._quantity(pending)
        if q is None or q.value in owner.amounts:
            return
        self._emit(pending.para, q, owner.subject, "table")

    def _emit(self, para: Paragraph, q: Quantity, subject: str | None, kind: str, column: str | None = None,
              calculation: str | None = None) -> None:
        owner = self.owner
        if owner is not None:
            owner.amounts.add(q.value)
        obs = M.Observation(q, subject=subject)
        add_metric(self.ctx, para, obs, 0, para.text.strip(), owner.project if owner else None, kind,
                   table_id=self.table.number, row_label=owner.label if owner else None, column_label=column,
                   row_level=owner.level if owner else None, calculation=calculation,
                   unit_note=self.table.note.text if self.table.note and q.unit is not None else None)


_FACTOR = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _is_product(result: float, factors: str) -> bool:
    """The result is the product of its factors as written (rounded to a thousand at most),
    not that product in the table's thousands: the basis line is written in won."""
    product = 1.0
    for m in _FACTOR.finditer(factors.split("=")[0]):
        product *= float(m.group().replace(",", ""))
    return result >= 1000 and abs(product - result) <= max(500.0, result * 1e-4)


def _shares(text: str, start: int, end: int, ctx: DocContext) -> list[tuple[int, str, Span]]:
    """The funding shares that end text[start:end] (`국 6,088,000 시 1,304,571`, `(국 29,765)`):
    (where the pair starts, the source word, the figure)."""
    pairs: list[tuple[int, str, Span]] = []
    pos = end
    found = list(_SHARE.finditer(text, start, end))
    for m in reversed(found):
        if text[m.end():pos].strip(" ,)/"):                  # (도 16,000 / 시 16,000)
            break
        if m.group("word").strip("(") not in ctx.lex.funding_sources:
            break
        pairs.insert(0, (m.start(), m.group("word").strip("("), Span(-1, m.start("value"), m.end("value"))))
        pos = m.start()
    return pairs


def _tail_start(text: str, start: int, end: int, shares: list[tuple[int, str, Span]], ctx: DocContext) -> int:
    """Where the figures that end a line begin (amounts, then shares): `○종합사회복지관 운영비 지원
    982,500,000원 982,500 분 357,760 시 624,740` ends its name before 982,500,000원."""
    pos = min([end] + [a for a, _, _ in shares if a < end])
    while True:
        before = text[start:pos].rstrip()
        m = _TRAILING_AMOUNT.search(before)
        if not m:
            return pos
        pos = start + m.start(1)


def _amounts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _AMOUNT.finditer(text, start, end) if m.group(1)]


def _label(text: str, start: int, end: int) -> str | None:
    """The words of a formula line before its factors (`- 인건비 28,800 X …` → 인건비)."""
    words = _MARKER.sub("", text[start:end]).strip(" :=")
    words = _SPACES.sub(" ", words)
    return words if C.has_hangul(words) and not _DIGIT.search(words) else None
