"""Mutation test of `check`: plant one defect at a time in the tree of each shipped policy and
require the check that should see it to report its code.

A test that only runs clean files proves nothing about the checks' power to find conflicts; a
hand-written bad case proves it once, on a toy. Here every shipped regulation (the consolidated
`Policy` of each province folder, and the example file) gets each kind of defect at several real
places, by `attrs.evolve` on the built tree (never the text), so that what is measured is the
checks alone. Some kinds need a place the regulations do not offer as written (no step table
lacks `otherwise`, no deadline has two late steps): those first make a clean variant (the `base`),
proved clean here too, and plant the defect into it.

Run with `pytest -s tests/test_mutations.py` to see found/planted per code.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from cchc_dsl import nodes as n
from cchc_dsl.api import load
from cchc_dsl.checks import run_checks
from cchc_dsl.checks.rules import reads
from cchc_dsl.diagnostics import Diagnostic, DiagnosticSink, Severity

ROOT = Path(__file__).resolve().parent.parent
POLICIES = {
    "example": ROOT / "policies/example/mau.cchc",
    "tayninh": ROOT / "policies/tayninh",
    "hanoi": ROOT / "policies/hanoi",
    "cantho": ROOT / "policies/cantho",
}
PLACES = 3  # places tried per kind of defect and policy
MIN_PLANTED = 60
ONE = Decimal(1)

Item = n.Node | n.Adjustment


@attrs.frozen
class Planted:
    """One defect in one policy: what it is, where it went, and the code it must give."""

    policy: str
    kind: str
    code: str
    where: str
    mutant: n.Policy
    base: n.Policy | None = None  # the clean variant it was planted into, when not the shipped one

    @property
    def key(self) -> str:
        return f"{self.policy}: {self.kind} at {self.where}"


@attrs.frozen
class Place:
    where: str
    mutant: n.Policy
    base: n.Policy | None = None


Mutation = Callable[[n.Policy], Iterator[Place]]


# --- checking -------------------------------------------------------------------------------------


def diagnostics(policy: n.Policy) -> list[Diagnostic]:
    sink = DiagnosticSink()
    run_checks(policy, sink)
    return list(sink)


def problems(policy: n.Policy) -> list[str]:
    """Errors and warnings: what a clean policy must not have."""
    return [d.one_line() for d in diagnostics(policy) if d.severity is not Severity.NOTE]


def is_clean(policy: n.Policy) -> bool:
    return not problems(policy)


@functools.cache
def shipped(name: str) -> n.Policy:
    return load(POLICIES[name]).policy


# --- reading and rebuilding the tree --------------------------------------------------------------


def items(policy: n.Policy) -> list[Item]:
    """Every scored leaf and adjustment, in the order written."""
    nodes: list[Item] = [node for node in n.walk(policy.nodes) if node.rule is not None]
    return nodes + list(n.all_adjustments(policy))


def leaves(nodes: tuple[n.Node, ...]) -> list[n.Node]:
    return [node for node in n.walk(nodes) if not node.children]


def plain_types(policy: n.Policy) -> list[str]:
    return [d.name for d in policy.unit_types if not d.is_tag]


def with_node(policy: n.Policy, node_id: str, change: Callable[[n.Node], n.Node]) -> n.Policy:
    def rebuild(nodes: tuple[n.Node, ...]) -> tuple[n.Node, ...]:
        return tuple(
            change(node)
            if node.id == node_id
            else attrs.evolve(node, children=rebuild(node.children))
            if node.children
            else node
            for node in nodes
        )

    return attrs.evolve(policy, nodes=rebuild(policy.nodes))


def with_adjustment(
    policy: n.Policy, adjustment_id: str, change: Callable[[n.Adjustment], n.Adjustment]
) -> n.Policy:
    def one(item: n.Adjustment) -> n.Adjustment:
        return change(item) if item.id == adjustment_id else item

    out: list[n.Adjustment | n.AdjustmentGroup] = []
    for item in policy.adjustments:
        if isinstance(item, n.AdjustmentGroup):
            out.append(attrs.evolve(item, members=tuple(one(m) for m in item.members)))
        else:
            out.append(one(item))
    return attrs.evolve(policy, adjustments=tuple(out))


def with_item(policy: n.Policy, item: Item, change: Callable[[Item], Item]) -> n.Policy:
    if isinstance(item, n.Node):
        return with_node(policy, item.id, change)  # type: ignore[arg-type]
    return with_adjustment(policy, item.id, change)  # type: ignore[arg-type]


def with_fields(policy: n.Policy, item: Item, **changes: object) -> n.Policy:
    """The policy with `item` (a node or an adjustment) changed as `attrs.evolve` does."""
    return with_item(policy, item, lambda it: attrs.evolve(it, **changes))  # type: ignore[arg-type]


def with_rule(policy: n.Policy, item: Item, rule: n.Rule) -> n.Policy:
    return with_fields(policy, item, rule=rule)


def headed(policy: n.Policy) -> list[Item]:
    """Every node and adjustment: what has a header."""
    return [*n.walk(policy.nodes), *n.all_adjustments(policy)]


def what(item: Item) -> str:
    return f"{item.kind.value} {item.id}"


SUBJECT_FIELD = {n.YesNo: "condition", n.Proportional: "rate", n.Formula: "expr"}


def subject(rule: n.Rule) -> n.Expr:
    return getattr(rule, SUBJECT_FIELD.get(type(rule), "subject"))  # type: ignore[no-any-return]


def with_subject(rule: n.Rule, expr: n.Expr) -> n.Rule:
    return attrs.evolve(rule, **{SUBJECT_FIELD.get(type(rule), "subject"): expr})  # type: ignore[arg-type]


def renamed(expr: n.Expr, old: str, new: str) -> n.Expr:
    if isinstance(expr, n.InputRef):
        return attrs.evolve(expr, name=new) if expr.name == old else expr
    if isinstance(expr, n.Binary):
        return attrs.evolve(
            expr, left=renamed(expr.left, old, new), right=renamed(expr.right, old, new)
        )
    if isinstance(expr, n.Unary):
        return attrs.evolve(expr, operand=renamed(expr.operand, old, new))
    if isinstance(expr, n.Call):
        return attrs.evolve(expr, args=tuple(renamed(a, old, new) for a in expr.args))
    return expr


def denominators(expr: n.Expr) -> Iterator[str]:
    if isinstance(expr, n.Binary):
        if expr.op == "/" and isinstance(expr.right, n.InputRef):
            yield expr.right.name
        yield from denominators(expr.left)
        yield from denominators(expr.right)
    elif isinstance(expr, n.Unary):
        yield from denominators(expr.operand)
    elif isinstance(expr, n.Call):
        for arg in expr.args:
            yield from denominators(arg)


def bumped(header: n.Header, by: Decimal = ONE) -> n.Header:
    maxima = tuple(attrs.evolve(e, points=e.points + by) for e in header.maxima)
    return attrs.evolve(header, maxima=maxima)


# --- intervals, judged here independently of the checks -------------------------------------------

Domain = tuple[Decimal | None, Decimal | None, bool]  # low, high, whole numbers only


def domain(expr: n.Expr, policy: n.Policy) -> Domain | None:
    """The values a step table's subject takes, as the language defines them (docs/language.md):
    a percent 0–100 %, a count a whole number ≥ 0, a declared range narrows either, and a count
    divided by a count is a share."""
    inputs = {d.name: d for d in policy.inputs}
    if isinstance(expr, n.Binary) and expr.op == "/":
        return Decimal(0), ONE, False
    if not isinstance(expr, n.InputRef) or expr.name not in inputs:
        return None
    decl = inputs[expr.name]
    low = decl.low.value if decl.low is not None else None
    high = decl.high.value if decl.high is not None else None
    if decl.type in {n.InputType.PERCENT, n.InputType.SURVEY}:
        return low or Decimal(0), high or ONE, False
    if decl.type is n.InputType.COUNT:
        return max(low or Decimal(0), Decimal(0)), high, True
    if decl.type is n.InputType.DATE:
        return None
    return low, high, False


def value(number: n.Number | n.DateValue) -> Decimal:
    assert isinstance(number, n.Number), "date bounds are not mutated here"
    return number.value


def holds(interval: n.Interval, x: Decimal) -> bool:
    if interval.equal is not None:
        return x == interval.equal.value
    low, high = interval.lower, interval.upper
    if low is not None and (x < value(low.value) or (x == value(low.value) and not low.inclusive)):
        return False
    return not (
        high is not None
        and (x > value(high.value) or (x == value(high.value) and not high.inclusive))
    )


def in_domain(x: Decimal, dom: Domain) -> bool:
    low, high, whole = dom
    return (low is None or x >= low) and (high is None or x <= high) and (not whole or x % 1 == 0)


def low_key(interval: n.Interval) -> Decimal:
    if interval.equal is not None:
        return interval.equal.value
    return value(interval.lower.value) if interval.lower else Decimal("-Infinity")


def high_key(interval: n.Interval) -> Decimal:
    if interval.equal is not None:
        return interval.equal.value
    return value(interval.upper.value) if interval.upper else Decimal("Infinity")


def numeric(intervals: list[n.Interval]) -> bool:
    bounds = [b.value for i in intervals for b in (i.lower, i.upper) if b is not None]
    return all(isinstance(b, n.Number) for b in bounds)


def step_tables(policy: n.Policy) -> Iterator[tuple[Item, n.Steps | n.Survey, Domain]]:
    """Every step table on numbers, with its subject's domain."""
    for item in items(policy):
        rule = item.rule
        if isinstance(rule, n.Steps | n.Survey) and rule.steps:
            dom = domain(rule.subject, policy)
            if dom is not None and numeric([s.interval for s in rule.steps]):
                yield item, rule, dom


