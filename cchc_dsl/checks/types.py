"""Types: every expression combines values of fitting types, every rule reads what it needs.

Four value types: yes/no, number, rate (0–100 %: percent and survey inputs, a ratio, a % literal)
and date. Comparing a rate with a plain number other than 0 is the classic "95 instead of 95 %"
slip, and is reported as its own code.
"""

from __future__ import annotations

import enum

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, Said, did_you_mean
from cchc_dsl.parser import in_vietnamese
from cchc_dsl.values import format_value
from cchc_dsl.wording import hint


class ValueType(enum.Enum):
    BOOL = "yes/no"
    NUMBER = "number"
    RATE = "rate"
    DATE = "date"

    @property
    def said(self) -> Said:
        """`a number` / `số`, as a message names the type."""
        return Said(f"a {self.value}", TYPE_VI[self])


TYPE_VI = {
    ValueType.BOOL: "giá trị có/không",
    ValueType.NUMBER: "số",
    ValueType.RATE: "tỷ lệ",
    ValueType.DATE: "ngày",
}
CONDITION = Said("a condition", "điều kiện")


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
            typer.expect(clause.condition, {ValueType.BOOL}, CONDITION)
    for adjustment in n.all_adjustments(policy):
        typer.rule(adjustment.rule)
        for clause in adjustment.outcomes:
            typer.expect(clause.condition, {ValueType.BOOL}, CONDITION)
    survey_rules = [node.rule for node in n.walk(policy.nodes) if isinstance(node.rule, n.Survey)]
    if survey_rules and policy.survey is None:
        sink.report(
            "E219",
            survey_rules[0].span,
            message=Said(
                "survey criteria need a survey block saying what a missing survey means",
                "tiêu chí khảo sát cần khối khảo sát nói cách tính khi thiếu kết quả khảo sát",
            ),
            hint=hint("add: {code}", "thêm: {code}", "survey { if_missing rescale }"),
        )
    if policy.survey is not None and not survey_rules:
        sink.report(
            "E219",
            policy.survey.span,
            message=Said(
                "the survey block has no survey criteria to weigh",
                "khối khảo sát không có tiêu chí khảo sát nào để tính",
            ),
            hint=hint(
                "score survey results with `{code}` in a criterion",
                "chấm kết quả khảo sát bằng `{code}` trong một tiêu chí",
                "survey x",
            ),
        )
    for table in policy.bands:
        for band in table.bands:
            typer.interval(band.interval, ValueType.RATE, Said("the index", "chỉ số"))


