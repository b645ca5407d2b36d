"""Hypothesis strategies: random units for a compiled policy, with values each input accepts;
random `.cchc` texts laid out at random (for `fmt`); texts from the grammar, mutations of shipped
files, renamings of units and arbitrary JSON (for the fuzz tests)."""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

import attrs
import lark
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark, get_terminal_names

from cchc_dsl import scoring
from cchc_dsl.api import CompiledPolicy
from cchc_dsl.compiler import attrs_values
from cchc_dsl.nodes import InputDecl, InputType
from cchc_dsl.parser import grammar_text, keyword_spellings

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


# --- small policies for the what-if search: a brute force over every change stays cheap ---------

_WHATIF_HEAD = """quy định "Thử tìm kiếm"
làm tròn nửa_lên 2
loại đơn vị {{ so "Sở" }}
đầu vào {{
{inputs}
}}
lĩnh vực 1 "Thẩm định" tối đa {appraisal_max} {{
{appraisal}
}}
"""
_WHATIF_TAIL = """
tổng giới hạn 0 .. tối đa
xếp loại {{ "Đạt" từ {band}%; "Chưa đạt" dưới {band}% }}
xếp hạng {{ đồng hạng {ties} }}
"""


@st.composite
def whatif_case(draw: st.DrawFn) -> tuple[str, list[Record]]:
    """A policy of 1–4 criteria (yes/no, steps over a rate, per item, judged; with a survey part
    or not, a deduction or not) and three units under it, the first one asked about."""
    inputs: list[str] = []
    criteria: list[str] = []
    maxima: list[Decimal] = []
    values: list[dict[str, st.SearchStrategy[object]]] = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["yes_no", "steps", "per_item", "judged"]))
        top = Decimal(draw(st.integers(1, 12))) / 2
        name = f"x{i}"
        if kind == "yes_no":
            inputs.append(f'  {name}: có_không "X{i}"')
            rule = f"có/không {name}"
            values.append({name: st.booleans()})
        elif kind == "steps":
            inputs.append(f'  {name}: tỷ_lệ "X{i}"')
            low = draw(st.integers(10, 60))
            rule = (
                f"theo mức {name} {{ từ {low + 30}%: {top}; trên {low}% đến dưới {low + 30}%:"
                f" {top / 2}; còn lại: 0 }}"
            )
            values.append({name: decimals(0, 100, 0).map(lambda d: f"{d}%")})
        elif kind == "per_item":
            inputs.append(f'  {name}: số_đếm "X{i}"')
            rule = f"mỗi {name}: {top / 2}"
            values.append({name: st.integers(0, 3)})
        else:
            inputs.append(f'  {name}: điểm "X{i}"')
            rule = f"chấm điểm {name} bước {top / 2}"
            values.append({name: st.integers(0, 2).map(lambda q, t=top: str(t / 2 * q))})
        criteria.append(f'  tiêu chí 1.{i + 1} "Tiêu chí {i}" tối đa {top} {{ {rule} }}')
        maxima.append(top)
    text = _WHATIF_HEAD.format(
        inputs="\n".join(inputs), appraisal_max=sum(maxima), appraisal="\n".join(criteria)
    )
    survey = draw(st.booleans())
    extra: dict[str, st.SearchStrategy[object]] = {}
    if survey:
        text += (
            'lĩnh vực 2 "Khảo sát" tối đa 10 {\n'
            '  tiêu chí 2.1 "Hài lòng" tối đa 10 { khảo sát hl }\n}\n'
            "khảo sát { trọng số 30 trên 100; khi thiếu quy_đổi }\n"
        )
        text = text.replace("đầu vào {\n", 'đầu vào {\n  hl: khảo_sát "Hài lòng"\n')
        extra["hl"] = decimals(0, 100, 0).map(lambda d: f"{d}%")
    if draw(st.booleans()):
        text += 'điểm trừ D1 "Kỷ luật" tối đa 2 { mỗi kl: 1 }\n'
        text = text.replace("đầu vào {\n", 'đầu vào {\n  kl: số_đếm "Kỷ luật" mặc định 0\n')
        extra["kl"] = st.integers(0, 2)
    text += _WHATIF_TAIL.format(
        band=draw(st.integers(30, 100)), ties=draw(st.sampled_from(["chung", "liền_kề"]))
    )
    records = []
    for u in range(3):
        drawn = {name: draw(strategy) for v in values for name, strategy in v.items()}
        drawn.update({name: draw(strategy) for name, strategy in extra.items()})
        records.append({"unit": f"u{u}", "name": f"Đơn vị {u}", "unit_type": "so", "inputs": drawn})
    return text, records


