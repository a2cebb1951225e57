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


__all__ = ["AccessAction", "AccessOutcome", "log_access"]
