"""The SOP flow as an SVG drawing, made on the server from the definition (no CDN, no JS).

Steps stand in a column in the order of the main path. Forward (approve) edges go down
the middle; return edges are drawn on the right, each in its own lane, labelled "Tidak".
A step with a return edge is a decision and is drawn as a diamond, as in the SOP's
own flowchart.
"""

import textwrap
from html import escape

from aduan.sop.definition import APPROVE, RETURN, SopDefinition

BOX_W, BOX_H, DIAMOND_H, GAP = 300, 64, 96, 48
CX, TOP, LANE = 190, 20, 34
TERMINAL_W, TERMINAL_H = 130, 40


def _text_lines(x: float, y: float, lines: list[str], *, bold_first=False, size=13) -> str:
    total = len(lines) * (size + 3)
    start = y - total / 2 + size
    out = []
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if bold_first and i == 0 else ""
        out.append(
            f'<text x="{x:.0f}" y="{start + i * (size + 3):.0f}" text-anchor="middle" '
            f'font-size="{size}"{weight}>{escape(line)}</text>'
        )
    return "".join(out)


def flow_svg(definition: SopDefinition) -> str:
    steps = definition.ordered_steps
    decisions = {e.source for e in definition.edges if e.decision == RETURN}

    # Vertical position (centre) and half-height of every node, start and end included.
    nodes: list[tuple[str, float, float]] = []
    y = TOP + TERMINAL_H / 2
    nodes.append(("__start__", y, TERMINAL_H / 2))
    y += TERMINAL_H / 2 + GAP
    for step in steps:
        h = DIAMOND_H if step.id in decisions else BOX_H
        y += h / 2
        nodes.append((step.id, y, h / 2))
        y += h / 2 + GAP
    y += TERMINAL_H / 2
    nodes.append((definition.end, y, TERMINAL_H / 2))
    centre = {name: (cy, half) for name, cy, half in nodes}
    order = [name for name, _, _ in nodes]

    returns = [e for e in definition.edges if e.decision == RETURN]
    skips = [
        e
        for e in definition.edges
        if e.decision == APPROVE and order.index(e.target) != order.index(e.source) + 1
    ]
    width = CX + BOX_W / 2 + 40 + LANE * max(len(returns), 1) + 20
    left_pad = 40 + LANE * len(skips)
    height = y + TERMINAL_H / 2 + TOP
    parts = []

    def arrow(path: str, label: str = "", lx: float = 0, ly: float = 0, anchor="start") -> None:
        parts.append(
            f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.5" '
            'marker-end="url(#arrow)"/>'
        )
        if label:
            parts.append(
                f'<text x="{lx:.0f}" y="{ly:.0f}" font-size="12" text-anchor="{anchor}" '
                f'fill="#333">{escape(label)}</text>'
            )

    # Terminals.
    for name, label in (("__start__", "Mulai"), (definition.end, "Selesai")):
        cy, half = centre[name]
        parts.append(
            f'<rect x="{CX - TERMINAL_W / 2:.0f}" y="{cy - half:.0f}" '
            f'width="{TERMINAL_W}" height="{TERMINAL_H}" rx="20" fill="#e8f1ea" '
            'stroke="#2f6b3b" stroke-width="1.5"/>'
        )
        parts.append(_text_lines(CX, cy, [label], bold_first=True))

    # Steps.
    for number, step in enumerate(steps, start=1):
        cy, half = centre[step.id]
        role = definition.role(step.role).name
        title = textwrap.wrap(step.title, 38)
        if len(title) > 2:
            title = title[:2]
            title[1] = title[1][:35].rstrip() + "…"
        lines = [f"{number}. {role} ({step.minutes} menit)", *title]
        if step.id in decisions:
            w = BOX_W + 40
            points = (
                f"{CX - w / 2:.0f},{cy:.0f} {CX:.0f},{cy - half:.0f} "
                f"{CX + w / 2:.0f},{cy:.0f} {CX:.0f},{cy + half:.0f}"
            )
            parts.append(
                f'<polygon points="{points}" fill="#fff7e0" stroke="#8a6d00" stroke-width="1.5"/>'
            )
            parts.append(_text_lines(CX, cy, lines, bold_first=True, size=11))
        else:
            parts.append(
                f'<rect x="{CX - BOX_W / 2:.0f}" y="{cy - half:.0f}" width="{BOX_W}" '
                f'height="{2 * half:.0f}" rx="4" fill="#eef3fb" stroke="#1f4e8c" '
                'stroke-width="1.5"/>'
            )
            parts.append(_text_lines(CX, cy, lines, bold_first=True, size=12))

    # Start → first step.
    s_cy, s_half = centre["__start__"]
    f_cy, f_half = centre[definition.start]
    arrow(f"M{CX},{s_cy + s_half:.0f} L{CX},{f_cy - f_half - 2:.0f}")

    # Forward edges: straight down to the next node, or around the left when skipping.
    skip_lane = 0
    for e in definition.edges:
        if e.decision != APPROVE:
            continue
        (a_cy, a_half), (b_cy, b_half) = centre[e.source], centre[e.target]
        label = "Ya" if e.source in decisions else ""
        if e in skips:
            skip_lane += 1
            x = CX - BOX_W / 2 - 20 - LANE * skip_lane
            arrow(
                f"M{CX - BOX_W / 2:.0f},{a_cy:.0f} H{x:.0f} V{b_cy:.0f} "
                f"H{CX - TERMINAL_W / 2 - 2:.0f}",
                label,
                x - 4,
                a_cy - 6,
                "end",
            )
        else:
            arrow(
                f"M{CX},{a_cy + a_half:.0f} L{CX},{b_cy - b_half - 2:.0f}",
                label,
                CX + 8,
                a_cy + a_half + 16,
            )

    # Return edges: out of the right side, up a lane, into the target's right side.
    # They leave a little below a node's middle and arrive a little above it, so an
    # arrow arriving at a decision does not meet the one leaving it.
    def right_edge(step_id: str, dy: float) -> float:
        cy, half = centre[step_id]
        if step_id in decisions:
            return CX + (BOX_W + 40) / 2 * (1 - abs(dy) / half)
        return CX + BOX_W / 2

    for lane, e in enumerate(returns, start=1):
        a_y, b_y = centre[e.source][0] + 10, centre[e.target][0] - 10
        a_x, b_x = right_edge(e.source, 10), right_edge(e.target, -10)
        x = CX + BOX_W / 2 + 20 + LANE * lane
        arrow(
            f"M{a_x:.0f},{a_y:.0f} H{x:.0f} V{b_y:.0f} H{b_x + 2:.0f}", "Tidak", a_x + 4, a_y + 16
        )

    title = f"Alur {definition.code}: {definition.name}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-left_pad} 0 '
        f'{width + left_pad:.0f} {height:.0f}" width="{width + left_pad:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="sop-flow-title" '
        'font-family="DejaVu Sans, Arial, sans-serif">'
        f'<title id="sop-flow-title">{escape(title)}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#333"/></marker></defs>' + "".join(parts) + "</svg>"
    )
