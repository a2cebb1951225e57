"""The monthly trend as a plain SVG bar chart: no JavaScript, works in the page and the PDF."""

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


def _drawn(value, hide_small: bool) -> bool:
    return isinstance(value, int) and not (hide_small and value < SMALL_COUNT)


def trends_svg(months, *, hide_small: bool = False) -> str:
    """Two bars per month (started, closed). ``hide_small`` leaves out bars below 5, and
    a suppressed count (not an int) is never drawn."""
    slot = 2 * BAR + 12
    width = LEFT + slot * max(len(months), 1) + 20
    values = [v for m in months for v in (m.started, m.closed) if _drawn(v, hide_small)]
    top = max([*values, 1])
    scale = (HEIGHT - 20) / top
    title = _("Trajectories started and closed per month")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" width="{width}" '
        f'height="{HEIGHT + BOTTOM}" viewBox="0 0 {width} {HEIGHT + BOTTOM}" font-family="sans-serif" '
        'font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT}" x2="{width - 10}" y2="{HEIGHT}" stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{HEIGHT - (HEIGHT - 20) + 4}" text-anchor="end" fill="#555">{top}</text>',
        f'<text x="{LEFT - 4}" y="{HEIGHT}" text-anchor="end" fill="#555">0</text>',
    ]
    # Label at most about twelve months so that the labels never overlap.
    label_every = max(1, -(-len(months) // 12))
    for index, month in enumerate(months):
        x = LEFT + index * slot + 6
        label = date_format(month.month, "M y")
        for offset, (value, colour, name) in enumerate(
            ((month.started, STARTED, _("started")), (month.closed, CLOSED, _("closed")))
        ):
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
                f'<text x="{x + BAR}" y="{HEIGHT + 14}" text-anchor="middle" fill="#333">'
                f"{escape(label)}</text>"
            )
    legend_y = HEIGHT + 32
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 9}" width="10" height="10" fill="{STARTED}"/>')
    parts.append(f'<text x="{LEFT + 14}" y="{legend_y}" fill="#333">{escape(_("started"))}</text>')
    parts.append(f'<rect x="{LEFT + 90}" y="{legend_y - 9}" width="10" height="10" fill="{CLOSED}"/>')
    parts.append(f'<text x="{LEFT + 104}" y="{legend_y}" fill="#333">{escape(_("closed"))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
