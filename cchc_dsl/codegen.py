"""A compiled policy → the source of a standalone Python scorer (standard library only).

`generate_module` writes straight-line code: one function per criterion and adjustment, one per
unit type that calls them in tree order, Decimal constants made once at import. The fixed part
(reading facts, totals, ranking) is `scorer_runtime`, copied verbatim. Nothing the policy says
becomes code: every string reaches the output through `repr()`, a sanitised comment or docstring
line, or an ASCII identifier made from it and made unique. Same policy, same bytes.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import functools
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.api import CompiledPolicy, ScoreReport
from cchc_dsl.compiler import attrs_values
from cchc_dsl.evaluate import ROUNDING
from cchc_dsl.results import Evaluation

RUNTIME_MARK = "# --- runtime ---\n"
_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ARITHMETIC = {"+", "-", "*", "/"}
_BOOLEAN_OPS = {"and", "or", "not", *_COMPARE}


def generate_module(compiled: CompiledPolicy) -> str:
    """The scorer's source for every unit type of `compiled`; see the generated docstring."""
    return _Writer(compiled).module()


@functools.cache
def runtime_source() -> str:
    """The fixed part of every scorer: `scorer_runtime` below its marker line."""
    text = resources.files("cchc_dsl").joinpath("scorer_runtime.py").read_text(encoding="utf-8")
    return text.split(RUNTIME_MARK, 1)[1]


def as_plain(report: ScoreReport) -> dict[str, Any]:
    """The interpreter's results in the generated scorer's shape, to compare the two."""
    return {
        "blocks": [
            {"title": block.title, "units": [u.unit for u in block.units]}
            for block in report.blocks
        ],
        "units": [
            {
                "unit": u.unit,
                "name": u.name,
                "unit_type": u.unit_type,
                "tags": u.tags,
                "block": u.block,
                "rank": u.rank,
                "official": _plain_view(u.official),
                "self_assessed": _plain_view(u.self_assessed) if u.self_assessed else None,
            }
            for u in report.units
        ],
    }


def _plain_view(view: Evaluation) -> dict[str, Any]:
    nodes = {
        r.id: {
            "points": r.points,
            "max": r.max,
            "outcome": r.outcome.value,
            "effect": r.effect.value if r.effect else None,
        }
        for top in view.nodes
        for r in top.walk()
    }
    adjustments = {
        a.id: {
            "kind": a.kind.value,
            "target": a.target,
            "amount": a.amount,
            "raw": a.raw,
            "cap": a.cap,
            "outcome": a.outcome.value,
        }
        for a in view.adjustments
    }
    totals = attrs.asdict(view, recurse=False, filter=lambda a, _: a.name in _TOTALS)
    return {"nodes": nodes, "adjustments": adjustments, **totals}


_TOTALS = (
    "appraisal_points",
    "appraisal_max",
    "survey_points",
    "survey_max",
    "survey_status",
    "points",
    "max",
    "index",
    "index_rounded",
    "band",
)


FIXED_NAMES = frozenset(
    {"TITLE", "DECISION", "YEAR", "UNIT_TYPES", "NODES", "_INPUTS", "_DEFAULTS", "_SPEC", "score"}
)


@functools.cache
def runtime_names() -> frozenset[str]:
    """Every name the runtime defines at its top level."""
    names: set[str] = set()
    for statement in ast.parse(runtime_source()).body:
        if isinstance(statement, ast.FunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in statement.names)
    return frozenset(names)


# --- making policy text safe ---------------------------------------------------------------------