def step_at(rule: n.Steps | n.Survey, index: int, step: n.Step) -> n.Steps | n.Survey:
    steps = list(rule.steps)
    steps[index] = step
    return attrs.evolve(rule, steps=tuple(steps))


def show(interval: n.Interval) -> str:
    def one(number: n.Number | n.DateValue) -> str:
        x = value(number)
        return (
            f"{(x * 100).normalize():f}%"
            if getattr(number, "percent", False)
            else f"{x.normalize():f}"
        )

    if interval.equal is not None:
        return f"= {one(interval.equal)}"
    words = []
    if interval.lower is not None:
        words.append(
            ("from " if interval.lower.inclusive else "above ") + one(interval.lower.value)
        )
    if interval.upper is not None:
        words.append(("to " if interval.upper.inclusive else "below ") + one(interval.upper.value))
    return " ".join(words)


def number_like(bound: n.Bound, x: Decimal) -> n.Number:
    """A bound's number with another value, keeping whether it is written as a percentage."""
    assert isinstance(bound.value, n.Number)
    return attrs.evolve(bound.value, value=x)


# --- E30x: maxima ---------------------------------------------------------------------------------


def leaf_max_under_field(policy: n.Policy) -> Iterator[Place]:
    """Bump one leaf's max and keep its field's declared max: the field no longer adds up."""
    types = plain_types(policy)
    for field in policy.nodes:
        if not field.header.maxima:
            continue
        for leaf in leaves(field.children):
            if any(leaf.header.applies(t) and field.header.max_for(t) is not None for t in types):
                mutant = with_node(
                    policy, leaf.id, lambda x: attrs.evolve(x, header=bumped(x.header))
                )
                yield Place(f"{leaf.id} (field {field.id})", mutant)
                break


