"""Fetching one object by the id in a URL, through the reader's scope."""

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from bwise.audit.services import log_refused_lookup


def visible_or_404(model_or_queryset, user, **lookup):
    """Fetch one object through the user's scope; outsiders get 404, never a hint, and the
    refusal is written to the access log."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset.objects.all()
    )
    if not hasattr(queryset, "visible_to"):  # pragma: no cover - programming error
        raise TypeError(f"{queryset.model.__name__} is not a scoped model")
    try:
        return get_object_or_404(queryset.visible_to(user), **lookup)
    except Http404:
        log_refused_lookup(user=user, queryset=queryset, lookup=lookup)
        raise
