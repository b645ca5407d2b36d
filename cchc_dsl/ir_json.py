"""The versioned JSON IR: a compiled policy as data another system can run without `.cchc` text.

In: a checked `Policy` and its `scoring.Program` per unit type. Out: JSON text of format
`cchc-ir` (docs/ir.md, schema in `schema/cchc-ir-1.schema.json`); and back: `read_ir` gives
`Program`s equal to the compiled ones and an outline `Policy` (metadata, unit types, inputs, the
criteria's ids and titles, survey, clamp, rounding, ranking: what reading facts, ranking and
reports use; no rules, no headers). Decimals are strings, dates ISO; the same policy gives the
same bytes. Reading stops at the first problem and names its JSON path, line and column.
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import NoReturn, TypeAlias, TypeVar

import attrs

from cchc_dsl import nodes as n
from cchc_dsl import scoring as s
from cchc_dsl.compiler import DEFAULT_CLAMP
from cchc_dsl.diagnostics import CchcError, Said, did_you_mean, make, read_error
from cchc_dsl.facts import _JsonMap as JsonMap
from cchc_dsl.source import SourceFile, Span

FORMAT = "cchc-ir"
VERSION = 1  # bumped by any change of shape or meaning: readers refuse what they do not know

Json: TypeAlias = object
Obj: TypeAlias = dict[str, Json]
Where: TypeAlias = tuple[str | int, ...]
E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


@attrs.frozen(slots=True)
class IRDocument:
    """What an IR file holds: enough to read facts, score, rank and report."""

    policy: n.Policy  # an outline: no rules, no headers; scoring uses `programs`
    programs: tuple[s.Program, ...]
    source: str  # the file or folder name the IR was compiled from
    chosen: str  # which documents of a folder are in force ("" for a single file)
    year: int | None  # the index year it was compiled for, if one was given


# --- writing -----------------------------------------------------------------------------------


def dump_ir(
    policy: n.Policy,
    programs: Mapping[str, s.Program],
    *,
    source: str,
    chosen: str = "",
    year: int | None = None,
) -> str:
    """The IR as JSON text: fixed key order, UTF-8 as written, a trailing newline."""
    assert policy.rounding is not None  # a compiled policy always has one
    low, high = next(iter(programs.values())).clamp if programs else DEFAULT_CLAMP
    doc: Obj = {
        "format": FORMAT,
        "version": VERSION,
        "source": Path(source).name,
        "in_force": chosen,
        "year": year,
        "metadata": metadata_dict(policy.metadata),
        "rounding": {"mode": policy.rounding.mode.value, "places": policy.rounding.places},
        "unit_types": [
            {"name": d.name, "title": d.title, "tag": d.is_tag} for d in policy.unit_types
        ],
        "inputs": [_input(d) for d in policy.inputs],
        "criteria": [_outline(node) for node in policy.nodes],
        "survey": _survey(policy.survey),
        "clamp": {"low": _bound(low), "high": _bound(high)},
        "ranking": _ranking(policy.ranking),
        "programs": [_program(p) for p in programs.values()],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def metadata_dict(meta: n.Metadata) -> Obj:
    """A regulation's metadata as JSON data; score reports show the same keys."""
    return {
        "title": meta.title,
        "decision": meta.decision,
        "issued": _date(meta.issued),
        "issuer": meta.issuer,
        "based_on": list(meta.based_on),
        "effective": _date(meta.effective),
        "until": _date(meta.until),
        "amended_by": list(meta.amended_by),
        "notes": list(meta.notes),
    }


def _value(value: s.Value, percent: bool | None = None) -> Obj:
    """`{"bool": …}`, `{"date": …}` or `{"number": …}`, with `percent` where the text had it."""
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return {"number": str(value)} | ({} if percent is None else {"percent": percent})


def _literal(value: n.Number | n.Boolean | n.DateValue | None) -> Obj | None:
    if value is None:
        return None
    return _value(value.value, value.percent if isinstance(value, n.Number) else None)


def _input(decl: n.InputDecl) -> Obj:
    return {
        "name": decl.name,
        "type": decl.type.value,
        "title": decl.title,
        "low": _literal(decl.low),
        "high": _literal(decl.high),
        "default": _literal(decl.default),
        "optional": decl.optional,
    }


def _outline(node: n.Node) -> Obj:
    children = [_outline(child) for child in node.children]
    return {"id": node.id, "kind": node.kind.value, "title": node.title, "children": children}


def _survey(survey: n.SurveySpec | None) -> Obj | None:
    if survey is None:
        return None
    return {
        "missing": survey.missing.value,
        "weight": _dec(survey.weight),
        "scale": _dec(survey.scale),
    }


def _bound(bound: s.Bound) -> str | None:
    return "max" if bound == "max" else _dec(bound)


