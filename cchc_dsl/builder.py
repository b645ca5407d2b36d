"""Stage 2: `lark.Tree` → `nodes.Policy`. Reads tokens into Decimal and dates, names into choices.

Problems found here (an impossible date, an unknown rounding mode, a metadata line given twice) are
reported and building goes on, so that one run shows them all; names that refer to other
declarations are resolved later, in `checks.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import TypeVar

import lark
from lark import Token, Tree

from cchc_dsl import nodes as n
from cchc_dsl.diagnostics import DiagnosticSink, Said
from cchc_dsl.source import SourceFile, Span
from cchc_dsl.wording import code, hint
from cchc_dsl.wording import kind as kind_named

MAX_DIGITS = 28

E = TypeVar("E")

# Bilingual spellings of the words that name one of a fixed set of choices.
INPUT_TYPES = {
    "yes_no": n.InputType.YES_NO, "có_không": n.InputType.YES_NO,
    "count": n.InputType.COUNT, "số_lượng": n.InputType.COUNT, "số_đếm": n.InputType.COUNT,
    "number": n.InputType.NUMBER, "số": n.InputType.NUMBER,
    "percent": n.InputType.PERCENT, "tỷ_lệ": n.InputType.PERCENT, "tỉ_lệ": n.InputType.PERCENT,
    "date": n.InputType.DATE, "ngày_tháng": n.InputType.DATE,
    "points": n.InputType.POINTS, "điểm": n.InputType.POINTS,
    "survey": n.InputType.SURVEY, "khảo_sát": n.InputType.SURVEY,
}  # fmt: skip
ROUNDING_MODES = {
    "half_up": n.RoundingMode.HALF_UP, "nửa_lên": n.RoundingMode.HALF_UP,
    "half_even": n.RoundingMode.HALF_EVEN, "nửa_chẵn": n.RoundingMode.HALF_EVEN,
    "down": n.RoundingMode.DOWN, "cắt_bỏ": n.RoundingMode.DOWN,
    "up": n.RoundingMode.UP, "lên": n.RoundingMode.UP,
}  # fmt: skip
MISSING_SURVEY = {
    "rescale": n.MissingSurvey.RESCALE, "quy_đổi": n.MissingSurvey.RESCALE,
    "zero": n.MissingSurvey.ZERO, "không_điểm": n.MissingSurvey.ZERO,
    "error": n.MissingSurvey.ERROR, "lỗi": n.MissingSurvey.ERROR,
}  # fmt: skip
TIE_RULES = {
    "shared": n.TieRule.SHARED, "chung": n.TieRule.SHARED,
    "dense": n.TieRule.DENSE, "liền_kề": n.TieRule.DENSE,
}  # fmt: skip

_NODE_KINDS = {
    "KW_FIELD": n.NodeKind.FIELD,
    "KW_CRITERION": n.NodeKind.CRITERION,
    "KW_SUB": n.NodeKind.SUB_CRITERION,
}
_RULES = {"yes_no", "proportional", "steps", "deadline", "judged", "per_item", "survey", "formula"}
_BINARY_RULES = {"or_expr", "and_expr", "sum", "product"}
_OPERATORS = {"×": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!=", "==": "="}


def build_document(tree: Tree[Token], source: SourceFile, sink: DiagnosticSink) -> n.Document:
    """A regulation, or an amendment when the file starts with `amendment "…"`."""
    return _Builder(source, sink).document(tree)


def _subtrees(tree: Tree[Token]) -> Iterator[Tree[Token]]:
    return (child for child in tree.children if isinstance(child, Tree))


def _tokens(tree: Tree[Token], *types: str) -> list[Token]:
    return [c for c in tree.children if isinstance(c, Token) and (not types or c.type in types)]


def _is_name(value: object) -> bool:
    return isinstance(value, Token) and value.type == "NAME"


def _string(token: Token) -> str:
    body = token.value[1:-1]
    out: list[str] = []
    chars = iter(body)
    for ch in chars:
        out.append(next(chars, "\\") if ch == "\\" else ch)
    return "".join(out)


class _Builder:
    def __init__(self, source: SourceFile, sink: DiagnosticSink) -> None:
        self.source = source
        self.sink = sink

    # --- positions and literals ---------------------------------------------------------------

    def span(self, item: Tree[Token] | Token) -> Span:
        if isinstance(item, Token):
            start = item.start_pos or 0
            end = item.end_pos if item.end_pos is not None else start + len(item.value)
            return self.source.span(start, end)
        meta = item.meta
        if getattr(meta, "empty", True):
            return self.source.span(0, 0)
        return self.source.span(meta.start_pos, meta.end_pos)

    def decimal(self, token: Token) -> Decimal:
        digits = sum(ch.isdigit() for ch in token.value)
        if digits > MAX_DIGITS:
            self.sink.report("E105", self.span(token), text=token.value[:40], limit=MAX_DIGITS)
            return Decimal(1)  # a stand-in that sets off no further diagnostic
        return Decimal(token.value.rstrip("%"))

    def number(self, token: Token, negative: bool = False) -> n.Number:
        value = self.decimal(token)
        value = -value if negative else value
        if token.type == "PERCENT":
            return n.Number(value / 100, percent=True, span=self.span(token))
        return n.Number(value, span=self.span(token))

    def date(self, token: Token) -> n.DateValue:
        text = token.value
        try:
            if "-" in text:
                value = datetime.date.fromisoformat(text)
            else:
                day, month, year = (int(part) for part in text.split("/"))
                value = datetime.date(year, month, day)
        except ValueError:
            self.sink.report(
                "E104",
                self.span(token),
                text=text,
                hint=Said("check the day and month exist", "kiểm tra lại ngày và tháng"),
            )
            value = datetime.date(1, 1, 1)
        return n.DateValue(value, span=self.span(token))

    def due_date(self, item: Tree[Token]) -> n.DateValue | n.DayOfYear:
        absolute = _tokens(item, "DATE")
        if absolute:
            return self.date(absolute[0])
        token = _tokens(item, "DAY_MONTH")[0]
        day, month = (int(part) for part in token.value.split("/"))
        try:  # a day that every year has: 29/02 is not one
            datetime.date(2001, month, day)
        except ValueError:
            self.sink.report(
                "E104",
                self.span(token),
                text=token.value,
                hint=Said(
                    "a deadline in the index year must exist every year",
                    "hạn trong năm đánh giá phải là ngày có trong mọi năm",
                ),
            )
            day, month = 1, 1
        years_after = 1 if _tokens(item, "KW_NEXT_YEAR") else 0
        return n.DayOfYear(day, month, years_after, span=self.span(token))

    def choice(self, token: Token, table: dict[str, E], what: Said) -> E | None:
        if token.value in table:
            return table[token.value]
        from cchc_dsl.diagnostics import did_you_mean

        self.sink.report(
            "E203",
            self.span(token),
            name=token.value,
            what=what,
            choices=", ".join(table),
            hint=did_you_mean(token.value, table),
        )
        return None

    # --- the file -----------------------------------------------------------------------------

    def document(self, tree: Tree[Token]) -> n.Document:
        meta: dict[str, object] = {}
        meta_spans: dict[str, Span] = {}
        unit_types: list[n.UnitTypeDecl] = []
        inputs: list[n.InputDecl] = []
        tree_nodes: list[n.Node] = []
        adjustments: list[n.Adjustment | n.AdjustmentGroup] = []
        bands: list[n.BandTable] = []
        single: dict[str, object] = {}
        operations: list[n.Operation] = []
        notes: list[str] = []
        plain_items: list[Span] = []  # nodes and adjustments given outside add/replace

        def once(key: str, value: object, item: Tree[Token], store: dict[str, object]) -> None:
            if key in store:
                self.sink.report("E205", self.span(item), what=_quoted(key))
                return
            store[key] = value
            meta_spans[key] = self.span(item)

        for item in _subtrees(tree):
            kind = item.data
            if kind in {"regulation", "decision", "issuer", "amendment", "amends"}:
                once(str(kind), _string(_tokens(item, "STRING")[0]), item, meta)
            elif kind in {"issued", "effective", "until"}:
                once(str(kind), self.date(_tokens(item, "DATE")[0]).value, item, meta)
            elif kind == "based_on":
                once("based_on", tuple(_string(t) for t in _tokens(item, "STRING")), item, meta)
            elif kind == "rounding":
                once("rounding", self.rounding(item), item, single)
            elif kind == "unit_types":
                unit_types.extend(self.unit_type(t) for t in _subtrees(item))
            elif kind == "inputs":
                inputs.extend(self.input_decl(t) for t in _subtrees(item))
            elif kind == "node":
                tree_nodes.append(self.node(item))
                plain_items.append(tree_nodes[-1].span)
            elif kind == "adjustment":
                adjustments.append(self.adjustment(item))
                plain_items.append(adjustments[-1].span)
            elif kind == "group":
                adjustments.append(self.group(item))
                plain_items.append(adjustments[-1].span)
            elif kind in {"replace_op", "add_op", "remove_op", "change_op", "move_op"}:
                operations.append(self.operation(item))
            elif kind == "note":
                notes.append(_string(_tokens(item, "STRING")[0]))
            elif kind == "survey_decl":
                once("survey", self.survey_decl(item), item, single)
            elif kind in {"clamp_decl", "no_clamp"}:
                once("total", self.clamp(item), item, single)
            elif kind == "bands_decl":
                bands.append(self.bands(item))
            elif kind == "ranking_decl":
                once("ranking", self.ranking(item), item, single)
            elif kind == "total_max":
                once("total max", self.header(item)[0], item, single)

        meta["notes"] = tuple(notes)
        is_amendment = "amendment" in meta
        title_key = "amendment" if is_amendment else "regulation"
        metadata = n.Metadata(
            title=str(meta.get(title_key, "")),
            decision=meta.get("decision"),  # type: ignore[arg-type]
            issued=meta.get("issued"),  # type: ignore[arg-type]
            issuer=meta.get("issuer"),  # type: ignore[arg-type]
            based_on=meta.get("based_on", ()),  # type: ignore[arg-type]
            effective=meta.get("effective"),  # type: ignore[arg-type]
            until=meta.get("until"),  # type: ignore[arg-type]
            notes=meta.get("notes", ()),  # type: ignore[arg-type]
            span=meta_spans.get(title_key, self.source.span(0, 0)),
        )
        policy = n.Policy(
            metadata=metadata,
            unit_types=tuple(unit_types),
            inputs=tuple(inputs),
            nodes=tuple(tree_nodes),
            adjustments=tuple(adjustments),
            survey=single.get("survey"),  # type: ignore[arg-type]
            clamp=single.get("total"),  # type: ignore[arg-type]
            rounding=single.get("rounding"),  # type: ignore[arg-type]
            bands=tuple(bands),
            ranking=single.get("ranking"),  # type: ignore[arg-type]
            declared_total=single.get("total max"),  # type: ignore[arg-type]
            span=self.span(tree),
        )
        if is_amendment:
            return self.amendment(policy, meta, meta_spans, plain_items, operations)
        for operation in operations:
            self.sink.report(
                "E235",
                operation.span,
                message=Said(
                    "a regulation states its criteria; only an amendment changes them",
                    "quy định nêu các tiêu chí; chỉ văn bản sửa đổi mới sửa chúng",
                ),
                hint=hint(
                    "start an amendment file with: {code}",
                    "văn bản sửa đổi bắt đầu bằng: {code}",
                    'amendment "…"',
                ),
            )
        if "amends" in meta:
            self.sink.report(
                "E235",
                meta_spans["amends"],
                message=Said(
                    "only an amendment says which decision it amends",
                    "chỉ văn bản sửa đổi mới ghi quyết định mà nó sửa đổi",
                ),
                hint=hint(
                    "start the file with: {code}", "bắt đầu tệp bằng: {code}", 'amendment "…"'
                ),
            )
        if "regulation" not in meta:
            self.sink.report(
                "E211",
                self.source.span(0, 0),
                what=Said("title", "tên quy định"),
                hint=hint(
                    "start the file with: {code}", "bắt đầu tệp bằng: {code}", 'regulation "…"'
                ),
            )
        return policy

    def amendment(
        self,
        declared: n.Policy,
        meta: dict[str, object],
        meta_spans: dict[str, Span],
        plain_items: list[Span],
        operations: list[n.Operation],
    ) -> n.Amendment:
        """The file read as a regulation, turned into the changes it makes to another one."""
        for span in plain_items:
            self.sink.report(
                "E235",
                span,
                message=Said(
                    "in an amendment, say what becomes of this: add or replace",
                    "trong văn bản sửa đổi, hãy nói mục này được bổ sung hay thay thế",
                ),
                hint=hint(
                    "write `{code}`",
                    "viết `{code}`",
                    "add criterion …` or `replace criterion …",
                ),
            )
        if "regulation" in meta:
            self.sink.report(
                "E235",
                meta_spans["regulation"],
                message=Said(
                    "a file is either a regulation or an amendment, not both",
                    "một tệp là quy định hoặc văn bản sửa đổi, không thể là cả hai",
                ),
            )
        if "amends" not in meta:  # a missing effective date is the folder's to report
            self.sink.report(
                "E236",
                meta_spans["amendment"],
                what=_quoted("amends"),
                hint=hint("add: {code}", "thêm: {code}", 'amends "…"'),
            )
        return n.Amendment(
            metadata=declared.metadata,
            amends=str(meta.get("amends", "")),
            operations=tuple(operations),
            unit_types=declared.unit_types,
            inputs=declared.inputs,
            survey=declared.survey,
            clamp=declared.clamp,
            rounding=declared.rounding,
            bands=declared.bands,
            ranking=declared.ranking,
            declared_total=declared.declared_total,
            span=declared.span,
        )

    def operation(self, item: Tree[Token]) -> n.Operation:
        span = self.span(item)
        kind = item.data
        if kind in {"replace_op", "add_op"}:
            target = next(_subtrees(item))
            changed = self.node(target) if target.data == "node" else self.adjustment(target)
            if kind == "replace_op":
                return n.Replace(changed, span=span)
            return n.Add(changed, self.placement(item), span=span)
        ids = _tokens(item, "NODE_ID")
        if kind == "remove_op":
            spans = tuple(self.span(t) for t in ids)
            return n.Remove(tuple(t.value for t in ids), spans, span=span)
        if kind == "move_op":
            return n.Move(ids[0].value, self.placement(item), span=span)
        header, target_ = self.header(item)
        return n.Change(ids[0].value, header, target_, span=span)

    def placement(self, item: Tree[Token]) -> n.Placement:
        where: dict[str, str] = {}
        spans: list[Span] = []
        for part in _subtrees(item):
            if part.data in {"under", "after", "renumber"}:
                if part.data in where:
                    self.sink.report("E205", self.span(part), what=_quoted(str(part.data)))
                where[str(part.data)] = _tokens(part, "NODE_ID")[0].value
                spans.append(self.span(part))
        span = self.source.span(spans[0].start, spans[-1].end) if spans else self.span(item)
        return n.Placement(where.get("under"), where.get("after"), where.get("renumber"), span=span)

    def rounding(self, item: Tree[Token]) -> n.Rounding:
        """The rounding; a wrong one is reported here and stands in as half_up 2 for later."""
        mode = self.choice(
            _tokens(item, "NAME")[0], ROUNDING_MODES, Said("a rounding mode", "cách làm tròn")
        )
        places_token = _tokens(item, "NUMBER")[0]
        places = 2
        if "." in places_token.value or int(places_token.value) > 10:
            self.sink.report("E220", self.span(places_token), places=places_token.value)
        else:
            places = int(places_token.value)
        return n.Rounding(mode or n.RoundingMode.HALF_UP, places, span=self.span(item))

    # --- declarations -------------------------------------------------------------------------

    def unit_type(self, item: Tree[Token]) -> n.UnitTypeDecl:
        name = _tokens(item, "NAME")[0]
        title = _tokens(item, "STRING")[0]
        return n.UnitTypeDecl(
            name=name.value,
            title=_string(title),
            is_tag=bool(_tokens(item, "KW_TAG")),
            span=self.span(name),
        )

    def input_decl(self, item: Tree[Token]) -> n.InputDecl:
        name, type_name = _tokens(item, "NAME")
        input_type = (
            self.choice(type_name, INPUT_TYPES, Said("an input type", "kiểu đầu vào"))
            or n.InputType.NUMBER
        )
        titles = _tokens(item, "STRING")
        low = high = None
        default: n.Number | n.Boolean | n.DateValue | None = None
        optional = False
        for option in _subtrees(item):
            if option.data == "input_range":
                low, high = (self.range_value(t) for t in _subtrees(option))
            elif option.data == "input_default":
                default = self.literal(next(_subtrees(option)))
            elif option.data == "input_optional":
                optional = True
        return n.InputDecl(
            name=name.value,
            type=input_type,
            title=_string(titles[0]) if titles else "",
            low=low,
            high=high,
            default=default,
            optional=optional,
            span=self.span(name),
        )

    def signed_number(self, item: Tree[Token]) -> n.Number:
        token = _tokens(item, "NUMBER")[0]
        negative = bool(_tokens(item, "MINUS"))
        number = self.number(token, negative)
        return n.Number(number.value, span=self.span(item))

    def range_value(self, item: Tree[Token]) -> n.Number:
        inner = item.children[0]
        return self.signed_number(inner) if isinstance(inner, Tree) else self.number(inner)

    def literal(self, item: Tree[Token]) -> n.Number | n.Boolean | n.DateValue:
        if not item.children:
            return n.Number(Decimal(0), span=self.span(item))
        first = item.children[0]
        if isinstance(first, Tree):
            return self.signed_number(first)
        if first.type == "PERCENT":
            return self.number(first)
        if first.type == "DATE":
            return self.date(first)
        return n.Boolean(first.type == "KW_TRUE", span=self.span(first))

    # --- the criteria tree --------------------------------------------------------------------

    def header(self, item: Tree[Token]) -> tuple[n.Header, n.Target | None]:
        maxima: list[n.MaxEntry] = []
        only: tuple[str, ...] = ()
        excluded: tuple[str, ...] = ()
        citation = None
        target = None
        spans: list[Span] = []
        names: list[tuple[str, Span]] = []
        for part in _subtrees(item):
            if part.data == "max_spec":
                maxima.extend(self.max_spec(part))
                names.extend(self.name_spans(part))
            elif part.data == "only":
                only += self.name_list(part)
                names.extend(self.name_spans(part))
            elif part.data == "except_":
                excluded += self.name_list(part)
                names.extend(self.name_spans(part))
            elif part.data == "cite":
                citation = _string(_tokens(part, "STRING")[0])
            elif part.data == "applies_to":
                target = self.target(next(_subtrees(part)))
            else:
                continue
            spans.append(self.span(part))
        span = self.source.span(spans[0].start, spans[-1].end) if spans else self.span(item)
        header = n.Header(tuple(maxima), only, excluded, citation, names=tuple(names), span=span)
        return header, target

    def max_spec(self, item: Tree[Token]) -> list[n.MaxEntry]:
        entries: list[tuple[Decimal, list[str], Span]] = []
        for part in _subtrees(item):
            number = _tokens(part, "NUMBER")
            names = [t.value for t in _tokens(part, "NAME")]
            if number and entries and not entries[-1][1] and not names:
                whole, fraction = entries[-1][0], number[0].value
                decimal, comma = f"{whole}.{fraction}", f"{whole},{fraction}"
                self.sink.report(
                    "E221",
                    self.source.span(entries[-1][2].start, self.span(part).end),
                    message=Said("two maxima for every unit type", "hai điểm tối đa chung"),
                    hint=Said(
                        f"a decimal is written with a dot: {decimal}, not {comma}",
                        f"số thập phân viết bằng dấu chấm: {decimal}, không phải {comma}",
                    ),
                )
            elif number:
                entries.append((self.decimal(number[0]), names, self.span(part)))
            elif entries and entries[-1][1]:
                entries[-1][1].extend(names)
            else:
                if entries:  # a name after a max without 'for': one more unit type, misplaced
                    message = Said(
                        f"«{names[0]}» follows a max that has no 'for'",
                        f"«{names[0]}» đứng sau một điểm tối đa không có «cho»",
                    )
                    example = "max 2 for so, huyen, 1 for xa"
                else:  # `max NaN`, `max Infinity`, `max x`: a name where the points go
                    message = Said(
                        f"a max is a number of points, not «{names[0]}»",
                        f"điểm tối đa phải là một số điểm, không phải «{names[0]}»",
                    )
                    example = "max 4"
                written = hint("write: {code}", "viết: {code}", example)
                self.sink.report("E221", self.span(part), message=message, hint=written)
        return [n.MaxEntry(points, tuple(names), span=span) for points, names, span in entries]

    def name_spans(self, item: Tree[Token]) -> list[tuple[str, Span]]:
        """Every NAME token below `item` with where it was written."""
        return [(t.value, self.span(t)) for t in item.scan_values(lambda v: _is_name(v))]

    def name_list(self, item: Tree[Token]) -> tuple[str, ...]:
        names = next(_subtrees(item))
        return tuple(t.value for t in _tokens(names, "NAME"))

    def target(self, item: Tree[Token]) -> n.Target:
        span = self.span(item)
        if item.data == "target_total":
            return n.Target("total", span=span)
        if item.data == "target_index":
            return n.Target("index", span=span)
        return n.Target("node", _tokens(item, "NODE_ID")[0].value, span=span)

    def node(self, item: Tree[Token]) -> n.Node:
        kind_tree = next(_subtrees(item))
        kind = _NODE_KINDS[_tokens(kind_tree)[0].type]
        node_id = _tokens(item, "NODE_ID")[0].value
        title = _string(_tokens(item, "STRING")[0])
        header, target = self.header(item)
        if target is not None:
            self.sink.report(
                "E216",
                target.span,
                message=Said(
                    "only a bonus or a deduction says where it applies",
                    "chỉ điểm cộng hay điểm trừ mới ghi nơi áp dụng",
                ),
                hint=hint(
                    "remove `{code}` from this node", "bỏ `{code}` khỏi mục này", "applies_to"
                ),
            )
        children: list[n.Node] = []
        rules: list[n.Rule] = []
        outcomes: list[n.OutcomeClause] = []
        notes: list[str] = []
        evidence = False
        for part in _subtrees(item):
            if part.data == "node":
                children.append(self.node(part))
            elif part.data in _RULES:
                rules.append(self.rule(part))
            elif part.data == "outcome_clause":
                outcomes.append(self.outcome(part))
            elif part.data == "evidence":
                evidence = True
            elif part.data == "note":
                notes.append(_string(_tokens(part, "STRING")[0]))
        if len(rules) > 1:
            self.sink.report("E209", rules[1].span, kind=kind_named(kind.value), id=node_id)
        return n.Node(
            kind=kind,
            id=node_id,
            title=title,
            header=header,
            children=tuple(children),
            rule=rules[0] if rules else None,
            outcomes=tuple(outcomes),
            evidence_required=evidence,
            notes=tuple(notes),
            span=self.span(_tokens(item, "NODE_ID")[0]),
        )

    def outcome(self, item: Tree[Token]) -> n.OutcomeClause:
        condition_tree, outcome_tree = item.children[1], item.children[-1]
        assert isinstance(outcome_tree, Tree)
        effect = None
        if outcome_tree.data == "not_done":
            outcome = n.Outcome.NOT_DONE
        else:
            outcome = n.Outcome.NOT_APPLICABLE
            effect = (
                n.NotApplicableEffect.FULL
                if outcome_tree.data == "na_full"
                else n.NotApplicableEffect.EXCLUDED
            )
        return n.OutcomeClause(self.expr(condition_tree), outcome, effect, span=self.span(item))

    # --- rules --------------------------------------------------------------------------------

    def rule(self, item: Tree[Token]) -> n.Rule:
        span = self.span(item)
        parts = [
            c for c in item.children if not (isinstance(c, Token) and c.type.startswith("KW_"))
        ]
        kind = item.data
        if kind == "yes_no":
            return n.YesNo(self.expr(parts[0]), span=span)
        if kind == "proportional":
            return n.Proportional(self.expr(parts[0]), span=span)
        if kind in {"steps", "survey"}:
            steps, otherwise = self.step_table(list(_subtrees(item))[1:])
            subject = self.expr(parts[0])
            if kind == "steps":
                return n.Steps(subject, steps, otherwise, span=span)
            return n.Survey(subject, steps, otherwise, span=span)
        if kind == "deadline":
            subtrees = list(_subtrees(item))
            due = next(t for t in subtrees if t.data == "due")
            late = [t for t in subtrees if t.data == "late_step"]
            fallback = [t for t in subtrees if t.data == "otherwise"]
            return n.Deadline(
                subject=self.expr(parts[0]),
                due=self.due_date(due),
                on_time=self.decimal(_tokens(due, "NUMBER")[0]),
                late=tuple(
                    n.LateStep(
                        int(self.decimal(_tokens(t, "NUMBER")[0])),
                        self.decimal(_tokens(t, "NUMBER")[1]),
                        span=self.span(t),
                    )
                    for t in late
                ),
                otherwise=self.decimal(_tokens(fallback[0], "NUMBER")[0]) if fallback else None,
                span=span,
            )
        if kind == "judged":
            return n.Judged(
                self.expr(parts[0]), self.decimal(_tokens(item, "NUMBER")[-1]), span=span
            )
        if kind == "per_item":
            return n.PerItem(
                self.expr(parts[0]), self.decimal(_tokens(item, "NUMBER")[-1]), span=span
            )
        bounds = [c for c in _subtrees(item) if c.data == "clamp_bound"]
        return n.Formula(
            self.expr(parts[0]),
            self.clamp_bound(bounds[0]),
            self.clamp_bound(bounds[1]),
            span=span,
        )

    def clamp_bound(self, item: Tree[Token]) -> n.Number | n.NodeMax:
        inner = item.children[0]
        if isinstance(inner, Tree):
            return self.signed_number(inner)
        return n.NodeMax(span=self.span(inner))

    def step_table(self, items: list[Tree[Token]]) -> tuple[tuple[n.Step, ...], Decimal | None]:
        steps: list[n.Step] = []
        otherwise = None
        for entry in items:
            points = self.decimal(_tokens(entry, "NUMBER")[-1])
            if entry.data == "otherwise":
                otherwise = points
            else:
                interval = self.interval(next(_subtrees(entry)))
                steps.append(n.Step(interval, points, span=self.span(entry)))
        return tuple(steps), otherwise

    def interval(self, item: Tree[Token]) -> n.Interval:
        span = self.span(item)
        if item.data == "exactly":
            value = self.bound_value(next(_subtrees(item)))
            if isinstance(value, n.DateValue):
                return n.Interval(n.Bound(value, True, span=span), n.Bound(value, True), span=span)
            return n.Interval(equal=value, span=span)
        lower = upper = None
        for part in _subtrees(item):
            value = self.bound_value(next(_subtrees(part)))
            inclusive = part.data in {"from_", "to"}
            bound = n.Bound(value, inclusive, span=self.span(part))
            if part.data in {"from_", "above"}:
                lower = bound
            else:
                upper = bound
        return n.Interval(lower, upper, span=span)

    def bound_value(self, item: Tree[Token]) -> n.Number | n.DateValue:
        token = _tokens(item)[0]
        return self.date(token) if token.type == "DATE" else self.number(token)

    # --- adjustments --------------------------------------------------------------------------

    def adjustment(self, item: Tree[Token]) -> n.Adjustment:
        kind_token = _tokens(next(_subtrees(item)))[0]
        kind = (
            n.AdjustmentKind.BONUS if kind_token.type == "KW_BONUS" else n.AdjustmentKind.DEDUCTION
        )
        adjustment_id = _tokens(item, "NODE_ID")[0]
        header, target = self.header(item)
        rules = [self.rule(t) for t in _subtrees(item) if t.data in _RULES]
        outcomes = [self.outcome(t) for t in _subtrees(item) if t.data == "outcome_clause"]
        notes = [_string(_tokens(t, "STRING")[0]) for t in _subtrees(item) if t.data == "note"]
        span = self.span(adjustment_id)
        if not rules:
            self.sink.report("E207", span, kind=kind.value, id=adjustment_id.value)
            rules = [n.YesNo(n.Boolean(False), span=span)]
        elif len(rules) > 1:
            self.sink.report(
                "E209", rules[1].span, kind=kind_named(kind.value), id=adjustment_id.value
            )
        return n.Adjustment(
            kind=kind,
            id=adjustment_id.value,
            title=_string(_tokens(item, "STRING")[0]),
            header=header,
            target=target or n.Target("total", span=span),
            rule=rules[0],
            outcomes=tuple(outcomes),
            notes=tuple(notes),
            span=span,
        )

    def group(self, item: Tree[Token]) -> n.AdjustmentGroup:
        members = tuple(self.adjustment(t) for t in _subtrees(item))
        title = _string(_tokens(item, "STRING")[0])
        if len({m.kind for m in members}) > 1:
            self.sink.report("E217", self.span(item), title=title)
        return n.AdjustmentGroup(
            title=title,
            cap=self.decimal(_tokens(item, "NUMBER")[0]),
            members=members,
            span=self.span(_tokens(item, "STRING")[0]),
        )

    # --- survey, total, bands, ranking --------------------------------------------------------

    def survey_decl(self, item: Tree[Token]) -> n.SurveySpec:
        missing = n.MissingSurvey.ERROR
        weight = scale = None
        for part in _subtrees(item):
            if part.data == "survey_weight":
                weight, scale = (self.decimal(t) for t in _tokens(part, "NUMBER"))
            else:
                chosen = self.choice(
                    _tokens(part, "NAME")[0],
                    MISSING_SURVEY,
                    Said("a survey policy", "cách xử lý khi thiếu khảo sát"),
                )
                missing = chosen or missing
        return n.SurveySpec(missing, weight, scale, span=self.span(item))

    def clamp(self, item: Tree[Token]) -> n.Clamp:
        if item.data == "no_clamp":
            return n.Clamp(None, None, span=self.span(item))
        low: n.Number | n.NodeMax | None = None
        high: n.Number | n.NodeMax | None = None
        seen_dots = False
        for child in item.children:
            if isinstance(child, Token) and child.type == "DOTDOT":
                seen_dots = True
            elif isinstance(child, Tree):
                if seen_dots:
                    high = self.clamp_bound(child)
                else:
                    low = self.clamp_bound(child)
        return n.Clamp(low, high, span=self.span(item))

    def bands(self, item: Tree[Token]) -> n.BandTable:
        unit_types: tuple[str, ...] = ()
        names: list[tuple[str, Span]] = []
        bands: list[n.Band] = []
        for part in _subtrees(item):
            if part.data == "name_list":
                unit_types = tuple(t.value for t in _tokens(part, "NAME"))
                names = self.name_spans(part)
            else:
                name = _tokens(part, "STRING")[0]
                bands.append(
                    n.Band(
                        _string(name),
                        self.interval(next(_subtrees(part))),
                        span=self.span(part),
                    )
                )
        return n.BandTable(unit_types, tuple(bands), names=tuple(names), span=self.span(item))

    def ranking(self, item: Tree[Token]) -> n.Ranking:
        blocks: list[n.Block] = []
        ties = n.TieRule.SHARED
        for part in _subtrees(item):
            if part.data == "block":
                blocks.append(
                    n.Block(
                        _string(_tokens(part, "STRING")[0]),
                        self.name_list(part),
                        names=tuple(self.name_spans(part)),
                        span=self.span(part),
                    )
                )
            else:
                ties = (
                    self.choice(
                        _tokens(part, "NAME")[0],
                        TIE_RULES,
                        Said("a tie rule", "cách xếp đồng hạng"),
                    )
                    or ties
                )
        return n.Ranking(tuple(blocks), ties, span=self.span(item))

    # --- expressions --------------------------------------------------------------------------

    def expr(self, item: Tree[Token] | Token) -> n.Expr:
        span = self.span(item)
        if isinstance(item, Token):  # a lone NAME inlined by "?atom"
            return n.InputRef(item.value, span=span)
        kind = item.data
        if kind == "number":
            return self.number(_tokens(item)[0])
        if kind == "percent":
            return self.number(_tokens(item)[0])
        if kind == "date":
            return self.date(_tokens(item)[0])
        if kind in {"true", "false"}:
            return n.Boolean(kind == "true", span=span)
        if kind == "input_ref":
            return n.InputRef(_tokens(item)[0].value, span=span)
        if kind == "has_tag":
            return n.HasTag(_tokens(item, "NAME")[0].value, span=span)
        if kind == "node_max":
            return n.NodeMax(span=span)
        if kind == "neg":
            return n.Unary("-", self.expr(item.children[-1]), span=span)
        if kind == "not_":
            return n.Unary("not", self.expr(item.children[-1]), span=span)
        if kind == "call":
            name = "min" if _tokens(item)[0].type == "KW_MIN" else "max"
            return n.Call(name, tuple(self.expr(c) for c in _subtrees(item)), span=span)
        if kind == "comparison":
            left, op, right = item.children
            assert isinstance(op, Token)
            return n.Binary(
                _OPERATORS.get(op.value, op.value), self.expr(left), self.expr(right), span=span
            )
        if kind in _BINARY_RULES:
            return self.fold(item)
        raise lark.exceptions.GrammarError(f"builder has no case for {kind}")  # pragma: no cover

    def fold(self, item: Tree[Token]) -> n.Expr:
        """`a + b - c` arrives flat; fold it to the left as arithmetic reads."""
        children = item.children
        result = self.expr(children[0])
        for index in range(1, len(children), 2):
            op_token = children[index]
            assert isinstance(op_token, Token)
            if op_token.type == "KW_AND":
                op = "and"
            elif op_token.type == "KW_OR":
                op = "or"
            else:
                op = _OPERATORS.get(op_token.value, op_token.value)
            right = self.expr(children[index + 1])
            span = self.source.span(result.span.start, right.span.end)
            result = n.Binary(op, result, right, span=span)
        return result


def _quoted(keyword: str) -> Said:
    """«amends» / «sửa đổi»."""
    said = code(keyword)
    return Said(f"«{said.en}»", f"«{said.vi}»")
