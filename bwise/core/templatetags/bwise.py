from django import template

from bwise.access import Perm, has_perm

register = template.Library()


@register.filter
def can(user, perm_name: str) -> bool:
    """``{% if user|can:"view_history" %}``: the same capability table as the views."""
    return has_perm(user, Perm(perm_name))


@register.simple_tag
def error_summary(form) -> list[dict]:
    """Every error of ``form`` in the order of its fields, each with the id of the input it
    concerns (``anchor``; none for errors of the whole form or of hidden fields), for the
    summary at the top of the page."""
    entries = [{"anchor": None, "label": "", "message": message} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                entries.append({"anchor": None, "label": "", "message": message})
            else:
                entries.append({"anchor": field.auto_id, "label": field.label, "message": message})
    return entries
