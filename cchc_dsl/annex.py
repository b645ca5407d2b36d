"""A regulation's criteria table as its annex (phụ lục) prints it, for `cchc-dsl show`.

In: a checked `nodes.Policy` and, optionally, one unit type to show alone. Out: `AnnexRow`s, one
per field, criterion, sub-criterion, bonus and deduction, each with every unit type's max (a
parent's being the sum of its children's that apply), its scoring method worded in Vietnamese as
an annex words it, its citation and its applicability notes; and that table as text, GitHub
markdown, CSV or JSON, with the header block, totals, bonuses and deductions, bands and rounding.
Maxima are exact `Decimal` sums; JSON carries them as strings.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import textwrap
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TypeAlias

import attrs
from tabulate import tabulate

from cchc_dsl import nodes as n
from cchc_dsl.values import format_value

JSON_FORMAT = "cchc-dsl/annex/1"
NO_TAGS: frozenset[str] = frozenset()

KIND_WORDS = {
    n.NodeKind.FIELD: "lĩnh vực",
    n.NodeKind.CRITERION: "tiêu chí",
    n.NodeKind.SUB_CRITERION: "tiêu chí thành phần",
    n.AdjustmentKind.BONUS: "điểm cộng",
    n.AdjustmentKind.DEDUCTION: "điểm trừ",
}
ROUNDING_WORDS = {
    n.RoundingMode.HALF_UP: "nửa lên",
    n.RoundingMode.HALF_EVEN: "nửa chẵn",
    n.RoundingMode.DOWN: "cắt bỏ phần dư",
    n.RoundingMode.UP: "luôn làm tròn lên",
}
MISSING_SURVEY_WORDS = {
    n.MissingSurvey.RESCALE: "quy đổi phần thẩm định lên toàn thang điểm",
    n.MissingSurvey.ZERO: "phần điều tra xã hội học tính 0 điểm",
    n.MissingSurvey.ERROR: "báo lỗi, không chấm",
}
FULL_MAX = "điểm tối đa"


@attrs.frozen(slots=True)
class AnnexRow:
    """One line of the annex: a node or an adjustment, as the regulation's table shows it."""

    stt: str
    level: int
    kind: str
    title: str
    maxima: tuple[tuple[str, str], ...]  # (unit type, max as text or "" where it does not apply)
    method: str
    citation: str
    notes: tuple[str, ...]


# --- expressions, in the annex's words -----------------------------------------------------------

_OPERATOR_WORDS = {
    "and": "và",
    "or": "hoặc",
    "*": "×",
    "!=": "≠",
    "<=": "≤",
    ">=": "≥",
    "==": "=",
}
_PRECEDENCE = {"or": 1, "and": 2, "+": 5, "-": 5, "*": 6, "/": 6}
_NOT, _COMPARISON, _NEGATION, _ATOM = 3, 4, 7, 8


def date_text(value: datetime.date) -> str:
    """Dates as Vietnamese documents write them: 31/01/2024."""
    return value.strftime("%d/%m/%Y")


def expression_text(expr: n.Expr) -> str:
    """An expression with Vietnamese logic words and comparison symbols, minimally parenthesised."""
    if isinstance(expr, n.Number):
        return format_value(expr.value, expr.percent)
    if isinstance(expr, n.Boolean):
        return format_value(expr.value)
    if isinstance(expr, n.DateValue):
        return date_text(expr.value)
    if isinstance(expr, n.InputRef):
        return expr.name
    if isinstance(expr, n.NodeMax):
        return "tối đa"
    if isinstance(expr, n.HasTag):
        return f"nhãn {expr.name}"
    if isinstance(expr, n.Call):
        name = "tối thiểu" if expr.function == "min" else "tối đa"
        return f"{name}({', '.join(expression_text(a) for a in expr.args)})"
    if isinstance(expr, n.Unary):
        if expr.op == "-":
            return f"-{_operand(expr.operand, _NEGATION)}"
        return f"không {_operand(expr.operand, _NOT)}"
    return _binary_text(expr)


def _binary_text(expr: n.Binary) -> str:
    precedence = _precedence(expr)
    # comparisons do not chain, so a comparison inside one needs brackets on either side
    left_floor = precedence + 1 if precedence == _COMPARISON else precedence
    left = _operand(expr.left, left_floor)
    right = _operand(expr.right, precedence + 1)  # left-associative: a - (b - c) keeps them
    return f"{left} {_OPERATOR_WORDS.get(expr.op, expr.op)} {right}"