# --- random .cchc texts, laid out at random, with comments anywhere (for `fmt`) ------------------
#
# A text is drawn as statements (words, an optional block of statements, words after the block)
# and then written out with random spacing, line breaks, semicolons and comments. Names come from
# a pool with no keyword in either language nearby ("thiếu" after "khi" would read as a keyword).

NAMES = ("a", "b1", "ty_le", "hồ_sơ_đúng_hạn", "kế_hoạch", "c_x", "điểm_hđ", "n")
TYPES = ("so", "huyen", "xa", "dac_thu")
# spellings the grammar also accepts besides those `parser.spellings` lists
_MORE_SPELLINGS = {
    "KW_PROPORTIONAL": ("theo tỉ lệ",),
    "KW_OPTIONAL": ("tuỳ chọn",),
    "KW_BONUS": ("điểm thưởng",),
    "KW_YES_NO": ("có không", "có/không"),
}
_SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\n  ", "\n\n"])
_COMMENT_TEXT = st.text(
    st.sampled_from(list('abc xyz#"; {}:đếm Tỷ lệ 100%')), min_size=0, max_size=12
).map(lambda s: "#" + s)


@attrs.frozen
class Stmt:
    words: tuple[str, ...]
    body: tuple[Stmt, ...] | None = None  # a block { … }
    tail: tuple[str, ...] = ()  # words after the block: an added node's placement
    sep: bool = True  # may end with ";"


def keyword(draw: st.DrawFn, terminal: str) -> str:
    """One spelling of a keyword, in either language, with any spaces or tabs inside."""
    choices = [*keyword_spellings(terminal), *_MORE_SPELLINGS.get(terminal, ())]
    word = draw(st.sampled_from(choices))
    return re.sub(r" ", lambda _: draw(st.sampled_from([" ", "  ", "\t"])), word)


def _number(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["0", "1", "2.5", "0.25", "10", "100", "1.50", "007"]))


def _percent(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["95%", "100%", "12.5%", "0%"]))


def _date(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["2024-01-31", "31/01/2024", "1/2/2024"]))


def _string(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(['"Sở"', '"Mục #3"', '"a \\" b"', '"Tỷ lệ; {x}"', '""']))


def _name(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(NAMES))


# (operator, precedence, least precedence of the left operand, of the right one)
_BINARY = [
    ("KW_OR", 1, 1, 2),
    ("KW_AND", 2, 2, 3),
    ("=", 4, 5, 5), ("==", 4, 5, 5), ("!=", 4, 5, 5), ("<", 4, 5, 5), ("<=", 4, 5, 5),
    (">", 4, 5, 5), (">=", 4, 5, 5), ("≤", 4, 5, 5), ("≥", 4, 5, 5), ("≠", 4, 5, 5),
    ("+", 5, 5, 6), ("-", 5, 5, 6),
    ("*", 6, 6, 7), ("/", 6, 6, 7), ("×", 6, 6, 7), ("÷", 6, 6, 7),
]  # fmt: skip


def expression(draw: st.DrawFn, depth: int = 3) -> list[str]:
    """Tokens of an expression with any operator, parentheses where needed and now and then
    where not."""
    return _expression(draw, depth)[0]


def _expression(draw: st.DrawFn, depth: int) -> tuple[list[str], int]:
    kind = draw(st.integers(0, 4)) if depth > 0 else 0
    if kind == 0:
        return _leaf(draw), 8
    if kind == 1:
        op, precedence, left_least, right_least = draw(st.sampled_from(_BINARY))
        word = keyword(draw, op) if op.startswith("KW_") else op
        left = _operand(draw, depth, left_least)
        return [*left, word, *_operand(draw, depth, right_least)], precedence
    if kind == 2:
        if draw(st.booleans()):
            return [keyword(draw, "KW_NOT"), *_operand(draw, depth, 3)], 3
        return ["-", *_operand(draw, depth, 7)], 7
    if kind == 3:
        return ["(", *_expression(draw, depth - 1)[0], ")"], 8
    args = [_expression(draw, depth - 1)[0] for _ in range(draw(st.integers(1, 3)))]
    joined = [t for i, arg in enumerate(args) for t in ([","] if i else []) + arg]
    return [keyword(draw, draw(st.sampled_from(["KW_MIN", "KW_MAX"]))), "(", *joined, ")"], 8