def leaf_max_under_total(policy: n.Policy) -> Iterator[Place]:
    """Bump the last leaf of each field: the unit types it applies to miss `total max`."""
    declared = policy.declared_total
    if declared is None:
        return
    for field in policy.nodes:
        for leaf in reversed(leaves(field.children)):
            if any(
                leaf.header.applies(t) and declared.max_for(t) is not None
                for t in plain_types(policy)
            ):
                mutant = with_node(
                    policy, leaf.id, lambda x: attrs.evolve(x, header=bumped(x.header))
                )
                yield Place(leaf.id, mutant)
                break


def field_max(policy: n.Policy) -> Iterator[Place]:
    """Bump a field's declared max: it no longer is what its criteria add up to."""
    for field in policy.nodes:
        if field.header.maxima and field.children:
            mutant = with_node(policy, field.id, lambda x: attrs.evolve(x, header=bumped(x.header)))
            yield Place(f"field {field.id}", mutant)


# --- E31x: rules ----------------------------------------------------------------------------------


def steps_touching_made_inclusive(policy: n.Policy) -> Iterator[Place]:
    """Make a step's exclusive bound inclusive where a neighbouring step takes that value."""
    for item, rule, dom in step_tables(policy):
        found = next(
            (
                (i, side)
                for i, step in enumerate(rule.steps)
                for side in ("lower", "upper")
                if (bound := getattr(step.interval, side)) is not None
                and not bound.inclusive
                and in_domain(value(bound.value), dom)
                and any(
                    holds(other.interval, value(bound.value))
                    for j, other in enumerate(rule.steps)
                    if j != i
                )
            ),
            None,
        )
        if found is None:
            continue
        i, side = found
        step = rule.steps[i]
        bound = attrs.evolve(getattr(step.interval, side), inclusive=True)
        new = attrs.evolve(step, interval=attrs.evolve(step.interval, **{side: bound}))
        where = f"{what(item)}: «{show(step.interval)}» → «{show(new.interval)}»"
        yield Place(where, with_rule(policy, item, step_at(rule, i, new)))