def _ranking(ranking: n.Ranking | None) -> Obj | None:
    if ranking is None:
        return None
    blocks = [{"title": b.title, "members": list(b.members)} for b in ranking.blocks]
    return {"ties": ranking.ties.value, "blocks": blocks}


def _program(program: s.Program) -> Obj:
    return {
        "unit_type": program.unit_type,
        "title": program.unit_type_title,
        "bands": [{"name": b.name, "step": _step(b.step)} for b in program.bands],
        "groups": [{"title": g.title, "cap": str(g.cap)} for g in program.groups],
        "nodes": [_node(node) for node in program.nodes],
        "adjustments": [_adjustment(a) for a in program.adjustments],
    }


def _applicability(a: s.Applicability) -> Obj:
    return {
        "max": _dec(a.max_default),
        "max_by_tag": [{"tag": tag, "max": str(points)} for tag, points in a.max_by_tag],
        "only_tags": list(a.only_tags),
        "except_tags": list(a.except_tags),
    }


def _node(node: s.ScoringNode) -> Obj:
    return {
        **_head(node),
        "evidence_required": node.evidence_required,
        "is_survey": node.is_survey,
        **_body(node),
        "children": [_node(child) for child in node.children],
    }


def _adjustment(item: s.ScoringAdjustment) -> Obj:
    return {**_head(item), "target": item.target, "group": item.group, **_body(item)}


def _head(item: s.ScoringNode | s.ScoringAdjustment) -> Obj:
    """What nodes and adjustments both say first: who they are and whom they apply to."""
    return {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "citation": item.citation,
        "applicability": _applicability(item.applicability),
    }


def _body(item: s.ScoringNode | s.ScoringAdjustment) -> Obj:
    return {
        "reads": list(item.reads),
        "rule": None if item.rule is None else _rule(item.rule),
        "outcomes": [_outcome(o) for o in item.outcomes],
    }


def _outcome(clause: s.IROutcome) -> Obj:
    return {
        "condition": _expr(clause.condition),
        "outcome": clause.outcome.value,
        "effect": None if clause.effect is None else clause.effect.value,
        "text": clause.text,
    }


def _expr(expr: s.IRExpr) -> Obj:
    if isinstance(expr, s.Const):
        return _value(expr.value, expr.percent if isinstance(expr.value, Decimal) else None)
    if isinstance(expr, s.Ref):
        return {"input": expr.name}
    if isinstance(expr, s.NodeMaxRef):
        return {"node_max": True}
    if isinstance(expr, s.TagRef):
        return {"tag": expr.name}
    return {"op": expr.op, "args": [_expr(arg) for arg in expr.args]}


def _step(step: s.IRStep) -> Obj:
    return {
        "points": str(step.points),
        "low": None if step.low is None else _value(step.low),
        "low_inclusive": step.low_inclusive,
        "high": None if step.high is None else _value(step.high),
        "high_inclusive": step.high_inclusive,
        "text": step.text,
    }


def _rule(rule: s.IRRule) -> Obj:
    if isinstance(rule, s.YesNoRule):
        return {"kind": "yes_no", "condition": _expr(rule.condition)}
    if isinstance(rule, s.ProportionalRule):
        return {"kind": "proportional", "rate": _expr(rule.rate)}
    if isinstance(rule, s.StepRule | s.SurveyRule):
        out: Obj = {
            "kind": "steps" if isinstance(rule, s.StepRule) else "survey",
            "subject": _expr(rule.subject),
            "steps": [_step(step) for step in rule.steps],
            "otherwise": _dec(rule.otherwise),
        }
        return out | ({"rate": rule.rate} if isinstance(rule, s.StepRule) else {})
    if isinstance(rule, s.DeadlineRule):
        due = rule.due
        return {
            "kind": "deadline",
            "subject": _expr(rule.subject),
            "due": {"date": due.isoformat()}
            if isinstance(due, datetime.date)
            else {"day": due.day, "month": due.month, "years_after": due.years_after},
            "on_time": str(rule.on_time),
            "late": [{"days": days, "points": str(points)} for days, points in rule.late],
            "otherwise": _dec(rule.otherwise),
        }
    if isinstance(rule, s.JudgedRule):
        return {"kind": "judged", "subject": _expr(rule.subject), "step": str(rule.step)}
    if isinstance(rule, s.PerItemRule):
        return {"kind": "per_item", "subject": _expr(rule.subject), "amount": str(rule.amount)}
    return {
        "kind": "formula",
        "expr": _expr(rule.expr),
        "low": _expr(rule.low),
        "high": _expr(rule.high),
    }


# --- reading -----------------------------------------------------------------------------------


class _MalformedError(Exception):
    """The first structural problem: where (a JSON path) and what, in both languages."""

    def __init__(self, where: Where, en: str, vi: str) -> None:
        super().__init__(en)
        self.where, self.said = where, Said(en, vi)