def _operand(draw: st.DrawFn, depth: int, least: int) -> list[str]:
    tokens, precedence = _expression(draw, depth - 1)
    return ["(", *tokens, ")"] if precedence < least else tokens


def _leaf(draw: st.DrawFn) -> list[str]:
    kind = draw(st.integers(0, 6))
    if kind <= 2:
        return [_name(draw)]
    if kind == 3:
        return [draw(st.sampled_from([_number, _percent, _date]))(draw)]
    if kind == 4:
        return [keyword(draw, draw(st.sampled_from(["KW_TRUE", "KW_FALSE"])))]
    if kind == 5:
        return [keyword(draw, "KW_TAG"), draw(st.sampled_from(TYPES))]
    return [keyword(draw, "KW_MAX")]


def _signed(draw: st.DrawFn) -> list[str]:
    return (["-"] if draw(st.booleans()) else []) + [_number(draw)]


def _interval(draw: st.DrawFn) -> list[str]:
    bound = draw(st.sampled_from([_number, _percent, _date]))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return ["=", bound(draw)]
    lower = [keyword(draw, draw(st.sampled_from(["KW_FROM", "KW_ABOVE"]))), bound(draw)]
    if lower[0] in keyword_spellings("KW_FROM") and draw(st.booleans()):
        lower.append(keyword(draw, "KW_OR_MORE"))
    upper = [keyword(draw, draw(st.sampled_from(["KW_TO", "KW_BELOW"]))), bound(draw)]
    return [lower, upper, lower + upper][kind - 1]


