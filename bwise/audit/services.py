import re
from collections.abc import Mapping

from bwise.audit.models import AccessAction, AccessLog, AccessOutcome

# The access log outlives erasure, so it holds codes and ids, never text a user typed
# (a search term is a name). A code has no spaces, quotes, "=" or "&".
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
_FILTER_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _code(value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str) and _CODE.match(value):
        return value
    if isinstance(value, list | tuple):
        return [_code(item) for item in value]
    raise ValueError(f"access-log detail must be codes or numbers, not {value!r}")


def _structured(detail: Mapping | None, filters) -> dict:
    if detail is not None and not isinstance(detail, Mapping):
        raise TypeError("access-log detail is a mapping of codes, e.g. {'export': 'caseload'}")
    facts = {str(_code(key)): _code(value) for key, value in (detail or {}).items()}
    if filters is not None:
        # Which filters were used, by key only: their values may be what the user typed.
        facts["filters"] = sorted(
            {key for key in filters if key != "format" and _FILTER_KEY.match(key) and filters.get(key)}
        )
    return facts


def log_access(
    *,
    user,
    action: str,
    record,
    outcome: str = AccessOutcome.ALLOWED,
    worker_id=None,
    detail: Mapping | None = None,
    filters: Mapping | None = None,
    organisation_id: int | None = None,
):
    """Write one access-log row. ``record`` is a model instance, or a (model label, id) pair.

    ``detail``: structured facts as codes (``{"export": "caseload", "format": "csv"}``); a
    value that is not a code raises ``ValueError``. ``filters``: the query parameters of a
    list or export; only the keys of those that were filled in are kept. ``organisation_id``:
    the organisation of a row without a signed-in user (a worker's card sign-in)."""
    if isinstance(record, tuple):
        record_model, record_id = record
    else:
        record_model, record_id = record._meta.label, record.pk
    # A worker's session (``bwise.access.WorkerSession``) is no user: its rows name no one.
    authenticated = bool(user and user.is_authenticated and user.pk is not None)
    return AccessLog.objects.create(
        user=user if authenticated else None,
        organisation_id=user.organisation_id if authenticated else organisation_id,
        action=action,
        outcome=outcome,
        record_model=record_model,
        # An id someone typed can hold a NUL, which PostgreSQL text refuses.
        record_id=str(record_id).replace("\x00", ""),
        worker_id=worker_id,
        detail=_structured(detail, filters),
    )


def _looked_up_id(lookup: dict) -> str:
    for key in ("pk", "id"):
        if key in lookup:
            return str(lookup[key])[:64]
    return ",".join(f"{key}={value}" for key, value in sorted(lookup.items()))[:64]


def _worker_of(queryset, lookup: dict):
    """The worker a refused record belongs to, if it exists, so that HR sees the attempt on that worker."""
    path = getattr(queryset, "worker_path", None)
    if path is None:
        return None
    field = f"{path}__pk" if path else "pk"
    return queryset.model._base_manager.filter(**lookup).values_list(field, flat=True).first()


def log_refused_lookup(*, user, queryset, lookup: dict):
    """One REFUSED row for an object the user asked for but may not see (or that does not exist)."""
    return log_access(
        user=user,
        action=AccessAction.REFUSED,
        outcome=AccessOutcome.REFUSED,
        record=(queryset.model._meta.label, _looked_up_id(lookup)),
        worker_id=_worker_of(queryset, lookup),
    )


__all__ = ["AccessAction", "AccessOutcome", "log_access", "log_refused_lookup"]