def one_line(text: str) -> str:
    """Text that cannot leave a comment or docstring line: no line breaks, controls, format
    characters (bidi overrides, BOM), surrogates or other separators; quotes and backslashes
    escaped so that it can also sit inside a triple-quoted docstring."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "CZ" and char != " ":
            out.append(" ")
        elif char in '\\"':
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


class _Names:
    """ASCII identifiers made from policy names, unique within one module and never one of the
    runtime's or the module's fixed names (a unit type named `_score` must not replace it)."""

    def __init__(self) -> None:
        self.used: set[str] = {*runtime_names(), *FIXED_NAMES}

    def make(self, prefix: str, text: str) -> str:
        stem = re.sub(r"[^0-9A-Za-z]+", "_", text, flags=re.ASCII).strip("_")[:40]
        name = f"{prefix}{stem}" if stem else prefix.rstrip("_") or "_x"
        candidate, number = name, 2
        while candidate in self.used:
            candidate, number = f"{name}_{number}", number + 1
        self.used.add(candidate)
        return candidate


# --- the writer --------------------------------------------------------------------------------


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def add(self, *lines: str) -> None:
        self.lines.extend("    " * self.depth + line if line else "" for line in lines)

    @contextlib.contextmanager
    def indented(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


class _Writer:
    def __init__(self, compiled: CompiledPolicy) -> None:
        self.compiled = compiled
        self.policy = compiled.policy
        self.names = _Names()
        self.constants: dict[tuple[str, str], str] = {}  # (kind, text) → name
        self.input_types = {decl.name: decl.type for decl in self.policy.inputs}
        self.functions = _Lines()

    # --- the module ---------------------------------------------------------------------------

    def module(self) -> str:
        scorers = {
            unit_type: self.unit_type(program)
            for unit_type, program in self.compiled.programs.items()
        }
        spec = list(self.spec(scorers))  # before the constants: it makes some
        out = _Lines()
        out.add(*self.docstring(), "", "from __future__ import annotations", "")
        runtime = runtime_source().rstrip("\n").split("\n")
        out.lines.extend(runtime)
        out.add("", "", "# --- the policy " + "-" * 83, "")
        out.add(*self.metadata())
        out.add("", "# Decimal and date constants, made once")
        out.add(*(f"{name} = {self.constant_source(key)}" for key, name in self.constants.items()))
        out.add("", "")
        out.lines.extend(self.functions.lines)
        out.add(*spec)
        out.add(
            "",
            "",
            "def score(facts: object) -> dict[str, Any]:",
            '    """Score and rank every unit of `facts`; FactsError for facts it refuses."""',
            "    return _score(facts, _SPEC)",
        )
        return "\n".join(out.lines) + "\n"

    def docstring(self) -> Iterator[str]:
        meta = self.policy.metadata
        yield '"""A standalone scorer generated by cchc-dsl from a compiled policy: do not edit.'
        yield ""
        yield f"Regulation: {one_line(meta.title)}"
        if meta.decision:
            yield f"Decision: {one_line(meta.decision)}"
        if self.compiled.chosen:
            yield f"Documents: {one_line(self.compiled.chosen)}"
        if self.compiled.year is not None:
            yield f"Index year: {self.compiled.year}"
        yield from _INTERFACE.rstrip("\n").split("\n")
        yield '"""'

    def metadata(self) -> Iterator[str]:
        meta = self.policy.metadata
        yield f"TITLE = {meta.title!r}"
        yield f"DECISION = {meta.decision!r}"
        yield f"YEAR = {self.compiled.year!r}"
        yield "UNIT_TYPES = {"
        for decl in self.policy.unit_types:
            yield f"    {decl.name!r}: ({decl.title!r}, {'tag' if decl.is_tag else 'unit_type'!r}),"
        yield "}"
        yield "# every criterion: id → (kind, title, citation)"
        yield "NODES = {"
        for node in n.walk(self.policy.nodes):
            citation = node.header.citation
            yield f"    {node.id!r}: ({node.kind.value!r}, {node.title!r}, {citation!r}),"
        yield "}"

    def spec(self, scorers: dict[str, str]) -> Iterator[str]:
        policy = self.policy
        yield "# every input: name → (type, low, high, optional)"
        yield "_INPUTS: dict[str, InputSpec] = {"
        for decl in policy.inputs:
            low = self.number(decl.low.value) if decl.low else "None"
            high = self.number(decl.high.value) if decl.high else "None"
            yield f"    {decl.name!r}: ({decl.type.value!r}, {low}, {high}, {decl.optional!r}),"
        yield "}"
        yield "_DEFAULTS: dict[str, Value] = {"
        for decl in policy.inputs:
            if decl.default is not None:
                yield f"    {decl.name!r}: {self.value(decl.default.value)},"
        yield "}"
        ranking = policy.ranking
        if ranking is not None and ranking.blocks:
            blocks = [(b.title, b.members) for b in ranking.blocks]
        else:
            blocks = [(d.title, (d.name,)) for d in policy.unit_types if not d.is_tag]
        ties = ranking.ties.value if ranking is not None else n.TieRule.SHARED.value
        tags = tuple(d.name for d in policy.unit_types if d.is_tag)
        yield "_SPEC = _Spec("
        yield "    _INPUTS,"
        yield "    _DEFAULTS,"
        yield "    {" + ", ".join(f"{ut!r}: {fn}" for ut, fn in scorers.items()) + "},"
        yield f"    {tags!r},"
        yield f"    {tuple(node.id for node in n.walk(policy.nodes))!r},"
        yield f"    {tuple(blocks)!r},"
        yield f"    {ties!r},"
        yield "    YEAR,"
        yield ")"

    # --- constants ----------------------------------------------------------------------------

    def number(self, value: Decimal) -> str:
        text = str(value)
        key = ("D", text)
        if key not in self.constants:
            stem = text.replace("-", "m").replace("+", "p").replace(".", "_")
            self.constants[key] = self.names.make("_N", stem)
        return self.constants[key]

    def date(self, value: datetime.date) -> str:
        key = ("date", value.isoformat())
        if key not in self.constants:
            self.constants[key] = self.names.make("_DAY_", value.isoformat())
        return self.constants[key]

    def value(self, value: s.Value) -> str:
        if isinstance(value, bool):
            return repr(value)
        if isinstance(value, Decimal):
            return self.number(value)
        return self.date(value)

    @staticmethod
    def constant_source(key: tuple[str, str]) -> str:
        kind, text = key
        if kind == "D":
            return f"_D({text!r})"
        day = datetime.date.fromisoformat(text)
        return f"_dt.date({day.year}, {day.month}, {day.day})"

    # --- expressions --------------------------------------------------------------------------

    def boolean(self, expr: s.IRExpr) -> bool:
        """Whether an expression can only be True or False, so `x` reads as `x is True`."""
        if isinstance(expr, s.Op):
            return expr.op in _BOOLEAN_OPS
        if isinstance(expr, s.Const):
            return isinstance(expr.value, bool)
        if isinstance(expr, s.Ref):
            return self.input_types.get(expr.name) is n.InputType.YES_NO
        return isinstance(expr, s.TagRef)

    def test(self, expr: s.IRExpr) -> str:
        """The expression as a condition that holds only when it is True."""
        code = self.expr(expr)
        return code if self.boolean(expr) else f"{code} is True"

    def expr(self, expr: s.IRExpr) -> str:
        if isinstance(expr, s.Const):
            return self.value(expr.value)
        if isinstance(expr, s.Ref):
            return f"v[{expr.name!r}]"
        if isinstance(expr, s.NodeMaxRef):
            return "mx"
        if isinstance(expr, s.TagRef):
            return f"({expr.name!r} in tags)"
        op, args = expr.op, expr.args
        if op in {"and", "or"}:
            return f"({self.test(args[0])} {op} {self.test(args[1])})"
        if op == "not":
            inner = args[0]
            code = self.expr(inner)
            return f"(not {code})" if self.boolean(inner) else f"({code} is not True)"
        if op == "neg":
            return f"(-{self.expr(args[0])})"
        if op in {"min", "max"}:
            return f"{op}({', '.join(self.expr(a) for a in args)})"
        symbol = _COMPARE.get(op, op)
        return f"({self.expr(args[0])} {symbol} {self.expr(args[1])})"

    def step_test(self, step: s.IRStep) -> str:
        parts = []
        if step.low is not None:
            parts.append(f"{self.value(step.low)} {'<=' if step.low_inclusive else '<'}")
        parts.append("x")
        if step.high is not None:
            parts.append(f"{'<=' if step.high_inclusive else '<'} {self.value(step.high)}")
        return " ".join(parts) if len(parts) > 1 else "True"

    # --- one function per criterion or adjustment ----------------------------------------------

    def criterion(
        self,
        item: s.ScoringNode | s.ScoringAdjustment,
        rule: s.IRRule,
        outcomes: tuple[s.IROutcome, ...],
        evidence: bool,
    ) -> str:
        """A function (v, tags, ev, mx, st) → (points, max, outcome, effect) for one rule."""
        kind = item.kind.value
        name = self.names.make("_c_" if isinstance(item, s.ScoringNode) else "_a_", item.id)
        out = self.functions
        out.add(f"def {name}(v: Any, tags: Any, ev: Any, mx: Any, st: _State) -> Leaf:")
        with out.indented():
            out.add(f"# {one_line(kind)} {one_line(item.id)}: {one_line(item.title)}")
            if item.citation:
                out.add(f"# source: {one_line(item.citation)}")
            out.add("try:")
            with out.indented():
                for clause in outcomes:
                    out.add(f"if {self.test(clause.condition)}:")
                    out.add(f"    return {self.clause_result(clause)}")
                self.rule(rule, item.id)
            out.add("except KeyError as missing:")
            out.add("    return _absent(missing, mx, st)")
            if _divides(rule, outcomes):  # Decimal traps x/0 and 0/0 in the module's context
                out.add("except _ARITHMETIC:")
                out.add(f"    raise _Refused({item.id!r}, 'division by zero') from None")
            out.add("if p > mx:", "    p = mx", "elif p < _ZERO:", "    p = _ZERO")
            if evidence:
                out.add(f"if p > _ZERO and {item.id!r} not in ev:")
                out.add("    return _ZERO, mx, 'no_evidence', None")
            out.add("return p, mx, 'scored', None")
        out.add("", "")
        return name

    @staticmethod
    def clause_result(clause: s.IROutcome) -> str:
        outcome = clause.outcome.value
        if clause.outcome is n.Outcome.NOT_APPLICABLE:
            effect = clause.effect.value if clause.effect else None
            if clause.effect is n.NotApplicableEffect.FULL:
                return f"mx, mx, {outcome!r}, {effect!r}"
            return f"_ZERO, _ZERO, {outcome!r}, {effect!r}"
        return f"_ZERO, mx, {outcome!r}, None"

    def rule(self, rule: s.IRRule, node_id: str) -> None:
        """Lines that leave the rule's points in `p` (or raise)."""
        out = self.functions
        if isinstance(rule, s.YesNoRule):
            out.add(f"p = mx if {self.test(rule.condition)} else _ZERO")
        elif isinstance(rule, s.ProportionalRule):
            out.add(f"rate = {self.expr(rule.rate)}")
            out.add("if not 0 <= rate <= 1:")
            out.add(f"    raise _Refused({node_id!r}, f'the rate {{rate}} is outside 0 .. 1')")
            out.add("p = rate * mx")
        elif isinstance(rule, s.SurveyRule) and not rule.steps:
            out.add(f"p = {self.expr(rule.subject)} * mx")
        elif isinstance(rule, s.StepRule | s.SurveyRule):
            out.add(f"x = {self.expr(rule.subject)}")
            self.steps([(self.step_test(step), step.points) for step in rule.steps])
            self.otherwise(rule.otherwise, node_id, "x", bool(rule.steps))
        elif isinstance(rule, s.DeadlineRule):
            out.add(f"x = {self.expr(rule.subject)}")
            if isinstance(rule.due, datetime.date):
                out.add(f"due = {self.date(rule.due)}")
            else:
                due = rule.due
                args = f"{due.day}, {due.month}, {due.years_after}, {node_id!r}"
                out.add(f"due = _due(st, {args})")
            out.add("if x <= due:", f"    p = {self.number(rule.on_time)}", "else:")
            with out.indented():
                out.add("late = (x - due).days")
                self.steps([(f"late <= {days}", points) for days, points in rule.late])
                shown = "f'{late} days late'"
                self.otherwise(rule.otherwise, node_id, shown, bool(rule.late))
        elif isinstance(rule, s.JudgedRule):
            out.add(f"p = {self.expr(rule.subject)}")
            out.add(f"if not (0 <= p <= mx and (p / {self.number(rule.step)}) % 1 == 0):")
            message = "f'{p} is not on the scale 0 .. {mx} in steps of " + f"{rule.step}'"
            out.add(f"    raise _Refused({node_id!r}, {message})")
        elif isinstance(rule, s.PerItemRule):
            out.add(f"p = {self.expr(rule.subject)} * {self.number(rule.amount)}")
        else:
            out.add(f"x = {self.expr(rule.expr)}")
            out.add(f"low = {self.expr(rule.low)}")
            out.add(f"high = {self.expr(rule.high)}")
            out.add("p = min(max(x, low), high)")

    def steps(self, tests: list[tuple[str, Decimal]]) -> None:
        for number, (test, points) in enumerate(tests):
            self.functions.add(f"{'if' if number == 0 else 'elif'} {test}:")
            self.functions.add(f"    p = {self.number(points)}")

    def otherwise(
        self, otherwise: Decimal | None, node_id: str, shown: str, after_steps: bool
    ) -> None:
        out = self.functions
        body = (
            f"p = {self.number(otherwise)}"
            if otherwise is not None
            else f"raise _no_step({node_id!r}, {shown})"
        )
        if after_steps:
            out.add("else:", f"    {body}")
        else:
            out.add(body)

    # --- one function per unit type -------------------------------------------------------------

    def unit_type(self, program: s.Program) -> str:
        """The function that scores one view of a unit of this type."""
        unit = _UnitWriter(self, program)
        return unit.write()

    def maximum(self, applicability: s.Applicability, item_id: str) -> str:
        default = applicability.max_default
        default_code = self.number(default) if default is not None else "None"
        if not applicability.max_by_tag:
            return default_code
        table = ", ".join(f"({tag!r}, {self.number(v)})" for tag, v in applicability.max_by_tag)
        return f"_max_for(tags, ({table},), {default_code}, {item_id!r})"


