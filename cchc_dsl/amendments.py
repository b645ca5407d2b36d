"""Stage 2b: a base regulation and the amendments in force → one consolidated `Policy`.

Amendments apply in the order they took effect (then were issued). Each operation names what it
touches by id; a name that is not there is reported with a did-you-mean, and the operation is
skipped so that every problem of every amendment shows in one run. The consolidated text keeps
each node's span, so later diagnostics point into whichever file a node came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, Said, also, did_you_mean
from cchc_dsl.source import Span

ALSO_CHANGED = Said("also changed here", "cũng sửa ở đây")
REPLACES = Said("replaces", "thay thế")


def amendment_order(amendment: n.Amendment) -> tuple[str, str, str]:
    meta = amendment.metadata
    return (
        meta.effective.isoformat() if meta.effective else "",
        meta.issued.isoformat() if meta.issued else "",
        meta.decision or "",
    )


def apply_amendments(
    base: n.Policy, amendments: Sequence[n.Amendment], sink: DiagnosticSink
) -> n.Policy:
    ordered = sorted(amendments, key=amendment_order)
    _same_day_conflicts(ordered, sink)
    editor = _Editor(base, sink)
    for amendment in ordered:
        editor.apply(amendment)
    return editor.result()


def touched(amendment: n.Amendment) -> dict[str, Span]:
    """The ids an amendment changes, with where it says so."""
    found: dict[str, Span] = {}
    for op in amendment.operations:
        if isinstance(op, n.Replace | n.Add):
            found.setdefault(op.item.id, op.span)
        elif isinstance(op, n.Remove):
            for node_id in op.ids:
                found.setdefault(node_id, op.span)
        else:
            found.setdefault(op.id, op.span)
    return found


def _same_day_conflicts(ordered: list[n.Amendment], sink: DiagnosticSink) -> None:
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            day = first.metadata.effective
            if day is None or second.metadata.effective != day:
                continue
            mine = touched(first)
            for node_id, span in touched(second).items():
                if node_id in mine:
                    sink.report(
                        "E232",
                        span,
                        first=first.metadata.decision or first.metadata.title,
                        second=second.metadata.decision or second.metadata.title,
                        date=day.isoformat(),
                        id=node_id,
                        secondary=[also(mine[node_id], ALSO_CHANGED)],
                    )


class _Editor:
    """The regulation's tree held as parent → child ids while operations rearrange it."""

    def __init__(self, base: n.Policy, sink: DiagnosticSink) -> None:
        self.sink = sink
        self.policy = base
        self.nodes: dict[str, n.Node] = {}
        self.children: dict[str | None, list[str]] = {None: []}
        self.parent: dict[str, str | None] = {}
        for root in base.nodes:
            self._insert(root, None, None)
        self.adjustments: list[n.Adjustment | n.AdjustmentGroup] = list(base.adjustments)
        self.decision = ""
        self.amended_by: list[str] = []
        self.notes = list(base.metadata.notes)

    # --- the tree -----------------------------------------------------------------------------

    def _insert(self, node: n.Node, parent: str | None, after: str | None) -> None:
        siblings = self.children.setdefault(parent, [])
        position = siblings.index(after) + 1 if after in siblings else len(siblings)
        siblings.insert(position, node.id)
        self.parent[node.id] = parent
        self.nodes[node.id] = attrs.evolve(node, children=())
        self.children[node.id] = []
        for child in node.children:
            self._insert(child, node.id, None)

    def _detach(self, node_id: str) -> None:
        self.children[self.parent[node_id]].remove(node_id)
        for child in list(self.children.get(node_id, [])):
            self._detach(child)
        del self.nodes[node_id], self.parent[node_id], self.children[node_id]

    def _rebuild(self, node_id: str) -> n.Node:
        kids = tuple(self._rebuild(child) for child in self.children[node_id])
        return attrs.evolve(self.nodes[node_id], children=kids)

    def result(self) -> n.Policy:
        meta = attrs.evolve(
            self.policy.metadata,
            amended_by=self.policy.metadata.amended_by + tuple(self.amended_by),
            notes=tuple(dict.fromkeys(self.notes)),
        )
        return attrs.evolve(
            self.policy,
            metadata=meta,
            nodes=tuple(self._rebuild(root) for root in self.children[None]),
            adjustments=tuple(self.adjustments),
        )

    # --- operations ---------------------------------------------------------------------------

    def apply(self, amendment: n.Amendment) -> None:
        self.decision = amendment.metadata.decision or amendment.metadata.title
        self.amended_by.append(self.decision)
        self.notes.extend(amendment.metadata.notes)
        for op in amendment.operations:
            if isinstance(op, n.Replace):
                self._replace(op)
            elif isinstance(op, n.Add):
                self._add(op)
            elif isinstance(op, n.Remove):
                for node_id, span in zip(
                    op.ids, op.id_spans or (op.span,) * len(op.ids), strict=True
                ):
                    self._remove(node_id, span)
            elif isinstance(op, n.Change):
                self._change(op)
            else:
                self._move(op)
        self._declarations(amendment)

    def _missing(self, what: Said, node_id: str, span: Span) -> None:
        known = list(self.nodes) + [a.id for a in self._all_adjustments()]
        self.sink.report(
            "E230",
            span,
            decision=self.decision,
            what=what,
            id=node_id,
            hint=did_you_mean(node_id, known),
        )

    def _replace(self, op: n.Replace) -> None:
        item = op.item
        if isinstance(item, n.Adjustment):
            if not self._swap_adjustment(item.id, item):
                self._missing(REPLACES, item.id, op.span)
            return
        if item.id not in self.nodes:
            self._missing(REPLACES, item.id, op.span)
            return
        parent = self.parent[item.id]
        siblings = self.children[parent]
        index = siblings.index(item.id)
        before = siblings[index - 1] if index > 0 else None
        self._detach(item.id)
        self._insert(item, parent, before)
        if before is None:  # keep it first among its siblings
            siblings.remove(item.id)
            siblings.insert(0, item.id)

    def _add(self, op: n.Add) -> None:
        item = op.item
        if item.id in self.nodes or any(a.id == item.id for a in self._all_adjustments()):
            self.sink.report("E231", op.span, decision=self.decision, id=item.id)
            return
        if isinstance(item, n.Adjustment):
            self.adjustments.append(item)
            return
        found, parent = self._parent_for(item.id, op.placement, op.span)
        if found:
            self._insert(item, parent, self._after(op.placement, parent, op.span))

    def _parent_for(
        self, node_id: str, placement: n.Placement, span: Span
    ) -> tuple[bool, str | None]:
        """(found, parent): the parent named, or read off a dotted id (7.6 goes under 7)."""
        parent = placement.under
        if parent is None and "." in node_id:
            parent = node_id.rsplit(".", 1)[0]
        if parent is not None and parent not in self.nodes:
            self._missing(
                Said("puts a node under", "đặt một mục vào"),
                parent,
                placement.span if placement.under else span,
            )
            return False, None
        return True, parent

    def _after(self, placement: n.Placement, parent: str | None, span: Span) -> str | None:
        if placement.after is None:
            return None
        if placement.after not in self.children.get(parent, []):
            self._missing(
                Said("puts a node after", "đặt một mục sau"),
                placement.after,
                placement.span or span,
            )
            return None
        return placement.after

    def _remove(self, node_id: str, span: Span) -> None:
        if node_id in self.nodes:
            self._detach(node_id)
        elif any(d.name == node_id for d in self.policy.inputs):  # an input no rule reads now
            inputs = tuple(d for d in self.policy.inputs if d.name != node_id)
            self.policy = attrs.evolve(self.policy, inputs=inputs)
        elif not self._drop_adjustment(node_id):
            self._missing(Said("removes", "bãi bỏ"), node_id, span)

    def _change(self, op: n.Change) -> None:
        if op.id in self.nodes:
            node = self.nodes[op.id]
            self.nodes[op.id] = attrs.evolve(node, header=_merged(node.header, op.header))
            return
        found = next((a for a in self._all_adjustments() if a.id == op.id), None)
        if found is None:
            self._missing(Said("changes", "sửa"), op.id, op.span)
            return
        changed = attrs.evolve(
            found, header=_merged(found.header, op.header), target=op.target or found.target
        )
        self._swap_adjustment(op.id, changed)

    def _move(self, op: n.Move) -> None:
        if op.id not in self.nodes:
            self._missing(Said("moves", "chuyển"), op.id, op.span)
            return
        placement = op.placement
        new_id = placement.new_id or op.id
        if new_id != op.id and new_id in self.nodes:
            self.sink.report("E231", placement.span, decision=self.decision, id=new_id)
            return
        found, parent = self._parent_for(new_id, placement, op.span)
        if not found:
            return
        subtree = self._rebuild(op.id)
        self._detach(op.id)
        self._insert(
            attrs.evolve(subtree, id=new_id), parent, self._after(placement, parent, op.span)
        )

    # --- adjustments and declarations ---------------------------------------------------------

    def _all_adjustments(self) -> list[n.Adjustment]:
        return n.all_adjustments(attrs.evolve(self.policy, adjustments=tuple(self.adjustments)))

    def _swap_adjustment(self, adjustment_id: str, new: n.Adjustment) -> bool:
        for index, item in enumerate(self.adjustments):
            if isinstance(item, n.Adjustment) and item.id == adjustment_id:
                self.adjustments[index] = new
                return True
            if isinstance(item, n.AdjustmentGroup):
                members = [new if m.id == adjustment_id else m for m in item.members]
                if members != list(item.members):
                    self.adjustments[index] = attrs.evolve(item, members=tuple(members))
                    return True
        return False

    def _drop_adjustment(self, adjustment_id: str) -> bool:
        for index, item in enumerate(self.adjustments):
            if isinstance(item, n.Adjustment) and item.id == adjustment_id:
                del self.adjustments[index]
                return True
            if isinstance(item, n.AdjustmentGroup) and any(
                m.id == adjustment_id for m in item.members
            ):
                members = tuple(m for m in item.members if m.id != adjustment_id)
                self.adjustments[index] = attrs.evolve(item, members=members)
                return True
        return False

    def _declarations(self, amendment: n.Amendment) -> None:
        """Declarations in an amendment replace those of the same name, or are added."""
        policy = self.policy
        unit_types = _merge_by(policy.unit_types, amendment.unit_types, lambda d: d.name)
        inputs = _merge_by(policy.inputs, amendment.inputs, lambda d: d.name)
        bands = _merge_by(policy.bands, amendment.bands, lambda t: frozenset(t.unit_types))
        self.policy = attrs.evolve(
            policy,
            unit_types=unit_types,
            inputs=inputs,
            bands=bands,
            survey=amendment.survey or policy.survey,
            clamp=amendment.clamp or policy.clamp,
            rounding=amendment.rounding or policy.rounding,
            ranking=amendment.ranking or policy.ranking,
            declared_total=amendment.declared_total or policy.declared_total,
        )


def _merged(old: n.Header, new: n.Header) -> n.Header:
    """The header items an amendment gives replace the old ones; the rest stay."""
    new_names = {name for name, _ in new.names}
    return n.Header(
        maxima=new.maxima or old.maxima,
        only=new.only or old.only,
        excluded=new.excluded or old.excluded,
        citation=new.citation or old.citation,
        names=new.names + tuple(p for p in old.names if p[0] not in new_names),
        span=new.span,
    )


T = TypeVar("T")


def _merge_by(
    old: tuple[T, ...], new: tuple[T, ...], key: Callable[[T], Hashable]
) -> tuple[T, ...]:
    """`old` with the items of `new` that share a key put in their place, the others appended."""
    replaced = {key(item): item for item in new}
    kept = [replaced.pop(key(item), item) for item in old]
    return tuple(kept + list(replaced.values()))
