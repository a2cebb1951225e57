"""Data-subject rights: export, pseudonymise, erase, legal holds and the retention schedule.

Pseudonymising replaces what identifies the worker (name, contact details, birth date,
external id) and every free text (notes, intakes, observations, the declared sensitive
fields) in the worker's records *and in their history events*, keeps the structured data
(statuut, phases, dates, outcomes, levels) so that the dashboard's counts and durations
stay true, and deletes derived copies (rendered documents, reminders, the organisation's
pending import uploads). Erasing deletes the records and their history. The access log
keeps ids and codes only and stays, as does one ``Erasure`` row: the proof of what was done.

History events are append-only: the application's database role may only INSERT and
SELECT them, and a trigger refuses UPDATE and DELETE. Their one way to change is the
database function ``bwise_redact_history`` (migration ``audit.0002``), owned by the
migration role, which rewrites or deletes the events of given records in one event table
and writes its own access-log row; ``_redact_history`` below is its only caller.
"""

from __future__ import annotations

import json
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.serializers import serialize
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.audit.models import AccessLog
from bwise.audit.services import AccessAction, log_access
from bwise.core.errors import DomainError
from bwise.privacy.declaration import NOT_PERSONAL, all_sensitive_fields
from bwise.privacy.models import Erasure, ErasureAction, LegalHold, RetentionRun
from bwise.privacy.records import records_of
from bwise.privacy.subjects import data_subjects

PSEUDONYM = "Pseudonymised"
REMOVED = "[removed]"
# What identifies a worker beyond free text; the replacement keeps the row usable.
WORKER_IDENTIFIERS = {
    "first_name": lambda worker: PSEUDONYM,
    "last_name": lambda worker: f"#{worker.pk}",
    "external_id": lambda worker: "",
    "email": lambda worker: "",
    "phone": lambda worker: "",
    "birth_date": lambda worker: None,
    "address": lambda worker: "",
    "languages": lambda worker: "",
}


def _is_free_text(model, field) -> bool:
    # Privacy by default: any text without fixed choices may hold personal data, unless
    # the declaration says it does not.
    if field.primary_key or field.choices or not isinstance(field, models.CharField | models.TextField):
        return False
    return (model._meta.label, field.name) not in NOT_PERSONAL


def _scrubbed_values(model, worker) -> dict:
    sensitive = {name for label, name in all_sensitive_fields() if label == model._meta.label}
    values = {}
    for field in model._meta.concrete_fields:
        if _is_free_text(model, field) or field.name in sensitive:
            values[field.name] = "" if field.blank else REMOVED
    if model is type(worker):
        values.update({name: make(worker) for name, make in WORKER_IDENTIFIERS.items()})
    return values


def _delete_files(queryset) -> None:
    file_fields = [f.name for f in queryset.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return
    for row in queryset.only("pk", *file_fields):
        for name in file_fields:
            stored = getattr(row, name)
            if stored:
                stored.delete(save=False)


def active_hold(worker) -> LegalHold | None:
    today = timezone.localdate()
    return LegalHold.objects.of_worker(worker).filter(Q(until__isnull=True) | Q(until__gte=today)).first()


def _refuse_if_held(worker) -> None:
    hold = active_hold(worker)
    if hold is not None:
        raise DomainError(
            _("These records are kept for a legal obligation (%(reason)s); lift the hold first.")
            % {"reason": hold.reason},
            code="legal_hold",
        )


def _refuse_naming_reason(worker, reason: str) -> None:
    # The reason a person typed outlives the worker in the ``Erasure`` row: it may not
    # identify them.
    names = [name.strip() for name in (worker.first_name, worker.last_name, worker.external_id) if name]
    if any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", reason, re.IGNORECASE)
        for name in names
        if len(name) > 2
    ):
        raise DomainError(
            _("Do not name the worker in the reason: it is kept after the worker's data is gone."),
            field="reason",
            code="names_worker",
        )


# --- Export ------------------------------------------------------------------------------


