"""Two regulations side by side: `cchc-dsl compare A B`, for drafters who borrow from another
province or read how their own changed over the years.

`diff` matches nodes by id, which is right for one province's amendments; two provinces number
their criteria differently, so here fields and criteria are paired by title. Titles are folded
(NFC, case, diacritics: `values.fold`) and cut into syllables and syllable pairs (Vietnamese
words are mostly two syllables); each token weighs by how rare it is among the titles of both
texts, and the everyday words of these regulations («tỷ lệ», «công tác», «thực hiện», «cải
cách», «hành chính») weigh a fifth of that. The similarity of two titles is the weighted share
of their tokens they have in common (0 to 1). Fields pair first; then the nodes under each
pair of fields; then what is left, anywhere (a criterion moved to another field). Pairing is
greedy, the most similar first, and only from `THRESHOLD` up; `--pair X=Y` fixes a pair before
any of that. Maxima and scoring methods are the annex's (`annex.annex_rows`), and the settings
are worded as `diff` words them, so the three commands agree.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from cchc_dsl import nodes as n
from cchc_dsl.annex import AnnexRow, annex_rows
from cchc_dsl.diagnostics import CchcError, Said, make
from cchc_dsl.policy_diff import (
    TIE_WORDS,
    bands_text,
    clamp_text,
    md,
    rounding_text,
    survey_setting_text,
)
from cchc_dsl.values import fold, format_value

THRESHOLD = 0.35
COMMON_WEIGHT = 0.2
COMMON_WORDS = frozenset(
    fold(word)
    for word in (
        "tỷ lệ",
        "công tác",
        "thực hiện",
        "cải cách",
        "hành chính",
        "cchc",
        "chỉ số",
        "đơn vị",
        "của",
        "và",
        "các",
        "trong",
        "theo",
        "được",
        "đối với",
        "năm",
        "việc",
        "cơ quan",
        "có",
        "về",
    )
)
_ADJUSTMENT_KINDS = frozenset({"điểm cộng", "điểm trừ"})


@attrs.frozen(slots=True)
class Pair:
    """A node of A and its counterpart in B; one side is None when it has none."""

    left: AnnexRow | None
    right: AnnexRow | None
    similarity: float | None = None  # None: fixed by --pair, or nothing to compare
    forced: bool = False
    method_differs: bool = False  # the methods differ once input names are set aside

    @property
    def max_differs(self) -> bool:
        return (
            self.left is not None
            and self.right is not None
            and (_maxima_text(self.left) != _maxima_text(self.right))
        )


@attrs.frozen(slots=True)
class Setting:
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


@attrs.frozen(slots=True)
class Comparison:
    left_name: str
    right_name: str
    left: n.Policy
    right: n.Policy
    pairs: tuple[Pair, ...]  # in A's order; B's unpaired nodes after, in B's order
    settings: tuple[Setting, ...]

    @property
    def paired(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.left is not None and p.right is not None)

    def only(self, side: str) -> tuple[AnnexRow, ...]:
        if side == "left":
            return tuple(p.left for p in self.pairs if p.left is not None and p.right is None)
        return tuple(p.right for p in self.pairs if p.right is not None and p.left is None)


def compare(
    left: n.Policy,
    right: n.Policy,
    left_name: str,
    right_name: str,
    forced: Sequence[tuple[str, str]] = (),
) -> Comparison:
    """Pair the two texts' nodes by title, `forced` pairs (A id, B id) first."""
    rows_a, rows_b = annex_rows(left), annex_rows(right)
    _check_forced(forced, rows_a, rows_b, left_name, right_name)
    weights = _Weights([row.title for row in (*rows_a, *rows_b)])
    matched: dict[str, tuple[str, float | None]] = {a: (b, None) for a, b in forced}
    taken = {b for _, b in forced}

    def pair(candidates_a: Iterable[AnnexRow], candidates_b: Iterable[AnnexRow]) -> None:
        free_a = [r for r in candidates_a if r.stt not in matched]
        free_b = [r for r in candidates_b if r.stt not in taken]
        scored = [
            (weights.similarity(a.title, b.title), i, j, a.stt, b.stt)
            for i, a in enumerate(free_a)
            for j, b in enumerate(free_b)
        ]
        for score, _, _, a_id, b_id in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
            if score < THRESHOLD:
                break
            if a_id not in matched and b_id not in taken:
                matched[a_id] = (b_id, score)
                taken.add(b_id)

    fields_a = [r for r in rows_a if r.level == 0 and r.kind not in _ADJUSTMENT_KINDS]
    fields_b = [r for r in rows_b if r.level == 0 and r.kind not in _ADJUSTMENT_KINDS]
    pair(fields_a, fields_b)
    for field in fields_a:
        if field.stt in matched:
            pair(_under(rows_a, field.stt), _under(rows_b, matched[field.stt][0]))
    nodes_a = [r for r in rows_a if r.kind not in _ADJUSTMENT_KINDS]
    nodes_b = [r for r in rows_b if r.kind not in _ADJUSTMENT_KINDS]
    pair(nodes_a, nodes_b)
    pair(
        [r for r in rows_a if r.kind in _ADJUSTMENT_KINDS],
        [r for r in rows_b if r.kind in _ADJUSTMENT_KINDS],
    )
    by_id_b = {r.stt: r for r in rows_b}
    names_a = [d.name for d in left.inputs]
    names_b = [d.name for d in right.inputs]
    pairs = []
    for row in rows_a:
        if row.stt in matched:
            b_id, score = matched[row.stt]
            other = by_id_b[b_id]
            differs = _method_shape(row.method, names_a) != _method_shape(other.method, names_b)
            pairs.append(Pair(row, other, score, forced=score is None, method_differs=differs))
        else:
            pairs.append(Pair(row, None))
    pairs.extend(Pair(None, row) for row in rows_b if row.stt not in taken)
    return Comparison(
        left_name, right_name, left, right, tuple(pairs), tuple(_settings(left, right))
    )


