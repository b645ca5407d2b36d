"""Hypothesis strategies: random units for a compiled policy, with values each input accepts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from cchc_dsl import scoring
from cchc_dsl.api import CompiledPolicy
from cchc_dsl.compiler import attrs_values
from cchc_dsl.nodes import InputDecl, InputType

Record = dict[str, object]
Deadlines = list[tuple[datetime.date, tuple[int, ...]]]


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with at most `places` decimals, drawn as exact integers."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda i: Decimal(i) / scale)


def value_for(decl: InputDecl) -> st.SearchStrategy[object]:
    """A value of the input's type within its declared range, as a facts file would give it."""
    low = int(decl.low.value) if decl.low is not None else 0
    high = int(decl.high.value) if decl.high is not None else 1000
    if decl.type is InputType.YES_NO:
        return st.sampled_from(["có", "không", True, False])
    if decl.type is InputType.COUNT:
        return st.integers(low, high)
    if decl.type in {InputType.PERCENT, InputType.SURVEY}:
        return decimals(0, 100, 2).map(lambda d: f"{d}%")
    if decl.type is InputType.DATE:
        start = datetime.date(2023, 12, 1)
        return st.integers(0, 120).map(lambda d: (start + datetime.timedelta(days=d)).isoformat())
    if decl.type is InputType.POINTS:  # judged points: quarter steps within the declared range
        top = high if decl.high is not None else 2
        return st.integers(low * 4, top * 4).map(lambda q: str(Decimal(q) / 4))
    return decimals(low, high, 3).map(str)


@st.composite
def unit_record(draw: st.DrawFn, policy: CompiledPolicy, unit_id: str) -> Record:
    ast = policy.policy
    inputs: dict[str, object] = {}
    for decl in ast.inputs:
        # optional and defaulted inputs may be left out; a survey may be missing as a whole
        may_skip = decl.optional or decl.default is not None or decl.type is InputType.SURVEY
        if may_skip and draw(st.booleans()):
            continue
        value = draw(value_for(decl))
        if decl.type is not InputType.SURVEY and draw(st.integers(0, 4)) == 0:
            value = {"self": draw(value_for(decl)), "appraised": value}
        inputs[decl.name] = value
    leaves = [n.id for n in _leaves(ast.nodes)]
    evidence = {
        node_id: f"Văn bản số {i}/KH" for i, node_id in enumerate(leaves) if draw(st.booleans())
    }
    return _record(draw, policy, unit_id, inputs, evidence, max_tags=1)


def _record(
    draw: st.DrawFn,
    policy: CompiledPolicy,
    unit_id: str,
    inputs: dict[str, object],
    evidence: dict[str, str],
    max_tags: int,
) -> Record:
    """A unit record around its inputs and evidence: a drawn unit type and tags."""
    types = [d.name for d in policy.policy.unit_types if not d.is_tag]
    tags = [d.name for d in policy.policy.unit_types if d.is_tag]
    return {
        "unit": unit_id,
        "name": f"Đơn vị {unit_id}",
        "unit_type": draw(st.sampled_from(types)),
        "tags": draw(st.lists(st.sampled_from(tags), unique=True, max_size=max_tags))
        if tags
        else [],
        "inputs": inputs,
        "evidence": evidence,
    }


def units(policy: CompiledPolicy, max_size: int = 6) -> st.SearchStrategy[list[Record]]:
    return st.integers(1, max_size).flatmap(
        lambda size: st.tuples(*(unit_record(policy, f"u{i}") for i in range(size))).map(list)
    )


def _leaves(tree: tuple) -> list:  # type: ignore[type-arg]
    out = []
    for node in tree:
        out.extend(_leaves(node.children) if node.children else [node])
    return out


# --- facts for differential testing: valid values with their edges, and hostile text -------------

EDGE_TEXT = (
    "'",
    '"',
    "'''",
    '"""',
    "\\",
    "\\n",
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x00",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
    "\ud800",
    "__import__('os')",
    '"""; import os; """',
    "'''; import os; '''",
    "\\'; import os #",
    "# -*- coding: latin-1 -*-",
    "{}",
    "{0}",
    "%s",
    "ехес",  # Cyrillic look-alikes of exec
    "ｅｖａｌ",  # fullwidth look-alikes of eval
    "ﬁ",
    "Chỉ số",
)


def hostile_text() -> st.SearchStrategy[str]:
    """Text a policy could carry that would break naive code generation."""
    pieces = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=6))
    return st.lists(pieces, min_size=1, max_size=4).map("".join)


@attrs.frozen
class Hints:
    """What a policy's rules say about valid values beyond each input's type and range."""

    deadlines: Deadlines  # each deadline's due day, with its lateness steps in days
    ratios: tuple[tuple[str, str], ...]  # (a, b) where a rule divides a by b: a ≤ b
    scales: dict[str, tuple[Decimal, Decimal]]  # judged input → (step, least max)