def _rows(queryset) -> list[dict]:
    return [
        {"model": row["model"], "id": row["pk"], **row["fields"]} for row in serialize("python", queryset)
    ]


def worker_export(*, worker, by) -> dict:
    """Everything held about ``worker``, machine-readable (the right of access and portability)."""
    held = records_of(worker)
    log_access(
        user=by,
        action=AccessAction.EXPORT,
        record=worker,
        worker_id=worker.pk,
        detail={"export": "data-subject"},
    )
    return {
        "format": "bwise-worker-export/1",
        "exported_at": timezone.now().isoformat(),
        "worker_id": worker.pk,
        "records": {model._meta.label: _rows(qs) for model, qs in held.records.items() if qs.exists()},
        "derived": {model._meta.label: _rows(qs) for model, qs in held.references().items() if qs.exists()},
        "history": {
            model._meta.label: _rows(qs.order_by("pgh_created_at", "pgh_id"))
            for model, qs in held.events().items()
            if qs.exists()
        },
        "access_log": _rows(AccessLog.objects.filter(worker_id=worker.pk).order_by("at", "pk")),
    }


# --- Pseudonymise and erase ----------------------------------------------------------------


def _redact_history(event_model, object_ids, *, values: dict | None, worker, by) -> int:
    """Replace ``values`` in (or, with None, delete) the events of ``object_ids``."""
    columns = {f.name: f.column for f in event_model._meta.concrete_fields}
    payload = None
    if values is not None:
        payload = json.dumps({columns[name]: value for name, value in values.items()}, cls=DjangoJSONEncoder)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bwise_redact_history(%s, %s, %s::jsonb, %s, %s, %s)",
            [
                event_model._meta.db_table,
                [str(pk) for pk in object_ids],
                payload,
                by.pk if by is not None else None,
                worker.organisation_id,
                worker.pk,
            ],
        )
        return cursor.fetchone()[0]


def _scrub_history(history: dict, worker, by) -> int:
    count = 0
    for event_model, object_ids in history.items():
        tracked = event_model.pgh_tracked_model
        columns = {f.name for f in event_model._meta.concrete_fields}
        values = {k: v for k, v in _scrubbed_values(tracked, worker).items() if k in columns}
        if values:
            count += _redact_history(event_model, object_ids, values=values, worker=worker, by=by)
    return count


def _delete_history(history: dict, worker, by) -> int:
    return sum(
        _redact_history(event_model, object_ids, values=None, worker=worker, by=by)
        for event_model, object_ids in history.items()
    )


def _delete_derived(held) -> int:
    count = 0
    for queryset in held.references().values():
        _delete_files(queryset)
        count += queryset.delete()[0]
    return count


def _discard_import_uploads(worker) -> int:
    # A pending (unconfirmed) import of the organisation may list the worker; the file cannot
    # be edited, so it goes, and whoever uploaded it uploads it again.
    return data_subjects().discard_uploads(worker.organisation_id)


def _pseudonymise(worker, by) -> dict:
    held = records_of(worker)
    counts = {}
    for model, queryset in held.records.items():
        _delete_files(queryset)
        values = _scrubbed_values(model, worker)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values[field.name] = ""
        if values:
            counts[model._meta.label] = queryset.update(**values)
    worker.shared_with.clear()
    counts["derived"] = _delete_derived(held)
    counts["history"] = _scrub_history(held.history_objects(), worker, by)
    counts["uploads"] = _discard_import_uploads(worker)
    return counts


