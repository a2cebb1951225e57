import functools
import re

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()

_NAME = re.compile(r"^[a-z0-9-]+$")


@functools.cache
def _svg(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not an icon name: {name!r}")
    path = finders.find(f"vendor/lucide/{name}.svg")
    if path is None:
        raise ValueError(f"no icon {name!r} in static/vendor/lucide/")
    with open(path, encoding="utf-8") as source:
        svg = source.read()
    svg = svg[svg.index("<svg") :]
    # Inline, so that it takes the text's colour; decorative, as its label says the same.
    return svg.replace("<svg", '<svg aria-hidden="true" focusable="false"', 1).replace(
        'class="lucide', 'class="portal-icon lucide', 1
    )


@register.simple_tag
def icon(name: str):
    """A pictogram of the Lucide set (static/vendor/lucide/, ISC licence), inline."""
    return mark_safe(_svg(name))  # noqa: S308 - our own static file, checked by name