def _operand(expr: n.Expr, floor: int) -> str:
    text = expression_text(expr)
    return f"({text})" if _precedence(expr) < floor else text


def _precedence(expr: n.Expr) -> int:
    if isinstance(expr, n.Binary):
        return _PRECEDENCE.get(expr.op, _COMPARISON)
    if isinstance(expr, n.Unary):
        return _NEGATION if expr.op == "-" else _NOT
    return _ATOM


def _refs(expr: n.Expr) -> Iterator[str]:
    if isinstance(expr, n.InputRef):
        yield expr.name
    elif isinstance(expr, n.Unary):
        yield from _refs(expr.operand)
    elif isinstance(expr, n.Binary):
        yield from _refs(expr.left)
        yield from _refs(expr.right)
    elif isinstance(expr, n.Call):
        for arg in expr.args:
            yield from _refs(arg)


# --- the scoring method --------------------------------------------------------------------------


def describe_rule(rule: n.Rule, inputs: Mapping[str, n.InputDecl], maximum: str = FULL_MAX) -> str:
    """The rule as an annex's "phương pháp chấm điểm" says it; `maximum` is the node's max when it
    is one figure for every unit, else the words "điểm tối đa"."""
    if isinstance(rule, n.YesNo):
        return _with_subject(f"Có: {maximum}; Không: 0", rule.condition, "")
    if isinstance(rule, n.Proportional):
        return f"{_rate_words(rule.rate, inputs)} × điểm tối đa"
    if isinstance(rule, n.Steps):
        return _with_subject(_steps_text(rule.steps, rule.otherwise), rule.subject, "theo ")
    if isinstance(rule, n.Deadline):
        return _with_subject(_deadline_text(rule), rule.subject, "theo ")
    if isinstance(rule, n.Judged):
        return f"Hội đồng thẩm định chấm, từ 0 đến {maximum}, bước {_points(rule.step)}"
    if isinstance(rule, n.PerItem):
        item = _item_words(rule.subject, inputs)
        return f"{_points(rule.amount)} điểm/{item}, tối đa {maximum}"
    if isinstance(rule, n.Survey):
        return _survey_text(rule)
    low, high = expression_text(rule.low), expression_text(rule.high)
    return f"Công thức: {expression_text(rule.expr)} (giới hạn {low} .. {high})"


def _with_subject(text: str, subject: n.Expr, word: str) -> str:
    """A lone input is what the criterion's title already names; anything else is spelt out."""
    if isinstance(subject, n.InputRef):
        return text
    return f"{text} ({word}{expression_text(subject)})"


def _rate_words(rate: n.Expr, inputs: Mapping[str, n.InputDecl]) -> str:
    title = _input_title(rate, inputs)
    if title is None:
        text = expression_text(rate)
        return f"Tỷ lệ ({text})" if isinstance(rate, n.Binary) else f"Tỷ lệ {text}"
    if title.casefold().startswith("tỷ lệ"):
        return title  # "Tỷ lệ hồ sơ nộp trực tuyến", not "Tỷ lệ tỷ lệ …"
    return f"Tỷ lệ {_lower_first(title)}"


def _item_words(subject: n.Expr, inputs: Mapping[str, n.InputDecl]) -> str:
    """What one item is: "Số sáng kiến CCHC" counts "sáng kiến CCHC"."""
    title = _input_title(subject, inputs)
    if title is None:
        return expression_text(subject)
    for prefix in ("số lượng ", "số "):
        if title[: len(prefix)].casefold() == prefix and len(title) > len(prefix):
            title = title[len(prefix) :]
            break
    return _lower_first(title)


def _input_title(expr: n.Expr, inputs: Mapping[str, n.InputDecl]) -> str | None:
    """A lone input's declared title (its name if untitled); None for an expression."""
    if not isinstance(expr, n.InputRef):
        return None
    declared = inputs.get(expr.name)
    return declared.title if declared is not None and declared.title else expr.name


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless it starts an acronym such as TTHC."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _steps_text(steps: tuple[n.Step, ...], otherwise: Decimal | None) -> str:
    parts = [f"{_capitalise(interval_text(s.interval))}: {_points(s.points)}" for s in steps]
    if otherwise is not None:
        parts.append(f"Còn lại: {_points(otherwise)}")
    return "; ".join(parts)


