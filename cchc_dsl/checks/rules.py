"""Rules: step tables that overlap, leave a gap or hide a step; points outside 0 .. max; judged
steps that cannot reach the max; ratios with no outcome for a zero denominator; late steps out of
order; outcome clauses no input can trigger.

Values are looked at over the domain the declared inputs allow: a count is a whole number ≥ 0,
a percent lies in 0–100 %, a declared range narrows either; a count divided by a count is read as
a share, 0–100 % (on-time files ÷ files received), which is what such ratios are in these
regulations.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cchc_dsl import nodes as n
from cchc_dsl.checks import intervals as iv
from cchc_dsl.checks.totals import Variant, variants
from cchc_dsl.diagnostics import DiagnosticSink, Said
from cchc_dsl.values import COMPARISONS, format_value
from cchc_dsl.wording import code, hint, named

Domain = tuple[iv.Range, str, bool]  # the values, how to show them (rate|date|number), whole?
UNBOUNDED: Domain = (iv.Range(), "number", False)


def check(policy: n.Policy, sink: DiagnosticSink) -> None:
    inputs = {d.name: d for d in policy.inputs}
    all_variants = list(variants(policy))
    items: list[tuple[Said, n.Node | n.Adjustment]] = [
        (named(node), node) for node in n.walk(policy.nodes) if node.rule
    ]
    items += [(named(a), a) for a in n.all_adjustments(policy)]
    for what, item in items:
        rule = item.rule
        assert rule is not None
        if isinstance(rule, n.Steps | n.Survey) and rule.steps:
            _steps(what, rule, domain(rule.subject, inputs), sink)
        if isinstance(rule, n.Deadline):
            _late_order(what, rule, sink)
        _points_in_range(what, item, rule, inputs, all_variants, sink)
        _zero_denominators(what, item, rule, inputs, sink)
        for clause in item.outcomes:
            _possible(what, clause, inputs, sink)


def domain(expr: n.Expr, inputs: dict[str, n.InputDecl]) -> Domain:
    """The values an expression may take, as far as the declarations tell."""
    if isinstance(expr, n.InputRef) and expr.name in inputs:
        decl = inputs[expr.name]
        low = decl.low.value if decl.low is not None else None
        high = decl.high.value if decl.high is not None else None
        if decl.type in {n.InputType.PERCENT, n.InputType.SURVEY}:
            return iv.Range(low or Decimal(0), True, high or Decimal(1), True), "rate", False
        if decl.type is n.InputType.COUNT:
            return iv.Range(max(low or Decimal(0), Decimal(0)), True, high, True), "number", True
        if decl.type is n.InputType.DATE:
            return iv.Range(), "date", False
        return iv.Range(low, True, high, True), "number", False
    if isinstance(expr, n.Binary) and expr.op == "/":
        sides = (expr.left, expr.right)
        if all(_is_count(side, inputs) for side in sides):
            return iv.Range(Decimal(0), True, Decimal(1), True), "rate", False
        if isinstance(expr.right, n.Number) and expr.right.value > 0:
            divisor = expr.right.value / 100 if expr.right.percent else expr.right.value
            values = domain(expr.left, inputs)[0]
            low, high = (None if v is None else v / divisor for v in (values.low, values.high))
            return iv.Range(low, True, high, True), "rate", False
        if all(_non_negative(side, inputs) for side in sides):
            return iv.Range(Decimal(0), True, None, True), "rate", False
        return iv.Range(), "rate", False
    if isinstance(expr, n.Number):
        value = expr.value / 100 if expr.percent else expr.value
        return iv.Range(value, True, value, True), "rate" if expr.percent else "number", False
    if isinstance(expr, n.Call) and expr.function in {"min", "max"} and expr.args:
        return _extremum(expr.function, [domain(arg, inputs) for arg in expr.args])
    return UNBOUNDED


def _extremum(function: str, args: list[Domain]) -> Domain:
    """min(...) is at most its least upper bound; max(...) at least its greatest lower bound."""
    lows = [d[0].low for d in args]
    highs = [d[0].high for d in args]
    kind = "rate" if any(d[1] == "rate" for d in args) else args[0][1]
    whole = all(d[2] for d in args)
    known_lows = [v for v in lows if v is not None]
    known_highs = [v for v in highs if v is not None]
    if function == "min":
        low = None if None in lows else min(known_lows)
        high = min(known_highs) if known_highs else None
    else:
        low = max(known_lows) if known_lows else None
        high = None if None in highs else max(known_highs)
    return iv.Range(low, True, high, True), kind, whole


def _is_count(expr: n.Expr, inputs: dict[str, n.InputDecl]) -> bool:
    """A count, or a sum or difference of counts (files received less files on time)."""
    if isinstance(expr, n.Binary) and expr.op in {"+", "-"}:
        return _is_count(expr.left, inputs) and _is_count(expr.right, inputs)
    return (
        isinstance(expr, n.InputRef)
        and expr.name in inputs
        and inputs[expr.name].type is n.InputType.COUNT
    )


def _non_negative(expr: n.Expr, inputs: dict[str, n.InputDecl]) -> bool:
    if isinstance(expr, n.Number):
        return expr.value >= 0
    if isinstance(expr, n.InputRef) and expr.name in inputs:
        decl = inputs[expr.name]
        low = decl.low.value if decl.low is not None else None
        return decl.type in {n.InputType.COUNT, n.InputType.PERCENT, n.InputType.SURVEY} or (
            low is not None and low >= 0
        )
    return False


# --- step tables -------------------------------------------------------------------------------


def _steps(what: Said, rule: n.Steps | n.Survey, dom: Domain, sink: DiagnosticSink) -> None:
    values, kind, whole = dom
    ranges = [iv.of(step.interval) for step in rule.steps]
    hidden = iv.unreachable(ranges, values, whole)
    overlap = iv.first_overlap(ranges, values, whole, skip=hidden)
    if overlap is not None:
        i, j, value = overlap
        sink.report(
            "E310",
            rule.steps[j].span,
            what=what,
            value=iv.show(value, kind),
            first=_step_text(rule.steps[i]),
            second=_step_text(rule.steps[j]),
            hint=hint(
                "bound the later step below the earlier one, e.g. «{code}»",
                "đặt mốc trên cho mức sau, dưới mức trước, ví dụ «{code}»",
                "from 90% below 95%",
            ),
        )
    for index in hidden:
        sink.report("E312", rule.steps[index].span, step=_step_text(rule.steps[index]), what=what)
    if rule.otherwise is None:
        gap = iv.first_gap(ranges, values, whole)
        if gap is not None:
            sink.report(
                "E311",
                rule.span,
                what=what,
                value=iv.show(gap, kind),
                hint=hint(
                    "add the missing step, or `{code}`",
                    "thêm mức còn thiếu, hoặc `{code}`",
                    "otherwise: 0",
                ),
            )


def _step_text(step: n.Step) -> Said:
    interval = step.interval
    words = []
    if interval.equal is not None:
        words.append(f"= {_bound(interval.equal)}")
    if interval.lower is not None:
        words.append(
            ("from " if interval.lower.inclusive else "above ") + _bound(interval.lower.value)
        )
    if interval.upper is not None:
        words.append(
            ("to " if interval.upper.inclusive else "below ") + _bound(interval.upper.value)
        )
    return code(f"{' '.join(words)}: {format_value(step.points)}")


def _bound(value: n.Number | n.DateValue) -> str:
    if isinstance(value, n.DateValue):
        return value.value.isoformat()
    return format_value(value.value, value.percent)


def _late_order(what: Said, rule: n.Deadline, sink: DiagnosticSink) -> None:
    longest = -1
    for step in rule.late:
        if step.days <= longest:
            sink.report("E316", step.span, what=what, days=step.days, earlier=longest)
        longest = max(longest, step.days)


# --- points and maxima -------------------------------------------------------------------------


def _constant_points(rule: n.Rule) -> Iterator[tuple[Decimal, Said]]:
    """Every fixed number of points a rule can give, with where it is written."""
    if isinstance(rule, n.Steps | n.Survey):
        yield from ((step.points, _step_text(step)) for step in rule.steps)
        if rule.otherwise is not None:
            yield rule.otherwise, code(f"otherwise: {format_value(rule.otherwise)}")
    elif isinstance(rule, n.Deadline):
        yield rule.on_time, code(f"by {_due(rule.due)}: {format_value(rule.on_time)}")
        for late in rule.late:
            yield late.points, code(f"late at_most {late.days} days: {format_value(late.points)}")
        if rule.otherwise is not None:
            yield rule.otherwise, code(f"otherwise: {format_value(rule.otherwise)}")
    elif isinstance(rule, n.Formula):
        for bound in (rule.low, rule.high):
            if isinstance(bound, n.Number):
                yield bound.value, _clamp_bound(format_value(bound.value))
            elif isinstance(bound, n.Unary) and isinstance(bound.operand, n.Number):
                yield -bound.operand.value, _clamp_bound(f"-{format_value(bound.operand.value)}")


def _rate_outside(dom: Domain) -> Decimal | None:
    """A rate the declarations allow outside 0 .. 100 %, if any: the witness reported."""
    values, kind, _ = dom
    if kind != "rate":
        return None  # not a rate at all: a type error, reported as such
    if values.high is None or values.high > 1:
        return Decimal(2) if values.high is None else values.high
    if values.low is None or values.low < 0:
        return Decimal(-1) if values.low is None else values.low
    return None


def _clamp_bound(value: str) -> Said:
    return Said(f"clamp bound {value}", f"mốc giới hạn {value}")


def _due(due: n.DateValue | n.DayOfYear) -> str:
    if isinstance(due, n.DateValue):
        return due.value.isoformat()
    return f"{due.day:02d}/{due.month:02d}" + (" next_year" if due.years_after else "")


def _points_in_range(
    what: Said,
    item: n.Node | n.Adjustment,
    rule: n.Rule,
    inputs: dict[str, n.InputDecl],
    all_variants: list[Variant],
    sink: DiagnosticSink,
) -> None:
    reported: set[Said | str] = set()
    for unit_type, tags in all_variants:
        if not item.header.applies(unit_type, tags):
            continue
        maximum = item.header.max_for(unit_type, tags)
        if maximum is None:
            continue
        for points, where in _constant_points(rule):
            if (points > maximum or points < 0) and where not in reported:
                reported.add(where)
                sink.report(
                    "E313",
                    rule.span,
                    what=Said(f"{what.en} («{where.en}»)", f"{what.vi} («{where.vi}»)"),
                    points=format_value(points),
                    maximum=format_value(maximum),
                    unit_type=unit_type + "".join(f" + {t}" for t in sorted(tags)),
                    hint=Said(
                        "points per unit type go with maxima per unit type: split the criterion",
                        "điểm khác nhau theo loại đơn vị cần điểm tối đa theo loại đơn vị: "
                        "tách tiêu chí",
                    ),
                )
        declared = reads(rule.rate) <= inputs.keys() if isinstance(rule, n.Proportional) else False
        if isinstance(rule, n.Proportional) and declared and "rate" not in reported:
            witness = _rate_outside(domain(rule.rate, inputs))
            if witness is not None:
                reported.add("rate")
                rate = iv.show(witness, "rate")
                sink.report(
                    "E313",
                    rule.span,
                    what=Said(
                        f"{what.en} (proportional, at a rate of {rate})",
                        f"{what.vi} (theo tỷ lệ, khi tỷ lệ là {rate})",
                    ),
                    points=format_value(witness * maximum),
                    maximum=format_value(maximum),
                    unit_type=unit_type + "".join(f" + {t}" for t in sorted(tags)),
                    hint=Said(
                        "declare the inputs' ranges so the rate stays in 0% .. 100%, or use "
                        "a formula with a clamp",
                        "khai báo khoảng giá trị của đầu vào để tỷ lệ nằm trong 0% .. 100%, hoặc "
                        "dùng công thức có giới hạn",
                    ),
                )
        off_scale = isinstance(rule, n.Judged) and rule.step > 0 and (maximum / rule.step) % 1
        if off_scale and "judged" not in reported:
            assert isinstance(rule, n.Judged)
            reported.add("judged")
            sink.report(
                "E314",
                rule.span,
                step=format_value(rule.step),
                maximum=format_value(maximum),
                what=what,
                unit_type=unit_type,
            )


# --- ratios and outcomes -----------------------------------------------------------------------


def _denominators(expr: n.Expr) -> Iterator[n.InputRef]:
    if isinstance(expr, n.Binary):
        if expr.op == "/" and isinstance(expr.right, n.InputRef):
            yield expr.right
        yield from _denominators(expr.left)
        yield from _denominators(expr.right)
    elif isinstance(expr, n.Unary):
        yield from _denominators(expr.operand)
    elif isinstance(expr, n.Call):
        for arg in expr.args:
            yield from _denominators(arg)


def rule_exprs(rule: n.Rule) -> list[n.Expr]:
    if isinstance(rule, n.YesNo):
        return [rule.condition]
    if isinstance(rule, n.Proportional):
        return [rule.rate]
    if isinstance(rule, n.Formula):
        return [rule.expr]
    return [rule.subject]


def reads(expr: n.Expr) -> set[str]:
    if isinstance(expr, n.InputRef):
        return {expr.name}
    if isinstance(expr, n.Binary):
        return reads(expr.left) | reads(expr.right)
    if isinstance(expr, n.Unary):
        return reads(expr.operand)
    if isinstance(expr, n.Call):
        return set().union(*(reads(arg) for arg in expr.args))
    return set()


def _zero_denominators(
    what: Said,
    item: n.Node | n.Adjustment,
    rule: n.Rule,
    inputs: dict[str, n.InputDecl],
    sink: DiagnosticSink,
) -> None:
    guarded: set[str] = set()
    for expr in rule_exprs(rule):
        for ref in _denominators(expr):
            decl = inputs.get(ref.name)
            if decl is None or ref.name in guarded:
                continue
            if any(_truth(c.condition, ref.name) for c in item.outcomes):
                continue  # an outcome is taken whenever the denominator is 0
            low = decl.low.value if decl.low is not None else None
            if decl.default is None and low is not None and low > 0:
                continue  # declared never to be 0
            sink.report(
                "E315",
                ref.span,
                what=what,
                name=ref.name,
                hint=hint(
                    "e.g. `{code}`", "ví dụ `{code}`", f"when {ref.name} = 0: not_applicable full"
                ),
            )
            guarded.add(ref.name)


def _truth(condition: n.Expr, zero: str) -> bool | None:
    """The condition's value when input `zero` is 0, whatever the other inputs are; None when
    that depends on them. Only True makes an outcome a guard against dividing by `zero`."""
    if isinstance(condition, n.Boolean):
        return condition.value
    if isinstance(condition, n.Unary) and condition.op == "not":
        inner = _truth(condition.operand, zero)
        return None if inner is None else not inner
    if not isinstance(condition, n.Binary):
        return None
    if condition.op in {"and", "or"}:
        sides = {_truth(condition.left, zero), _truth(condition.right, zero)}
        deciding = condition.op == "or"  # True decides an `or`, False an `and`
        if deciding in sides:
            return deciding
        return None if None in sides else not deciding
    left, right = _known(condition.left, zero), _known(condition.right, zero)
    if left is None or right is None or condition.op not in COMPARISONS:
        return None
    return COMPARISONS[condition.op](left, right)


def _known(expr: n.Expr, zero: str) -> Decimal | None:
    if isinstance(expr, n.Number):
        return expr.value / 100 if expr.percent else expr.value
    if isinstance(expr, n.InputRef) and expr.name == zero:
        return Decimal(0)
    if isinstance(expr, n.Unary) and expr.op == "-":
        inner = _known(expr.operand, zero)
        return None if inner is None else -inner
    return None


def _possible(
    what: Said, clause: n.OutcomeClause, inputs: dict[str, n.InputDecl], sink: DiagnosticSink
) -> None:
    """An outcome whose condition compares one input with a constant, and that no value of the
    input's domain satisfies."""
    condition = clause.condition
    if not (
        isinstance(condition, n.Binary)
        and condition.op in {"=", "!=", "<", "<=", ">", ">="}
        and isinstance(condition.left, n.InputRef)
        and isinstance(condition.right, n.Number)
    ):
        return
    values, kind, whole = domain(condition.left, inputs)
    if values == iv.Range():
        return
    constant = condition.right.value
    wanted = {
        "=": iv.Range(constant, True, constant, True),
        "<": iv.Range(None, True, constant, False),
        "<=": iv.Range(None, True, constant, True),
        ">": iv.Range(constant, False, None, True),
        ">=": iv.Range(constant, True, None, True),
    }.get(condition.op)
    if wanted is None:
        return
    points = iv.candidates([wanted], values, whole)
    if not any(wanted.holds(p) for p in points):
        low = iv.show(values.low, kind) if values.low is not None else "−∞"
        high = iv.show(values.high, kind) if values.high is not None else "∞"
        effect = f" {clause.effect.value}" if clause.effect else ""
        sink.report(
            "E320",
            clause.span,
            clause=code(f"when … : {clause.outcome.value}{effect}"),
            what=what,
            name=condition.left.name,
            low=low,
            high=high,
        )
