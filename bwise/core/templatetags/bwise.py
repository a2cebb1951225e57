from django import template

from bwise.access import Perm, has_perm

register = template.Library()


@register.filter
def can(user, perm_name: str) -> bool:
    """``{% if user|can:"view_history" %}``: the same capability table as the views."""
    return has_perm(user, Perm(perm_name))