def interval_text(interval: n.Interval) -> str:
    """Bounds in the words regulations use: "từ 90% đến dưới 95%", "trên 50%", "= 100%"."""
    if interval.equal is not None:
        return f"= {_bound_value(interval.equal)}"
    words: list[str] = []
    lower, upper = interval.lower, interval.upper
    if lower is not None:
        words.append(("từ " if lower.inclusive else "trên ") + _bound_value(lower.value))
    if upper is not None:
        word = "đến " if upper.inclusive else ("đến dưới " if lower is not None else "dưới ")
        words.append(word + _bound_value(upper.value))
    return " ".join(words)


def _bound_value(value: n.Number | n.DateValue) -> str:
    return date_text(value.value) if isinstance(value, n.DateValue) else expression_text(value)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _due_text(due: n.DateValue | n.DayOfYear) -> str:
    if isinstance(due, n.DateValue):
        return date_text(due.value)
    year = "năm sau" if due.years_after else "năm đánh giá"
    return f"{due.day:02d}/{due.month:02d} {year}"


def _deadline_text(rule: n.Deadline) -> str:
    parts = [f"Đúng hạn (đến ngày {_due_text(rule.due)}): {_points(rule.on_time)}"]
    parts.extend(f"trễ không quá {late.days} ngày: {_points(late.points)}" for late in rule.late)
    if rule.otherwise is not None:
        parts.append(f"còn lại: {_points(rule.otherwise)}")
    return "; ".join(parts)


def _survey_text(rule: n.Survey) -> str:
    if not rule.steps:
        return _with_subject("Điều tra xã hội học: tỷ lệ × điểm tối đa", rule.subject, "theo ")
    steps = _steps_text(rule.steps, rule.otherwise)
    return _with_subject(f"Điều tra xã hội học. {steps}", rule.subject, "theo ")


def _points(value: Decimal) -> str:
    return format_value(value)


def _outcome_text(clause: n.OutcomeClause) -> str:
    condition = expression_text(clause.condition)
    if clause.outcome is n.Outcome.NOT_DONE:
        return f"Chưa thực hiện ({condition}): 0"
    if clause.effect is n.NotApplicableEffect.EXCLUDED:
        return f"Không phát sinh ({condition}): loại khỏi điểm tối đa"
    return f"Không phát sinh ({condition}): đủ điểm"


def _method(item: n.Node | n.Adjustment, inputs: Mapping[str, n.InputDecl], maximum: str) -> str:
    """The rule, then what the outcome clauses, optional inputs and evidence add to it."""
    if item.rule is None:
        return ""
    parts = [describe_rule(item.rule, inputs, maximum)]
    parts.extend(_outcome_text(clause) for clause in item.outcomes)
    parts.extend(_optional_inputs_text(item, inputs))
    if isinstance(item, n.Node) and item.evidence_required:
        parts.append("Phải có tài liệu kiểm chứng")
    return "; ".join(parts)


def _optional_inputs_text(
    item: n.Node | n.Adjustment, inputs: Mapping[str, n.InputDecl]
) -> list[str]:
    """An optional input left out means the task was not done: the annex says so."""
    assert item.rule is not None
    names = [name for expr in _rule_exprs(item.rule) for name in _refs(expr)]
    names += [name for clause in item.outcomes for name in _refs(clause.condition)]
    out = []
    for name in dict.fromkeys(names):
        declared = inputs.get(name)
        if declared is not None and declared.optional:
            what = _lower_first(declared.title) if declared.title else name
            out.append(f"Chưa thực hiện (không có {what}): 0")
    return out


def _rule_exprs(rule: n.Rule) -> tuple[n.Expr, ...]:
    if isinstance(rule, n.YesNo):
        return (rule.condition,)
    if isinstance(rule, n.Proportional):
        return (rule.rate,)
    if isinstance(rule, n.Formula):
        return (rule.expr, rule.low, rule.high)
    return (rule.subject,)


# --- maxima per unit type and tag ----------------------------------------------------------------

Item: TypeAlias = n.Node | n.Adjustment


def _applies(header: n.Header, unit_type: str, tags: frozenset[str]) -> bool:
    """The compiler's and evaluator's reading of `only` and `except`, for one kind of unit."""
    if unit_type in header.excluded or tags.intersection(header.excluded):
        return False
    return not header.only or unit_type in header.only or bool(tags.intersection(header.only))


def _leaf_max(header: n.Header, unit_type: str, tags: frozenset[str]) -> Decimal | None:
    """A tag's max wins over a unit type's, which wins over the default."""
    for wanted in (tags, frozenset({unit_type})):
        for entry in header.maxima:
            if wanted.intersection(entry.applies_to):
                return entry.points
    return next((e.points for e in header.maxima if not e.applies_to), None)


