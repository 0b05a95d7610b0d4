"""The marks that tell a chart's series apart in colour and in black and white: Okabe and
Ito's colour-blind-safe palette, a fill pattern per series for bars, a marker and a dash per
series for lines, and the legend that shows them."""

import re

from django.utils.html import escape

from aduan.dashboard.data import Chart

WIDTH = 640
LEFT, RIGHT = 64, 16

LEGEND_ROW = 18
# Okabe–Ito, without the yellow that vanishes on white paper.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
# One pattern per series, drawn over the colour: solid, diagonal, dots, cross-hatch...
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "back")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle", "square")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3")


def dom_id(chart: Chart) -> str:
    return "chart-" + (re.sub(r"[^A-Za-z0-9_-]", "-", chart.id) or "x")


def fill(chart: Chart, index: int) -> str:
    pattern = PATTERNS[index % len(PATTERNS)]
    if pattern == "solid":
        return COLOURS[index % len(COLOURS)]
    return f"url(#{dom_id(chart)}-p{index})"


def pattern_defs(chart: Chart) -> str:
    """One <pattern> per series: its colour with black-and-white-readable strokes on it."""
    paths = {
        "diagonal": '<path d="M0 8 L8 0" stroke="#fff" stroke-width="2"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "cross": '<path d="M0 4 H8 M4 0 V8" stroke="#fff" stroke-width="1.5"/>',
        "horizontal": '<path d="M0 4 H8" stroke="#fff" stroke-width="2"/>',
        "vertical": '<path d="M4 0 V8" stroke="#fff" stroke-width="2"/>',
        "back": '<path d="M0 0 L8 8" stroke="#fff" stroke-width="2"/>',
    }
    defs = []
    for index in range(len(chart.series)):
        pattern = PATTERNS[index % len(PATTERNS)]
        if pattern == "solid":
            continue
        colour = COLOURS[index % len(COLOURS)]
        defs.append(
            f'<pattern id="{dom_id(chart)}-p{index}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>'
            f"{paths[pattern]}</pattern>"
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "cross":
        return (
            f'<path d="M{x - 4:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 4:.1f} M{x - 4:.1f} '
            f'{y + 4:.1f} L{x + 4:.1f} {y - 4:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def draw_legend(chart: Chart, y: float) -> tuple[str, float]:
    """The legend in rows under the plot; returns the markup and its height."""
    if len(chart.series) < 2 and chart.kind != "line":
        return "", 0
    parts, x, row = [], LEFT, 0
    for index, series in enumerate(chart.series):
        label = series.label[:40]
        width = 26 + 7 * len(label) + 14
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        top = y + row * LEGEND_ROW
        colour = COLOURS[index % len(COLOURS)]
        if chart.kind == "line":
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" y1="{top + 6}" x2="{x + 20}" y2="{top + 6}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
                + marker(MARKERS[index % len(MARKERS)], x + 10, top + 6, colour)
            )
        else:
            parts.append(
                f'<rect x="{x}" y="{top}" width="20" height="12" fill="{fill(chart, index)}" '
                'stroke="#333" stroke-width="0.5"/>'
            )
        parts.append(f'<text x="{x + 26}" y="{top + 10}" font-size="12">{escape(label)}</text>')
        x += width
    return f'<g class="legend">{"".join(parts)}</g>', (row + 1) * LEGEND_ROW + 4
