from django import template
from django.utils import timezone

from trajects.state import Phase

register = template.Library()


@register.filter
def phase_label(value: str) -> str:
    return Phase(value).label if value in Phase.values else value


@register.filter
def days_since(moment) -> int:
    return (timezone.now() - moment).days


@register.filter
def is_past(day) -> bool:
    return day < timezone.localdate()