def _item_max(item: Item, unit_type: str, tags: frozenset[str]) -> Decimal | None:
    """None where the item does not apply; a parent's max is the sum of its children's."""
    if not _applies(item.header, unit_type, tags):
        return None
    if isinstance(item, n.Adjustment) or not item.children:
        return _leaf_max(item.header, unit_type, tags)
    found = [m for m in (_item_max(c, unit_type, tags) for c in item.children) if m is not None]
    return sum(found, Decimal(0)) if found else None


MaxOf: TypeAlias = Callable[[str, frozenset[str]], Decimal | None]


@attrs.frozen(slots=True)
class _View:
    """The columns shown (every unit type, or the one asked for) and the tags declared."""

    policy: n.Policy
    columns: tuple[n.UnitTypeDecl, ...]
    tags: tuple[str, ...]
    unit_type: str | None  # the one asked for, if any

    def kinds_of_unit(self) -> Iterator[tuple[str, frozenset[str]]]:
        """Each column's plain unit and the same unit carrying one tag."""
        for column in self.columns:
            yield column.name, NO_TAGS
            for tag in self.tags:
                yield column.name, frozenset({tag})

    def shows(self, max_of: MaxOf) -> bool:
        return any(max_of(t, tags) is not None for t, tags in self.kinds_of_unit())


def _view(policy: n.Policy, unit_type: str | None) -> _View:
    types = tuple(d for d in policy.unit_types if not d.is_tag)
    if unit_type is not None:
        types = tuple(d for d in types if d.name == unit_type)
        if not types:
            known = ", ".join(d.name for d in policy.unit_types if not d.is_tag)
            raise ValueError(f"unknown unit type {unit_type!r}; the regulation declares: {known}")
    tags = tuple(d.name for d in policy.unit_types if d.is_tag)
    return _View(policy, types, tags, unit_type)


def _max_of(item: Item, ancestors: tuple[n.Header, ...]) -> MaxOf:
    """The item's max for a kind of unit, None when it or a parent of it does not apply."""

    def max_of(unit_type: str, tags: frozenset[str]) -> Decimal | None:
        if not all(_applies(h, unit_type, tags) for h in ancestors):
            return None
        return _item_max(item, unit_type, tags)

    return max_of


def _max_text(value: Decimal | None) -> str:
    return "" if value is None else _points(value)


def _tag_notes(view: _View, max_of: MaxOf, ruled_out: frozenset[str]) -> list[str]:
    """Where a tag changes the max, "dac_thu: 2"; per unit type when the types disagree."""
    notes = []
    for tag in view.tags:
        if tag in ruled_out:
            continue  # "trừ dac_thu" already says it
        tagged: dict[str, Decimal | None] = {}
        changed: dict[str, Decimal | None] = {}
        for column in view.columns:
            plain, with_tag = max_of(column.name, NO_TAGS), max_of(column.name, frozenset({tag}))
            if plain is None and with_tag is None:
                continue
            tagged[column.name] = with_tag
            if with_tag != plain:
                changed[column.name] = with_tag
        if changed:
            notes.append(_tag_note(tag, tagged, changed))
    return notes


def _tag_note(
    tag: str, tagged: dict[str, Decimal | None], changed: dict[str, Decimal | None]
) -> str:
    values = {value or Decimal(0) for value in tagged.values()}
    if len(values) == 1:
        return f"{tag}: {_points(values.pop())}"
    per_type = ", ".join(f"{_points(value or Decimal(0))} ({t})" for t, value in changed.items())
    return f"{tag}: {per_type}"


def _header_notes(header: n.Header) -> list[str]:
    notes = []
    if header.only:
        notes.append("chỉ " + ", ".join(header.only))
    if header.excluded:
        notes.append("trừ " + ", ".join(header.excluded))
    return notes


def _method_maximum(view: _View, max_of: MaxOf) -> str:
    """The max in the method's words when every unit shares it, else "điểm tối đa"."""
    values = {max_of(t, tags) for t, tags in view.kinds_of_unit()} - {None}
    if len(values) == 1:
        only = values.pop()
        assert only is not None
        return _points(only)
    return FULL_MAX


# --- rows ----------------------------------------------------------------------------------------


