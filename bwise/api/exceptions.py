from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bwise.audit.services import AccessAction, AccessOutcome, log_access, log_refused_lookup
from bwise.core.errors import DomainError


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _("Someone else changed this in the meantime. Read it again and reapply your change.")
    default_code = "stale"


def exception_handler(exc, context):
    """A refused business rule answers 400 with its message, never 500 (412 when the record
    changed since the version the write started from); a refused object lookup is
    written to the access log, as it is for the pages."""
    if isinstance(exc, PreconditionFailed):
        return Response({"detail": str(exc.detail), "field": None, "code": "stale"}, status=412)
    if isinstance(exc, DomainError):
        status = 412 if exc.code == "stale" else 400
        return Response({"detail": str(exc.message), "field": exc.field, "code": exc.code}, status=status)
    if isinstance(exc, Http404 | NotFound):
        _log_refused_object(context)
    return drf_exception_handler(exc, context)


def _log_refused_object(context) -> None:
    view, request = context.get("view"), context.get("request")
    kwarg = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    kwargs = context.get("kwargs") or {}
    if view is None or request is None or kwarg not in kwargs or not hasattr(view, "get_queryset"):
        return
    queryset = view.get_queryset()
    value = kwargs[kwarg]
    try:
        log_refused_lookup(user=request.user, queryset=queryset, lookup={view.lookup_field: value})
    except (ValueError, TypeError, ValidationError):
        # An id of the wrong shape: nothing could have been found, so no worker to name.
        log_access(
            user=request.user,
            action=AccessAction.REFUSED,
            outcome=AccessOutcome.REFUSED,
            record=(queryset.model._meta.label, str(value)[:64]),
        )
