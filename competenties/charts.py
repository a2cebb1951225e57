"""Charts as plain SVG strings: no JavaScript, so the same picture works in the browser
and in PDF documents rendered by WeasyPrint."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ROW = 34
LABEL_WIDTH = 230
STEP = 70  # pixels per level
LEFT = LABEL_WIDTH + 10
MET = "#2e7d32"
SHORT = "#c62828"
UNMEASURED = "#9e9e9e"


def gap_chart_svg(measurement) -> str:
    """Horizontal bars: the current level per competency, with the cut-off as a black mark."""
    rows = measurement.rows
    height = ROW * len(rows) + 40
    width = LEFT + STEP * 4 + 20
    title = _("Current level against the required level")
    parts = [
        # As wide as its column and never wider than drawn: the viewBox scales it down on a tablet.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gap-chart" role="img" width="100%" '
        f'style="max-width: {width}px; height: auto" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(0, 5):
        x = LEFT + STEP * level
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 25}" stroke="#ddd"/>')
        parts.append(f'<text x="{x}" y="{height - 8}" text-anchor="middle" fill="#555">{level}</text>')
    for index, (competency, row, _result) in enumerate(rows):
        y = index * ROW + 6
        label = competency.name if len(competency.name) <= 32 else competency.name[:31] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{y + 17}" text-anchor="end" fill="#222">{escape(label)}</text>'
        )
        if row.current is None:
            parts.append(
                f'<text x="{LEFT + 6}" y="{y + 17}" fill="{UNMEASURED}">{escape(_("not measured"))}</text>'
            )
        else:
            colour = MET if row.met else SHORT
            parts.append(
                f'<rect x="{LEFT}" y="{y + 4}" width="{STEP * row.current}" height="{ROW - 14}" '
                f'fill="{colour}">'
                f"<title>{escape(competency.name)}: {row.current} / {row.required}</title></rect>"
            )
        cut = LEFT + STEP * row.required
        parts.append(
            f'<line x1="{cut}" y1="{y}" x2="{cut}" y2="{y + ROW - 6}" stroke="#000" stroke-width="3"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


ROLE_COLOURS = {"self": "#6f42c1", "coach": "#1d4f5c", "werkvloerbegeleider": "#b35c00", "external": "#555"}
SPARK_STEP = 22
SPARK_HEIGHT = 44


def progress_sparkline_svg(history) -> str:
    """A small chart of one competency over time: one dot per assessment that scored it,
    coloured by rater role, joined per role so each rater's trend reads on its own."""
    points_by_role: dict[str, list[tuple[int, int]]] = {}
    for index, (assessment, level) in enumerate(history):
        if level is None:
            continue
        x = 8 + index * SPARK_STEP
        y = SPARK_HEIGHT - 6 - (level - 1) * 10
        points_by_role.setdefault(assessment.rater_role, []).append((x, y))
    if not points_by_role:
        return ""
    width = 16 + max(len(history) - 1, 0) * SPARK_STEP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" width="{width}" '
        f'height="{SPARK_HEIGHT}" viewBox="0 0 {width} {SPARK_HEIGHT}" aria-hidden="true">'
    ]
    for role, points in points_by_role.items():
        colour = ROLE_COLOURS.get(role, "#000")
        if len(points) > 1:
            path = " ".join(f"{x},{y}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>' for x, y in points)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed colours only


def agreed_sparkline_svg(levels: list[int | None]) -> str:
    """One competency's agreed level over the closed rounds, oldest first."""
    points = [
        (8 + index * SPARK_STEP, SPARK_HEIGHT - 6 - (level - 1) * 10)
        for index, level in enumerate(levels)
        if level is not None
    ]
    if not points:
        return ""
    width = 16 + max(len(levels) - 1, 0) * SPARK_STEP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="agreed-chart" width="{width}" '
        f'height="{SPARK_HEIGHT}" viewBox="0 0 {width} {SPARK_HEIGHT}" aria-hidden="true">'
    ]
    if len(points) > 1:
        path = " ".join(f"{x},{y}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d4f5c" stroke-width="2"/>')
    parts.extend(f'<circle cx="{x}" cy="{y}" r="4" fill="#1d4f5c"/>' for x, y in points)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and a fixed colour only