def worker_pseudonymise(*, worker, reason: str, by=None, once: bool = False) -> Erasure | None:
    """Replace what identifies ``worker`` and every free text, here and in the history.

    With ``once``, a worker already pseudonymised (a concurrent run got there first) is left."""
    with transaction.atomic():
        worker = (
            type(worker)
            .objects.unscoped(reason="erasure locks the worker it erases")
            .select_for_update()
            .get(pk=worker.pk)
        )
        if (
            once
            and Erasure.objects.unscoped(reason="erasure happens once per worker")
            .filter(worker_id=worker.pk)
            .exists()
        ):
            return None
        _refuse_if_held(worker)
        if by is not None:
            _refuse_naming_reason(worker, reason)
        counts = _pseudonymise(worker, by)
        return Erasure.objects.create(
            organisation_id=worker.organisation_id,
            worker_id=worker.pk,
            action=ErasureAction.PSEUDONYMISE,
            reason=reason[:300],
            by=by,
            counts=counts,
        )


def worker_erase(*, worker, reason: str, by) -> Erasure:
    """Delete ``worker``, every record about them and their history (the right to erasure)."""
    with transaction.atomic():
        worker = (
            type(worker)
            .objects.unscoped(reason="erasure locks the worker it erases")
            .select_for_update()
            .get(pk=worker.pk)
        )
        _refuse_if_held(worker)
        _refuse_naming_reason(worker, reason)
        held = records_of(worker)
        history = held.history_objects()  # taken now: the records go, their events are next
        counts = {"derived": _delete_derived(held)}
        for model, queryset in held.records.items():  # deepest first, so nothing protects a parent
            _delete_files(queryset)
            counts[model._meta.label] = queryset.delete()[0]
        counts["history"] = _delete_history(history, worker, by)
        counts["uploads"] = _discard_import_uploads(worker)
        return Erasure.objects.create(
            organisation_id=worker.organisation_id,
            worker_id=worker.pk,
            action=ErasureAction.ERASE,
            reason=reason[:300],
            by=by,
            counts=counts,
        )


def legal_hold_set(*, worker, reason: str, until=None, by) -> LegalHold:
    if not reason.strip():
        raise DomainError(
            _("Name the legal obligation the records are kept for."), field="reason", code="required"
        )
    with transaction.atomic():
        hold, _created = LegalHold.objects.unscoped(
            reason="a service writes the worker's legal hold"
        ).update_or_create(
            worker=worker, defaults={"reason": reason.strip()[:300], "until": until, "set_by": by}
        )
        return hold


def legal_hold_lift(*, worker, by) -> None:
    with transaction.atomic():
        LegalHold.objects.unscoped(reason="a service lifts the worker's legal hold").filter(
            worker=worker
        ).delete()


# --- Retention ------------------------------------------------------------------------


def retention_candidates(organisation, *, closed_before):
    """Workers who left before the cut-off (or whose last trajectory closed later, but still
    before it), with none open, not yet done. Workers still employed keep their file."""
    done = (
        Erasure.objects.unscoped(reason="the nightly retention runs over every organisation")
        .filter(organisation=organisation)
        .values("worker_id")
    )
    return data_subjects().closed_before(organisation, closed_before).exclude(pk__in=done).order_by("pk")


def retention_apply(*, now=None, years: int | None = None) -> list[RetentionRun]:
    """Pseudonymise every worker past the retention period; one report row per organisation."""
    now = now or timezone.now()
    years = years or settings.RETENTION_YEARS_AFTER_CLOSE
    closed_before = now - relativedelta(years=years)
    runs = []
    # Every organisation, as the report's own relation names them: accounts sits above privacy.
    organisations = RetentionRun._meta.get_field("organisation").related_model._default_manager
    for organisation in organisations.order_by("pk"):
        done, held = [], 0
        for worker in retention_candidates(organisation, closed_before=closed_before):
            if active_hold(worker) is not None:
                held += 1
                continue
            reason = _("Retention: employment or last trajectory ended more than %(years)s years ago.") % {
                "years": years
            }
            if worker_pseudonymise(worker=worker, reason=reason, by=None, once=True) is not None:
                done.append(worker.pk)
        runs.append(
            RetentionRun.objects.create(
                organisation=organisation,
                years=years,
                closed_before=closed_before,
                pseudonymised=len(done),
                held=held,
                worker_ids=done,
            )
        )
    return runs