def annex_rows(policy: n.Policy, unit_type: str | None = None) -> tuple[AnnexRow, ...]:
    """Every node, parents first, then every bonus and deduction; with `unit_type`, only what
    applies to some unit of that type (plain or tagged), and only its max column."""
    view = _view(policy, unit_type)
    inputs = {d.name: d for d in policy.inputs}
    rows: list[AnnexRow] = []
    for node, level, ancestors in _walk(policy.nodes, 0, ()):
        max_of = _max_of(node, ancestors)
        if view.shows(max_of):
            rows.append(_row(node, level, ancestors, max_of, view, inputs, ()))
    for adjustment, group in _adjustments(policy):
        max_of = _max_of(adjustment, ())
        if view.shows(max_of):
            extra = _adjustment_notes(adjustment, group)
            rows.append(_row(adjustment, 0, (), max_of, view, inputs, extra))
    return tuple(rows)


def _walk(
    nodes: tuple[n.Node, ...], level: int, ancestors: tuple[n.Header, ...]
) -> Iterator[tuple[n.Node, int, tuple[n.Header, ...]]]:
    for node in nodes:
        yield node, level, ancestors
        yield from _walk(node.children, level + 1, (*ancestors, node.header))


def _adjustments(policy: n.Policy) -> Iterator[tuple[n.Adjustment, n.AdjustmentGroup | None]]:
    for item in policy.adjustments:
        if isinstance(item, n.AdjustmentGroup):
            for member in item.members:
                yield member, item
        else:
            yield item, None


def _row(
    item: Item,
    level: int,
    ancestors: tuple[n.Header, ...],
    max_of: MaxOf,
    view: _View,
    inputs: Mapping[str, n.InputDecl],
    extra: tuple[str, ...],
) -> AnnexRow:
    ruled_out = frozenset(tag for header in (*ancestors, item.header) for tag in header.excluded)
    notes = [
        *_header_notes(item.header),
        *_tag_notes(view, max_of, ruled_out),
        *item.notes,
        *extra,
    ]
    return AnnexRow(
        stt=item.id,
        level=level,
        kind=KIND_WORDS[item.kind],
        title=item.title,
        maxima=tuple((c.name, _max_text(max_of(c.name, NO_TAGS))) for c in view.columns),
        method=_method(item, inputs, _method_maximum(view, max_of)),
        citation=item.header.citation or "",
        notes=tuple(notes),
    )


def _adjustment_notes(item: n.Adjustment, group: n.AdjustmentGroup | None) -> tuple[str, ...]:
    verb = "cộng" if item.kind is n.AdjustmentKind.BONUS else "trừ"
    if item.target.kind == "index":
        where = "vào chỉ số (sau khi quy ra %)"
    elif item.target.kind == "node":
        where = f"vào mục {item.target.node_id}"
    else:
        where = "vào tổng điểm"
    notes = [f"{verb} {where}"]
    if group is not None:
        notes.append(f"nhóm «{group.title}»: cả nhóm tối đa {_points(group.cap)}")
    return tuple(notes)


# --- totals, bands and the index -----------------------------------------------------------------


@attrs.frozen(slots=True)
class _Total:
    maxima: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def _total(view: _View) -> _Total:
    """The max of the whole table per unit type, and what tags make of it."""

    def max_of(unit_type: str, tags: frozenset[str]) -> Decimal | None:
        found = [_item_max(node, unit_type, tags) for node in view.policy.nodes]
        values = [m for m in found if m is not None]
        return sum(values, Decimal(0)) if values else None

    maxima = tuple((c.name, _max_text(max_of(c.name, NO_TAGS))) for c in view.columns)
    return _Total(maxima, tuple(_tag_notes(view, max_of, frozenset())))


def _band_tables(view: _View) -> tuple[n.BandTable, ...]:
    """All tables, or the one the compiler picks for the unit type shown."""
    if view.unit_type is None:
        return view.policy.bands
    tables = view.policy.bands
    return tuple(t for t in tables if not t.unit_types or view.unit_type in t.unit_types)[:1]


def _band_title(table: n.BandTable, policy: n.Policy) -> str:
    if not table.unit_types:
        return "Xếp loại"
    titles = {d.name: d.title or d.name for d in policy.unit_types}
    return f"Xếp loại ({'; '.join(titles.get(t, t) for t in table.unit_types)})"


def _index_rules(policy: n.Policy) -> list[str]:
    """How the index is made from the table: rounding, the total's bounds, the survey's share."""
    lines = []
    if policy.rounding is not None:
        rounding = policy.rounding
        lines.append(
            "Chỉ số = tổng điểm ÷ điểm tối đa của đơn vị × 100, "
            f"làm tròn một lần đến {rounding.places} chữ số thập phân "
            f"({ROUNDING_WORDS[rounding.mode]})"
        )
    lines.append(f"Tổng điểm sau điểm cộng, điểm trừ: {_clamp_text(policy.clamp)}")
    if policy.survey is not None:
        lines.extend(_survey_lines(policy.survey))
    return lines