def applies(applicability: s.Applicability) -> str | None:
    """The condition on the unit's tags, or None when the node always applies."""
    parts = []
    if applicability.only_tags:
        parts.append("(" + " or ".join(f"{t!r} in tags" for t in applicability.only_tags) + ")")
    parts.extend(f"{t!r} not in tags" for t in applicability.except_tags)
    return " and ".join(parts) or None


def _divides(rule: s.IRRule, outcomes: tuple[s.IROutcome, ...]) -> bool:
    """Whether the rule or its clauses divide, so that a zero divisor must be reported."""

    def walk(expr: s.IRExpr) -> bool:
        return isinstance(expr, s.Op) and (expr.op == "/" or any(walk(a) for a in expr.args))

    exprs = [*attrs_values(rule), *(clause.condition for clause in outcomes)]
    return any(walk(expr) for expr in exprs)


class _UnitWriter:
    """Straight-line code for one unit type: adjustments, then the tree, then the totals."""

    def __init__(self, writer: _Writer, program: s.Program) -> None:
        self.writer = writer
        self.program = program
        self.out = _Lines()
        self.counter = 0
        self.targets = {a.target for a in program.adjustments}
        self.survey = program.survey

    def write(self) -> str:
        program, writer = self.program, self.writer
        name = writer.names.make("_score_", program.unit_type)
        finish = writer.names.make("_FINISH_", program.unit_type)
        functions = writer.functions
        out = self.out
        out.add(
            f"def {name}(v: Any, given: Any, tags: Any, ev: Any, st: _State)"
            " -> dict[str, Any] | None:"
        )
        with out.indented():
            out.add(
                f"# unit type {one_line(program.unit_type)}: {one_line(program.unit_type_title)}"
            )
            self.survey_status()
            self.adjustments()
            out.add("nodes: dict[str, Any] = {}", "sp = sm = _ZERO")
            tops = [self.node(node) for node in program.nodes]
            out.add("if st.failed:", "    return None")
            out.add(f"tp = _ZERO{''.join(f' + p{k}' for k in tops)}")
            out.add(f"tm = _ZERO{''.join(f' + m{k}' for k in tops)}")
            out.add(
                f"return _finish(nodes, adjustments, (tp, tm, sp, sm), status, on_total, on_index,"
                f" {finish})"
            )
        out.add("", "")
        functions.lines.extend(self.finish_table(finish))
        functions.lines.extend(out.lines)
        return name

    def finish_table(self, name: str) -> list[str]:
        program, writer = self.program, self.writer
        survey = program.survey
        composite = "None"
        if survey is not None and survey.weight is not None and survey.scale is not None:
            composite = f"({writer.number(survey.weight)}, {writer.number(survey.scale)})"

        def bound(value: s.Bound) -> str:
            return repr(value) if value is None or value == "max" else writer.number(value)

        places = Decimal(1).scaleb(-program.rounding.places)
        rounding = ROUNDING[program.rounding.mode]
        lines = [f"{name}: Finish = (", f"    {composite},"]
        lines += [f"    {bound(program.clamp[0])},", f"    {bound(program.clamp[1])},"]
        lines += [f"    {writer.number(places)},", f"    {rounding!r},", "    ("]
        for band in program.bands:
            step = band.step
            low = writer.value(step.low) if step.low is not None else "None"
            high = writer.value(step.high) if step.high is not None else "None"
            lines.append(
                f"        ({band.name!r}, {low}, {step.low_inclusive}, {high},"
                f" {step.high_inclusive}),"
            )
        lines += ["    ),", ")", "", ""]
        return lines

    def survey_leaves(self) -> list[tuple[list[str], s.ScoringNode]]:
        """Each survey criterion with the tag conditions of itself and its parents."""
        found: list[tuple[list[str], s.ScoringNode]] = []

        def walk(nodes: tuple[s.ScoringNode, ...], conditions: list[str]) -> None:
            for node in nodes:
                condition = applies(node.applicability)
                here = [*conditions, condition] if condition else conditions
                if node.is_survey:
                    found.append((here, node))
                walk(node.children, here)

        walk(self.program.nodes, [])
        return found

    def survey_status(self) -> None:
        out, survey = self.out, self.survey
        leaves = self.survey_leaves()
        if survey is None or not leaves:
            out.add("missing = False", "status = 'none'")
            return
        unconditional = all(not conditions for conditions, _ in leaves)
        out.add("names: tuple[str, ...] = ()")
        if not unconditional:
            out.add("applies = False  # whether any survey criterion applies to this unit")
        for conditions, node in leaves:
            names = f"names += {node.reads!r}"
            if conditions:
                out.add(f"if {' and '.join(conditions)}:", f"    {names}", "    applies = True")
            else:
                out.add(names)
                if not unconditional:
                    out.add("applies = True")
        out.add("missing = bool(names) and not any(name in given for name in names)")
        if survey.missing is n.MissingSurvey.ERROR:
            out.add("if missing:")
            out.add(
                "    raise _Refused(', '.join(names), 'no survey results, and the policy"
                " refuses a unit without them')"
            )
        shown = f"missing: {survey.missing.value}"
        if unconditional:
            out.add(f"status = {shown!r} if missing else 'present'")
        else:
            out.add(f"status = 'none' if not applies else {shown!r} if missing else 'present'")

    def adjustments(self) -> None:
        out, program, writer = self.out, self.program, self.writer
        out.add("adjustments: dict[str, Any] = {}", "on_total: list[Any] = []")
        out.add("on_index: list[Any] = []")
        for group in range(len(program.groups)):
            out.add(f"used{group} = _ZERO")
        for target in sorted(self.targets - {"total", "index"}):
            out.add(f"{self.target_var(target)} = _ZERO")
        for item in program.adjustments:
            function = writer.criterion(item, item.rule, item.outcomes, evidence=False)
            condition = applies(item.applicability)
            if condition:
                out.add(f"if {condition}:")
                out.depth += 1
            out.add(f"cap = {writer.maximum(item.applicability, item.id)}")
            out.add(f"p, _, o, _ = {function}(v, tags, ev, cap, st)")
            out.add("amount = raw = p if o == 'scored' else _ZERO")
            if item.group is not None:
                group = item.group
                cap = writer.number(program.groups[group].cap)
                out.add(f"room = {cap} - used{group}")
                out.add("if amount > room:", "    amount = max(room, _ZERO)")
                out.add(f"used{group} = used{group} + amount")
            out.add(
                f"adjustments[{item.id!r}] = {{'kind': {item.kind.value!r}, 'target':"
                f" {item.target!r}, 'amount': amount, 'raw': raw, 'cap': cap, 'outcome': o}}"
            )
            sign = "" if item.kind is n.AdjustmentKind.BONUS else "-"
            if item.target == "total":
                out.add(f"on_total.append({sign}amount)")
            elif item.target == "index":
                out.add(f"on_index.append({sign}amount)")
            else:
                var = self.target_var(item.target)
                out.add(f"{var} = {var} + {sign}amount")
            if condition:
                out.depth -= 1

    def target_var(self, node_id: str) -> str:
        index = sorted(self.targets - {"total", "index"}).index(node_id)
        return f"t{index}"

    def node(self, node: s.ScoringNode) -> int:
        """Lines for one node and its children; returns k, its points being pk and max mk."""
        out, writer = self.out, self.writer
        k = self.counter
        self.counter += 1
        out.add(f"# {one_line(node.kind.value)} {one_line(node.id)}: {one_line(node.title)}")
        if node.citation and node.rule is None:  # a criterion's is in its function
            out.add(f"# source: {one_line(node.citation)}")
        condition = applies(node.applicability)
        if condition:
            out.add(f"if {condition}:")
            out.depth += 1
        if node.rule is not None:
            function = writer.criterion(node, node.rule, node.outcomes, node.evidence_required)
            out.add(f"mx = {writer.maximum(node.applicability, node.id)}")
            call = f"p{k}, m{k}, o, e = {function}(v, tags, ev, mx, st)"
            if node.is_survey and self.survey is not None:
                kept = "mx" if self.survey.missing is n.MissingSurvey.ZERO else "_ZERO"
                out.add(
                    "if missing:", f"    p{k}, m{k}, o, e = _ZERO, {kept}, 'survey_missing', None"
                )
                out.add("else:", f"    {call}")
            else:
                out.add(call)
            self.adjusted(node, k)
            if node.is_survey:
                out.add(f"sp = sp + p{k}", f"sm = sm + m{k}")
        else:
            out.add(f"nodes[{node.id!r}] = None  # filled in below, after its children")
            children = [self.node(child) for child in node.children]
            out.add(f"p{k} = _ZERO{''.join(f' + p{c}' for c in children)}")
            out.add(f"m{k} = _ZERO{''.join(f' + m{c}' for c in children)}")
            out.add("o, e = 'scored', None")
            self.adjusted(node, k)
        out.add(f"nodes[{node.id!r}] = {{'points': p{k}, 'max': m{k}, 'outcome': o, 'effect': e}}")
        if condition:
            out.depth -= 1
            out.add("else:")
            out.add(f"    p{k} = m{k} = _ZERO")
            out.add(
                f"    nodes[{node.id!r}] = {{'points': _ZERO, 'max': _ZERO,"
                " 'outcome': 'does_not_apply', 'effect': None}"
            )
        return k

    def adjusted(self, node: s.ScoringNode, k: int) -> None:
        if node.id in self.targets:
            self.out.add(f"p{k} = p{k} + {self.target_var(node.id)}")


