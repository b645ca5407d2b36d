"""How a value reads to a person — 95%, 2024-01-31, có/không, 0.25 — in every stage's messages."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal


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
    """A value for an explanation: a long quotient shows 10 decimals and '…' (JSON has it all).

    Scoring writes a few hundred thousand of these for a few hundred distinct values, so they
    are remembered by `str(value)`, which tells both the value and its exponent.
    """
    key = str(value)
    shown = _SHORT.get(key)
    if shown is None:
        if len(_SHORT) >= _SHORT_KEPT:
            _SHORT.clear()
        shown = _SHORT[key] = _short(value)
    return shown


_SHORT: dict[str, str] = {}
_SHORT_KEPT = 100_000


def _short(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -12:
        return _plain(value.quantize(Decimal("1e-10"), rounding=ROUND_DOWN)) + "…"
    return _plain(value)


def _plain(value: Decimal) -> str:
    """No exponent, no trailing zeros: 1E+2 → 100, 1.50 → 1.5."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
