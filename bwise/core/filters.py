"""Filters on related ids (``?worker=<id>``, ``?coach=<id>``): one answer, and on record.

An id the user may not see answers "not a valid choice" exactly like an id that does not
exist, so a filter cannot tell whether another organisation's record exists; and either
probe is written to the access log as refused, like a refused object lookup.
"""

from django.core.exceptions import ValidationError
from django_filters.filters import QuerySetRequestMixin

from bwise.audit.services import AccessAction, AccessOutcome, log_access, log_refused_lookup
from bwise.core.params import InvalidQuery, form_messages


def related_id_filters(filterset):
    return {name: f for name, f in filterset.filters.items() if isinstance(f, QuerySetRequestMixin)}


def log_refused_ids(filterset, user) -> None:
    """One REFUSED row for every related id the (validated) filterset refused."""
    data = filterset.data
    for name in related_id_filters(filterset):
        if name not in filterset.errors:
            continue
        queryset = filterset.form.fields[name].queryset
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        for value in values:
            _log_refused_id(user, queryset, value)


def _log_refused_id(user, queryset, value) -> None:
    try:
        log_refused_lookup(user=user, queryset=queryset, lookup={"pk": value})
    except (ValueError, TypeError, ValidationError):
        # An id of the wrong shape: nothing could have been found, so no worker to name.
        log_access(
            user=user,
            action=AccessAction.REFUSED,
            outcome=AccessOutcome.REFUSED,
            record=(queryset.model._meta.label, str(value)[:64]),
        )


def filtered(filterset, user):
    """The filterset's rows, or ``InvalidQuery`` with its messages (a refused id logged)
    rather than the rows unfiltered."""
    if not filterset.is_valid():
        log_refused_ids(filterset, user)
        raise InvalidQuery(form_messages(filterset.form))
    return filterset.qs
