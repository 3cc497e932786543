"""Trend charts as inline SVG: a small template of our own, drawn from the ledger as at the report's time.

No image is fetched and no script runs: the SVG is text inside the HTML, so the report reads
and prints with no network. Each chart shows the actuals (restated points marked with a hollow
diamond), the target as a dashed line, the amber band (between the target and the monitoring
level or the tolerance) shaded, and the monitoring level as a dotted line; its <title> and
<desc> say the same in words for a screen reader. Coordinates are written to two decimals, so
the same data always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 12, 30
ACTUAL, TARGET, BAND, LEVEL = "#1f4e79", "#333333", "#fbe3a6", "#9b1c1c"


@dataclass(frozen=True)
class Point:
    period: str
    actual: Decimal | None
    target: Decimal | None = None
    band: Decimal | None = None  # the amber bound: the monitoring level, or the tolerance's edge
    level: Decimal | None = None  # the monitoring level, where one is set
    restated: bool = False


def _n(value: float) -> str:
    return f"{value:.2f}"


def trend_svg(code: str, title: str, points: list[Point]) -> str:
    """The chart of POINTS (oldest first); empty text when there is nothing to draw."""
    values = [v for p in points for v in (p.actual, p.target, p.band, p.level) if v is not None]
    if not values or all(p.actual is None for p in points):
        return ""
    low, high = float(min(values)), float(max(values))
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: Decimal) -> float:
        return TOP + (high - float(v)) / (high - low) * plot_h

    parts: list[str] = []
    band = [
        (i, p.target, p.band) for i, p in enumerate(points) if p.target is not None and p.band is not None
    ]
    if band:
        upper = " ".join(f"{_n(x(i))},{_n(y(t))}" for i, t, _ in band)
        lower = " ".join(f"{_n(x(i))},{_n(y(b))}" for i, _, b in reversed(band))
        parts.append(f'<polygon points="{upper} {lower}" fill="{BAND}" stroke="none"/>')
    targets = [(i, p.target) for i, p in enumerate(points) if p.target is not None]
    if targets:
        line = " ".join(f"{_n(x(i))},{_n(y(t))}" for i, t in targets)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{TARGET}" stroke-width="1.5" '
            'stroke-dasharray="6 4"/>'
        )
    levels = [(i, p.level) for i, p in enumerate(points) if p.level is not None]
    if levels:
        line = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in levels)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{LEVEL}" stroke-width="1.5" '
            'stroke-dasharray="2 3"/>'
        )
    actuals = [(i, p) for i, p in enumerate(points) if p.actual is not None]
    line = " ".join(f"{_n(x(i))},{_n(y(p.actual))}" for i, p in actuals if p.actual is not None)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{ACTUAL}" stroke-width="2"/>')
    for i, p in actuals:
        assert p.actual is not None
        cx, cy = x(i), y(p.actual)
        if p.restated:
            parts.append(
                f'<polygon points="{_n(cx)},{_n(cy - 5)} {_n(cx + 5)},{_n(cy)} {_n(cx)},{_n(cy + 5)} '
                f'{_n(cx - 5)},{_n(cy)}" fill="#ffffff" stroke="{ACTUAL}" stroke-width="2">'
                f"<title>{escape(p.period)}: {p.actual} (restated)</title></polygon>"
            )
        else:
            parts.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="3.5" fill="{ACTUAL}">'
                f"<title>{escape(p.period)}: {p.actual}</title></circle>"
            )
    axis = (
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#767676"/>'
        f'<text x="{LEFT}" y="{HEIGHT - 10}" font-size="10" fill="#333">{escape(points[0].period)}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" font-size="10" fill="#333" text-anchor="end">'
        f"{escape(points[-1].period)}</text>"
        f'<text x="{LEFT - 4}" y="{TOP + 8}" font-size="10" fill="#333" text-anchor="end">{_n(high)}</text>'
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" font-size="10" fill="#333" text-anchor="end">'
        f"{_n(low)}</text>"
    )
    last = actuals[-1][1]
    words = (
        f"{code}: {last.actual} in {last.period}"
        + (f" against a target of {last.target}" if last.target is not None else "")
        + f"; {len(actuals)} of the last {len(points)} periods shown"
        + ("; restated figures are hollow diamonds" if any(p.restated for _, p in actuals) else "")
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="t-{_id(code)} d-{_id(code)}">'
        f'<title id="t-{_id(code)}">{escape(code)} {escape(title)}: trend</title>'
        f'<desc id="d-{_id(code)}">{escape(words)}</desc>{axis}{"".join(parts)}</svg>'
    )


def _id(code: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in code)