class _Typer:
    def __init__(
        self, inputs: dict[str, n.InputDecl], tags: set[str], sink: DiagnosticSink
    ) -> None:
        self.inputs = inputs
        self.tags = tags
        self.sink = sink

    def error(self, expr: object, message: Said, hint: Said | None = None) -> None:
        span = getattr(expr, "span", None)
        self.sink.report("E206", span, message=message, hint=hint)

    def declaration(self, decl: n.InputDecl) -> None:
        value_type = INPUT_VALUE_TYPES[decl.type]
        if decl.low is not None and decl.high is not None:
            if value_type not in NUMERIC:
                self.error(
                    decl.low,
                    Said(
                        f"input «{decl.name}» is {value_type.said.en}: no range",
                        f"đầu vào «{decl.name}» là {value_type.said.vi}: không có khoảng giá trị",
                    ),
                )
            elif decl.low.value > decl.high.value:
                text = f"{_bound(decl.low)} .. {_bound(decl.high)}"
                self.sink.report("E214", decl.low.span, text=text)
            else:
                for bound in (decl.low, decl.high):
                    self.compare(value_type, bound, _quoted(decl.name))
        if decl.default is not None:
            got = self.type_of(decl.default)
            if got is not value_type and not (got in NUMERIC and value_type in NUMERIC):
                got_said = got.said if got else Said("?", "?")
                self.error(
                    decl.default,
                    Said(
                        f"the default of «{decl.name}» is {got_said.en}, "
                        f"the input {value_type.said.en}",
                        f"giá trị mặc định của «{decl.name}» là {got_said.vi}, "
                        f"còn đầu vào là {value_type.said.vi}",
                    ),
                )

    # --- rules --------------------------------------------------------------------------------

    def rule(self, rule: n.Rule) -> None:
        if isinstance(rule, n.YesNo):
            self.expect(rule.condition, {ValueType.BOOL}, Said("a yes/no rule", "quy tắc có/không"))
        elif isinstance(rule, n.Proportional):
            self.expect(
                rule.rate, {ValueType.RATE}, Said("a proportional rule", "quy tắc theo tỷ lệ")
            )
        elif isinstance(rule, n.Steps | n.Survey):
            subject = self.expect(
                rule.subject, NUMERIC | {ValueType.DATE}, Said("a step table", "bảng mức")
            )
            for step in rule.steps:
                if subject is not None:
                    self.interval(step.interval, subject, _describe(rule.subject))
            if isinstance(rule, n.Survey):
                self.survey_subject(rule.subject)
        elif isinstance(rule, n.Deadline):
            self.expect(rule.subject, {ValueType.DATE}, Said("a deadline", "quy tắc thời hạn"))
        elif isinstance(rule, n.Judged):
            if not isinstance(rule.subject, n.InputRef):
                self.error(rule.subject, JUDGED_READS)
            elif self.type_of(rule.subject) is not None:
                decl = self.inputs[rule.subject.name]
                if decl.type is not n.InputType.POINTS:
                    self.error(
                        rule.subject,
                        Said(
                            f"a judged rule reads a points input; «{decl.name}» is "
                            f"{decl.type.value}",
                            f"quy tắc chấm điểm đọc một đầu vào kiểu điểm; «{decl.name}» có kiểu "
                            f"{decl.type.value}",
                        ),
                    )
        elif isinstance(rule, n.PerItem):
            self.expect(
                rule.subject,
                {ValueType.NUMBER},
                Said("a per-item rule", "quy tắc tính theo mỗi lần"),
            )
        elif isinstance(rule, n.Formula):
            self.expect(rule.expr, NUMERIC, Said("a formula", "công thức"))

    def survey_subject(self, subject: n.Expr) -> None:
        decl = self.input_of(subject)
        if decl is None or decl.type is not n.InputType.SURVEY:
            self.error(
                subject,
                Said(
                    "a survey rule reads one input of type survey",
                    "quy tắc khảo sát đọc một đầu vào kiểu khảo_sát",
                ),
                hint=Said('declare it as: x: survey "…"', 'khai báo: x: khảo_sát "…"'),
            )

    def input_of(self, expr: n.Expr) -> n.InputDecl | None:
        return self.inputs.get(expr.name) if isinstance(expr, n.InputRef) else None

    def interval(self, interval: n.Interval, subject: ValueType, name: Said) -> None:
        bounds = [b.value for b in (interval.lower, interval.upper) if b is not None]
        if interval.equal is not None:
            bounds.append(interval.equal)
        for value in bounds:
            self.compare(subject, value, name)
        low, high = interval.lower, interval.upper
        # a number against a date is a type error, said above for the bound that is wrong
        if low is not None and high is not None and type(low.value) is type(high.value):
            lo, hi = low.value.value, high.value.value
            empty = lo > hi if low.inclusive and high.inclusive else lo >= hi  # type: ignore[operator]
            if empty:
                text = f"{_bound(low.value)} .. {_bound(high.value)}"
                self.sink.report("E214", interval.span, text=text)

    def compare(self, subject: ValueType, value: n.Number | n.DateValue, name: Said) -> None:
        if isinstance(value, n.DateValue):
            if subject is not ValueType.DATE:
                self.error(
                    value,
                    Said(
                        f"{name.en} is {subject.said.en}, the bound a date",
                        f"{name.vi} là {subject.said.vi}, còn mốc là ngày",
                    ),
                )
            return
        if subject is ValueType.DATE:
            self.error(
                value,
                Said(
                    f"{name.en} is a date, the bound a number", f"{name.vi} là ngày, còn mốc là số"
                ),
            )
        elif subject is ValueType.RATE and not value.percent and value.value != 0:
            self.sink.report(
                "E212",
                value.span,
                left=name,
                right=str(value.value),
                hint=Said(f"write {value.value}%", f"viết {value.value}%"),
            )
        elif subject is ValueType.NUMBER and value.percent:
            self.error(
                value,
                Said(
                    f"{name.en} is a plain number, the bound a percentage",
                    f"{name.vi} là số thường, còn mốc là tỷ lệ phần trăm",
                ),
                hint=Said(
                    "compare a ratio such as a / b with a percentage",
                    "so sánh một tỷ lệ như a / b với tỷ lệ phần trăm",
                ),
            )

    # --- expressions --------------------------------------------------------------------------

    def expect(self, expr: n.Expr, allowed: set[ValueType], where: Said) -> ValueType | None:
        got = self.type_of(expr)
        if got is not None and got not in allowed:
            ordered = sorted(allowed, key=lambda t: t.value)
            wanted = Said(
                " or ".join(t.said.en for t in ordered), " hoặc ".join(t.said.vi for t in ordered)
            )
            self.error(
                expr,
                Said(
                    f"{where.en} needs {wanted.en}, but this is {got.said.en}",
                    f"{where.vi} cần {wanted.vi}, nhưng đây là {got.said.vi}",
                ),
            )
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
                hint = did_you_mean(expr.name, self.tags) or DECLARE_TAG
                self.sink.report("E202", expr.span, name=expr.name, hint=hint)
            return ValueType.BOOL
        if isinstance(expr, n.InputRef):
            decl = self.inputs.get(expr.name)
            if decl is None:
                self.sink.report(
                    "E201",
                    expr.span,
                    name=expr.name,
                    hint=did_you_mean(expr.name, self.inputs) or DECLARE_INPUT,
                )
                return None
            return INPUT_VALUE_TYPES[decl.type]
        if isinstance(expr, n.Unary):
            if expr.op == "not":
                self.expect(expr.operand, {ValueType.BOOL}, _keyword("not"))
                return ValueType.BOOL
            return self.expect(expr.operand, NUMERIC, _keyword("-"))
        if isinstance(expr, n.Call):
            call = _keyword(f"{expr.function}()")
            kinds = [self.expect(arg, NUMERIC, call) for arg in expr.args]
            return ValueType.RATE if all(k is ValueType.RATE for k in kinds) else ValueType.NUMBER
        return self.binary(expr)

    def binary(self, expr: n.Binary) -> ValueType | None:
        op = expr.op
        if op in {"and", "or"}:
            self.expect(expr.left, {ValueType.BOOL}, _keyword(op))
            self.expect(expr.right, {ValueType.BOOL}, _keyword(op))
            return ValueType.BOOL
        left, right = self.type_of(expr.left), self.type_of(expr.right)
        if left is None or right is None:
            return None
        if op in {"=", "!=", "<", "<=", ">", ">="}:
            if left is ValueType.BOOL or right is ValueType.BOOL:
                if left is not right or op not in {"=", "!="}:
                    self.error(
                        expr,
                        Said(
                            f"cannot compare {left.said.en} with {right.said.en} by {op}",
                            f"không so sánh {left.said.vi} với {right.said.vi} bằng {op} được",
                        ),
                    )
            elif (left is ValueType.DATE) != (right is ValueType.DATE):
                self.error(
                    expr,
                    Said(
                        f"cannot compare {left.said.en} with {right.said.en}",
                        f"không so sánh {left.said.vi} với {right.said.vi} được",
                    ),
                )
            else:
                for side, other in ((expr.right, left), (expr.left, right)):
                    if isinstance(side, n.Number):
                        self.compare(
                            other, side, _describe(expr.left if side is expr.right else expr.right)
                        )
            return ValueType.BOOL
        if left not in NUMERIC or right not in NUMERIC:
            self.error(
                expr,
                Said(
                    f"cannot compute {left.said.en} {op} {right.said.en}",
                    f"không tính được {left.said.vi} {op} {right.said.vi}",
                ),
            )
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


def _describe(expr: n.Expr) -> Said:
    if isinstance(expr, n.InputRef):
        return _quoted(expr.name)
    if isinstance(expr, n.Binary) and expr.op == "/":
        return Said("the ratio", "tỷ lệ")
    return Said("the value", "giá trị")


def _quoted(name: str) -> Said:
    return Said(f"«{name}»", f"«{name}»")


def _keyword(word: str) -> Said:
    """`'and'` / `«và»`."""
    return Said(f"'{word}'", f"«{in_vietnamese(word)}»")


JUDGED_READS = Said(
    "a judged rule reads one points input", "quy tắc chấm điểm đọc một đầu vào kiểu điểm"
)
DECLARE_TAG = Said(  # written out: a module constant must not build the grammar at import
    'declare it: tag X "…" in unit_types', 'khai báo: nhãn X "…" trong loại đơn vị'
)
DECLARE_INPUT = Said("declare it in the inputs block", "khai báo trong khối đầu vào")