def step_extended_past_next(policy: n.Policy) -> Iterator[Place]:
    """Extend a step's upper bound into the range of the next step up."""
    for item, rule, dom in step_tables(policy):
        order = sorted(range(len(rule.steps)), key=lambda k: low_key(rule.steps[k].interval))
        for a, b in itertools.pairwise(order):
            lower, upper = rule.steps[a], rule.steps[b]
            top, start = lower.interval.upper, upper.interval.lower
            if top is None or start is None or upper.interval.equal is not None:
                continue
            begin = value(start.value)
            end = value(upper.interval.upper.value) if upper.interval.upper else dom[1]
            if dom[2]:
                x, inclusive = begin + (0 if start.inclusive else 1), True
            else:
                x, inclusive = (begin + end) / 2 if end is not None else begin + 1, top.inclusive
            if not in_domain(x, dom) or not holds(upper.interval, x):
                continue
            new_top = n.Bound(number_like(top, x), inclusive)
            new = attrs.evolve(lower, interval=attrs.evolve(lower.interval, upper=new_top))
            where = f"{what(item)}: «{show(lower.interval)}» → «{show(new.interval)}»"
            yield Place(where, with_rule(policy, item, step_at(rule, a, new)))
            break


def completed(rule: n.Steps | n.Survey) -> Iterator[n.Steps | n.Survey]:
    """The table without `otherwise`, its points given by explicit steps below and/or above the
    written ones instead: candidates, the first clean one is used."""
    points = rule.otherwise if rule.otherwise is not None else Decimal(0)
    lowest = min(rule.steps, key=lambda s: low_key(s.interval)).interval
    highest = max(rule.steps, key=lambda s: high_key(s.interval)).interval
    fillers: list[n.Step] = []
    if lowest.equal is not None:
        fillers.append(n.Step(n.Interval(upper=n.Bound(lowest.equal, False)), points))
    elif lowest.lower is not None:
        below = n.Bound(lowest.lower.value, not lowest.lower.inclusive)
        fillers.append(n.Step(n.Interval(upper=below), points))
    if highest.equal is not None:
        fillers.append(n.Step(n.Interval(lower=n.Bound(highest.equal, False)), points))
    elif highest.upper is not None:
        above = n.Bound(highest.upper.value, not highest.upper.inclusive)
        fillers.append(n.Step(n.Interval(lower=above), points))
    for size in range(1, len(fillers) + 1):
        for chosen in itertools.combinations(fillers, size):
            yield attrs.evolve(rule, steps=rule.steps + chosen, otherwise=None)


def middle_step_dropped(policy: n.Policy) -> Iterator[Place]:
    """In a table without `otherwise`, drop a step that has steps below and above it."""
    for item, rule, _ in step_tables(policy):
        base = next(
            (
                (table, variant)
                for table in completed(rule)
                if is_clean(variant := with_rule(policy, item, table))
            ),
            None,
        )
        if base is None:
            continue
        table, variant = base
        order = sorted(table.steps, key=lambda s: low_key(s.interval))
        if len(order) < 3:
            continue
        dropped = order[1]
        rest = tuple(s for s in table.steps if s is not dropped)
        where = f"{what(item)}: «{show(dropped.interval)}» (table completed without otherwise)"
        yield Place(where, with_rule(policy, item, attrs.evolve(table, steps=rest)), variant)