def _method_shape(method: str, names: Iterable[str]) -> str:
    """A method with each input's name blanked: provinces name the same count differently."""
    words = re.split(r"(\w+)", " ".join(method.split()))
    blank = set(names)
    return "".join("…" if word in blank else word for word in words)


def _under(rows: Sequence[AnnexRow], field_id: str) -> list[AnnexRow]:
    """The nodes below a field: the annex lists them right after it, one level deeper or more."""
    start = next(i for i, r in enumerate(rows) if r.stt == field_id)
    out = []
    for row in rows[start + 1 :]:
        if row.level == 0:
            break
        out.append(row)
    return out


def _check_forced(
    forced: Sequence[tuple[str, str]],
    rows_a: Sequence[AnnexRow],
    rows_b: Sequence[AnnexRow],
    left_name: str,
    right_name: str,
) -> None:
    ids_a, ids_b = {r.stt for r in rows_a}, {r.stt for r in rows_b}
    problems = []
    for a, b in forced:
        for node, ids, name in ((a, ids_a, left_name), (b, ids_b, right_name)):
            if node not in ids:
                message = Said(
                    f"--pair {a}={b}: {name} has no «{node}»",
                    f"--pair {a}={b}: {name} không có mục «{node}»",
                )
                problems.append(make("E603", message=message))
    for name, given in ((left_name, [a for a, _ in forced]), (right_name, [b for _, b in forced])):
        for twice in sorted(i for i, count in Counter(given).items() if count > 1):
            message = Said(
                f"--pair: «{twice}» of {name} is paired more than once",
                f"--pair: mục «{twice}» của {name} được ghép cặp nhiều lần",
            )
            problems.append(make("E603", message=message))
    if problems:
        raise CchcError(tuple(problems))


def parse_pairs(texts: Sequence[str]) -> list[tuple[str, str]]:
    """`--pair 3.1=3.2` as (A id, B id)."""
    out = []
    for text in texts:
        a, sep, b = text.partition("=")
        if not sep or not a.strip() or not b.strip():
            message = Said(
                f"--pair «{text}»: write the id in A, '=', the id in B, e.g. 3.1=3.2",
                f"--pair «{text}»: ghi số mục ở A, dấu '=', số mục ở B, ví dụ 3.1=3.2",
            )
            raise CchcError((make("E603", message=message),))
        out.append((a.strip(), b.strip()))
    return out


