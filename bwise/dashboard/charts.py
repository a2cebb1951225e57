"""Bar charts as plain SVG: no JavaScript, the same drawing in the page and the PDF.

The drawing has a viewBox and takes the width of its container, so it scales down on a
tablet and in the PDF's column; labels are thinned out so that they never overlap.
"""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bwise.dashboard.suppression import SMALL_COUNT

HEIGHT = 180
BOTTOM = 40
LEFT = 40
BAR = 10
STARTED = "#1565c0"
CLOSED = "#2e7d32"
POP = "#6a1b9a"
LDE = "#e65100"
# Room for one month label ("sep 26") at the chart's font size.
LABEL_WIDTH = 40


def _drawn(value, hide_small: bool) -> bool:
    return isinstance(value, int) and not (hide_small and value < SMALL_COUNT)


def bars_svg(title: str, groups, series, *, hide_small: bool = False) -> str:
    """Bars side by side per group: ``groups`` is a list of (label, values), ``series`` a
    list of (name, colour), one per value. ``hide_small`` leaves out bars below 5, and a
    suppressed count (not an int) is never drawn."""
    per_group = len(series)
    slot = per_group * BAR + 12
    width = LEFT + slot * max(len(groups), 1) + 20
    values = [v for _label, group in groups for v in group if _drawn(v, hide_small)]
    top = max([*values, 1])
    scale = (HEIGHT - 20) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {HEIGHT + BOTTOM}" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width: {width * 2}px" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT}" x2="{width - 10}" y2="{HEIGHT}" stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{24}" text-anchor="end" fill="#555">{top}</text>',
        f'<text x="{LEFT - 4}" y="{HEIGHT}" text-anchor="end" fill="#555">0</text>',
    ]
    label_every = max(1, -(-LABEL_WIDTH // slot))
    for index, (label, group) in enumerate(groups):
        x = LEFT + index * slot + 6
        for offset, (value, (name, colour)) in enumerate(zip(group, series, strict=True)):
            if not _drawn(value, hide_small):
                continue
            height = value * scale
            parts.append(
                f'<rect x="{x + offset * BAR}" y="{HEIGHT - height:.1f}" width="{BAR - 1}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(label)}: {value} {escape(name)}'
                "</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + per_group * BAR / 2:.0f}" y="{HEIGHT + 14}" text-anchor="middle" fill="#333">'
                f"{escape(label)}</text>"
            )
    legend_y = HEIGHT + 32
    legend_x = LEFT
    for name, colour in series:
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y}" fill="#333">{escape(name)}</text>')
        legend_x += 14 + 7 * len(name) + 16
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def trends_svg(months, *, hide_small: bool = False) -> str:
    """Two bars per month: trajectories started and closed."""
    return bars_svg(
        _("Trajectories started and closed per month"),
        [(date_format(m.month, "M y"), (m.started, m.closed)) for m in months],
        [(_("started"), STARTED), (_("closed"), CLOSED)],
        hide_small=hide_small,
    )


def deadlines_svg(months, *, hide_small: bool = False) -> str:
    """Two bars per month ahead: POPs that fall due and LDE workers who reach their limit."""
    return bars_svg(
        _("POP and LDE deadlines per month"),
        [(date_format(m.month, "M y"), (m.pop, m.lde)) for m in months],
        [(_("POPs due"), POP), (_("LDE limits"), LDE)],
        hide_small=hide_small,
    )
