"""Bar charts drawn on the server as SVG: no JavaScript, nothing from a CDN.

Presentation attributes only (no style attributes), so the site's CSP holds. The chart
is decorative next to its table: the figure's caption and the table carry the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 220
CHART_WIDTH = 640
VALUE_WIDTH = 70
FILL = "#0b4f8a"  # the site's brand blue, 8.3:1 on white
INK = "#1a1a1a"


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, value_format: str = "{:,}"
) -> Markup:
    """A horizontal bar chart of (label, value) pairs as inline SVG, longest bar = full width."""
    items = list(items)
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    largest = max((v for _label, v in items), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" '
        f'aria-label="{escape(title)}" focusable="false">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = 0 if value <= 0 else max(2, round(room * value / largest))
        text_y = y + BAR_HEIGHT * 0.72
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" font-size="16" '
            f'fill="{INK}">{escape(_shorten(str(label)))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{FILL}" rx="3"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{text_y:.1f}" font-size="16" '
            f'fill="{INK}">{escape(value_format.format(value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
