from bwise.audit.models import AccessAction, AccessLog, AccessOutcome


def log_access(
    *, user, action: str, record, outcome: str = AccessOutcome.ALLOWED, worker_id=None, detail: str = ""
):
    """Write one access-log row. ``record`` is a model instance, or a (model label, id) pair."""
    if isinstance(record, tuple):
        record_model, record_id = record
    else:
        record_model, record_id = record._meta.label, record.pk
    authenticated = bool(user and user.is_authenticated)
    return AccessLog.objects.create(
        user=user if authenticated else None,
        organisation_id=user.organisation_id if authenticated else None,
        action=action,
        outcome=outcome,
        record_model=record_model,
        record_id=str(record_id),
        worker_id=worker_id,
        detail=detail[:200],
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
