"""Types: every expression combines values of fitting types, every rule reads what it needs.

Four value types: yes/no, number, rate (0–100 %: percent and survey inputs, a ratio, a % literal)
and date. Comparing a rate with a plain number other than 0 is the classic "95 instead of 95 %"
slip, and is reported as its own code.
"""

from __future__ import annotations

import enum

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, did_you_mean
from cchc_dsl.values import format_value


class ValueType(enum.Enum):
    BOOL = "yes/no"
    NUMBER = "number"
    RATE = "rate"
    DATE = "date"


NUMERIC = {ValueType.NUMBER, ValueType.RATE}

INPUT_VALUE_TYPES = {
    n.InputType.YES_NO: ValueType.BOOL,
    n.InputType.COUNT: ValueType.NUMBER,
    n.InputType.NUMBER: ValueType.NUMBER,
    n.InputType.POINTS: ValueType.NUMBER,
    n.InputType.PERCENT: ValueType.RATE,
    n.InputType.SURVEY: ValueType.RATE,
    n.InputType.DATE: ValueType.DATE,
}


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    tags = {d.name for d in policy.unit_types if d.is_tag}
    typer = _Typer({d.name: d for d in policy.inputs}, tags, sink)
    for decl in policy.inputs:
        typer.declaration(decl)
    for node in n.walk(policy.nodes):
        if node.rule is not None:
            typer.rule(node.rule)
        for clause in node.outcomes:
            typer.expect(clause.condition, {ValueType.BOOL}, "a condition")
    for adjustment in n.all_adjustments(policy):
        typer.rule(adjustment.rule)
        for clause in adjustment.outcomes:
            typer.expect(clause.condition, {ValueType.BOOL}, "a condition")
    survey_rules = [node.rule for node in n.walk(policy.nodes) if isinstance(node.rule, n.Survey)]
    if survey_rules and policy.survey is None:
        sink.report(
            "E219",
            survey_rules[0].span,
            message="survey criteria need a survey block saying what a missing survey means",
            hint="add: survey { if_missing rescale }",
        )
    if policy.survey is not None and not survey_rules:
        sink.report(
            "E219",
            policy.survey.span,
            message="the survey block has no survey criteria to weigh",
            hint="score survey results with `survey x` in a criterion",
        )
    for table in policy.bands:
        for band in table.bands:
            typer.interval(band.interval, ValueType.RATE, "the index")


