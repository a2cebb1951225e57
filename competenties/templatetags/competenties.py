from django import template

from competenties.charts import agreed_sparkline_svg, progress_sparkline_svg
from competenties.models import RaterRole

register = template.Library()


@register.filter
def rater_label(role: str) -> str:
    return RaterRole(role).label if role in RaterRole.values else role


@register.simple_tag
def progress_sparkline(row):
    return progress_sparkline_svg(row.history)


@register.simple_tag
def agreed_sparkline(row):
    return agreed_sparkline_svg(row.agreed_history)


@register.filter
def for_competency(counts: dict, competency) -> dict | None:
    return counts.get(competency.pk)