def _steps(draw: st.DrawFn) -> tuple[Stmt, ...]:
    steps = [Stmt((*_interval(draw), ":", _number(draw))) for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        steps.append(Stmt((keyword(draw, "KW_OTHERWISE"), ":", _number(draw))))
    return tuple(steps)


def _rule(draw: st.DrawFn) -> Stmt:
    kind = draw(st.integers(0, 7))
    subject = tuple(expression(draw))
    if kind == 0:
        return Stmt((keyword(draw, "KW_YES_NO"), *subject))
    if kind == 1:
        return Stmt((keyword(draw, "KW_PROPORTIONAL"), *subject))
    if kind == 2:
        return Stmt((keyword(draw, "KW_STEPS"), *subject), _steps(draw), sep=False)
    if kind == 3:
        table = _steps(draw) if draw(st.booleans()) else None
        return Stmt((keyword(draw, "KW_SURVEY"), *subject), table, sep=table is None)
    if kind == 4:
        when = [_date(draw)] if draw(st.booleans()) else [draw(st.sampled_from(["22/12", "7/1"]))]
        if len(when[0]) < 6 and draw(st.booleans()):
            when.append(keyword(draw, "KW_NEXT_YEAR"))
        entries = [Stmt((keyword(draw, "KW_DUE"), *when, ":", _number(draw)))]
        for _ in range(draw(st.integers(0, 2))):
            late = (keyword(draw, "KW_LATE"), keyword(draw, "KW_AT_MOST"), "10")
            entries.append(Stmt((*late, keyword(draw, "KW_DAYS"), ":", _number(draw))))
        if draw(st.booleans()):
            entries.append(Stmt((keyword(draw, "KW_OTHERWISE"), ":", _number(draw))))
        return Stmt((keyword(draw, "KW_DEADLINE"), *subject), tuple(entries), sep=False)
    if kind == 5:
        return Stmt((keyword(draw, "KW_JUDGED"), *subject, keyword(draw, "KW_STEP"), "0.25"))
    if kind == 6:
        return Stmt((keyword(draw, "KW_PER_ITEM"), *subject, ":", _number(draw)))
    bounds = [_signed(draw) if draw(st.booleans()) else [keyword(draw, "KW_MAX")] for _ in "ab"]
    clamp = (keyword(draw, "KW_CLAMP"), *bounds[0], "..", *bounds[1])
    return Stmt((keyword(draw, "KW_FORMULA"), *subject, *clamp))


def _node_extras(draw: st.DrawFn, evidence: bool = True) -> list[Stmt]:
    extras = []
    for _ in range(draw(st.integers(0, 2))):
        outcome = draw(
            st.sampled_from([("KW_NA", "KW_FULL"), ("KW_NA", "KW_EXCLUDED"), ("KW_NOT_DONE",)])
        )
        said = tuple(keyword(draw, k) for k in outcome)
        extras.append(Stmt((keyword(draw, "KW_WHEN"), *expression(draw, 2), ":", *said)))
    if evidence and draw(st.booleans()):
        extras.append(Stmt((keyword(draw, "KW_EVIDENCE"),)))
    if draw(st.booleans()):
        extras.append(Stmt((keyword(draw, "KW_NOTE"), _string(draw))))
    return extras


def _header(draw: st.DrawFn, target: bool = False) -> list[str]:
    words: list[str] = []
    if draw(st.booleans()):
        words += [keyword(draw, "KW_MAX"), _number(draw)]
        if draw(st.booleans()):  # max 1 for so, huyen, 2 for xa
            words += [keyword(draw, "KW_FOR"), draw(st.sampled_from(TYPES))]
            for _ in range(draw(st.integers(0, 2))):
                more = [_number(draw), keyword(draw, "KW_FOR")] if draw(st.booleans()) else []
                words += [",", *more, draw(st.sampled_from(TYPES))]
    for kind in ("KW_ONLY", "KW_EXCEPT"):
        if draw(st.integers(0, 3)) == 0:
            words += [keyword(draw, kind), draw(st.sampled_from(TYPES))]
    if draw(st.integers(0, 2)) == 0:
        words += [keyword(draw, "KW_CITE"), _string(draw)]
    if target or draw(st.integers(0, 5)) == 0:
        where = draw(st.sampled_from(["KW_TOTAL", "KW_INDEX", "1.2"]))
        words += [keyword(draw, "KW_APPLIES_TO"), keyword(draw, where) if "KW" in where else where]
    return words


def _node(draw: st.DrawFn, depth: int) -> Stmt:
    kind = draw(st.sampled_from(["KW_FIELD", "KW_CRITERION", "KW_SUB"]))
    node_id = draw(st.sampled_from(["1", "1.2", "3.1.4", "B2"]))
    head = (keyword(draw, kind), node_id, _string(draw), *_header(draw))
    if depth > 0 and draw(st.booleans()):
        body = [_node(draw, depth - 1) for _ in range(draw(st.integers(0, 2)))]
    else:
        body = [_rule(draw), *_node_extras(draw)]
    return Stmt(head, tuple(draw(st.permutations(body))), sep=False)


def _adjustment(draw: st.DrawFn) -> Stmt:
    kind = keyword(draw, draw(st.sampled_from(["KW_BONUS", "KW_DEDUCTION"])))
    head = (kind, draw(st.sampled_from(["B1", "D2"])), _string(draw), *_header(draw, target=True))
    return Stmt(head, (_rule(draw), *_node_extras(draw, evidence=False)), sep=False)


def _declarations(draw: st.DrawFn) -> list[Stmt]:
    """Unit types, inputs and the statements about the total, in any number."""
    out = []
    if draw(st.booleans()):
        types = [
            Stmt(((keyword(draw, "KW_TAG"),) if t == "dac_thu" else ()) + (t, _string(draw)))
            for t in draw(st.lists(st.sampled_from(TYPES), max_size=3))
        ]
        out.append(Stmt((keyword(draw, "KW_UNIT_TYPES"),), tuple(types), sep=False))
    if draw(st.booleans()):
        out.append(Stmt((keyword(draw, "KW_INPUTS"),), tuple(_inputs(draw)), sep=False))
    if draw(st.integers(0, 3)) == 0:
        missing = draw(st.sampled_from(["rescale", "quy_đổi", "zero", "lỗi"]))
        items = (
            Stmt((keyword(draw, "KW_WEIGHT"), "30", keyword(draw, "KW_OF"), "100")),
            Stmt((keyword(draw, "KW_IF_MISSING"), missing)),
        )
        out.append(Stmt((keyword(draw, "KW_SURVEY"),), items, sep=False))
    if draw(st.integers(0, 3)) == 0:
        out.append(Stmt((keyword(draw, "KW_TOTAL"), keyword(draw, "KW_MAX"), "100")))
    if draw(st.integers(0, 3)) == 0:
        low = _signed(draw) if draw(st.booleans()) else []
        high = [keyword(draw, "KW_MAX")] if draw(st.booleans()) else []
        clamp = [keyword(draw, "KW_CLAMP"), *low, "..", *high]
        no_clamp = [keyword(draw, "KW_NO_CLAMP")]
        out.append(Stmt((keyword(draw, "KW_TOTAL"), *draw(st.sampled_from([clamp, no_clamp])))))
    if draw(st.integers(0, 3)) == 0:
        bands = tuple(Stmt((_string(draw), *_interval(draw))) for _ in range(2))
        scope = [keyword(draw, "KW_FOR"), "so", ",", "huyen"] if draw(st.booleans()) else []
        out.append(Stmt((keyword(draw, "KW_BANDS"), *scope), bands, sep=False))
    if draw(st.integers(0, 3)) == 0:
        ties = draw(st.sampled_from(["shared", "dense", "chung", "liền_kề"]))
        items = (
            Stmt((keyword(draw, "KW_BLOCK"), _string(draw), "so", ",", "huyen")),
            Stmt((keyword(draw, "KW_TIES"), ties)),
        )
        out.append(Stmt((keyword(draw, "KW_RANKING"),), items, sep=False))
    return out


def _inputs(draw: st.DrawFn) -> list[Stmt]:
    out = []
    for name in draw(st.lists(st.sampled_from(NAMES), max_size=3)):
        kind = draw(st.sampled_from(["count", "số_lượng", "số_đếm", "tỷ_lệ", "tỉ_lệ", "date"]))
        words = [name, ":", kind]
        if draw(st.booleans()):
            words.append(_string(draw))
        if draw(st.booleans()):
            words += [keyword(draw, "KW_IN"), *_signed(draw), "..", _percent(draw)]
        if draw(st.booleans()):
            words += [keyword(draw, "KW_DEFAULT"), *_signed(draw)]
        if draw(st.booleans()):
            words.append(keyword(draw, "KW_OPTIONAL"))
        out.append(Stmt(tuple(words)))
    return out


def _metadata(draw: st.DrawFn, amendment: bool) -> list[Stmt]:
    first = "KW_AMENDMENT" if amendment else "KW_REGULATION"
    out = [Stmt((keyword(draw, first), _string(draw)))]
    if amendment:
        out.append(Stmt((keyword(draw, "KW_AMENDS"), '"1823/QĐ-UBND"')))
    if draw(st.booleans()):
        out.append(Stmt((keyword(draw, "KW_DECISION"), '"01/QĐ-UBND"')))
    if draw(st.booleans()):
        out.append(Stmt((keyword(draw, "KW_ISSUED"), _date(draw))))
    if draw(st.booleans()):
        out.append(Stmt((keyword(draw, "KW_BASED_ON"), _string(draw), ",", '"1150/QĐ-BNV"')))
    if draw(st.booleans()):
        mode = draw(st.sampled_from(["half_up", "nửa_lên", "down", "cắt_bỏ"]))
        out.append(Stmt((keyword(draw, "KW_ROUNDING"), mode, "2")))
    if draw(st.booleans()):
        out.append(Stmt((keyword(draw, "KW_NOTE"), _string(draw))))
    return out


def _operations(draw: st.DrawFn) -> list[Stmt]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 4))
        item = _node(draw, 1) if draw(st.booleans()) else _adjustment(draw)
        if kind == 0:
            out.append(attrs.evolve(item, words=(keyword(draw, "KW_REPLACE"), *item.words)))
        elif kind == 1:
            tail = _placements(draw)
            words = (keyword(draw, "KW_ADD"), *item.words)
            out.append(attrs.evolve(item, words=words, tail=tuple(tail)))
        elif kind == 2:
            out.append(Stmt((keyword(draw, "KW_REMOVE"), "3.1.1", ",", "B2")))
        elif kind == 3:
            header = _header(draw) or [keyword(draw, "KW_MAX"), "2"]
            out.append(Stmt((keyword(draw, "KW_CHANGE"), "3.5", *header)))
        else:
            placements = _placements(draw) or [keyword(draw, "KW_AS"), "3.6"]
            out.append(Stmt((keyword(draw, "KW_MOVE"), "7.1.3", *placements)))
    return out


