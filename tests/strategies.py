"""Hypothesis strategies: random units for a compiled policy, with values each input accepts; texts
from the grammar, mutations of shipped files, renamings of units and arbitrary JSON."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import lark
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark, get_terminal_names

from cchc_dsl.api import CompiledPolicy
from cchc_dsl.nodes import InputDecl, InputType
from cchc_dsl.parser import _spellings, grammar_text

Record = dict[str, object]


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
    types = [d.name for d in ast.unit_types if not d.is_tag]
    tags = [d.name for d in ast.unit_types if d.is_tag]
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
    return {
        "unit": unit_id,
        "name": f"Đơn vị {unit_id}",
        "unit_type": draw(st.sampled_from(types)),
        "tags": draw(st.lists(st.sampled_from(tags), unique=True, max_size=1)) if tags else [],
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
def policy_texts(start: str = "start") -> st.SearchStrategy[str]:
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
            explicit[terminal.name] = _spaced(st.sampled_from(_spellings(terminal.name)))
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
    rule = draw(st.sampled_from(_RULES).flatmap(policy_texts))
    when = draw(st.just("") | policy_texts("outcome_clause"))
    top = draw(st.integers(1, 20))
    return f'tiêu chí {number} "Tiêu chí {number}" tối đa {top} {{\n  {rule}\n  {when}\n}}\n'


def policies() -> st.SearchStrategy[str]:
    """Whole texts of the grammar, or `HEADER` followed by drawn criteria and adjustments."""
    criteria = st.integers(1, 4).flatmap(lambda n: st.tuples(*map(_criterion, range(1, n + 1))))
    adjustments = st.lists(policy_texts("adjustment"), max_size=2)
    body = st.tuples(criteria, adjustments).map(lambda c: "\n".join([*c[0], *c[1]]))
    return policy_texts() | body.map(lambda text: HEADER + text)


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