def hints_for(policy: CompiledPolicy, year: int) -> Hints:
    deadlines: Deadlines = []
    ratios: dict[tuple[str, str], None] = {}
    scales: dict[str, tuple[Decimal, Decimal]] = {}
    for program in policy.programs.values():
        stack = [*program.nodes]
        rules: list[tuple[scoring.IRRule, Decimal | None]] = [
            (a.rule, None) for a in program.adjustments
        ]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.rule is not None:
                rules.append((node.rule, node.applicability.max_default))
        for rule, maximum in rules:
            if isinstance(rule, scoring.DeadlineRule):
                due = rule.due if isinstance(rule.due, datetime.date) else rule.due.on(year)
                deadlines.append((due, tuple(days for days, _ in rule.late)))
            if isinstance(rule, scoring.JudgedRule) and isinstance(rule.subject, scoring.Ref):
                top = min(maximum or Decimal(0), scales.get(rule.subject.name, (0, maximum))[1])
                scales[rule.subject.name] = (rule.step, top or Decimal(0))
            for expr in attrs_values(rule):
                ratios.update(dict.fromkeys(_divisions(expr)))
    return Hints(deadlines, tuple(ratios), scales)


def _divisions(expr: scoring.IRExpr) -> list[tuple[str, str]]:
    if not isinstance(expr, scoring.Op):
        return []
    found = [pair for arg in expr.args for pair in _divisions(arg)]
    left, right = expr.args[0], expr.args[-1]
    if expr.op == "/" and isinstance(left, scoring.Ref) and isinstance(right, scoring.Ref):
        found.append((left.name, right.name))
    return found


def edge_value(decl: InputDecl, k: int, hints: Hints) -> object:
    """The k-th value for an input: first its edges (0, a denominator; the bounds; a deadline's
    last day), then values spread over its range. One integer a value keeps the draws cheap
    (a unit of the Hà Nội policy has over a hundred inputs) and shrinks towards an edge."""
    low = int(decl.low.value) if decl.low is not None else 0
    high = int(decl.high.value) if decl.high is not None else 1000
    kind = decl.type
    if kind is InputType.YES_NO:
        return ["có", "không", True, False][k % 4]
    if kind is InputType.DATE:
        deadlines = hints.deadlines
        due, late = deadlines[k % len(deadlines)] if deadlines else (datetime.date(2024, 1, 31), ())
        edges = [0, -1, 1, *late, *(d + 1 for d in late)]
        offset = edges[k] if k < len(edges) else k % 161 - 40
        return (due + datetime.timedelta(days=offset)).isoformat()
    if kind in {InputType.PERCENT, InputType.SURVEY}:
        edges: list[object] = ["0%", "100%", "95%", 90]
        return edges[k] if k < len(edges) else f"{Decimal(k % 10001) / 100}%"
    if kind is InputType.COUNT:
        return [low, high][k] if k < 2 else low + k % (high - low + 1)
    if decl.name in hints.scales:  # judged points: on the criterion's scale
        step, top = hints.scales[decl.name]
        steps = int(min(top, decl.high.value if decl.high else top) / step)
        return str([0, steps][k] * step if k < 2 else k % (steps + 1) * step)
    if kind is InputType.POINTS:  # quarter steps
        top = high if decl.high is not None else 2
        return str([low, top][k] if k < 2 else Decimal(low * 4 + k % ((top - low) * 4 + 1)) / 4)
    return str([low, high][k] if k < 2 else low + Decimal(k % ((high - low) * 1000 + 1)) / 1000)


@st.composite
def edge_unit_record(draw: st.DrawFn, policy: CompiledPolicy, unit_id: str, hints: Hints) -> Record:
    """A valid unit: optional and defaulted inputs may be missing, and the survey as a whole;
    some values are appraised (now and then only appraised); where a rule divides one count by
    another, the first is at most the second; evidence given, blank or absent; up to two tags."""
    ast = policy.policy
    inputs: dict[str, object] = {}
    index = st.integers(0, 2**20)
    no_survey = draw(st.integers(0, 3)) == 3
    appraisal = draw(st.integers(0, 2))  # none; some values appraised; some only appraised
    for decl in ast.inputs:
        if decl.type is InputType.SURVEY and no_survey:
            continue
        shape = draw(st.integers(0, 11))
        if shape >= 10 and (decl.optional or decl.default is not None):
            continue
        value = edge_value(decl, draw(index), hints)
        if shape in (8, 9) and appraisal == 1:
            value = {"self": edge_value(decl, draw(index), hints), "appraised": value}
        elif shape == 9 and appraisal == 2:
            value = {"appraised": value}
        inputs[decl.name] = value
    for part, whole in hints.ratios:
        a, b = inputs.get(part), inputs.get(whole)
        if isinstance(a, int) and isinstance(b, int) and a > b:
            inputs[part] = b
    evidence = {}
    for node in _leaves(ast.nodes):
        given = draw(st.integers(0, 2))
        if given:
            evidence[node.id] = "Văn bản số 1/KH" if given == 1 else " "
    return _record(draw, policy, unit_id, inputs, evidence, max_tags=2)


def facts_document(
    policy: CompiledPolicy, year: int, max_units: int = 6
) -> st.SearchStrategy[dict[str, object]]:
    """A facts document `{"year", "units"}` of valid units for `policy`."""
    hints = hints_for(policy, year)
    unit = [edge_unit_record(policy, f"u{i}", hints) for i in range(max_units)]
    records = st.integers(1, max_units).flatmap(lambda size: st.tuples(*unit[:size]).map(list))
    return st.builds(lambda units: {"year": year, "units": units}, records)