def _placements(draw: st.DrawFn) -> list[str]:
    words: list[str] = []
    for kind, node_id in (("KW_UNDER", "3"), ("KW_AFTER", "3.5"), ("KW_AS", "3.6")):
        if draw(st.booleans()):
            words += [keyword(draw, kind), node_id]
    return words


def _layout(draw: st.DrawFn, stmts: tuple[Stmt, ...]) -> str:
    """Statements written out with random spacing, semicolons and comments between them."""
    out = ""
    for stmt in stmts:
        out += _between(draw) + _words(draw, stmt.words)
        if stmt.body is not None:
            out += _gap(draw) + "{" + _layout(draw, stmt.body) + _between(draw) + "}"
            out += _gap(draw) + _words(draw, stmt.tail) if stmt.tail else ""
        elif stmt.sep and draw(st.integers(0, 3)) == 0:
            out += draw(st.sampled_from([";", " ;"]))
    return out


def _words(draw: st.DrawFn, words: tuple[str, ...]) -> str:
    out = words[0] if words else ""
    for word in words[1:]:
        out += _gap(draw) + word
    return out


def _gap(draw: st.DrawFn) -> str:
    """Between two tokens: spaces, a line break, and now and then a comment."""
    if draw(st.integers(0, 30)) == 0:
        return " " + draw(_COMMENT_TEXT) + "\n"
    return draw(_SPACES)