def _clamp_text(clamp: n.Clamp | None) -> str:
    low, high = (
        (clamp.low, clamp.high) if clamp is not None else (n.Number(Decimal(0)), n.NodeMax())
    )
    if low is None and high is None:
        return "không giới hạn"
    parts = [
        "không giới hạn dưới" if low is None else f"từ {_clamp_bound(low)}",
        "không giới hạn trên" if high is None else f"đến {_clamp_bound(high)}",
    ]
    return (" " if low is not None and high is not None else ", ").join(parts)


def _clamp_bound(value: n.Number | n.NodeMax) -> str:
    return FULL_MAX if isinstance(value, n.NodeMax) else expression_text(value)


def _survey_lines(survey: n.SurveySpec) -> list[str]:
    """With a weight, the criteria maxima above are not the scale: say how the parts combine."""
    lines = []
    if survey.weight is not None and survey.scale is not None:
        weight, scale = survey.weight, survey.scale
        lines.append(
            f"Điều tra xã hội học chiếm {_points(weight)} trên {_points(scale)} điểm: tổng điểm"
            f" = điểm thẩm định ÷ điểm tối đa thẩm định × {_points(scale - weight)}"
            f" + điểm điều tra ÷ điểm tối đa điều tra × {_points(weight)}"
        )
    lines.append(f"Khi thiếu kết quả điều tra xã hội học: {MISSING_SURVEY_WORDS[survey.missing]}")
    return lines


def _heading(policy: n.Policy) -> list[str]:
    meta = policy.metadata
    lines = ["PHỤ LỤC", meta.title]
    issued = _issued_text(meta)
    if issued:
        lines.append(f"({issued})")
    return lines


def _issued_text(meta: n.Metadata) -> str:
    words = [f"Kèm theo Quyết định số {meta.decision}" if meta.decision else "Ban hành"]
    if meta.issued is not None:
        words.append(f"ngày {date_text(meta.issued)}")
    if meta.issuer:
        words.append(f"của {meta.issuer}")
    return " ".join(words) if len(words) > 1 or meta.decision else ""


def _facts(policy: n.Policy) -> list[tuple[str, str]]:
    """The header block's labelled lines: legal basis, dates in force, amendments, tags."""
    meta = policy.metadata
    out = []
    if meta.based_on:
        out.append(("Căn cứ", "; ".join(meta.based_on)))
    force = []
    if meta.effective is not None:
        force.append(f"từ {date_text(meta.effective)}")
    if meta.until is not None:
        force.append(f"hết hiệu lực từ {date_text(meta.until)}")
    if force:
        out.append(("Hiệu lực", "; ".join(force)))
    if meta.amended_by:
        out.append(("Sửa đổi, bổ sung bởi", "; ".join(meta.amended_by)))
    out.extend(("Ghi chú", note) for note in meta.notes)
    for decl in policy.unit_types:
        if decl.is_tag:
            out.append((f"Nhãn {decl.name}", decl.title or decl.name))
    return out


# --- the annex as tables, shared by text and markdown --------------------------------------------

HEADER_STT = "STT"
HEADER_TITLE = "Nội dung"
HEADER_METHOD = "Phương pháp chấm điểm"
HEADER_CITATION = "Căn cứ"
HEADER_NOTES = "Ghi chú"
TOTAL = "Tổng"


@attrs.frozen(slots=True)
class _Line:
    """A table row's cells, its depth (indents the title) and whether annexes set it in bold."""

    cells: tuple[str, ...]
    level: int = 0
    bold: bool = False


@attrs.frozen(slots=True)
class _Table:
    headers: tuple[str, ...]
    lines: tuple[_Line, ...]
    align: tuple[str, ...]


@attrs.frozen(slots=True)
class _Annex:
    heading: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    criteria: _Table
    adjustments: _Table | None
    bands: tuple[tuple[str, _Table], ...]
    index_rules: tuple[str, ...]


def _annex(policy: n.Policy, unit_type: str | None) -> _Annex:
    view = _view(policy, unit_type)
    rows = annex_rows(policy, unit_type)
    nodes = [r for r in rows if r.kind not in _ADJUSTMENT_KINDS]
    adjustments = [r for r in rows if r.kind in _ADJUSTMENT_KINDS]
    total = _total(view)
    criteria = _table(view, nodes, total)
    return _Annex(
        heading=tuple(_heading(policy)),
        facts=tuple(_facts(policy)),
        criteria=criteria,
        adjustments=_table(view, adjustments, None) if adjustments else None,
        bands=tuple((_band_title(t, policy), _bands_table(t)) for t in _band_tables(view)),
        index_rules=tuple(_index_rules(policy)),
    )