def otherwise_dropped(policy: n.Policy) -> Iterator[Place]:
    """Drop `otherwise` where some value of the domain has no step."""
    for item, rule, dom in step_tables(policy):
        if rule.otherwise is None:
            continue
        written = {b for s in rule.steps for b in (low_key(s.interval), high_key(s.interval))}
        bounds = sorted(b for b in written | set(dom[:2]) if b is not None and b.is_finite())
        tries = bounds + [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
        tries += [bounds[0] - 1, bounds[-1] + 1]
        witness = next(
            (
                x
                for x in sorted(tries)
                if in_domain(x, dom) and not any(holds(s.interval, x) for s in rule.steps)
            ),
            None,
        )
        if witness is not None:
            mutant = with_rule(policy, item, attrs.evolve(rule, otherwise=None))
            yield Place(f"{what(item)} (no step takes {witness:f})", mutant)


def step_points_over_max(policy: n.Policy) -> Iterator[Place]:
    """Give a step more points than the node's largest max."""
    for item, rule, _ in step_tables(policy):
        if not item.header.maxima:
            continue
        points = max(e.points for e in item.header.maxima) + ONE
        new = attrs.evolve(rule.steps[0], points=points)
        where = f"{what(item)}: «{show(new.interval)}: {points}»"
        yield Place(where, with_rule(policy, item, step_at(rule, 0, new)))


def deadline_points_over_max(policy: n.Policy) -> Iterator[Place]:
    """Give a deadline more points on time than the node's largest max."""
    for item in items(policy):
        rule = item.rule
        if isinstance(rule, n.Deadline) and item.header.maxima:
            points = max(e.points for e in item.header.maxima) + ONE
            where = f"{what(item)}: on time {rule.on_time} → {points}"
            yield Place(where, with_rule(policy, item, attrs.evolve(rule, on_time=points)))


def judged_off_scale(policy: n.Policy) -> Iterator[Place]:
    """A judged step 0.4 of the smallest max: the max is 2.5 steps, out of reach."""
    for item in items(policy):
        if isinstance(item.rule, n.Judged) and item.header.maxima:
            step = min(e.points for e in item.header.maxima) * Decimal("0.4")
            where = f"{what(item)}: step {item.rule.step} → {step.normalize():f}"
            yield Place(where, with_rule(policy, item, attrs.evolve(item.rule, step=step)))


def late_steps_swapped(policy: n.Policy) -> Iterator[Place]:
    """Swap the first two late steps (after adding a second one where there is only one)."""
    for item in items(policy):
        rule = item.rule
        if not isinstance(rule, n.Deadline) or not rule.late:
            continue
        base = None
        late = rule.late
        if len(late) == 1:
            second = n.LateStep(late[0].days * 2, late[0].points / 2)
            late += (second,)
            rule = attrs.evolve(rule, late=late)
            base = with_rule(policy, item, rule)
        swapped = (late[1], late[0], *late[2:])
        where = f"{what(item)}: late {late[0].days} and {late[1].days} days swapped"
        mutant = with_rule(policy, item, attrs.evolve(rule, late=swapped))
        yield Place(where, mutant, base)


def zero_guard_removed(policy: n.Policy) -> Iterator[Place]:
    """Remove the outcome clauses that say what a zero denominator means."""
    inputs = {d.name: d for d in policy.inputs}
    for item in items(policy):
        assert item.rule is not None
        for name in denominators(subject(item.rule)):
            decl = inputs[name]
            positive = decl.default is None and decl.low is not None and decl.low.value > 0
            guards = [c for c in item.outcomes if name in reads(c.condition)]
            if positive or not guards:
                continue
            kept = tuple(c for c in item.outcomes if c not in guards)
            mutant = with_fields(policy, item, outcomes=kept)
            yield Place(f"{what(item)}: guard on {name} removed", mutant)
            break


def zero_guard_reversed(policy: n.Policy) -> Iterator[Place]:
    """Turn `when d = 0: …` for a denominator d into `when d > 0: …`: a slip that leaves zero
    with no outcome, though the clause still names d."""
    for item in items(policy):
        assert item.rule is not None
        for name in denominators(subject(item.rule)):
            k = next(
                (
                    k
                    for k, c in enumerate(item.outcomes)
                    if isinstance(c.condition, n.Binary)
                    and c.condition.op == "="
                    and c.condition.left == n.InputRef(name)
                    and c.condition.right == n.Number(Decimal(0))
                ),
                None,
            )
            if k is None:
                continue
            clause = item.outcomes[k]
            assert isinstance(clause.condition, n.Binary)
            reversed_ = attrs.evolve(clause, condition=attrs.evolve(clause.condition, op=">"))
            outcomes = (*item.outcomes[:k], reversed_, *item.outcomes[k + 1 :])
            mutant = with_fields(policy, item, outcomes=outcomes)
            yield Place(f"{what(item)}: when {name} = 0 → when {name} > 0", mutant)
            break


# --- E33x: bands ----------------------------------------------------------------------------------


def band_tables(policy: n.Policy) -> Iterator[tuple[int, n.BandTable]]:
    for index, table in enumerate(policy.bands):
        if numeric([b.interval for b in table.bands]):
            yield index, table


def with_bands(policy: n.Policy, index: int, bands: list[n.Band]) -> n.Policy:
    tables = list(policy.bands)
    tables[index] = attrs.evolve(tables[index], bands=tuple(bands))
    return attrs.evolve(policy, bands=tuple(tables))


def touching(table: n.BandTable) -> Iterator[tuple[int, int]]:
    """(i, j): band i starts where band j ends, inclusive on one side, exclusive on the other."""
    for i, band in enumerate(table.bands):
        low = band.interval.lower
        for j, other in enumerate(table.bands):
            high = other.interval.upper
            if (
                i != j
                and low is not None
                and high is not None
                and value(low.value) == value(high.value)
                and low.inclusive != high.inclusive
            ):
                yield i, j


def band_moved_down(policy: n.Policy) -> Iterator[Place]:
    """Move a band's lower bound halfway into the band below it."""
    for index, table in band_tables(policy):
        for i, j in touching(table):
            band, below = table.bands[i], table.bands[j]
            assert band.interval.lower is not None
            top = value(band.interval.lower.value)
            bottom = value(below.interval.lower.value) if below.interval.lower else Decimal(0)
            lower = n.Bound(number_like(band.interval.lower, (top + bottom) / 2), True)
            bands = list(table.bands)
            bands[i] = attrs.evolve(band, interval=attrs.evolve(band.interval, lower=lower))
            where = f"«{band.name}» «{show(band.interval)}» → «{show(bands[i].interval)}»"
            yield Place(where, with_bands(policy, index, bands))


def band_bound_made_exclusive(policy: n.Policy) -> Iterator[Place]:
    """Where two bands touch, make the inclusive side exclusive: the value falls between them."""
    for index, table in band_tables(policy):
        for i, j in touching(table):
            bands = list(table.bands)
            for k, side in ((i, "lower"), (j, "upper")):
                bound = getattr(bands[k].interval, side)
                if bound.inclusive:
                    interval = attrs.evolve(
                        bands[k].interval, **{side: attrs.evolve(bound, inclusive=False)}
                    )
                    where = f"«{bands[k].name}» «{show(bands[k].interval)}» → «{show(interval)}»"
                    bands[k] = attrs.evolve(bands[k], interval=interval)
                    yield Place(where, with_bands(policy, index, bands))


def end_band_removed(lowest: bool) -> Mutation:
    def mutation(policy: n.Policy) -> Iterator[Place]:
        for index, table in band_tables(policy):
            key = low_key if lowest else high_key
            pick = (min if lowest else max)(table.bands, key=lambda b: key(b.interval))
            rest = [b for b in table.bands if b is not pick]
            yield Place(f"«{pick.name}» removed", with_bands(policy, index, rest))

    mutation.__doc__ = f"Remove the {'lowest' if lowest else 'highest'} band: an end is bare."
    return mutation


def band_renamed(policy: n.Policy) -> Iterator[Place]:
    """Give a band its neighbour's name."""
    for index, table in band_tables(policy):
        for i in range(1, len(table.bands)):
            bands = list(table.bands)
            bands[i] = attrs.evolve(bands[i], name=bands[i - 1].name)
            yield Place(
                f"«{table.bands[i].name}» → «{bands[i].name}»", with_bands(policy, index, bands)
            )


# --- E34x, E350: usage ----------------------------------------------------------------------------


def unused_input(policy: n.Policy) -> Iterator[Place]:
    """Declare an input no rule reads."""
    for kind in (n.InputType.COUNT, n.InputType.YES_NO, n.InputType.PERCENT):
        decl = n.InputDecl(f"khong_dung_{kind.value}", kind, "Đầu vào không tiêu chí nào đọc")
        yield Place(f"input {decl.name}", attrs.evolve(policy, inputs=(*policy.inputs, decl)))


def counted_twice(policy: n.Policy) -> Iterator[Place]:
    """A second deduction per item of the event an existing per-item deduction counts."""
    for adjustment in n.all_adjustments(policy):
        rule = adjustment.rule
        if (
            adjustment.kind is n.AdjustmentKind.DEDUCTION
            and isinstance(rule, n.PerItem)
            and isinstance(rule.subject, n.InputRef)
        ):
            twin = attrs.evolve(adjustment, id=f"{adjustment.id}_lap", title="Trừ lặp")
            mutant = attrs.evolve(policy, adjustments=(*policy.adjustments, twin))
            yield Place(f"{twin.id} counts {rule.subject.name} like {adjustment.id}", mutant)


def bonus_unclamped(policy: n.Policy) -> Iterator[Place]:
    """Open the total's clamp above while a bonus adds to the total."""
    bonus = any(
        a.kind is n.AdjustmentKind.BONUS and a.target.kind == "total"
        for a in n.all_adjustments(policy)
    )
    if not bonus:
        return
    low = policy.clamp.low if policy.clamp is not None else n.Number(Decimal(0))
    yield Place("total clamp 0 ..", attrs.evolve(policy, clamp=n.Clamp(low, None)))
    yield Place("total no_clamp", attrs.evolve(policy, clamp=n.Clamp(None, None)))


# --- E20x: names ----------------------------------------------------------------------------------


def duplicate_id(policy: n.Policy) -> Iterator[Place]:
    """Give a node or an adjustment an id already in use."""
    fields = policy.nodes
    if len(fields) >= 2:
        first, second = fields[0].id, fields[1].id
        yield Place(
            f"field {second} → {first}",
            with_node(policy, second, lambda x: attrs.evolve(x, id=first)),
        )
    tree = leaves(policy.nodes)
    if len(tree) >= 2:
        first, second = tree[0].id, tree[1].id
        yield Place(
            f"leaf {second} → {first}",
            with_node(policy, second, lambda x: attrs.evolve(x, id=first)),
        )
    adjustments = n.all_adjustments(policy)
    if adjustments:
        taken, adjustment = tree[-1].id, adjustments[0]
        mutant = with_adjustment(policy, adjustment.id, lambda x: attrs.evolve(x, id=taken))
        yield Place(f"{adjustment.kind.value} {adjustment.id} → {taken}", mutant)


def undeclared_input(policy: n.Policy) -> Iterator[Place]:
    """Point a rule at an input nobody declared: one place per rule shape."""
    seen: set[type] = set()
    for item in items(policy):
        assert item.rule is not None
        names = sorted(reads(subject(item.rule)))
        if type(item.rule) in seen or not names:
            continue
        seen.add(type(item.rule))
        old, new = names[0], f"{names[0]}_chua_khai_bao"
        rule = with_subject(item.rule, renamed(subject(item.rule), old, new))
        where = f"{what(item)} ({type(item.rule).__name__}): {old} → {new}"
        yield Place(where, with_rule(policy, item, rule))


def unit_type_renamed(field: str, spans_too: bool = True) -> Mutation:
    """Rename a unit type in an `only` or `except`. With `spans_too` the tree reads as the builder
    makes it from such a text: `Header.names` (where each name was written) says the new name
    too; without, only the field changes, as in a tree made by a program."""

    def mutation(policy: n.Policy) -> Iterator[Place]:
        for item in headed(policy):
            written = getattr(item.header, field)
            if not written:
                continue
            old, new = written[0], f"{written[0]}_sai"
            header = attrs.evolve(item.header, **{field: (new, *written[1:])})  # type: ignore[arg-type]
            if spans_too:
                header = attrs.evolve(header, names=renamed_span(header.names, old, new))
            mutant = with_fields(policy, item, header=header)
            yield Place(f"{what(item)}: {field} {old} → {new}", mutant)

    return mutation


def renamed_span(names: n.NameSpans, old: str, new: str, last: bool = True) -> n.NameSpans:
    """The names with the last (or first) place `old` was written now saying `new`."""
    at = [k for k, (name, _) in enumerate(names) if name == old]
    k = at[-1] if last else at[0]
    return (*names[:k], (new, names[k][1]), *names[k + 1 :])


def max_for_unknown_type(policy: n.Policy) -> Iterator[Place]:
    """Rename the unit type of a `max … for T` entry, in the entry and where it was written."""
    for item in headed(policy):
        entries = item.header.maxima
        k = next((k for k, e in enumerate(entries) if e.applies_to), None)
        if k is None:
            continue
        old = entries[k].applies_to[0]
        new = f"{old}_sai"
        entry = attrs.evolve(entries[k], applies_to=(new, *entries[k].applies_to[1:]))
        header = attrs.evolve(
            item.header,
            maxima=(*entries[:k], entry, *entries[k + 1 :]),
            names=renamed_span(item.header.names, old, new, last=False),
        )
        mutant = with_fields(policy, item, header=header)
        yield Place(f"{what(item)}: max for {old} → {new}", mutant)


# --- the catalogue --------------------------------------------------------------------------------


@attrs.frozen
class Kind:
    name: str
    code: str
    mutation: Mutation
    places: int = PLACES


KINDS = [
    Kind("leaf max +1 under a field's declared max", "E301", leaf_max_under_field),
    Kind("leaf max +1 under the declared total max", "E303", leaf_max_under_total),
    Kind("field's declared max +1", "E301", field_max),
    Kind("touching step bound made inclusive", "E310", steps_touching_made_inclusive),
    Kind("step extended past the next step", "E310", step_extended_past_next),
    Kind("middle step dropped, no otherwise", "E311", middle_step_dropped),
    Kind("otherwise dropped, steps leave a gap", "E311", otherwise_dropped),
    Kind("step points above the max", "E313", step_points_over_max),
    Kind("deadline points above the max", "E313", deadline_points_over_max),
    Kind("judged step not dividing the max", "E314", judged_off_scale),
    Kind("zero-denominator guard removed", "E315", zero_guard_removed),
    Kind("zero-denominator guard reversed", "E315", zero_guard_reversed),
    Kind("late steps swapped", "E316", late_steps_swapped),
    Kind("band moved into its neighbour", "E330", band_moved_down),
    Kind("touching band bound made exclusive", "E331", band_bound_made_exclusive),
    Kind("lowest band removed", "E332", end_band_removed(lowest=True)),
    Kind("highest band removed", "E332", end_band_removed(lowest=False)),
    Kind("band renamed to a neighbour's name", "E333", band_renamed),
    Kind("bonus over a total unclamped above", "E340", bonus_unclamped),
    Kind("second per-item deduction of one event", "E341", counted_twice),
    Kind("input declared, never read", "E350", unused_input),
    Kind("id used twice", "E204", duplicate_id),
    Kind("rule reads an undeclared input", "E201", undeclared_input, places=8),  # every shape
    Kind("unknown unit type in only", "E202", unit_type_renamed("only")),
    Kind("unknown unit type in except", "E202", unit_type_renamed("excluded")),
    Kind("unknown unit type in max … for", "E202", max_for_unknown_type),
    Kind(
        "unknown unit type in only, Header.names untouched",
        "E202",
        unit_type_renamed("only", spans_too=False),
    ),
]


@functools.cache
def planted() -> tuple[Planted, ...]:
    out = []
    for policy_name in POLICIES:
        policy = shipped(policy_name)
        for kind in KINDS:
            for place in itertools.islice(kind.mutation(policy), kind.places):
                out.append(
                    Planted(
                        policy_name, kind.name, kind.code, place.where, place.mutant, place.base
                    )
                )
    return tuple(out)


def found(defect: Planted) -> bool:
    return defect.code in {d.code for d in diagnostics(defect.mutant)}


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(POLICIES))
def test_each_shipped_policy_checks_clean(name: str) -> None:
    """So that a finding on a mutant is due to its mutation."""
    assert problems(shipped(name)) == []


def test_each_prepared_base_checks_clean() -> None:
    """The clean variants some defects are planted into are clean indeed."""
    bases = {d.key: d.base for d in planted() if d.base is not None}
    assert bases, "no defect needed a prepared base: drop this test"
    assert {key: problems(base) for key, base in bases.items() if problems(base)} == {}


def test_every_planted_defect_is_found() -> None:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    missed = []
    for defect in planted():
        totals[defect.code] += 1
        if found(defect):
            hits[defect.code] += 1
        else:
            codes = sorted({d.code for d in diagnostics(defect.mutant)})
            missed.append(f"{defect.key}: expected {defect.code}, got {codes}")
    lines = [f"  {code}  {hits[code]:3d}/{totals[code]:<3d}" for code in sorted(totals)]
    planted_count, found_count = sum(totals.values()), sum(hits.values())
    summary = (
        f"found {found_count}/{planted_count} planted defects "
        f"({100 * found_count / planted_count:.1f} %); {len(missed)} missed"
    )
    print("\nmutation test, found/planted per code:\n" + "\n".join(lines) + "\n" + summary)  # noqa: T201
    assert planted_count >= MIN_PLANTED, summary
    assert missed == [], summary + "; missed:\n" + "\n".join(missed)
