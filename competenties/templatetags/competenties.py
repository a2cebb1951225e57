from django import template

from bwise.privacy.minimise import absent_fields
from competenties.charts import agreed_sparkline_svg, progress_sparkline_svg
from competenties.models import Achievement, RaterRole

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


@register.simple_tag
def stoefboek_photos(worker, user):
    """The worker's stoefboek items with a photo, for a reader in the photos' audience (the
    privacy declaration); nothing for anyone else. For the worker page, which the trajects
    app draws without knowing the stoefboek."""
    if "photo" in absent_fields(user, "competenties.Achievement", worker):
        return []
    return list(Achievement.objects.of_worker(worker).exclude(photo="").order_by("-achieved_on", "-pk")[:12])