class _Weights:
    """Token weights over a body of titles: rare tokens say more about what a criterion is."""

    def __init__(self, titles: Sequence[str]) -> None:
        frequency: Counter[str] = Counter()
        for title in titles:
            frequency.update(set(tokens(title)))
        count = len(titles)
        self.weights = {
            token: math.log((count + 1) / (seen + 1)) + 1 for token, seen in frequency.items()
        }
        self.cache: dict[str, dict[str, float]] = {}

    def of(self, title: str) -> dict[str, float]:
        if title not in self.cache:
            self.cache[title] = {
                token: self.weights.get(token, 1.0) * (COMMON_WEIGHT if _common(token) else 1.0)
                for token in set(tokens(title))
            }
        return self.cache[title]

    def similarity(self, one: str, other: str) -> float:
        a, b = self.of(one), self.of(other)
        union = sum(a.values()) + sum(w for t, w in b.items() if t not in a)
        shared = sum(w for t, w in a.items() if t in b)
        return round(shared / union, 4) if union else 0.0


def tokens(title: str) -> list[str]:
    """Syllables and pairs of adjacent syllables of the folded title."""
    words = "".join(c if c.isalnum() else " " for c in fold(title)).split()
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def _common(token: str) -> bool:
    return token in COMMON_WORDS or all(part in _COMMON_SYLLABLES for part in token.split())


_COMMON_SYLLABLES = frozenset(part for word in COMMON_WORDS for part in word.split())


def _settings(left: n.Policy, right: n.Policy) -> list[Setting]:
    def bands(policy: n.Policy) -> str:
        return " | ".join(
            (f"{', '.join(t.unit_types)}: " if t.unit_types else "") + bands_text(t)
            for t in policy.bands
        )

    def ties(policy: n.Policy) -> str:
        return TIE_WORDS[(policy.ranking or n.Ranking()).ties]

    def unit_types(policy: n.Policy) -> str:
        return ", ".join(d.name for d in policy.unit_types if not d.is_tag)

    return [
        Setting("Loại đơn vị", unit_types(left), unit_types(right)),
        Setting("Tổng điểm tối đa", _total(left), _total(right)),
        Setting("Xếp loại", bands(left), bands(right)),
        Setting("Làm tròn", rounding_text(left.rounding), rounding_text(right.rounding)),
        Setting("Khảo sát", survey_setting_text(left.survey), survey_setting_text(right.survey)),
        Setting("Giới hạn tổng điểm", clamp_text(left.clamp), clamp_text(right.clamp)),
        Setting("Đồng hạng", ties(left), ties(right)),
    ]


def _total(policy: n.Policy) -> str:
    """The sum of the fields' maxima per unit type, as the annex shows each field's."""
    sums: dict[str, Decimal] = {}
    for row in annex_rows(policy):
        if row.level == 0 and row.kind not in _ADJUSTMENT_KINDS:
            for unit_type, text in row.maxima:
                if text and _is_number(text):
                    sums[unit_type] = sums.get(unit_type, Decimal(0)) + Decimal(text)
    return _per_type({k: format_value(v) for k, v in sums.items()})


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _per_type(values: Mapping[str, str]) -> str:
    shown = {k: v for k, v in values.items() if v}
    if len(set(shown.values())) == 1 and len(shown) == len(values):
        return next(iter(shown.values()))
    return ", ".join(f"{k} {v or '—'}" for k, v in values.items())


def _maxima_text(row: AnnexRow) -> str:
    return _per_type(dict(row.maxima))


# --- reports ----------------------------------------------------------------------------------


def _similarity(pair: Pair) -> str:
    return "chỉ định" if pair.forced else f"{pair.similarity:.2f}"


