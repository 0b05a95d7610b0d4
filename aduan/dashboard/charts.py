"""Charts drawn on the server as SVG: no JavaScript, no CDN, the same on screen and paper.

`chart_svg(chart)` draws a `data.Chart` (grouped bars, stacked bars, lines with points or
horizontal bars) as inline SVG markup; `chart_table(chart)` and `chart_csv_rows(chart)` give
the same numbers as the table printed beside it and as the CSV download. Everything written
into the markup passes through `escape` (category names are typed by the office's admin).

The colours are Okabe and Ito's colour-blind-safe palette; each series also has its own fill
pattern (bars) or marker and dash (lines), so the chart still reads printed in black and
white. The SVG has a viewBox and no fixed size: it scales to the width of a 360 px phone.
"""

import math
from dataclasses import replace

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from aduan.dashboard.chart_marks import (
    COLOURS,
    DASHES,
    MARKERS,
    dom_id,
    draw_legend,
    fill,
    marker,
    pattern_defs,
)
from aduan.dashboard.data import Chart

WIDTH = 640
HEIGHT = 320
LEFT, RIGHT, TOP = 64, 16, 16
MAX_X_LABELS = 12  # beyond this, only every n-th label is written
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def format_value(value) -> str:
    """A value as the page's language writes it: 1.234 or 87,5 in Indonesian; – for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    return number_format(int(value), use_l10n=True, force_grouping=True)


def nice_ticks(top: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """Round numbers from 0 to at least `top`: steps of 1, 2, 2.5 or 5 times a power of ten
    (whole steps only when `whole`: counts of complaints have no halves)."""
    if not top or top <= 0 or math.isnan(top):
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    steps = (m * power for m in (1, 2, 2.5, 5, 10))
    step = next(s for s in steps if s >= raw and not (whole and s != int(s)))
    step = max(step, 1) if top >= 1 or whole else step
    ticks, value = [0.0], 0.0
    while value < top - 1e-9:
        value = round(value + step, 10)
        ticks.append(value)
    return ticks


def _num(value) -> float:
    return float(value) if value is not None else 0.0


def _x_label_step(count: int) -> int:
    return max(1, math.ceil(count / MAX_X_LABELS))


def _open(chart: Chart, height: float, body: str) -> str:
    chart_id = dom_id(chart)
    title = escape(chart.title)
    if chart.is_empty:
        desc = _("Belum ada data")
    else:
        desc = _("Satuan: %(unit)s. Angkanya ada pada tabel di samping grafik.") % {
            "unit": chart.unit
        }
        if chart.target is not None:
            target = chart.target_label or _("Target")
            desc += f" {target}: {format_value(chart.target)}"
    desc = escape(desc)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="chart chart-{escape(chart.kind)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet" '
        f'{FONT}><title id="{chart_id}-title">{title}</title>'
        f'<desc id="{chart_id}-desc">{desc}</desc>{body}</svg>'
    )


def _empty(chart: Chart) -> str:
    body = (
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="118" fill="none" stroke="#bbb" '
        'stroke-dasharray="4 4"/>'
        f'<text x="{WIDTH / 2}" y="66" text-anchor="middle" font-size="16" fill="#444">'
        f"{escape(_('Belum ada data'))}</text>"
    )
    return _open(chart, 120, body)


def _whole(chart: Chart) -> bool:
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    return all(float(v).is_integer() for v in values)


def _value_top(chart: Chart) -> float:
    if chart.kind == "stacked":
        sums = [
            sum(_num(s.values[i]) for s in chart.series if i < len(s.values))
            for i in range(len(chart.x_labels))
        ]
        top = max(sums, default=0)
    else:
        top = max((_num(v) for s in chart.series for v in s.values), default=0)
    if chart.target is not None:
        top = max(top, chart.target)
    return top


def _vertical(chart: Chart) -> str:
    """Grouped bars, stacked bars or lines: categories along x, values up."""
    labels = chart.x_labels
    count = max(len(labels), 1)
    rotate = count > 6 or any(len(label) > 10 for label in labels)
    bottom = 96 if rotate else 28
    left = LEFT + 40 if rotate else LEFT  # room for the first turned label
    legend, legend_height = draw_legend(chart, HEIGHT - bottom + (bottom - 10) + 4)
    height = HEIGHT + legend_height
    plot_h = HEIGHT - TOP - bottom
    plot_w = WIDTH - left - RIGHT
    ticks = nice_ticks(_value_top(chart), whole=_whole(chart))
    top = ticks[-1] or 1
    base_y = TOP + plot_h

    def y_of(value) -> float:
        return base_y - _num(value) / top * plot_h

    parts = [pattern_defs(chart)]
    for tick in ticks:  # the grid and the y axis' round numbers
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(format_value(tick))}</text>"
        )
    parts.append(
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">{escape(chart.unit)}</text>'
    )
    slot = plot_w / count
    step = _x_label_step(len(labels))
    for i, label in enumerate(labels):  # x labels, thinned and turned when many
        if i % step:
            continue
        x = left + slot * (i + 0.5)
        cut = 20 if rotate else 24
        text = escape(label if len(label) <= cut else label[: cut - 1] + "…")
        if rotate:
            parts.append(
                f'<text x="{x:.1f}" y="{base_y + 14:.1f}" font-size="12" text-anchor="end" '
                f'transform="rotate(-40 {x:.1f} {base_y + 14:.1f})">{text}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{base_y + 16:.1f}" font-size="12" '
                f'text-anchor="middle">{text}</text>'
            )

    if chart.kind == "line":
        parts.append(_lines(chart, left, slot, y_of))
    else:
        parts.append(_bars(chart, left, slot, y_of, base_y))
    parts.append(
        f'<line x1="{left}" y1="{base_y:.1f}" x2="{WIDTH - RIGHT}" y2="{base_y:.1f}" '
        'stroke="#333"/>'
    )
    if chart.target is not None:
        y = y_of(chart.target)
        label = escape(chart.target_label or format_value(chart.target))
        parts.append(
            f'<g class="target"><line x1="{left}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}" stroke="#000" stroke-width="1.5" stroke-dasharray="7 4"/>'
            f'<text x="{WIDTH - RIGHT - 2}" y="{y - 4:.1f}" font-size="12" text-anchor="end" '
            f'font-weight="bold">{label}</text></g>'
        )
    parts.append(legend)
    return _open(chart, height, "".join(parts))


def _bars(chart: Chart, left: float, slot: float, y_of, base_y: float) -> str:
    parts = []
    groups = len(chart.series) if chart.kind == "bar" else 1
    bar_w = slot * 0.8 / max(groups, 1)
    for i in range(len(chart.x_labels)):
        stack = 0.0
        for index, series in enumerate(chart.series):
            value = series.values[i] if i < len(series.values) else None
            if value is None:
                continue
            if chart.kind == "stacked":
                y_top, y_bottom = y_of(stack + _num(value)), y_of(stack)
                x = left + slot * i + slot * 0.1
                stack += _num(value)
            else:
                y_top, y_bottom = y_of(value), base_y
                x = left + slot * i + slot * 0.1 + bar_w * index
            title = f"{chart.x_labels[i]} · {series.label}: {format_value(value)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y_bottom - y_top, 0):.1f}" fill="{fill(chart, index)}" '
                f'stroke="#333" stroke-width="0.5"><title>{escape(title)}</title></rect>'
            )
    return f'<g class="bars">{"".join(parts)}</g>'


def _lines(chart: Chart, left: float, slot: float, y_of) -> str:
    """One line per series, broken where a value is missing, with a marker on each point."""
    parts = []
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs, run = [], []
        points = []
        for i, value in enumerate(series.values[: len(chart.x_labels)]):
            if value is None:
                runs.append(run)
                run = []
                continue
            point = (left + slot * (i + 0.5), y_of(value))
            run.append(point)
            points.append((point, chart.x_labels[i], value))
        runs.append(run)
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        for (x, y), label, value in points:
            title = escape(f"{label} · {series.label}: {format_value(value)}")
            parts.append(
                f"<g><title>{title}</title>"
                f"{marker(MARKERS[index % len(MARKERS)], x, y, colour)}</g>"
            )
    return f'<g class="lines">{"".join(parts)}</g>'


def _horizontal(chart: Chart) -> str:
    """Horizontal bars: one row per label (top categories), values to the right."""
    labels = chart.x_labels
    left = 170
    row_h = 26 if len(chart.series) < 2 else 14 * len(chart.series) + 8
    plot_h = max(len(labels), 1) * row_h
    legend, legend_height = draw_legend(chart, TOP + plot_h + 30)
    height = TOP + plot_h + 34 + legend_height
    plot_w = WIDTH - left - RIGHT - 40
    ticks = nice_ticks(_value_top(chart), whole=_whole(chart))
    top = ticks[-1] or 1

    def x_of(value) -> float:
        return left + _num(value) / top * plot_w

    parts = [pattern_defs(chart)]
    base_y = TOP + plot_h
    for tick in ticks:
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{base_y}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{base_y + 14}" font-size="12" text-anchor="middle">'
            f"{escape(format_value(tick))}</text>"
        )
    bar_h = (row_h - 8) / max(len(chart.series), 1)
    for i, label in enumerate(labels):
        y = TOP + i * row_h
        text = escape(label if len(label) <= 26 else label[:25] + "…")
        parts.append(
            f'<text x="{left - 6}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end">{text}</text>'
        )
        for index, series in enumerate(chart.series):
            value = series.values[i] if i < len(series.values) else None
            if value is None:
                continue
            bar_y = y + 4 + bar_h * index
            width = x_of(value) - left
            title = escape(f"{label} · {series.label}: {format_value(value)}")
            parts.append(
                f'<rect x="{left}" y="{bar_y:.1f}" width="{max(width, 0):.1f}" '
                f'height="{bar_h:.1f}" fill="{fill(chart, index)}" stroke="#333" '
                f'stroke-width="0.5"><title>{title}</title></rect>'
                f'<text x="{left + width + 4:.1f}" y="{bar_y + bar_h / 2 + 4:.1f}" '
                f'font-size="11">{escape(format_value(value))}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{TOP}" x2="{left}" y2="{base_y}" stroke="#333"/>')
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{base_y + 28}" font-size="12" text-anchor="end">'
        f"{escape(chart.unit)}</text>"
    )
    if chart.target is not None:
        x = x_of(chart.target)
        label = escape(chart.target_label or format_value(chart.target))
        parts.append(
            f'<g class="target"><line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{base_y}" '
            f'stroke="#000" stroke-width="1.5" stroke-dasharray="7 4"/>'
            f'<text x="{x:.1f}" y="{TOP - 6}" font-size="12" text-anchor="middle" '
            f'font-weight="bold">{label}</text></g>'
        )
    parts.append(legend)
    return _open(chart, height, "".join(parts))


def chart_svg(chart: Chart) -> str:
    """The chart as inline SVG markup, every text in it escaped. Series marked table_only
    (counts beside an average, say) are in the table, not in the drawing."""
    drawn = tuple(s for s in chart.series if not s.table_only)
    if len(drawn) != len(chart.series):
        chart = replace(chart, series=drawn)
    if chart.is_empty or not chart.x_labels or not chart.series:
        return _empty(chart)
    if chart.kind == "hbar":
        return _horizontal(chart)
    return _vertical(chart)


def chart_table(chart: Chart) -> tuple[list[str], list[tuple[str, list]]]:
    """The numbers beside the chart: the column headers and, per x label, its values."""
    headers = [_("Uraian"), *(series.label for series in chart.series)]
    rows = [
        (label, [s.values[i] if i < len(s.values) else None for s in chart.series])
        for i, label in enumerate(chart.x_labels)
    ]
    return headers, rows


def chart_csv_rows(chart: Chart) -> list[list]:
    """The table as CSV rows: the header, then one row per x label; raw numbers, None as ""."""
    headers, rows = chart_table(chart)
    return [list(headers), *([label, *values] for label, values in rows)]
