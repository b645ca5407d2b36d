"""How a value reads to a person — 95%, 2024-01-31, có/không, 0.25 — in every stage's messages."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any


def format_value(value: object, percent: bool = False) -> str:
    """A value as a drafter writes it; `percent` shows a stored fraction (0.95) as 95%."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        if percent:
            return f"{_plain(value * 100)}%"
        return _plain(value)
    return str(value)


def short(value: Decimal) -> str:
    """A value for an explanation: a long quotient shows 10 decimals and '…' (JSON has it all)."""
    text = _SHORT.get(str(value))
    return _remembered(_SHORT, value, _short) if text is None else text


def _short(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -12:
        return _plain(value.quantize(Decimal("1e-10"), rounding=ROUND_DOWN)) + "…"
    return _plain(value)


def _plain(value: Decimal) -> str:
    """No exponent, no trailing zeros: 1E+2 → 100, 1.50 → 1.5."""
    text = _PLAIN.get(str(value))
    return _remembered(_PLAIN, value, _unremembered_plain) if text is None else text


def _unremembered_plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def fold(text: str) -> str:
    """Text as a person would match it: NFC, case and diacritics folded (đ → d), spaces single;
    so «Tỷ lệ  hồ sơ» and «ty le ho so» compare equal."""
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


_SHORT: dict[str, str] = {}
_PLAIN: dict[str, str] = {}
_KEPT = 100_000


def _remembered(memo: dict[str, str], value: Decimal, write: Callable[[Decimal], str]) -> str:
    """`write(value)`, to remember by `str(value)`, which tells both the value and its exponent.

    Scoring 10,000 units writes a few million numbers into explanations and JSON, of a few
    hundred distinct values, and Decimal's `format` costs ~1.5 µs where `str` costs 0.1.
    """
    if len(memo) >= _KEPT:
        memo.clear()
    text = memo[str(value)] = write(value)
    return text


# A comparison operator of the language → the Python comparison: for scoring a condition and for
# the checks that decide what a condition does at a given value.
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