_ADJUSTMENT_KINDS = {KIND_WORDS[n.AdjustmentKind.BONUS], KIND_WORDS[n.AdjustmentKind.DEDUCTION]}


def _table(view: _View, rows: list[AnnexRow], total: _Total | None) -> _Table:
    headers = (
        HEADER_STT,
        HEADER_TITLE,
        *(f"Điểm tối đa ({c.title or c.name})" for c in view.columns),
        HEADER_METHOD,
        HEADER_CITATION,
        HEADER_NOTES,
    )
    lines = [
        _Line(
            (r.stt, r.title, *(m for _, m in r.maxima), r.method, r.citation, "; ".join(r.notes)),
            r.level,
            bold=r.kind == KIND_WORDS[n.NodeKind.FIELD],
        )
        for r in rows
    ]
    if total is not None:
        cells = ("", TOTAL, *(m for _, m in total.maxima), "", "", "; ".join(total.notes))
        lines.append(_Line(cells, bold=True))
    align = ("left", "left", *("right" for _ in view.columns), "left", "left", "left")
    return _Table(headers, tuple(lines), align)


def _bands_table(table: n.BandTable) -> _Table:
    lines = tuple(_Line((band.name, interval_text(band.interval))) for band in table.bands)
    return _Table(("Xếp loại", "Chỉ số CCHC"), lines, ("left", "left"))


# --- text ----------------------------------------------------------------------------------------

_TEXT_WIDTHS = {HEADER_TITLE: 40, HEADER_METHOD: 48, HEADER_CITATION: 18, HEADER_NOTES: 28}
_INDENT = "  "
_MAX_HEADER_WIDTH = 16


def annex_text(policy: n.Policy, unit_type: str | None = None) -> str:
    """The annex for a terminal: the header block, then tables with wrapped, indented cells."""
    annex = _annex(policy, unit_type)
    parts = ["\n".join(annex.heading)]
    if annex.facts:
        parts.append("\n".join(f"{label}: {value}" for label, value in annex.facts))
    parts.append(_text_table(annex.criteria))
    if annex.adjustments is not None:
        parts.append("Điểm cộng, điểm trừ\n\n" + _text_table(annex.adjustments))
    for title, bands in annex.bands:
        parts.append(f"{title}\n\n{_text_table(bands)}")
    parts.append("Cách tính\n\n" + "\n".join(f"- {line}" for line in annex.index_rules))
    return "\n\n".join(parts) + "\n"


def _text_table(table: _Table) -> str:
    rows = [_text_row(table, line) for line in table.lines]
    headers = [_text_header(h) for h in table.headers]
    return tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        colalign=table.align,
        preserve_whitespace=True,
    )


def _text_header(header: str) -> str:
    """The unit type's title under "Điểm tối đa", wrapped, to keep the max columns narrow."""
    head, _, title = header.partition(" (")
    if head != "Điểm tối đa" or not title:
        return header
    return "\n".join([head, *textwrap.wrap(f"({title}", _MAX_HEADER_WIDTH)])


def _text_row(table: _Table, line: _Line) -> list[str]:
    cells = []
    for header, cell in zip(table.headers, line.cells, strict=True):
        width = _TEXT_WIDTHS.get(header)
        indent = _INDENT * line.level if header == HEADER_TITLE else ""
        if width is None or not cell:
            cells.append(indent + cell)
            continue
        lines = textwrap.wrap(cell, width, initial_indent=indent, subsequent_indent=indent)
        cells.append("\n".join(lines))
    return cells


# --- markdown ------------------------------------------------------------------------------------


def annex_markdown(policy: n.Policy, unit_type: str | None = None) -> str:
    """The annex as GitHub markdown: a heading, a list of facts, pipe tables; fields in bold."""
    annex = _annex(policy, unit_type)
    title, *rest = annex.heading
    subtitle, *issued = rest
    parts = [f"# {title}", "\n\n".join([f"**{subtitle}**", *(f"*{line}*" for line in issued)])]
    if annex.facts:
        parts.append("\n".join(f"- {label}: {_md_cell(value)}" for label, value in annex.facts))
    parts.append(_md_table(annex.criteria))
    if annex.adjustments is not None:
        parts.append("## Điểm cộng, điểm trừ\n\n" + _md_table(annex.adjustments))
    for band_title, bands in annex.bands:
        parts.append(f"## {band_title}\n\n{_md_table(bands)}")
    parts.append("## Cách tính\n\n" + "\n".join(f"- {line}" for line in annex.index_rules))
    return "\n\n".join(parts) + "\n"