def compare_text(comparison: Comparison) -> str:
    c = comparison
    lines = [f"So sánh: {c.left_name} (A) ↔ {c.right_name} (B)", ""]
    lines.append("Thiết lập")
    for setting in c.settings:
        mark = "≠" if setting.differs else "="
        lines.append(f"  {mark} {setting.label}: A {setting.left or '(không)'}")
        if setting.differs:
            lines.append(f"    {' ' * len(setting.label)}  B {setting.right or '(không)'}")
    paired = c.paired
    lines.extend(["", f"Ghép cặp ({len(paired)})"])
    for pair in paired:
        assert pair.left is not None and pair.right is not None
        left, right = pair.left, pair.right
        lines.append(
            f"  {left.stt} «{left.title}» ↔ {right.stt} «{right.title}»"
            f" [độ giống {_similarity(pair)}]"
        )
        if pair.max_differs:
            lines.append(f"      tối đa: A {_maxima_text(left)} | B {_maxima_text(right)}")
        if pair.method_differs:
            lines.append(f"      cách chấm A: {left.method or '(tổng các mục con)'}")
            lines.append(f"      cách chấm B: {right.method or '(tổng các mục con)'}")
    for side, label in (("left", "Chỉ có ở A"), ("right", "Chỉ có ở B")):
        only = c.only(side)
        lines.extend(["", f"{label} ({len(only)})"])
        lines.extend(f"  {r.stt} «{r.title}» tối đa {_maxima_text(r)}" for r in only)
    differing = sum(1 for p in paired if p.max_differs or p.method_differs)
    lines.extend(
        [
            "",
            f"{len(paired)} cặp ({differing} khác điểm tối đa hoặc cách chấm),"
            f" {len(c.only('left'))} chỉ có ở A, {len(c.only('right'))} chỉ có ở B",
        ]
    )
    return "\n".join(lines) + "\n"


def compare_markdown(comparison: Comparison) -> str:
    c = comparison
    lines = [
        f"# So sánh: {md(c.left_name)} (A) ↔ {md(c.right_name)} (B)",
        "",
        "| | A | B |",
        "|---|---|---|",
        *(
            f"| {'**' + s.label + '**' if s.differs else s.label} | {md(s.left)} | {md(s.right)} |"
            for s in c.settings
        ),
        "",
        "## Ghép cặp",
        "",
        "| A | Tiêu chí A | B | Tiêu chí B | Độ giống | Tối đa A | Tối đa B | Cách chấm |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for pair in c.paired:
        assert pair.left is not None and pair.right is not None
        method = "khác" if pair.method_differs else "giống"
        lines.append(
            f"| {pair.left.stt} | {md(pair.left.title)} | {pair.right.stt}"
            f" | {md(pair.right.title)} | {_similarity(pair)} | {md(_maxima_text(pair.left))}"
            f" | {md(_maxima_text(pair.right))} | {method} |"
        )
    differing = [p for p in c.paired if p.method_differs]
    if differing:
        lines.extend(["", "## Cách chấm khác nhau", ""])
        for pair in differing:
            assert pair.left is not None and pair.right is not None
            lines.append(f"- **{pair.left.stt} ↔ {pair.right.stt}** {md(pair.left.title)}")
            lines.append(f"  - A: {md(pair.left.method or '(tổng các mục con)')}")
            lines.append(f"  - B: {md(pair.right.method or '(tổng các mục con)')}")
    for side, label in (("left", "Chỉ có ở A"), ("right", "Chỉ có ở B")):
        only = c.only(side)
        lines.extend(["", f"## {label} ({len(only)})", ""])
        lines.extend(f"- {r.stt} {md(r.title)} (tối đa {md(_maxima_text(r))})" for r in only)
    return "\n".join(lines) + "\n"


def compare_csv(comparison: Comparison) -> str:
    """One row per node of either text: its pair, the similarity and both maxima and methods."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "a_stt",
            "a_title",
            "b_stt",
            "b_title",
            "similarity",
            "a_max",
            "b_max",
            "max_differs",
            "method_differs",
            "a_method",
            "b_method",
        ]
    )
    for pair in comparison.pairs:
        left, right = pair.left, pair.right
        similarity = "" if left is None or right is None else _similarity(pair)
        writer.writerow(
            [
                left.stt if left else "",
                left.title if left else "",
                right.stt if right else "",
                right.title if right else "",
                similarity,
                _maxima_text(left) if left else "",
                _maxima_text(right) if right else "",
                "x" if pair.max_differs else "",
                "x" if pair.method_differs else "",
                left.method if left else "",
                right.method if right else "",
            ]
        )
    return out.getvalue()