_INTERFACE = """
Use: `score(facts)` with `facts` shaped like a cchc-dsl facts file read by `json.load`:
{"year": 2024, "units": [{"unit": id, "name": ..., "unit_type": ..., "tags": [...],
"inputs": {name: value or {"self": value, "appraised": value}}, "evidence": {node id: text}}]}
(or just the list of units). Values may be JSON numbers, strings ("85%", "có", "2024-01-31",
"31/01/2024"), bools, ints, floats or Decimals, as in a facts file.

It returns {"blocks": [{"title", "units": [ids in rank order]}], "units": [...]}: one dict per
unit, in block and rank order, with "unit", "name", "unit_type", "tags", "block", "rank",
"official" (the appraised view) and "self_assessed" (the unit's own claims, when the council
changed something; None otherwise or when a claim leaves an input to the council). Each view
has "nodes" ({node id: {"points", "max", "outcome", "effect"}}, every criterion in tree order),
"adjustments" ({id: {"kind", "target", "amount", "raw", "cap", "outcome"}}), "appraisal_points",
"appraisal_max", "survey_points", "survey_max", "survey_status", "points", "max", "index" (exact,
in %), "index_rounded" and "band". Every number is an exact decimal.Decimal, computed in a
context of 60 digits as the cchc-dsl interpreter does.

Facts it cannot score (an unknown unit type, tag, input or key; a wrong or out-of-range value;
a missing input; a division by zero with no outcome declared for it; ...) raise FactsError,
whose message names the unit and the field (input, criterion or key).
"""