def _md_table(table: _Table) -> str:
    rows = [
        [
            _md_bold(_md_cell(cell)) if line.bold and header == HEADER_TITLE else _md_cell(cell)
            for header, cell in zip(table.headers, line.cells, strict=True)
        ]
        for line in table.lines
    ]
    headers = [_md_cell(h) for h in table.headers]
    return tabulate(
        rows, headers=headers, tablefmt="github", disable_numparse=True, colalign=table.align
    )


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_bold(text: str) -> str:
    return f"**{text}**" if text else text


# --- CSV and JSON --------------------------------------------------------------------------------


def annex_csv(policy: n.Policy, unit_type: str | None = None) -> str:
    """One line per `AnnexRow`, one max column per unit type; notes joined with "; "."""
    view = _view(policy, unit_type)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    maxima = [f"max_{c.name}" for c in view.columns]
    writer.writerow(["stt", "level", "kind", "title", *maxima, "method", "citation", "notes"])
    for row in annex_rows(policy, unit_type):
        values = [m for _, m in row.maxima]
        notes = "; ".join(row.notes)
        writer.writerow(
            [row.stt, str(row.level), row.kind, row.title, *values, row.method, row.citation, notes]
        )
    return out.getvalue()


def annex_json(policy: n.Policy, unit_type: str | None = None) -> str:
    return json.dumps(annex_dict(policy, unit_type), ensure_ascii=False, indent=2) + "\n"


def annex_dict(policy: n.Policy, unit_type: str | None = None) -> dict[str, object]:
    """The annex as JSON-ready data; maxima are exact decimal strings, null where not applicable."""
    view = _view(policy, unit_type)
    total = _total(view)
    return {
        "format": JSON_FORMAT,
        "regulation": _metadata_dict(policy.metadata),
        "unit_types": [{"name": c.name, "title": c.title} for c in view.columns],
        "tags": [{"name": d.name, "title": d.title} for d in policy.unit_types if d.is_tag],
        "rows": [_row_dict(row) for row in annex_rows(policy, unit_type)],
        "total": {"maxima": _maxima_dict(total.maxima), "notes": list(total.notes)},
        "bands": [_bands_dict(table) for table in _band_tables(view)],
        "rounding": _rounding_dict(policy.rounding),
        "index_rules": _index_rules(policy),
    }


def _metadata_dict(meta: n.Metadata) -> dict[str, object]:
    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "title": meta.title,
        "decision": meta.decision,
        "issued": day(meta.issued),
        "issuer": meta.issuer,
        "based_on": list(meta.based_on),
        "effective": day(meta.effective),
        "until": day(meta.until),
        "amended_by": list(meta.amended_by),
        "notes": list(meta.notes),
    }


def _maxima_dict(maxima: tuple[tuple[str, str], ...]) -> dict[str, str | None]:
    return {name: value or None for name, value in maxima}


def _row_dict(row: AnnexRow) -> dict[str, object]:
    return {
        "stt": row.stt,
        "level": row.level,
        "kind": row.kind,
        "title": row.title,
        "maxima": _maxima_dict(row.maxima),
        "method": row.method,
        "citation": row.citation or None,
        "notes": list(row.notes),
    }


def _bands_dict(table: n.BandTable) -> dict[str, object]:
    return {
        "unit_types": list(table.unit_types),
        "bands": [
            {"name": band.name, "index": interval_text(band.interval), **_bounds(band.interval)}
            for band in table.bands
        ],
    }


def _bounds(interval: n.Interval) -> dict[str, object]:
    """Each bound as written ("80%") with its inclusivity, so no reader has to parse words."""

    def bound(value: n.Bound | None) -> dict[str, object] | None:
        if value is None:
            return None
        return {"value": _bound_value(value.value), "inclusive": value.inclusive}

    equal = _bound_value(interval.equal) if interval.equal is not None else None
    return {"lower": bound(interval.lower), "upper": bound(interval.upper), "equal": equal}


def _rounding_dict(rounding: n.Rounding | None) -> dict[str, object] | None:
    if rounding is None:
        return None
    return {"mode": rounding.mode.value, "places": rounding.places}
