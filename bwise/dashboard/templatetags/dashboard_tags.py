from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bwise.dashboard.charts import deadlines_svg, trends_svg
from bwise.dashboard.suppression import SMALL_COUNT, Hidden, is_small

register = template.Library()


def hidden(context, value) -> bool:
    return isinstance(value, Hidden) or (bool(context.get("federation")) and is_small(value))


@register.simple_tag(takes_context=True)
def count(context, value):
    """A count, shown as "<5" when small in the federation view (or as suppressed there)."""
    if isinstance(value, Hidden):
        return str(value)
    return f"<{SMALL_COUNT}" if hidden(context, value) else value


@register.simple_tag(takes_context=True)
def linked(context, value, list_key, extra=""):
    """A count linked to the worker list behind it; no link (and small counts hidden) across organisations."""
    if context.get("federation") or context.get("print_mode"):
        return count(context, value)
    url = f"{context['list_base']}&list={list_key}{extra}"
    return format_html('<a href="{}">{}</a>', url, value)


@register.simple_tag(takes_context=True)
def percent(context, rate, numerator):
    """A rate, hidden across organisations when its numerator is a small count."""
    if rate is None or hidden(context, numerator):
        return "—"
    return f"{number_format(rate, 1)}%"  # the reader's decimal mark: 25,0% in Dutch


@register.simple_tag(takes_context=True)
def trends_chart(context, months):
    return trends_svg(months, hide_small=bool(context.get("federation")))


@register.simple_tag(takes_context=True)
def deadlines_chart(context, months):
    return deadlines_svg(months, hide_small=bool(context.get("federation")))


@register.simple_tag(takes_context=True)
def change(context, headline):
    """The change against the previous period, as "+3 against the previous period (12)"."""
    if hidden(context, headline.value) or hidden(context, headline.previous):
        return ""
    difference = headline.change
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return _("%(sign)s%(difference)s against the previous period (%(previous)s)") % {
        "sign": sign,
        "difference": abs(difference),
        "previous": headline.previous,
    }
