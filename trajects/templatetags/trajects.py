from django import template
from django.utils import timezone

from trajects.state import Phase, Status

register = template.Library()


@register.filter
def phase_label(value: str) -> str:
    return Phase(value).label if value in Phase.values else value


@register.filter
def is_paused_status(value: str) -> bool:
    """For a status annotated on a row (the caseload's), where no trajectory object is at hand."""
    return value == Status.PAUSED


@register.filter
def days_since(moment) -> int:
    return (timezone.now() - moment).days


@register.filter
def is_past(day) -> bool:
    return day < timezone.localdate()
