"""Year over year: this year's ranking beside the results JSON written for the previous year.

The previous year is read from what `score --format json` wrote (format `cchc-dsl/score/1`), so
the figures compared are the ones that were published. A unit is matched by its id. A unit new
this year has no change to show and is marked new; a unit gone since is listed apart with its
last figures. Ranks are compared only within the same block title: a rank in another block (a
unit that changed type, or a renamed block) is not a move up or down and shows no rank change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from cchc_dsl.api import ScoreReport
from cchc_dsl.diagnostics import CchcError, Said, make, read_error
from cchc_dsl.results import UnitResult

SCORE_FORMAT = "cchc-dsl/score/1"


@attrs.frozen(slots=True)
class PastUnit:
    unit: str
    name: str
    block: str
    rank: int
    index: Decimal
    band: str | None


@attrs.frozen(slots=True)
class Change:
    """One unit of this year against the previous one; `before` is None for a unit new this year."""

    unit: UnitResult
    before: PastUnit | None

    @property
    def index_change(self) -> Decimal | None:
        return None if self.before is None else self.unit.official.index_rounded - self.before.index

    @property
    def rank_change(self) -> int | None:
        """Places moved up (negative: down); None when new or ranked in another block."""
        if self.before is None or self.before.block != self.unit.block:
            return None
        return self.before.rank - self.unit.rank


@attrs.frozen(slots=True)
class YearOverYear:
    source: str
    changes: Mapping[str, Change]  # by unit id, every unit of this year
    gone: tuple[PastUnit, ...]  # units of the previous year not scored this year

    def of(self, unit: UnitResult) -> Change:
        return self.changes[unit.unit]


def read_previous(path: str | Path) -> dict[str, PastUnit]:
    """The units of a previous `score --format json` output, by id."""
    name = str(path)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise _bad(name, read_error(error)) from None
    except json.JSONDecodeError as error:
        raise _bad(
            name,
            Said(
                f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
                f"không phải JSON (dòng {error.lineno}, cột {error.colno}: {error.msg})",
            ),
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != SCORE_FORMAT:
        raise _bad(
            name,
            Said(
                f"not the JSON of `cchc-dsl score --format json` (no «format»: «{SCORE_FORMAT}»)",
                f"không phải JSON của `cchc-dsl score --format json`"
                f" (thiếu «format»: «{SCORE_FORMAT}»)",
            ),
        )
    units = doc.get("units")
    if not isinstance(units, list):
        raise _bad(name, Said("«units» is not a list", "«units» không phải một danh sách"))
    out: dict[str, PastUnit] = {}
    for number, item in enumerate(units, 1):
        out_unit = _past_unit(item)
        if out_unit is None:
            raise _bad(
                name,
                Said(
                    f"unit {number} lacks «unit», «rank» or a decimal «index»",
                    f"đơn vị thứ {number} thiếu «unit», «rank» hoặc «index» dạng số thập phân",
                ),
            )
        out[out_unit.unit] = out_unit
    return out


def _past_unit(item: object) -> PastUnit | None:
    if not isinstance(item, dict):
        return None
    unit, rank, index = item.get("unit"), item.get("rank"), item.get("index")
    if not isinstance(unit, str) or not isinstance(rank, int) or not isinstance(index, str):
        return None
    try:
        value = Decimal(index)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    band = item.get("band")
    return PastUnit(
        unit,
        str(item.get("name") or unit),
        str(item.get("block") or ""),
        rank,
        value,
        band if isinstance(band, str) else None,
    )


def _bad(name: str, reason: Said) -> CchcError:
    return CchcError((make("E606", path=name, reason=reason),))


def compare(report: ScoreReport, previous: Mapping[str, PastUnit], source: str) -> YearOverYear:
    now = {u.unit for u in report.units}
    changes = {u.unit: Change(u, previous.get(u.unit)) for u in report.units}
    gone = tuple(p for p in previous.values() if p.unit not in now)
    return YearOverYear(source, changes, gone)


def year_over_year(report: ScoreReport, path: str | Path) -> YearOverYear:
    """Read the previous year's results and set them beside this year's."""
    return compare(report, read_previous(path), str(path))
