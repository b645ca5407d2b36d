"""The ranking as one self-contained HTML page (`score --format html`).

Nothing is fetched: the style sheet is inline, the chart is an inline SVG, there is no script.
The page holds the ranking table of each block, a bar chart of the index of every unit coloured
by its band, the band counts, and each unit's point-by-point explanation. Every text that comes
from a policy or a facts file is escaped.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from cchc_dsl.api import ScoreReport
from cchc_dsl.history import YearOverYear
from cchc_dsl.reports import (
    EXPLANATION_HEADERS,
    NO_BAND,
    NUMERIC_COLUMNS,
    RankingBlock,
    band_counts,
    explanation_rows,
    gone_lines,
    policy_line,
    ranking_blocks,
)
from cchc_dsl.results import UnitResult
from cchc_dsl.values import short

# Bands take these colours in the policy's order of bands (best first); units with no band grey.
BAND_COLOURS = ("#1a9850", "#3366cc", "#f39c12", "#d73027", "#8e44ad", "#8c564b")
NO_BAND_COLOUR = "#9e9e9e"

# The chart's geometry in CSS pixels: labels on the left, then 100 % over BAR_WIDTH.
LABEL_WIDTH = 300
BAR_WIDTH = 600
BAR_HEIGHT = 20
BAR_GAP = 8
CHART_TOP = 24

_STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 24px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend span.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: bold; }
svg text { font-size: 12px; fill: #222; }
"""


def band_colours(report: ScoreReport) -> dict[str, str]:
    """The colour of each band; the palette repeats after six bands."""
    names = [name for name, _ in band_counts(report) if name != NO_BAND]
    colours = {name: BAND_COLOURS[i % len(BAND_COLOURS)] for i, name in enumerate(names)}
    return colours | {NO_BAND: NO_BAND_COLOUR}


def html_page(report: ScoreReport, history: YearOverYear | None = None) -> str:
    colours = band_colours(report)
    title = escape(policy_line(report))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        _legend(band_counts(report), colours, "Số đơn vị theo xếp loại"),
    ]
    blocks = ranking_blocks(report, history)
    several = len(blocks) > 1
    for block in blocks:
        parts.append(f"<h2>{escape(block.title)} ({len(block.rows)} đơn vị)</h2>")
        if several:
            parts.append(_legend(band_counts(report, block.units), colours, "Trong khối này"))
        parts.append(_chart(block, colours))
    if history:
        parts.append(f"<p>So với năm trước: {escape(history.source)}</p>")
    for block in blocks:
        parts.append(f"<h2>Bảng xếp hạng: {escape(block.title)}</h2>")
        parts.append(_table(block.headers, block.rows, numeric=NUMERIC_COLUMNS))
    gone = gone_lines(history)
    if gone:
        items = "".join(f"<li>{escape(line.strip())}</li>" for line in gone[1:])
        parts.append(f"<h2>{escape(gone[0].rstrip(':'))}</h2><ul>{items}</ul>")
    parts.append("<h2>Giải trình điểm của từng đơn vị</h2>")
    parts.extend(_explanation(report, unit) for unit in report.units)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _legend(counts: list[tuple[str, int]], colours: dict[str, str], title: str) -> str:
    items = "".join(
        f'<span class="swatch" style="background:{colours[name]}"></span>'
        f"{escape(name)}: {count} đơn vị"
        for name, count in counts
    )
    return f'<p class="legend"><strong>{title}:</strong>{items}</p>'


def _chart(block: RankingBlock, colours: dict[str, str]) -> str:
    """Horizontal bars, one per unit in rank order, 0–100 % over BAR_WIDTH pixels."""
    height = CHART_TOP + len(block.units) * (BAR_HEIGHT + BAR_GAP)
    width = LABEL_WIDTH + BAR_WIDTH + 80
    right = LABEL_WIDTH + BAR_WIDTH
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="Chỉ số CCHC theo đơn vị">',
        f'<text x="{LABEL_WIDTH}" y="14">0</text>',
        f'<text x="{right}" y="14" text-anchor="end">100 %</text>',
    ]
    for i, unit in enumerate(block.units):
        y = CHART_TOP + i * (BAR_HEIGHT + BAR_GAP)
        index = unit.official.index_rounded
        length = _bar_length(index)
        colour = colours[unit.official.band or NO_BAND]
        label = unit.name if len(unit.name) <= 40 else unit.name[:39] + "…"
        middle = y + BAR_HEIGHT // 2 + 4
        out.append(
            f"<g><title>{escape(unit.name)}: {index} % ({escape(unit.official.band or NO_BAND)})"
            f"</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}"'
            f' fill="{colour}" shape-rendering="crispEdges"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{middle}">{index}</text></g>'
        )
    out.append(
        f'<line x1="{right}" y1="{CHART_TOP - 4}" x2="{right}" y2="{height}"'
        ' stroke="#bbbbbb" stroke-dasharray="3,3"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _bar_length(index: Decimal) -> Decimal:
    """Pixels for an index; an index above 100 % (a bonus may lift it) runs past the 100 % line."""
    return (max(index, Decimal(0)) * BAR_WIDTH / 100).quantize(Decimal("0.01"))


def _table(
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...] | list[list[str]],
    numeric: frozenset[int],
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _explanation(report: ScoreReport, unit: UnitResult) -> str:
    e = unit.official
    rows = []
    for row in explanation_rows(report, unit):
        cells = [str(cell) for cell in row.cells(short)]
        cells[0] = "\u00a0\u00a0" * row.depth + cells[0]  # the tree's depth, as indentation
        rows.append(cells)
    steps = "".join(f"<li>{escape(step)}</li>" for step in e.steps)
    summary = (
        f"{escape(unit.name)} ({escape(unit.unit)}): chỉ số {e.index_rounded} %,"
        f" {escape(e.band or NO_BAND)}, hạng {unit.rank}"
    )
    return (
        f'<details id="unit-{escape(unit.unit)}"><summary>{summary}</summary>'
        f"<p>Điểm: {short(e.points)} / {short(e.max)}</p>"
        + _table(EXPLANATION_HEADERS, rows, numeric=frozenset({2, 3}))
        + f"<p>Tính chỉ số:</p><ol>{steps}</ol></details>"
    )