def _between(draw: st.DrawFn) -> str:
    """Between two statements: spacing, and often a comment on its own line or at a line's end."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return "\n" + draw(_COMMENT_TEXT) + "\n" + draw(_SPACES)
    if kind == 1:
        return draw(st.sampled_from(["  ", " "])) + draw(_COMMENT_TEXT) + "\n"
    return draw(_SPACES)


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    """A random regulation or amendment as a drafter might lay it out, mixing both languages."""
    amendment = draw(st.integers(0, 3)) == 0
    stmts = _metadata(draw, amendment) + _declarations(draw)
    if amendment:
        stmts += _operations(draw)
    else:
        stmts += [_node(draw, 2) for _ in range(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            stmts.append(_adjustment(draw))
        if draw(st.integers(0, 3)) == 0:
            group = (keyword(draw, "KW_GROUP"), _string(draw), keyword(draw, "KW_MAX"), "2")
            stmts.append(Stmt(group, (_adjustment(draw),), sep=False))
    first, *rest = stmts  # `regulation` or `amendment` first: it says which the file is
    text = _layout(draw, (first, *draw(st.permutations(rest))))
    return text + draw(st.sampled_from(["", "\n", "\n# the end\n", "  # end"]))


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


# --- adversarial text: grammar-guided fuzz, mutations of shipped files, renamed units ------------


def scaled(divisor: int) -> int:
    """A share of the profile's examples for a slow property, so that `thorough` still means more:
    the default profile's 100 become 100 // divisor, thorough's 2,000 become 2,000 // divisor."""
    return max(5, settings.default.max_examples // divisor)


@functools.cache
def _grammar() -> lark.Lark:
    return lark.Lark(grammar_text(), parser="lalr")


def _spaced(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Tokens with a space after them, so that two names drawn side by side stay two tokens."""
    return strategy.map(lambda token: token + " ")


# A header that declares what the drawn names refer to, so that drawn criteria get past the
# checks of names and reach compiling and scoring.
HEADER = """quy định "Fuzz"
làm tròn nửa_lên 2
loại đơn vị { so "Sở"; huyen "Huyện"; nhãn t "Nhãn" }
đầu vào {
  a: có_không "A"; b: số_đếm "B"; x: số "X" trong 0 .. 10; p: tỷ_lệ "P"; d: ngày_tháng "D"
  s: điểm "S" trong 0 .. 5
}
"""
_NAMES = ["so", "huyen", "t", "a", "b", "x", "p", "d", "s"]


@functools.cache  # building the strategy compiles the grammar: once per rule
def grammar_texts(start: str = "start") -> st.SearchStrategy[str]:
    """Texts the grammar derives (`from_lark` over grammar/cchc.lark), from the rule `start`:
    every keyword in its spellings; names, ids and strings from small sets, so that references
    sometimes resolve; numbers, dates and percentages as their terminals' patterns allow.

    Keyword patterns end in a look-ahead `(?!\\w)` that hypothesis cannot draw from, so each
    keyword is given as one of its spellings, which is what a drafter types. A comment is given
    with its line break, or it would swallow the tokens drawn after it on the same line."""
    grammar = _grammar()
    explicit: dict[str, st.SearchStrategy[str]] = {}
    for terminal in grammar.terminals:
        if terminal.name.startswith("KW_"):
            explicit[terminal.name] = _spaced(st.sampled_from(keyword_spellings(terminal.name)))
        elif terminal.name in {"NUMBER", "PERCENT", "DATE", "DAY_MONTH"}:
            pattern = terminal.pattern.to_regexp()
            explicit[terminal.name] = _spaced(st.from_regex(pattern, fullmatch=True))
    explicit["NAME"] = _spaced(st.sampled_from(_NAMES))
    explicit["NODE_ID"] = _spaced(st.sampled_from(["1", "1.1", "1.2", "2", "2.1", "d1", "b1"]))
    explicit["STRING"] = _spaced(st.sampled_from(['"Sở"', '"Tiêu chí 1"', '"x"', '""']))
    explicit["COMMENT"] = st.just("# ghi chú\n")
    terminals, rules, ignored = grammar.grammar.compile([start], ())
    used = get_terminal_names(terminals, rules, ignored)  # from_lark refuses any other
    return from_lark(
        grammar, start=start, explicit={k: v for k, v in explicit.items() if k in used}
    )


_RULES = ("yes_no", "proportional", "steps", "deadline", "judged", "per_item", "formula")


@st.composite
def _criterion(draw: st.DrawFn, number: int) -> str:
    """A criterion with a max, a rule of the grammar and perhaps a `when` clause, so that the
    checks accept it often enough for compiling and scoring to be reached."""
    rule = draw(st.sampled_from(_RULES).flatmap(grammar_texts))
    when = draw(st.just("") | grammar_texts("outcome_clause"))
    top = draw(st.integers(1, 20))
    return f'tiêu chí {number} "Tiêu chí {number}" tối đa {top} {{\n  {rule}\n  {when}\n}}\n'


def policies() -> st.SearchStrategy[str]:
    """Whole texts of the grammar, or `HEADER` followed by drawn criteria and adjustments."""
    criteria = st.integers(1, 4).flatmap(lambda n: st.tuples(*map(_criterion, range(1, n + 1))))
    adjustments = st.lists(grammar_texts("adjustment"), max_size=2)
    body = st.tuples(criteria, adjustments).map(lambda c: "\n".join([*c[0], *c[1]]))
    return grammar_texts() | body.map(lambda text: HEADER + text)


MUTATIONS = ("delete line", "duplicate line", "delete character", "duplicate character")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with one line or one character deleted or written twice."""
    how = draw(st.sampled_from(MUTATIONS))
    if how.endswith("line"):
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        return "".join(
            lines[:i] + ([] if how == "delete line" else [lines[i]] * 2) + lines[i + 1 :]
        )
    i = draw(st.integers(0, len(text) - 1))
    return text[:i] + ("" if how == "delete character" else text[i] * 2) + text[i + 1 :]


def renamings(ids: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """A one-to-one new id for every unit id, in Latin or Vietnamese letters."""
    new_id = st.from_regex(r"[a-zđơư][a-z0-9_đơưạếộ]{0,12}", fullmatch=True)
    return st.lists(new_id, min_size=len(ids), max_size=len(ids), unique=True).map(
        lambda new: dict(zip(ids, new, strict=True))
    )


def json_values() -> st.SearchStrategy[object]:
    """Any JSON document, for facts files that are JSON but not facts."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, min_size=1, max_size=5)
            | st.dictionaries(st.text(max_size=8), inner, min_size=1)
        ),
        max_leaves=20,
    )