class _Typer:
    def __init__(
        self, inputs: dict[str, n.InputDecl], tags: set[str], sink: DiagnosticSink
    ) -> None:
        self.inputs = inputs
        self.tags = tags
        self.sink = sink

    def error(self, expr: object, message: str, hint: str | None = None) -> None:
        span = getattr(expr, "span", None)
        self.sink.report("E206", span, message=message, hint=hint)

    def declaration(self, decl: n.InputDecl) -> None:
        value_type = INPUT_VALUE_TYPES[decl.type]
        if decl.low is not None and decl.high is not None:
            if value_type not in NUMERIC:
                self.error(decl.low, f"input «{decl.name}» is a {value_type.value}: no range")
            elif decl.low.value > decl.high.value:
                text = f"{_bound(decl.low)} .. {_bound(decl.high)}"
                self.sink.report("E214", decl.low.span, text=text)
            else:
                for bound in (decl.low, decl.high):
                    self.compare(value_type, bound, f"«{decl.name}»")
        if decl.default is not None:
            got = self.type_of(decl.default)
            if got is not value_type and not (got in NUMERIC and value_type in NUMERIC):
                self.error(
                    decl.default,
                    f"the default of «{decl.name}» is a {got.value if got else '?'}, "
                    f"the input a {value_type.value}",
                )

    # --- rules --------------------------------------------------------------------------------

    def rule(self, rule: n.Rule) -> None:
        if isinstance(rule, n.YesNo):
            self.expect(rule.condition, {ValueType.BOOL}, "a yes/no rule")
        elif isinstance(rule, n.Proportional):
            self.expect(rule.rate, {ValueType.RATE}, "a proportional rule")
        elif isinstance(rule, n.Steps | n.Survey):
            subject = self.expect(rule.subject, NUMERIC | {ValueType.DATE}, "a step table")
            for step in rule.steps:
                if subject is not None:
                    self.interval(step.interval, subject, _describe(rule.subject))
            if isinstance(rule, n.Survey):
                self.survey_subject(rule.subject)
        elif isinstance(rule, n.Deadline):
            self.expect(rule.subject, {ValueType.DATE}, "a deadline")
        elif isinstance(rule, n.Judged):
            if not isinstance(rule.subject, n.InputRef):
                self.error(rule.subject, "a judged rule reads one points input")
            elif self.type_of(rule.subject) is not None:
                decl = self.inputs[rule.subject.name]
                if decl.type is not n.InputType.POINTS:
                    self.error(
                        rule.subject,
                        f"a judged rule reads a points input; «{decl.name}» is {decl.type.value}",
                    )
        elif isinstance(rule, n.PerItem):
            self.expect(rule.subject, {ValueType.NUMBER}, "a per-item rule")
        elif isinstance(rule, n.Formula):
            self.expect(rule.expr, NUMERIC, "a formula")

    def survey_subject(self, subject: n.Expr) -> None:
        decl = self.input_of(subject)
        if decl is None or decl.type is not n.InputType.SURVEY:
            self.error(
                subject,
                "a survey rule reads one input of type survey",
                hint='declare it as: x: survey "…"',
            )

    def input_of(self, expr: n.Expr) -> n.InputDecl | None:
        return self.inputs.get(expr.name) if isinstance(expr, n.InputRef) else None

    def interval(self, interval: n.Interval, subject: ValueType, name: str) -> None:
        bounds = [b.value for b in (interval.lower, interval.upper) if b is not None]
        if interval.equal is not None:
            bounds.append(interval.equal)
        for value in bounds:
            self.compare(subject, value, name)
        low, high = interval.lower, interval.upper
        if low is not None and high is not None:
            lo, hi = low.value.value, high.value.value
            empty = lo > hi if low.inclusive and high.inclusive else lo >= hi  # type: ignore[operator]
            if empty:
                text = f"{_bound(low.value)} .. {_bound(high.value)}"
                self.sink.report("E214", interval.span, text=text)

    def compare(self, subject: ValueType, value: n.Number | n.DateValue, name: str) -> None:
        if isinstance(value, n.DateValue):
            if subject is not ValueType.DATE:
                self.error(value, f"{name} is a {subject.value}, the bound a date")
            return
        if subject is ValueType.DATE:
            self.error(value, f"{name} is a date, the bound a number")
        elif subject is ValueType.RATE and not value.percent and value.value != 0:
            self.sink.report(
                "E212", value.span, left=name, right=str(value.value), hint=f"write {value.value}%"
            )
        elif subject is ValueType.NUMBER and value.percent:
            self.error(
                value,
                f"{name} is a plain number, the bound a percentage",
                hint="compare a ratio such as a / b with a percentage",
            )

    # --- expressions --------------------------------------------------------------------------

    def expect(self, expr: n.Expr, allowed: set[ValueType], where: str) -> ValueType | None:
        got = self.type_of(expr)
        if got is not None and got not in allowed:
            wanted = " or ".join(sorted(t.value for t in allowed))
            self.error(expr, f"{where} needs a {wanted}, but this is a {got.value}")
            return None
        return got

    def type_of(self, expr: n.Expr) -> ValueType | None:
        if isinstance(expr, n.Number):
            return ValueType.RATE if expr.percent else ValueType.NUMBER
        if isinstance(expr, n.Boolean):
            return ValueType.BOOL
        if isinstance(expr, n.DateValue):
            return ValueType.DATE
        if isinstance(expr, n.NodeMax):
            return ValueType.NUMBER
        if isinstance(expr, n.HasTag):
            if expr.name not in self.tags:
                hint = did_you_mean(expr.name, self.tags) or 'declare it: tag X "…" in unit_types'
                self.sink.report("E202", expr.span, name=expr.name, hint=hint)
            return ValueType.BOOL
        if isinstance(expr, n.InputRef):
            decl = self.inputs.get(expr.name)
            if decl is None:
                self.sink.report(
                    "E201",
                    expr.span,
                    name=expr.name,
                    hint=did_you_mean(expr.name, self.inputs) or "declare it in the inputs block",
                )
                return None
            return INPUT_VALUE_TYPES[decl.type]
        if isinstance(expr, n.Unary):
            if expr.op == "not":
                self.expect(expr.operand, {ValueType.BOOL}, "'not'")
                return ValueType.BOOL
            return self.expect(expr.operand, NUMERIC, "'-'")
        if isinstance(expr, n.Call):
            kinds = [self.expect(arg, NUMERIC, f"{expr.function}()") for arg in expr.args]
            return ValueType.RATE if all(k is ValueType.RATE for k in kinds) else ValueType.NUMBER
        return self.binary(expr)

    def binary(self, expr: n.Binary) -> ValueType | None:
        op = expr.op
        if op in {"and", "or"}:
            self.expect(expr.left, {ValueType.BOOL}, f"'{op}'")
            self.expect(expr.right, {ValueType.BOOL}, f"'{op}'")
            return ValueType.BOOL
        left, right = self.type_of(expr.left), self.type_of(expr.right)
        if left is None or right is None:
            return None
        if op in {"=", "!=", "<", "<=", ">", ">="}:
            if left is ValueType.BOOL or right is ValueType.BOOL:
                if left is not right or op not in {"=", "!="}:
                    self.error(expr, f"cannot compare a {left.value} with a {right.value} by {op}")
            elif (left is ValueType.DATE) != (right is ValueType.DATE):
                self.error(expr, f"cannot compare a {left.value} with a {right.value}")
            else:
                for side, other in ((expr.right, left), (expr.left, right)):
                    if isinstance(side, n.Number):
                        self.compare(
                            other, side, _describe(expr.left if side is expr.right else expr.right)
                        )
            return ValueType.BOOL
        if left not in NUMERIC or right not in NUMERIC:
            self.error(expr, f"cannot compute a {left.value} {op} a {right.value}")
            return None
        if op == "/":
            return (
                ValueType.NUMBER
                if right is ValueType.RATE and left is ValueType.NUMBER
                else ValueType.RATE
            )
        if op == "*":
            both_rates = left is ValueType.RATE and right is ValueType.RATE
            return ValueType.RATE if both_rates else ValueType.NUMBER
        return ValueType.RATE if left is right is ValueType.RATE else ValueType.NUMBER


def _bound(value: n.Number | n.DateValue) -> str:
    if isinstance(value, n.DateValue):
        return value.value.isoformat()
    return format_value(value.value, value.percent)


def _describe(expr: n.Expr) -> str:
    if isinstance(expr, n.InputRef):
        return f"«{expr.name}»"
    if isinstance(expr, n.Binary) and expr.op == "/":
        return "the ratio"
    return "the value"