def json_path(where: Where) -> str:
    """`$.programs[0].nodes[2].rule`: the JSON path of a value, as JSONPath writes it."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in where)


def read_ir(path: str | Path) -> IRDocument:
    """Read an IR file; any problem raises `CchcError` naming the file, line, column and path."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CchcError((make("E106", path=str(path), reason=read_error(error)),)) from None
    return ir_from_text(text, str(path))


class _Places:
    """Lines and columns of JSON paths, worked out only when a problem is reported: for an IR of
    4 MB, finding every line start takes longer than reading the IR."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name

    @functools.cached_property
    def source(self) -> SourceFile:
        return SourceFile.from_text(self.text, self.name)

    @functools.cached_property
    def paths(self) -> JsonMap:
        return JsonMap(self.source)

    def at(self, where: Where) -> Span | None:
        return self.paths.at(where)


def ir_from_text(text: str, name: str = "<string>") -> IRDocument:
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))  # as SourceFile reads text
    places = _Places(text, name)
    try:
        doc = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
    except json.JSONDecodeError as error:
        span = places.source.span(error.pos, min(error.pos + 1, len(text)))
        reason = Said(f"invalid JSON: {error.msg}", f"JSON không hợp lệ: {error.msg}")
        raise CchcError((make("E801", span, path=name, reason=reason),)) from None
    found = doc.get("format") if isinstance(doc, dict) else None
    if found != FORMAT:
        reason = (
            Said(f"its format is «{found}»", f"định dạng của tệp là «{found}»")
            if isinstance(found, str)
            else Said('it has no «format»: "cchc-ir"', 'tệp không có «format»: "cchc-ir"')
        )
        at = places.at(("format",) if isinstance(found, str) else ())
        raise CchcError((make("E801", at, path=name, reason=reason),))
    version = doc.get("version")
    if type(version) is not int or version < 1:
        en, vi = "«version» must be a whole number from 1", "«version» phải là số nguyên từ 1"
        at = places.at(("version",) if "version" in doc else ())
        raise CchcError((make("E803", at, where="$.version", message=Said(en, vi)),))
    if version > VERSION:
        at = places.at(("version",))
        raise CchcError((make("E802", at, path=name, version=version, supported=VERSION),))
    try:
        return _Reader().document(doc)
    except _MalformedError as problem:
        at = places.at(problem.where)
        path = json_path(problem.where)
        raise CchcError((make("E803", at, where=path, message=problem.said),)) from None


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_OPS = {
    **dict.fromkeys(("neg", "not"), 1),
    **dict.fromkeys(("+", "-", "*", "/", "and", "or", "=", "!=", "<", "<=", ">", ">="), 2),
    **dict.fromkeys(("min", "max"), 0),  # two or more
}
_TOP = (
    "format version source in_force year metadata rounding unit_types inputs criteria survey "
    "clamp ranking programs"
)


class _Reader:
    """JSON data → IR objects, checking every value's shape and every name a rule refers to."""

    def __init__(self) -> None:
        self.inputs: set[str] = set()
        self.tags: set[str] = set()
        self.kinds: dict[str, str] = {}  # input name → the kind of value it holds

    # -- shapes --

    def obj(self, raw: Json, where: Where, keys: str) -> Obj:
        """An object with exactly these keys (space-separated)."""
        expected = keys.split()
        if not isinstance(raw, dict):
            raise _MalformedError(where, "expected an object", "cần một đối tượng JSON")
        for key in raw:
            if key not in expected:
                hint = did_you_mean(key, expected)
                en = f" (did you mean «{hint}»?)" if hint else ""
                vi = f" (có phải là «{hint}»?)" if hint else ""
                raise _MalformedError(
                    (*where, key), f"unknown key «{key}»{en}", f"khóa lạ «{key}»{vi}"
                )
        for key in expected:
            if key not in raw:
                raise _MalformedError(where, f"missing «{key}»", f"thiếu «{key}»")
        return raw

    def many(self, raw: Json, where: Where, item: Callable[[Json, Where], T]) -> tuple[T, ...]:
        if not isinstance(raw, list):
            raise _MalformedError(where, "expected a list", "cần một danh sách")
        return tuple(item(value, (*where, i)) for i, value in enumerate(raw))

    def optional(self, raw: Json, where: Where, item: Callable[[Json, Where], T]) -> T | None:
        return None if raw is None else item(raw, where)

    def text(self, raw: Json, where: Where) -> str:
        if not isinstance(raw, str):
            raise _MalformedError(where, "expected a string", "cần một chuỗi")
        return raw

    def texts(self, raw: Json, where: Where) -> tuple[str, ...]:
        return self.many(raw, where, self.text)

    def flag(self, raw: Json, where: Where) -> bool:
        if not isinstance(raw, bool):
            raise _MalformedError(where, "expected true or false", "cần true hoặc false")
        return raw

    def integer(self, raw: Json, where: Where) -> int:
        """A whole number from 0: places, days, years and indexes are never negative."""
        if type(raw) is not int or raw < 0:
            raise _MalformedError(where, "expected a whole number from 0", "cần số nguyên từ 0")
        return raw

    def decimal(self, raw: Json, where: Where) -> Decimal:
        if isinstance(raw, str) and _DECIMAL.fullmatch(raw):
            return Decimal(raw)
        en = 'expected a decimal written as a string, e.g. "12.5"'
        raise _MalformedError(where, en, 'cần một số thập phân viết dạng chuỗi, ví dụ "12.5"')

    def date(self, raw: Json, where: Where) -> datetime.date:
        try:
            return datetime.date.fromisoformat(self.text(raw, where))
        except ValueError:
            raise _MalformedError(
                where, "expected a date YYYY-MM-DD", "cần ngày dạng YYYY-MM-DD"
            ) from None

    def choice(self, kind: type[E], raw: Json, where: Where) -> E:
        names = [member.value for member in kind]
        if raw not in names:
            listed = ", ".join(names)
            raise _MalformedError(where, f"expected one of: {listed}", f"cần một trong: {listed}")
        return kind(raw)

    def name(self, raw: Json, where: Where, known: set[str], what: Said) -> str:
        text = self.text(raw, where)
        if text not in known:
            raise _MalformedError(
                where, f"no {what.en} «{text}» declared", f"không khai báo {what.vi} «{text}»"
            )
        return text

    # -- the document --

    def document(self, raw: Obj) -> IRDocument:
        doc = self.obj(raw, (), _TOP)
        unit_types = self.many(doc["unit_types"], ("unit_types",), self.unit_type)
        self.tags = {d.name for d in unit_types if d.is_tag}
        inputs = self.many(doc["inputs"], ("inputs",), self.input)
        self.inputs = {d.name for d in inputs}
        self.kinds = {d.name: _INPUT_KINDS.get(d.type, "number") for d in inputs}
        rounding = self.obj(doc["rounding"], ("rounding",), "mode places")
        clamp = self.obj(doc["clamp"], ("clamp",), "low high")
        policy = n.Policy(
            metadata=self.metadata(doc["metadata"], ("metadata",)),
            unit_types=unit_types,
            inputs=inputs,
            nodes=self.many(doc["criteria"], ("criteria",), self.outline),
            survey=self.optional(doc["survey"], ("survey",), self.survey),
            clamp=n.Clamp(
                self.clamp_value(clamp["low"], ("clamp", "low")),
                self.clamp_value(clamp["high"], ("clamp", "high")),
            ),
            rounding=n.Rounding(
                self.choice(n.RoundingMode, rounding["mode"], ("rounding", "mode")),
                self.integer(rounding["places"], ("rounding", "places")),
            ),
            ranking=self.optional(doc["ranking"], ("ranking",), self.ranking),
        )
        bounds = (
            self.bound(clamp["low"], ("clamp", "low")),
            self.bound(clamp["high"], ("clamp", "high")),
        )
        programs = self.many(
            doc["programs"], ("programs",), lambda r, w: self.program(r, w, policy, bounds)
        )
        types = [d.name for d in unit_types if not d.is_tag]
        if [p.unit_type for p in programs] != types:
            en = "expected one program per unit type, in order: " + ", ".join(types)
            raise _MalformedError(
                ("programs",),
                en,
                "cần một chương trình cho mỗi loại đơn vị, theo thứ tự: " + ", ".join(types),
            )
        return IRDocument(
            policy=policy,
            programs=programs,
            source=self.text(doc["source"], ("source",)),
            chosen=self.text(doc["in_force"], ("in_force",)),
            year=self.optional(doc["year"], ("year",), self.integer),
        )

    def metadata(self, raw: Json, where: Where) -> n.Metadata:
        keys = "title decision issued issuer based_on effective until amended_by notes"
        m = self.obj(raw, where, keys)

        def opt_date(key: str) -> datetime.date | None:
            return self.optional(m[key], (*where, key), self.date)

        def opt_text(key: str) -> str | None:
            return self.optional(m[key], (*where, key), self.text)

        return n.Metadata(
            title=self.text(m["title"], (*where, "title")),
            decision=opt_text("decision"),
            issued=opt_date("issued"),
            issuer=opt_text("issuer"),
            based_on=self.texts(m["based_on"], (*where, "based_on")),
            effective=opt_date("effective"),
            until=opt_date("until"),
            amended_by=self.texts(m["amended_by"], (*where, "amended_by")),
            notes=self.texts(m["notes"], (*where, "notes")),
        )

    def unit_type(self, raw: Json, where: Where) -> n.UnitTypeDecl:
        d = self.obj(raw, where, "name title tag")
        return n.UnitTypeDecl(
            self.text(d["name"], (*where, "name")),
            self.text(d["title"], (*where, "title")),
            self.flag(d["tag"], (*where, "tag")),
        )

    def input(self, raw: Json, where: Where) -> n.InputDecl:
        d = self.obj(raw, where, "name type title low high default optional")
        kind = self.choice(n.InputType, d["type"], (*where, "type"))

        def default(raw: Json, where: Where) -> n.Number | n.Boolean | n.DateValue:
            value = self.literal(raw, where)
            wanted, found = _INPUT_KINDS.get(kind, "number"), _kind_of(value.value)
            if found != wanted:
                self.mismatch(where, (wanted,), found)
            return value

        def number(raw: Json, where: Where) -> n.Number:
            value = self.literal(raw, where)
            if not isinstance(value, n.Number):
                self.mismatch(where, ("number",), _kind_of(value.value))
            return value

        return n.InputDecl(
            name=self.text(d["name"], (*where, "name")),
            type=kind,
            title=self.text(d["title"], (*where, "title")),
            low=self.optional(d["low"], (*where, "low"), number),
            high=self.optional(d["high"], (*where, "high"), number),
            default=self.optional(d["default"], (*where, "default"), default),
            optional=self.flag(d["optional"], (*where, "optional")),
        )

    def literal(self, raw: Json, where: Where) -> n.Number | n.Boolean | n.DateValue:
        const = self.value(raw, where)
        if isinstance(const.value, bool):
            return n.Boolean(const.value)
        if isinstance(const.value, datetime.date):
            return n.DateValue(const.value)
        return n.Number(const.value, const.percent)

    def outline(self, raw: Json, where: Where) -> n.Node:
        d = self.obj(raw, where, "id kind title children")
        return n.Node(
            kind=self.choice(n.NodeKind, d["kind"], (*where, "kind")),
            id=self.text(d["id"], (*where, "id")),
            title=self.text(d["title"], (*where, "title")),
            header=n.Header(),
            children=self.many(d["children"], (*where, "children"), self.outline),
        )

    def survey(self, raw: Json, where: Where) -> n.SurveySpec:
        d = self.obj(raw, where, "missing weight scale")
        return n.SurveySpec(
            self.choice(n.MissingSurvey, d["missing"], (*where, "missing")),
            self.optional(d["weight"], (*where, "weight"), self.decimal),
            self.optional(d["scale"], (*where, "scale"), self.decimal),
        )

    def bound(self, raw: Json, where: Where) -> s.Bound:
        return "max" if raw == "max" else self.optional(raw, where, self.decimal)

    def clamp_value(self, raw: Json, where: Where) -> n.Number | n.NodeMax | None:
        bound = self.bound(raw, where)
        if bound is None:
            return None
        return n.NodeMax() if bound == "max" else n.Number(bound)

    def ranking(self, raw: Json, where: Where) -> n.Ranking:
        d = self.obj(raw, where, "ties blocks")

        def block(raw: Json, where: Where) -> n.Block:
            b = self.obj(raw, where, "title members")
            return n.Block(
                self.text(b["title"], (*where, "title")),
                self.texts(b["members"], (*where, "members")),
            )

        return n.Ranking(
            self.many(d["blocks"], (*where, "blocks"), block),
            self.choice(n.TieRule, d["ties"], (*where, "ties")),
        )

    # -- programs --

    def program(
        self, raw: Json, where: Where, policy: n.Policy, clamp: tuple[s.Bound, s.Bound]
    ) -> s.Program:
        d = self.obj(raw, where, "unit_type title bands groups nodes adjustments")

        def band(raw: Json, where: Where) -> s.IRBand:
            b = self.obj(raw, where, "name step")
            step = self.step(b["step"], (*where, "step"))
            for key in ("low", "high"):
                bound = getattr(step, key)
                if bound is not None and not isinstance(bound, Decimal):
                    en, vi = (
                        "a band's bounds are numbers (the index, in %)",
                        "ngưỡng xếp loại là số",
                    )
                    raise _MalformedError((*where, "step", key), en, vi)
            return s.IRBand(self.text(b["name"], (*where, "name")), step)

        def group(raw: Json, where: Where) -> s.GroupCap:
            g = self.obj(raw, where, "title cap")
            return s.GroupCap(
                self.text(g["title"], (*where, "title")), self.decimal(g["cap"], (*where, "cap"))
            )

        groups = self.many(d["groups"], (*where, "groups"), group)
        nodes = self.many(d["nodes"], (*where, "nodes"), self.node)
        targets = {"total", "index"} | {node.id for node in _walk(nodes)}
        adjustments = self.many(
            d["adjustments"],
            (*where, "adjustments"),
            lambda r, w: self.adjustment(r, w, targets, len(groups)),
        )
        assert policy.rounding is not None
        return s.Program(
            metadata=policy.metadata,
            unit_type=self.text(d["unit_type"], (*where, "unit_type")),
            unit_type_title=self.text(d["title"], (*where, "title")),
            nodes=nodes,
            adjustments=adjustments,
            groups=groups,
            inputs=policy.inputs,
            survey=policy.survey,
            clamp=clamp,
            rounding=policy.rounding,
            bands=self.many(d["bands"], (*where, "bands"), band),
        )

    def applicability(self, raw: Json, where: Where, scored: bool) -> s.Applicability:
        """`scored`: a leaf or an adjustment, which needs a max for every unit it applies to."""
        d = self.obj(raw, where, "max max_by_tag only_tags except_tags")
        tag = Said("tag", "nhãn")

        def by_tag(raw: Json, where: Where) -> tuple[str, Decimal]:
            t = self.obj(raw, where, "tag max")
            return self.name(t["tag"], (*where, "tag"), self.tags, tag), self.decimal(
                t["max"], (*where, "max")
            )

        def tags(key: str) -> tuple[str, ...]:
            return self.many(d[key], (*where, key), lambda r, w: self.name(r, w, self.tags, tag))

        out = s.Applicability(
            max_default=self.optional(d["max"], (*where, "max"), self.decimal),
            max_by_tag=self.many(d["max_by_tag"], (*where, "max_by_tag"), by_tag),
            only_tags=tags("only_tags"),
            except_tags=tags("except_tags"),
        )
        tagged = {t for t, _ in out.max_by_tag}
        if (
            scored
            and out.max_default is None
            and not (out.only_tags and tagged >= set(out.only_tags))
        ):
            en = "a scored item needs a max for every unit it applies to"
            raise _MalformedError(
                (*where, "max"), en, "mục được chấm điểm cần điểm tối đa cho mọi đơn vị áp dụng"
            )
        return out

    def node(self, raw: Json, where: Where) -> s.ScoringNode:
        keys = (
            "id kind title citation applicability evidence_required is_survey reads rule outcomes "
            "children"
        )
        d = self.obj(raw, where, keys)
        children = self.many(d["children"], (*where, "children"), self.node)
        rule = self.optional(d["rule"], (*where, "rule"), self.rule)
        if (rule is None) == (not children):
            en = "a node has either children or a rule"
            raise _MalformedError(
                where, en, "một nút có các nút con hoặc có cách tính điểm, không cả hai"
            )
        return s.ScoringNode(
            id=self.text(d["id"], (*where, "id")),
            title=self.text(d["title"], (*where, "title")),
            kind=self.choice(n.NodeKind, d["kind"], (*where, "kind")),
            applicability=self.applicability(
                d["applicability"], (*where, "applicability"), rule is not None
            ),
            children=children,
            rule=rule,
            outcomes=self.many(d["outcomes"], (*where, "outcomes"), self.outcome),
            evidence_required=self.flag(d["evidence_required"], (*where, "evidence_required")),
            citation=self.optional(d["citation"], (*where, "citation"), self.text),
            reads=self.reads(d["reads"], (*where, "reads")),
            is_survey=self.flag(d["is_survey"], (*where, "is_survey")),
        )

    def adjustment(
        self, raw: Json, where: Where, targets: set[str], groups: int
    ) -> s.ScoringAdjustment:
        keys = "id kind title citation applicability target group reads rule outcomes"
        d = self.obj(raw, where, keys)
        target = self.name(d["target"], (*where, "target"), targets, Said("node", "tiêu chí"))
        group = self.optional(d["group"], (*where, "group"), self.integer)
        if group is not None and not 0 <= group < groups:
            en = f"expected the index of one of the {groups} groups"
            raise _MalformedError(
                (*where, "group"), en, f"cần số thứ tự của một trong {groups} nhóm"
            )
        return s.ScoringAdjustment(
            id=self.text(d["id"], (*where, "id")),
            title=self.text(d["title"], (*where, "title")),
            kind=self.choice(n.AdjustmentKind, d["kind"], (*where, "kind")),
            applicability=self.applicability(d["applicability"], (*where, "applicability"), True),
            target=target,
            rule=self.rule(d["rule"], (*where, "rule")),
            outcomes=self.many(d["outcomes"], (*where, "outcomes"), self.outcome),
            citation=self.optional(d["citation"], (*where, "citation"), self.text),
            reads=self.reads(d["reads"], (*where, "reads")),
            group=group,
        )

    def reads(self, raw: Json, where: Where) -> tuple[str, ...]:
        what = Said("input", "đầu vào")
        return self.many(raw, where, lambda r, w: self.name(r, w, self.inputs, what))

    def outcome(self, raw: Json, where: Where) -> s.IROutcome:
        d = self.obj(raw, where, "condition outcome effect text")
        effect = d["effect"]
        return s.IROutcome(
            condition=self.typed(d["condition"], (*where, "condition"), "bool"),
            outcome=self.choice(n.Outcome, d["outcome"], (*where, "outcome")),
            effect=self.optional(
                effect, (*where, "effect"), lambda r, w: self.choice(n.NotApplicableEffect, r, w)
            ),
            text=self.text(d["text"], (*where, "text")),
        )

    def step(self, raw: Json, where: Where) -> s.IRStep:
        d = self.obj(raw, where, "points low low_inclusive high high_inclusive text")

        def bound(key: str) -> s.Value | None:
            const = self.optional(d[key], (*where, key), self.value)
            return None if const is None else const.value

        return s.IRStep(
            points=self.decimal(d["points"], (*where, "points")),
            low=bound("low"),
            low_inclusive=self.flag(d["low_inclusive"], (*where, "low_inclusive")),
            high=bound("high"),
            high_inclusive=self.flag(d["high_inclusive"], (*where, "high_inclusive")),
            text=self.text(d["text"], (*where, "text")),
        )

    def rule(self, raw: Json, where: Where) -> s.IRRule:
        kind = raw.get("kind") if isinstance(raw, dict) else None
        shape = _RULES.get(kind) if isinstance(kind, str) else None
        if shape is None:
            if not isinstance(raw, dict):
                raise _MalformedError(where, "expected an object", "cần một đối tượng JSON")
            listed = ", ".join(_RULES)
            raise _MalformedError(
                (*where, "kind"), f"expected one of: {listed}", f"cần một trong: {listed}"
            )
        d = self.obj(raw, where, "kind " + shape)

        def expr(key: str, *kinds: str) -> s.IRExpr:
            return self.typed(d[key], (*where, key), *(kinds or ("number",)))

        def dec(key: str) -> Decimal:
            return self.decimal(d[key], (*where, key))

        def otherwise() -> Decimal | None:
            return self.optional(d["otherwise"], (*where, "otherwise"), self.decimal)

        def steps(subject: s.IRExpr) -> tuple[s.IRStep, ...]:
            table = self.many(d["steps"], (*where, "steps"), self.step)
            kind = self.kind(subject, (*where, "subject"))
            for i, step in enumerate(table):
                for key in ("low", "high"):
                    bound = getattr(step, key)
                    if bound is not None and _kind_of(bound) != kind:
                        self.mismatch((*where, "steps", i, key), (kind,), _kind_of(bound))
            return table

        if kind == "yes_no":
            return s.YesNoRule(expr("condition", "bool"))
        if kind == "proportional":
            return s.ProportionalRule(expr("rate"))
        if kind == "steps":
            subject = expr("subject", "number", "date")
            rate = self.flag(d["rate"], (*where, "rate"))
            return s.StepRule(subject, steps(subject), otherwise(), rate)
        if kind == "survey":
            subject = expr("subject")
            return s.SurveyRule(subject, steps(subject), otherwise())
        if kind == "deadline":
            late = self.many(d["late"], (*where, "late"), self.late)
            due = self.due(d["due"], (*where, "due"))
            return s.DeadlineRule(expr("subject", "date"), due, dec("on_time"), late, otherwise())
        if kind == "judged":
            return s.JudgedRule(expr("subject"), dec("step"))
        if kind == "per_item":
            return s.PerItemRule(expr("subject"), dec("amount"))
        return s.FormulaRule(expr("expr"), expr("low"), expr("high"))

    def late(self, raw: Json, where: Where) -> tuple[int, Decimal]:
        d = self.obj(raw, where, "days points")
        return self.integer(d["days"], (*where, "days")), self.decimal(
            d["points"], (*where, "points")
        )

    def due(self, raw: Json, where: Where) -> datetime.date | s.DueDay:
        if isinstance(raw, dict) and "date" in raw:
            return self.date(self.obj(raw, where, "date")["date"], (*where, "date"))
        d = self.obj(raw, where, "day month years_after")
        day = s.DueDay(*(self.integer(d[k], (*where, k)) for k in ("day", "month", "years_after")))
        try:
            day.on(2000)  # a leap year: 29/02 is a day of some years
        except ValueError:
            raise _MalformedError(
                where, "no such day of the year", "không có ngày này trong năm"
            ) from None
        return day

    def typed(self, raw: Json, where: Where, *kinds: str) -> s.IRExpr:
        """An expression whose value is of one of `kinds` ("number", "bool", "date")."""
        expr = self.expr(raw, where)
        found = self.kind(expr, where)
        if found not in kinds:
            self.mismatch(where, kinds, found)
        return expr

    def kind(self, expr: s.IRExpr, where: Where) -> str:
        """What an expression yields, checking its operands as the evaluator will use them."""
        if isinstance(expr, s.Const):
            return _kind_of(expr.value)
        if isinstance(expr, s.Ref):
            return self.kinds[expr.name]
        if isinstance(expr, s.TagRef):
            return "bool"
        if isinstance(expr, s.NodeMaxRef):
            return "number"
        found = [self.kind(arg, (*where, "args", i)) for i, arg in enumerate(expr.args)]
        if expr.op in _COMPARISONS:
            if found[0] != found[1]:
                self.mismatch((*where, "args", 1), (found[0],), found[1])
            return "bool"
        wanted = "bool" if expr.op in {"and", "or", "not"} else "number"
        for i, kind in enumerate(found):
            if kind != wanted:
                self.mismatch((*where, "args", i), (wanted,), kind)
        return wanted

    def mismatch(self, where: Where, wanted: tuple[str, ...], found: str) -> NoReturn:
        en = " or ".join(_KIND_WORDS[k].en for k in wanted)
        vi = " hoặc ".join(_KIND_WORDS[k].vi for k in wanted)
        said = _KIND_WORDS[found]
        raise _MalformedError(
            where, f"expected {en} here, not {said.en}", f"cần {vi}, không phải {said.vi}"
        )

    def value(self, raw: Json, where: Where) -> s.Const:
        """A constant: `{"number": "0.95", "percent": true}`, `{"bool": …}` or `{"date": …}`."""
        if isinstance(raw, dict) and "number" in raw:
            d = self.obj(raw, where, "number percent" if "percent" in raw else "number")
            percent = self.flag(d["percent"], (*where, "percent")) if "percent" in d else False
            return s.Const(self.decimal(d["number"], (*where, "number")), percent)
        if isinstance(raw, dict) and "bool" in raw:
            return s.Const(self.flag(self.obj(raw, where, "bool")["bool"], (*where, "bool")))
        if isinstance(raw, dict) and "date" in raw:
            return s.Const(self.date(self.obj(raw, where, "date")["date"], (*where, "date")))
        en = 'expected {"number": "…"}, {"bool": …} or {"date": "YYYY-MM-DD"}'
        raise _MalformedError(
            where, en, 'cần {"number": "…"}, {"bool": …} hoặc {"date": "YYYY-MM-DD"}'
        )

    def expr(self, raw: Json, where: Where) -> s.IRExpr:
        if isinstance(raw, dict) and "input" in raw:
            what = Said("input", "đầu vào")
            return s.Ref(
                self.name(
                    self.obj(raw, where, "input")["input"], (*where, "input"), self.inputs, what
                )
            )
        if isinstance(raw, dict) and "tag" in raw:
            what = Said("tag", "nhãn")
            return s.TagRef(
                self.name(self.obj(raw, where, "tag")["tag"], (*where, "tag"), self.tags, what)
            )
        if isinstance(raw, dict) and "node_max" in raw:
            if self.obj(raw, where, "node_max")["node_max"] is not True:
                raise _MalformedError((*where, "node_max"), "expected true", "cần true")
            return s.NodeMaxRef()
        if isinstance(raw, dict) and "op" in raw:
            d = self.obj(raw, where, "op args")
            op = d["op"]
            if not isinstance(op, str) or op not in _OPS:
                listed = " ".join(_OPS)
                raise _MalformedError(
                    (*where, "op"), f"expected one of: {listed}", f"cần một trong: {listed}"
                )
            args = self.many(d["args"], (*where, "args"), self.expr)
            arity = _OPS[op]
            if (len(args) != arity) if arity else len(args) < 2:
                en = f"«{op}» takes {arity or 'two or more'} argument(s), not {len(args)}"
                vi = f"«{op}» nhận {arity or 'từ hai'} đối số, không phải {len(args)}"
                raise _MalformedError((*where, "args"), en, vi)
            return s.Op(op, args)
        if isinstance(raw, dict) and raw.keys() & {"number", "bool", "date"}:
            return self.value(raw, where)
        forms = '{"input": …}, {"tag": …}, {"node_max": true}, {"op": …, "args": […]}'
        en, vi = (
            f"expected a value or an expression: {forms}",
            f"cần một giá trị hay biểu thức: {forms}",
        )
        raise _MalformedError(where, en, vi)


_COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
_INPUT_KINDS = {n.InputType.YES_NO: "bool", n.InputType.DATE: "date"}
_KIND_WORDS = {
    "number": Said("a number", "một số"),
    "bool": Said("a truth value", "giá trị đúng/sai"),
    "date": Said("a date", "một ngày"),
}


def _kind_of(value: s.Value) -> str:
    if isinstance(value, bool):
        return "bool"
    return "date" if isinstance(value, datetime.date) else "number"


_RULES = {
    "yes_no": "condition",
    "proportional": "rate",
    "steps": "subject steps otherwise rate",
    "deadline": "subject due on_time late otherwise",
    "judged": "subject step",
    "per_item": "subject amount",
    "survey": "subject steps otherwise",
    "formula": "expr low high",
}


def _walk(nodes: tuple[s.ScoringNode, ...]) -> list[s.ScoringNode]:
    out: list[s.ScoringNode] = []
    for node in nodes:
        out.extend((node, *_walk(node.children)))
    return out
