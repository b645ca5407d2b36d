"""What changed between two regulations: `cchc-dsl diff OLD NEW`, for drafters reading an amendment.

Drafters amend the criteria every year or two, and provinces copy each other's; the diff says what
a unit is now scored on differently, with the article on each side. It compares the trees the
builder made, so layout, comments and the language of the keywords never show.

Matching is by id alone: a node whose parent differs is *moved*, and a renumbered node shows as
removed and added (guessing that 3.4 became 3.5 would be wrong as often as right). Maxima compare
as the `max … for …` entries resolve ({unit type, tag or "" for the default: points}), rules by
AST equality, applicability by the `only` / `except` sets of the node and its ancestors (so that
a move under a restricted field shows, and a parent's edit shows once, on the parent). A node's
citation is its own or its nearest ancestor's: where a reader finds it. What does not change a
score is left out: metadata (it heads the report instead), notes, and the order of siblings, bands
and blocks. Values print in the `.cchc` language with Vietnamese keywords, as a drafter writes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias, TypeVar

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.annex import annex_rows
from cchc_dsl.values import format_value

JSON_FORMAT = "cchc-dsl/diff/1"

# Every kind, in the order the reports group them.
KIND_HEADINGS = {
    "added": "Bổ sung",
    "removed": "Bãi bỏ",
    "moved": "Chuyển vị trí",
    "title": "Tên, cấp",
    "max": "Điểm tối đa",
    "rule": "Cách chấm",
    "applicability": "Đối tượng áp dụng",
    "outcomes": "Trường hợp không phát sinh, chưa thực hiện",
    "evidence": "Minh chứng",
    "citation": "Nguồn",
    "adjustment": "Điểm cộng, điểm trừ",
    "band": "Mức xếp loại",
    "bands": "Bảng xếp loại",
    "rounding": "Làm tròn",
    "survey": "Khảo sát",
    "clamp": "Giới hạn tổng điểm",
    "ranking": "Xếp hạng",
    "input": "Đầu vào",
    "unit_type": "Loại đơn vị, nhãn",
}

NONE_TEXT = "(không ghi)"


@attrs.frozen(slots=True)
class Change:
    """One difference; `old` is "" when something was added, `new` "" when it was removed."""

    kind: str
    node: str  # node or adjustment id, group title, band, block, input or unit type name
    old: str
    new: str
    old_citation: str
    new_citation: str
    summary: str

    @property
    def marker(self) -> str:
        if not self.old:
            return "+"
        return "−" if not self.new else "~"


# --- the diff ------------------------------------------------------------------------------------


def diff_policies(old: n.Policy, new: n.Policy) -> tuple[Change, ...]:
    """Changes in a fixed order: the tree (removed nodes at their old place), adjustments, bands,
    rounding, survey, clamp, ranking, inputs, unit types."""
    return (
        *_tree_changes(old, new),
        *_adjustment_changes(old, new),
        *_band_changes(old, new),
        *_setting_changes(old, new),
        *_input_changes(old, new),
        *_unit_type_changes(old, new),
    )


K = TypeVar("K")
T = TypeVar("T")


def _aligned(old: Mapping[K, T], new: Mapping[K, T]) -> list[tuple[K, T | None, T | None]]:
    """Keys in the new order, each key only the old has right after the one it followed there."""
    after: dict[K | None, list[K]] = {}
    anchor: K | None = None
    for key in old:
        if key in new:
            anchor = key
        else:
            after.setdefault(anchor, []).append(key)
    keys = list(after.get(None, []))
    for key in new:
        keys.append(key)
        keys.extend(after.get(key, []))
    return [(key, old.get(key), new.get(key)) for key in keys]


@attrs.frozen(slots=True)
class _At:
    """Who a change is about and where each side says so; builds its changes."""

    node: str
    old_citation: str = ""
    new_citation: str = ""

    def change(self, kind: str, old: str, new: str, summary: str) -> Change:
        return Change(kind, self.node, old, new, self.old_citation, self.new_citation, summary)

    def differ(
        self,
        kind: str,
        old: str,
        new: str,
        what: str,
        *,
        same: bool | None = None,
        empty: str = NONE_TEXT,
    ) -> list[Change]:
        """One change `what: old → new` unless the values are the same (the texts, by default)."""
        if old == new if same is None else same:
            return []
        return [self.change(kind, old, new, f"{what}: {old or empty} → {new or empty}")]

    def entity(self, kind: str, old: str, new: str, what: str) -> list[Change]:
        """Like `differ`, for a thing that may be new or gone: `thêm what: new`, `bỏ what: old`."""
        if old == new:
            return []
        if not old or not new:
            summary = f"thêm {what}: {new}" if new else f"bỏ {what}: {old}"
            return [self.change(kind, old, new, summary)]
        return self.differ(kind, old, new, what)


# --- the criteria tree ---------------------------------------------------------------------------

NODE_KINDS = {
    n.NodeKind.FIELD: "lĩnh vực",
    n.NodeKind.CRITERION: "tiêu chí",
    n.NodeKind.SUB_CRITERION: "tiêu chí thành phần",
}


@attrs.frozen(slots=True)
class _Applies:
    """Who a node applies to, its ancestors' `only` and `except` included: a criterion moved
    under a field `except dac_thu` drops its own `except dac_thu` and still applies to the same."""

    only: tuple[tuple[str, ...], ...] = ()  # each list must hold
    excluded: tuple[str, ...] = ()

    @classmethod
    def of(cls, header: n.Header, outer: _Applies | None = None) -> _Applies:
        base = outer or cls()
        known = {frozenset(names) for names in base.only}
        fresh = header.only and frozenset(header.only) not in known
        only = base.only + ((header.only,) if fresh else ())
        excluded = base.excluded + tuple(x for x in header.excluded if x not in base.excluded)
        return cls(only, excluded)

    def same(self, other: _Applies) -> bool:
        def sets(a: _Applies) -> tuple[set[frozenset[str]], set[str]]:
            return {frozenset(names) for names in a.only}, set(a.excluded)

        return sets(self) == sets(other)

    def text(self) -> str:
        parts = [" và ".join(f"chỉ {', '.join(names)}" for names in self.only)]
        if self.excluded:
            parts.append(f"trừ {', '.join(self.excluded)}")
        return " ".join(p for p in parts if p)


@attrs.frozen(slots=True)
class _Place:
    node: n.Node
    parent: n.Node | None
    citation: str  # the node's own, else its nearest ancestor's: where a reader finds it
    applies: _Applies


def _places(policy: n.Policy) -> dict[str, _Place]:
    out: dict[str, _Place] = {}

    def visit(
        nodes: tuple[n.Node, ...], parent: n.Node | None, citation: str, outer: _Applies
    ) -> None:
        for node in nodes:
            own = node.header.citation or citation
            applies = _Applies.of(node.header, outer)
            out[node.id] = _Place(node, parent, own, applies)
            visit(node.children, node, own, applies)

    visit(policy.nodes, None, "", _Applies())
    return out


def _tree_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    out: list[Change] = []
    maxima = _effective_maxima(old), _effective_maxima(new)
    tags = {d.name for d in (*old.unit_types, *new.unit_types) if d.is_tag}
    for node_id, before, after in _aligned(_places(old), _places(new)):
        at = _At(node_id, before.citation if before else "", after.citation if after else "")
        if before is None and after is not None:
            out.append(at.change("added", "", _node_text(after.node), _added_node(after)))
        elif after is None and before is not None:
            out.append(at.change("removed", _node_text(before.node), "", _removed_node(before)))
        elif before is not None and after is not None:
            effective = maxima[0].get(node_id, {}), maxima[1].get(node_id, {})
            changed = _node_maxima(at, *effective) + _maxima(
                at, before.node.header, after.node.header, only=tags
            )
            out.extend(_node_changes(at, before, after, changed))
    return out


def _effective_maxima(policy: n.Policy) -> dict[str, dict[str, str]]:
    """Each node's max per unit type as the annex shows it: a parent's is its children's sum, so
    rewriting `max 1.5 for so, huyen` as `max 1.5` is no change, and a node that gained
    sub-criteria is compared by what they add up to."""
    return {row.stt: dict(row.maxima) for row in annex_rows(policy)}


def _node_maxima(at: _At, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    aligned = _aligned(old, new)
    for unit_type, before, after in aligned:
        if (before or "") != (after or ""):
            what = f"{at.node} tối đa" + (f" cho {unit_type}" if len(aligned) > 1 else "")
            out.extend(at.differ("max", before or "", after or "", what, empty="(không áp dụng)"))
    return out


def _node_changes(at: _At, before: _Place, after: _Place, maxima: list[Change]) -> list[Change]:
    old, new = before.node, after.node
    return [
        *_moved(at, before, after),
        *_heading(at, old, new),
        *_shared(at, old, new, _node_applicability(at, before, after), maxima),
        *_evidence(at, old, new),
        *_citation(at, old.header, new.header),
    ]


def _node_applicability(at: _At, before: _Place, after: _Place) -> list[Change]:
    """Reported where it was edited: on the node itself, or on a node moved; a parent's edit
    shows on the parent alone."""
    moved = _parent_id(before) != _parent_id(after)
    edited = not _Applies.of(before.node.header).same(_Applies.of(after.node.header))
    return _applicability(at, before.applies, after.applies) if moved or edited else []


def _citation(at: _At, old: n.Header, new: n.Header) -> list[Change]:
    return at.differ("citation", old.citation or "", new.citation or "", f"{at.node} nguồn")


def _where(place: _Place) -> str:
    parent = place.parent
    return "cấp cao nhất" if parent is None else f"{NODE_KINDS[parent.kind]} {parent.id}"


def _added_node(place: _Place) -> str:
    node, parent = place.node, place.parent
    where = f" vào {NODE_KINDS[parent.kind]} {parent.id}" if parent else ""
    return f"bổ sung {NODE_KINDS[node.kind]} {node.id} «{node.title}»{where}{_node_details(node)}"


def _removed_node(place: _Place) -> str:
    node, parent = place.node, place.parent
    where = f" (thuộc {NODE_KINDS[parent.kind]} {parent.id})" if parent else ""
    return f"bãi bỏ {NODE_KINDS[node.kind]} {node.id} «{node.title}»{where}{_node_details(node)}"


def _node_details(node: n.Node) -> str:
    parts = _node_parts(node)
    return f": {'; '.join(parts)}" if parts else ""


def _parent_id(place: _Place) -> str:
    return place.parent.id if place.parent else ""


def _moved(at: _At, before: _Place, after: _Place) -> list[Change]:
    old_parent, new_parent = _parent_id(before), _parent_id(after)
    if old_parent == new_parent:
        return []
    summary = f"{at.node} «{after.node.title}» chuyển từ {_where(before)} sang {_where(after)}"
    return [at.change("moved", old_parent, new_parent, summary)]


def _heading(at: _At, old: n.Node, new: n.Node) -> list[Change]:
    """A new title, or a new level (a criterion become a sub-criterion), which is a label too."""
    if old.kind == new.kind:
        return _retitled(at, old.title, new.title)
    before = f"{NODE_KINDS[old.kind]} «{old.title}»"
    after = f"{NODE_KINDS[new.kind]} «{new.title}»"
    return [at.change("title", before, after, f"{at.node} đổi cấp: {before} → {after}")]


def _retitled(at: _At, old: str, new: str) -> list[Change]:
    if old == new:
        return []
    return [at.change("title", old, new, f"{at.node} đổi tên: «{old}» → «{new}»")]


def _evidence(at: _At, old: n.Node, new: n.Node) -> list[Change]:
    before, after = (format_value(x.evidence_required) for x in (old, new))
    return at.differ("evidence", before, after, f"{at.node} cần minh chứng")


Item: TypeAlias = n.Node | n.Adjustment


def _shared(
    at: _At, old: Item, new: Item, applicability: list[Change], maxima: list[Change]
) -> list[Change]:
    """What nodes and adjustments both say, in order: maxima, rule, applicability, outcomes."""
    rules = _rule_or_empty(old.rule), _rule_or_empty(new.rule)
    outcomes = _outcomes_text(old.outcomes), _outcomes_text(new.outcomes)
    return [
        *maxima,
        *at.differ("rule", *rules, f"{at.node} cách chấm", same=old.rule == new.rule),
        *applicability,
        *at.differ(
            "outcomes",
            *outcomes,
            f"{at.node} trường hợp riêng",
            same=old.outcomes == new.outcomes,
            empty="(không có)",
        ),
    ]


def _max_map(header: n.Header) -> dict[str, Decimal]:
    return {name: entry.points for entry in header.maxima for name in entry.applies_to or ("",)}


def _maxima(at: _At, old: n.Header, new: n.Header, only: set[str] | None = None) -> list[Change]:
    """One change per unit type or tag whose written max differs (`3.2 tối đa cho so: …`);
    `only` keeps just those names (the tags, for nodes: unit types are compared in effect)."""
    out: list[Change] = []
    for name, before, after in _aligned(_max_map(old), _max_map(new)):
        if only is not None and name not in only:
            continue
        if before != after:
            what = f"{at.node} tối đa" + (f" cho {name}" if name else "")
            out.extend(at.differ("max", _points(before), _points(after), what))
    return out


def _applicability(at: _At, old: _Applies, new: _Applies) -> list[Change]:
    texts = old.text(), new.text()
    what = f"{at.node} áp dụng"
    return at.differ("applicability", *texts, what, same=old.same(new), empty="mọi đơn vị")


# --- bonuses and deductions ----------------------------------------------------------------------

ADJUSTMENT_KINDS = {n.AdjustmentKind.BONUS: "điểm cộng", n.AdjustmentKind.DEDUCTION: "điểm trừ"}


def _adjustments(policy: n.Policy) -> dict[str, tuple[n.Adjustment, n.AdjustmentGroup | None]]:
    out: dict[str, tuple[n.Adjustment, n.AdjustmentGroup | None]] = {}
    for item in policy.adjustments:
        if isinstance(item, n.AdjustmentGroup):
            out.update((member.id, (member, item)) for member in item.members)
        else:
            out[item.id] = (item, None)
    return out


def _adjustment_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    out: list[Change] = []
    for adj_id, before, after in _aligned(_adjustments(old), _adjustments(new)):
        at = _At(
            adj_id,
            (before[0].header.citation or "") if before else "",
            (after[0].header.citation or "") if after else "",
        )
        if before is None and after is not None:
            text = _adjustment_text(*after)
            out.append(at.change("added", "", text, f"bổ sung {adj_id}: {text}"))
        elif after is None and before is not None:
            text = _adjustment_text(*before)
            out.append(at.change("removed", text, "", f"bãi bỏ {adj_id}: {text}"))
        elif before is not None and after is not None:
            out.extend(_adjustment_pair(at, before, after))
    return [*out, *_group_changes(old, new)]


def _adjustment_pair(
    at: _At,
    before: tuple[n.Adjustment, n.AdjustmentGroup | None],
    after: tuple[n.Adjustment, n.AdjustmentGroup | None],
) -> list[Change]:
    (old, old_group), (new, new_group) = before, after
    return [
        *at.differ(
            "adjustment", ADJUSTMENT_KINDS[old.kind], ADJUSTMENT_KINDS[new.kind], f"{at.node} là"
        ),
        *at.differ(
            "adjustment",
            _target_text(old.target),
            _target_text(new.target),
            f"{at.node} áp dụng vào",
        ),
        *at.differ(
            "adjustment",
            _group_name(old_group),
            _group_name(new_group),
            f"{at.node} thuộc nhóm",
            empty="(không thuộc nhóm nào)",
        ),
        *_retitled(at, old.title, new.title),
        *_shared(
            at,
            old,
            new,
            _applicability(at, _Applies.of(old.header), _Applies.of(new.header)),
            _maxima(at, old.header, new.header),
        ),
        *_citation(at, old.header, new.header),
    ]


def _group_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    def caps(policy: n.Policy) -> dict[str, str]:
        return {
            g.title: f"tối đa {_points(g.cap)}"
            for g in policy.adjustments
            if isinstance(g, n.AdjustmentGroup)
        }

    out: list[Change] = []
    for title, before, after in _aligned(caps(old), caps(new)):
        out.extend(_At(title).entity("adjustment", before or "", after or "", f"nhóm «{title}»"))
    return out


def _group_name(group: n.AdjustmentGroup | None) -> str:
    return f"«{group.title}»" if group else ""


# --- bands ---------------------------------------------------------------------------------------


def _band_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    def tables(policy: n.Policy) -> dict[frozenset[str], n.BandTable]:
        return {frozenset(t.unit_types): t for t in policy.bands}

    out: list[Change] = []
    for _, before, after in _aligned(tables(old), tables(new)):
        if before is not None and after is not None:
            out.extend(_band_rows(before, after))
            continue
        table = after or before
        assert table is not None
        what = f"bảng xếp loại {_for_units(table)}"
        old_text = bands_text(before) if before else ""
        new_text = bands_text(after) if after else ""
        out.extend(_At(", ".join(table.unit_types)).entity("bands", old_text, new_text, what))
    return out


def _band_rows(old: n.BandTable, new: n.BandTable) -> list[Change]:
    def rows(table: n.BandTable) -> dict[str, str]:
        return {band.name: _interval_text(band.interval) for band in table.bands}

    out: list[Change] = []
    for name, before, after in _aligned(rows(old), rows(new)):
        what = f"xếp loại «{name}» {_for_units(new)}"
        out.extend(_At(name).entity("band", before or "", after or "", what))
    return out


def _for_units(table: n.BandTable) -> str:
    return f"cho {', '.join(table.unit_types)}" if table.unit_types else "cho mọi loại đơn vị"


def bands_text(table: n.BandTable) -> str:
    return "; ".join(f"«{band.name}» {_interval_text(band.interval)}" for band in table.bands)


# --- rounding, survey, clamp, ranking ------------------------------------------------------------

ROUNDING_WORDS = {
    n.RoundingMode.HALF_UP: "nửa_lên",
    n.RoundingMode.HALF_EVEN: "nửa_chẵn",
    n.RoundingMode.DOWN: "cắt_bỏ",
    n.RoundingMode.UP: "lên",
}
MISSING_WORDS = {
    n.MissingSurvey.RESCALE: "quy_đổi",
    n.MissingSurvey.ZERO: "không_điểm",
    n.MissingSurvey.ERROR: "lỗi",
}
TIE_WORDS = {n.TieRule.SHARED: "chung (1, 2, 2, 4)", n.TieRule.DENSE: "liền_kề (1, 2, 2, 3)"}


def _setting_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    at = _At("")
    return [
        *at.differ(
            "rounding", rounding_text(old.rounding), rounding_text(new.rounding), "làm tròn"
        ),
        *at.differ(
            "survey", survey_setting_text(old.survey), survey_setting_text(new.survey), "khảo sát"
        ),
        *at.differ("clamp", clamp_text(old.clamp), clamp_text(new.clamp), "giới hạn tổng điểm"),
        *_ranking_changes(old.ranking or n.Ranking(), new.ranking or n.Ranking()),
    ]


def rounding_text(rounding: n.Rounding | None) -> str:
    return f"{ROUNDING_WORDS[rounding.mode]} {rounding.places}" if rounding else ""


def survey_setting_text(survey: n.SurveySpec | None) -> str:
    if survey is None:
        return ""
    weight = (
        f"trọng số {_points(survey.weight)} trên {_points(survey.scale)}; "
        if survey.weight is not None
        else ""
    )
    return f"{weight}khi thiếu {MISSING_WORDS[survey.missing]}"


def clamp_text(clamp: n.Clamp | None) -> str:
    """The default clamp `0 .. tối đa` when none is written, so that writing it out is no change."""
    if clamp is None:
        return "0 .. tối đa"
    if clamp.low is None and clamp.high is None:
        return "không giới hạn"
    low = "" if clamp.low is None else _expr(clamp.low)
    high = "" if clamp.high is None else _expr(clamp.high)
    return f"{low} .. {high}".strip()


def _ranking_changes(old: n.Ranking, new: n.Ranking) -> list[Change]:
    def blocks(ranking: n.Ranking) -> dict[str, str]:
        return {block.title: ", ".join(block.members) for block in ranking.blocks}

    out = _At("").differ("ranking", TIE_WORDS[old.ties], TIE_WORDS[new.ties], "đồng hạng")
    for title, before, after in _aligned(blocks(old), blocks(new)):
        out.extend(
            _At(title).entity("ranking", before or "", after or "", f"khối xếp hạng «{title}»")
        )
    return out


# --- inputs and unit types -----------------------------------------------------------------------

INPUT_TYPES = {
    n.InputType.YES_NO: "có_không",
    n.InputType.COUNT: "số_đếm",
    n.InputType.NUMBER: "số",
    n.InputType.PERCENT: "tỷ_lệ",
    n.InputType.DATE: "ngày_tháng",
    n.InputType.POINTS: "điểm",
    n.InputType.SURVEY: "khảo_sát",
}


def _input_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    def decls(policy: n.Policy) -> dict[str, n.InputDecl]:
        return {d.name: d for d in policy.inputs}

    out: list[Change] = []
    for name, before, after in _aligned(decls(old), decls(new)):
        if before != after:
            old_text = _input_text(before) if before else ""
            new_text = _input_text(after) if after else ""
            out.extend(_At(name).entity("input", old_text, new_text, f"đầu vào {name}"))
    return out


def _input_text(decl: n.InputDecl) -> str:
    parts = [INPUT_TYPES[decl.type]]
    if decl.title:
        parts.append(f"«{decl.title}»")
    if decl.low is not None and decl.high is not None:
        parts.append(f"trong {_expr(decl.low)} .. {_expr(decl.high)}")
    if decl.default is not None:
        parts.append(f"mặc định {_expr(decl.default)}")
    if decl.optional:
        parts.append("tùy chọn")
    return " ".join(parts)


def _unit_type_changes(old: n.Policy, new: n.Policy) -> list[Change]:
    def decls(policy: n.Policy) -> dict[str, str]:
        return {d.name: ("nhãn " if d.is_tag else "") + f"«{d.title}»" for d in policy.unit_types}

    out: list[Change] = []
    for name, before, after in _aligned(decls(old), decls(new)):
        out.extend(_At(name).entity("unit_type", before or "", after or "", f"loại đơn vị {name}"))
    return out


# --- values as a drafter writes them -------------------------------------------------------------


def _points(value: Decimal | None) -> str:
    return "" if value is None else format_value(value)


def _node_text(node: n.Node) -> str:
    return "; ".join([f"{NODE_KINDS[node.kind]} «{node.title}»", *_node_parts(node)])


def _node_parts(node: n.Node) -> list[str]:
    """What a node says after its title."""
    parts = _header_parts(node.header)
    if node.rule is not None:
        parts.append(_rule_text(node.rule))
    parts.extend(_outcome_text(clause) for clause in node.outcomes)
    if node.evidence_required:
        parts.append("cần minh chứng")
    return parts


def _adjustment_text(adjustment: n.Adjustment, group: n.AdjustmentGroup | None) -> str:
    parts = [
        f"{ADJUSTMENT_KINDS[adjustment.kind]} «{adjustment.title}»",
        *_header_parts(adjustment.header),
        f"áp dụng vào {_target_text(adjustment.target)}",
    ]
    if group is not None:
        parts.append(f"thuộc nhóm «{group.title}» tối đa {_points(group.cap)}")
    parts.append(_rule_text(adjustment.rule))
    parts.extend(_outcome_text(clause) for clause in adjustment.outcomes)
    return "; ".join(parts)


def _header_parts(header: n.Header) -> list[str]:
    parts: list[str] = []
    if header.maxima:
        parts.append(f"tối đa {_maxima_text(header.maxima)}")
    if applies := _Applies.of(header).text():
        parts.append(applies)
    return parts


def _maxima_text(maxima: tuple[n.MaxEntry, ...]) -> str:
    return ", ".join(
        _points(entry.points) + (f" cho {', '.join(entry.applies_to)}" if entry.applies_to else "")
        for entry in maxima
    )


def _target_text(target: n.Target) -> str:
    if target.kind == "node":
        return target.node_id or ""
    return "chỉ số" if target.kind == "index" else "tổng"


def _outcomes_text(clauses: tuple[n.OutcomeClause, ...]) -> str:
    return "; ".join(_outcome_text(clause) for clause in clauses)


def _outcome_text(clause: n.OutcomeClause) -> str:
    if clause.outcome is n.Outcome.NOT_DONE:
        word = "chưa thực hiện"
    elif clause.effect is n.NotApplicableEffect.EXCLUDED:
        word = "không phát sinh loại trừ"
    else:
        word = "không phát sinh đủ điểm"
    return f"khi {_expr(clause.condition)}: {word}"


def _rule_or_empty(rule: n.Rule | None) -> str:
    return "" if rule is None else _rule_text(rule)


def _rule_text(rule: n.Rule) -> str:
    """A rule on one line in Vietnamese keywords (a private stand-in for annex.py)."""
    match rule:
        case n.YesNo(condition):
            return f"có/không {_expr(condition)}"
        case n.Proportional(rate):
            return f"theo tỷ lệ {_expr(rate)}"
        case n.Steps(subject, steps, otherwise):
            return f"theo mức {_expr(subject)} {_step_block(steps, otherwise)}"
        case n.Deadline():
            return _deadline_text(rule)
        case n.Judged(subject, step):
            return f"chấm điểm {_expr(subject)} bước {_points(step)}"
        case n.PerItem(subject, amount):
            return f"mỗi {_expr(subject)}: {_points(amount)}"
        case n.Survey(subject, steps, otherwise):
            table = f" {_step_block(steps, otherwise)}" if steps else ""
            return f"khảo sát {_expr(subject)}{table}"
        case n.Formula(expr, low, high):
            return f"công thức {_expr(expr)} giới hạn {_expr(low)} .. {_expr(high)}"
    raise AssertionError(rule)  # pragma: no cover - every rule is matched above


def _step_block(steps: tuple[n.Step, ...], otherwise: Decimal | None) -> str:
    entries = [f"{_interval_text(step.interval)}: {_points(step.points)}" for step in steps]
    if otherwise is not None:
        entries.append(f"còn lại: {_points(otherwise)}")
    return "{ " + "; ".join(entries) + " }"


def _deadline_text(rule: n.Deadline) -> str:
    due = rule.due
    when = (
        _expr(due)
        if isinstance(due, n.DateValue)
        else f"{due.day:02d}/{due.month:02d}" + (" năm sau" if due.years_after else "")
    )
    entries = [f"chậm nhất {when}: {_points(rule.on_time)}"]
    entries.extend(f"trễ không quá {s.days} ngày: {_points(s.points)}" for s in rule.late)
    if rule.otherwise is not None:
        entries.append(f"còn lại: {_points(rule.otherwise)}")
    return f"thời hạn {_expr(rule.subject)} {{ {'; '.join(entries)} }}"


def _interval_text(interval: n.Interval) -> str:
    if interval.equal is not None:
        return f"= {_expr(interval.equal)}"
    words = []
    lower, upper = interval.lower, interval.upper
    if lower is not None:
        words.append(("từ " if lower.inclusive else "trên ") + _expr(lower.value))
    if upper is not None:
        below = "đến dưới " if lower is not None else "dưới "
        words.append(("đến " if upper.inclusive else below) + _expr(upper.value))
    return " ".join(words)


# Binding strength of the grammar's levels: or < and < not < comparison < sum < product < unary.
_PRECEDENCE = {"or": 1, "and": 2, "+": 5, "-": 5, "*": 6, "/": 6}
_COMPARISON = 4
_OPERATOR_WORDS = {"and": "và", "or": "hoặc"}


def _precedence(expr: n.Expr) -> int:
    if isinstance(expr, n.Binary):
        return _PRECEDENCE.get(expr.op, _COMPARISON)
    if isinstance(expr, n.Unary):
        return 3 if expr.op == "not" else 7
    return 8


def _expr(expr: n.Expr) -> str:
    """An expression with only the parentheses the grammar needs."""
    match expr:
        case n.Number(value, percent):
            return format_value(value, percent)
        case n.Boolean(value):
            return "đúng" if value else "sai"
        case n.DateValue(value):
            return value.isoformat()
        case n.InputRef(name):
            return name
        case n.NodeMax():
            return "tối đa"
        case n.HasTag(name):
            return f"nhãn {name}"
        case n.Call(function, args):
            word = "tối thiểu" if function == "min" else "tối đa"
            return f"{word}({', '.join(_expr(a) for a in args)})"
        case n.Unary(op, operand):
            level = _precedence(expr)
            return ("không " if op == "not" else "-") + _wrapped(operand, level)
        case n.Binary(op, left, right):
            level = _precedence(expr)
            left_level = level + 1 if level == _COMPARISON else level
            word = _OPERATOR_WORDS.get(op, op)
            return f"{_wrapped(left, left_level)} {word} {_wrapped(right, level + 1)}"
    raise AssertionError(expr)  # pragma: no cover - every expression is matched above


def _wrapped(expr: n.Expr, level: int) -> str:
    text = _expr(expr)
    return f"({text})" if _precedence(expr) < level else text


# --- reports -------------------------------------------------------------------------------------


def diff_text(old: n.Policy, new: n.Policy, old_name: str, new_name: str) -> str:
    """The diff for a terminal: a header, the changes grouped by kind, and a count."""
    changes = diff_policies(old, new)
    lines = [f"{_label(old, old_name)} → {_label(new, new_name)}"]
    if not changes:
        return "\n".join([*lines, "không có thay đổi"]) + "\n"
    for kind, group in _grouped(changes):
        lines.extend(["", f"{KIND_HEADINGS[kind]} ({len(group)})"])
        lines.extend(f"  {c.marker} {c.summary}{_citation_note(c, '  [nguồn: {}]')}" for c in group)
    lines.extend(["", _count(changes)])
    return "\n".join(lines) + "\n"


def diff_markdown(old: n.Policy, new: n.Policy, old_name: str, new_name: str) -> str:
    """The diff for a review or a report: a metadata table, then one section per kind."""
    changes = diff_policies(old, new)
    lines = [
        f"# So sánh quy định: {md(old_name)} → {md(new_name)}",
        "",
        "| | Cũ | Mới |",
        "|---|---|---|",
        *(
            f"| {label} | {md(a)} | {md(b)} |"
            for label, a, b in _metadata_rows(old.metadata, new.metadata)
        ),
        "",
    ]
    if not changes:
        return "\n".join([*lines, "Không có thay đổi."]) + "\n"
    for kind, group in _grouped(changes):
        lines.extend([f"## {KIND_HEADINGS[kind]} ({len(group)})", ""])
        lines.extend(
            f"- **{c.marker}** {md(c.summary)}{_citation_note(c, ' — *nguồn: {}*', md)}"
            for c in group
        )
        lines.append("")
    lines.append(f"**{_count(changes)}**")
    return "\n".join(lines) + "\n"


def diff_json(old: n.Policy, new: n.Policy, old_name: str, new_name: str) -> str:
    """The diff for programs; versioned by `format`, changes in `diff_policies` order."""
    changes = diff_policies(old, new)
    payload = {
        "format": JSON_FORMAT,
        "old": _metadata_json(old.metadata, old_name),
        "new": _metadata_json(new.metadata, new_name),
        "changes": [attrs.asdict(c) for c in changes],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _grouped(changes: Sequence[Change]) -> list[tuple[str, list[Change]]]:
    return [
        (kind, group) for kind in KIND_HEADINGS if (group := [c for c in changes if c.kind == kind])
    ]


def _count(changes: Sequence[Change]) -> str:
    return f"{len(changes)} thay đổi"


def _label(policy: n.Policy, name: str) -> str:
    meta = policy.metadata
    amended = f"sửa đổi bởi {', '.join(meta.amended_by)}" if meta.amended_by else ""
    parts = [meta.decision or "", amended, f"hiệu lực {meta.effective}" if meta.effective else ""]
    details = ", ".join(p for p in parts if p)
    return f"{name} ({details})" if details else name


def _citation_note(change: Change, template: str, escape: Callable[[str], str] = str) -> str:
    old, new = change.old_citation, change.new_citation
    if change.kind == "citation" or not (old or new):
        return ""  # a citation change says both already
    text = old or new if old == new or not (old and new) else f"{old} → {new}"
    return template.format(escape(text))


def _metadata_rows(old: n.Metadata, new: n.Metadata) -> list[tuple[str, str, str]]:
    rows = [
        ("Quy định", old.title, new.title),
        ("Quyết định", old.decision, new.decision),
        ("Ban hành", _date(old.issued), _date(new.issued)),
        ("Cơ quan ban hành", old.issuer, new.issuer),
        ("Căn cứ", ", ".join(old.based_on), ", ".join(new.based_on)),
        ("Hiệu lực", _date(old.effective), _date(new.effective)),
        ("Hết hiệu lực", _date(old.until), _date(new.until)),
        ("Sửa đổi bởi", ", ".join(old.amended_by), ", ".join(new.amended_by)),
    ]
    return [(label, a or "", b or "") for label, a, b in rows if a or b]


def _metadata_json(meta: n.Metadata, name: str) -> dict[str, object]:
    return {
        "file": name,
        "title": meta.title,
        "decision": meta.decision,
        "issued": _date(meta.issued) or None,
        "issuer": meta.issuer,
        "based_on": list(meta.based_on),
        "effective": _date(meta.effective) or None,
        "until": _date(meta.until) or None,
    }


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*[]<>|"})


def md(text: str) -> str:
    """Text safe in a Markdown list item or table cell (formulas hold `*`; a name's `_` is safe)."""
    return text.translate(_MD_SPECIAL)
