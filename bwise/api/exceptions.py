"""Every error of the API in one shape: RFC 9457 problem details.

A refused business rule answers 400 with its message, never 500 (412 when the record
changed since the version the write started from); a refused object lookup is written
to the access log, as it is for the pages. Whatever went wrong, the body is
``application/problem+json``::

    {"type": "urn:bwise:problem:duplicate", "title": "Invalid input", "status": 400,
     "detail": "This worker already has a POP for that year.", "code": "duplicate",
     "field": "year", "errors": [{"field": "year", "code": "duplicate", "detail": "..."}]}

``code`` and ``field`` are extension members (RFC 9457, section 3.2): ``code`` is stable for
programs, ``detail`` and ``title`` are for people and come in the caller's language
(``Accept-Language``, Dutch otherwise). ``errors`` lists each refused input, with the field's
path (``scores.0.level``), for a 400.

Why not drf-standardized-errors: its body is its own (``type``/``errors`` without the RFC's
``title``/``status``), so it would still need this reshaping, plus its own schema hooks.
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bwise.audit.services import AccessAction, AccessOutcome, log_access, log_refused_lookup
from bwise.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = gettext_lazy(
        "Someone else changed this in the meantime. Read it again and reapply your change."
    )
    default_code = "stale"


def titles() -> dict[int, str]:
    """The short, fixed summary of each status the API answers with, in the active language."""
    return {
        400: _("Invalid input"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        412: _("Changed in the meantime"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(status: int, detail: str, code: str, **extensions) -> dict:
    title = titles().get(status) or HTTPStatus(status).phrase
    return {
        "type": f"urn:bwise:problem:{code}",
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "code": code,
        **extensions,
    }


def problem_response(status: int, detail: str, code: str, headers=None, **extensions) -> Response:
    return Response(
        problem(status, detail, code, **extensions),
        status=status,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _flatten(detail, path: str = "") -> list[dict]:
    """The refused inputs of a DRF validation error, each with its field's path."""
    if isinstance(detail, dict):
        return [item for key, value in detail.items() for item in _flatten(value, _join(path, key))]
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [_item(path, item) for item in detail]
        return [item for index, value in enumerate(detail) for item in _flatten(value, _join(path, index))]
    return [_item(path, detail)]


def _join(path: str, key) -> str:
    key = "" if key == "non_field_errors" else str(key)
    return f"{path}.{key}" if path and key else path or key


def _item(path: str, detail) -> dict:
    return {"field": path or None, "code": getattr(detail, "code", "invalid"), "detail": str(detail)}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        status = 412 if exc.code == "stale" else 400
        errors = [{"field": exc.field, "code": exc.code, "detail": str(exc.message)}]
        # The other rules the same input broke (``DomainError.more``), all at once.
        errors += [{"field": field, "code": "invalid", "detail": str(message)} for field, message in exc.more]
        return problem_response(status, exc.message, exc.code, field=exc.field, errors=errors)
    if isinstance(exc, Http404 | exceptions.NotFound):
        _log_refused_object(context)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else {"field": None, "code": "invalid", "detail": _("Invalid input.")}
        body = problem(400, first["detail"], first["code"], field=first["field"], errors=errors)
    else:
        code, detail = _code_and_detail(exc)
        body = problem(response.status_code, detail, code, field=None)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _code_and_detail(exc) -> tuple[str, str]:
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict | list):
            detail = _flatten(detail)[0]["detail"]
        return getattr(exc.detail, "code", None) or exc.default_code, str(detail)
    if isinstance(exc, Http404):
        return "not_found", str(exceptions.NotFound.default_detail)
    if isinstance(exc, DjangoPermissionDenied):
        return "permission_denied", str(exceptions.PermissionDenied.default_detail)
    return "error", str(exc)


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
