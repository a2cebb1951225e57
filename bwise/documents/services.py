"""Asking for documents and making them. Views and tasks call these functions only."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bwise.audit.services import AccessAction, log_access
from bwise.core.errors import DomainError
from bwise.documents import merging, registry
from bwise.documents.dispatch import lease, publish
from bwise.documents.models import BulkDocumentJob, BulkFormat, DocumentJob, JobStatus
from bwise.documents.rendering import render_pdf

logger = logging.getLogger(__name__)

BULK_LIMIT = 1000


def _kind_or_error(key: str) -> registry.DocumentKind:
    kind = registry.get_kind(key)
    if kind is None:
        raise DomainError(_("This document does not exist."), field="kind", code="unknown_kind")
    return kind


def _reader_language() -> str:
    """The language the reader works in now (the request's), which the document follows."""
    language = translation.get_language()
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def _worker_id(record):
    if record._meta.label == "trajects.Worker":
        return record.pk
    return getattr(record, "worker_id", None)


def download_name(job, user) -> str:
    """What the file is called when it is downloaded: what and whom, in the job's language
    (``POP-2026-Put-Francine.pdf``); a bulk file says what and how many."""
    kind = registry.get_kind(job.kind)
    extension = job.file.name.rsplit(".", 1)[-1]
    with translation.override(job.language):
        if isinstance(job, BulkDocumentJob):
            count = ngettext("%(count)s document", "%(count)s documents", job.total) % {"count": job.total}
            return f"{registry.file_stem(kind.label, count)}.{extension}"
        record = kind.visible_records(user).filter(pk=job.record_id).first()
        return kind.file_name(record, extension)


def _enqueue(task, job) -> None:
    transaction.on_commit(lambda: publish(task, [job], queue=_queue_of(job)))


def _queue_of(job) -> str | None:
    """Single documents go to a queue of their own, served by its own worker, so that a
    document someone waits for never queues behind the chunks of a bulk print."""
    return settings.DOCUMENTS_PRINT_QUEUE if isinstance(job, DocumentJob) else settings.DOCUMENTS_BULK_QUEUE


def document_request(*, kind: str, record, by, language: str | None = None) -> DocumentJob:
    """Queue one document of ``record``; the same request while one is under way joins it."""
    document_kind = _kind_or_error(kind)
    if record._meta.label != document_kind.model or not document_kind.can_read(by, record.pk):
        raise DomainError(_("You may not print this document."), code="not_allowed")
    language = language or _reader_language()
    lookup = {
        "requested_by": by,
        "kind": kind,
        "record_model": document_kind.model,
        "record_id": record.pk,
        "language": language,
    }
    from bwise.documents import tasks

    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(organisation_id=by.organisation_id, **lookup)
            log_access(user=by, action=AccessAction.PRINT, record=record, worker_id=_worker_id(record))
            _enqueue(tasks.render_document, job)
    except IntegrityError:
        return DocumentJob.objects.unscoped(reason="the requester joins their own job under way").get(
            status__in=["queued", "running"], **lookup
        )
    return job


def document_retry(*, job: DocumentJob, by) -> DocumentJob:
    if job.status != JobStatus.FAILED:
        raise DomainError(_("Only a failed document can be made again."), code="not_failed")
    if not registry.get_kind(job.kind) or not registry.get_kind(job.kind).can_read(by, job.record_id):
        raise DomainError(_("You may not print this document."), code="not_allowed")
    from bwise.documents import tasks

    try:
        with transaction.atomic():
            DocumentJob.objects.unscoped(reason="a service requeues the job it was given").filter(
                pk=job.pk, status=JobStatus.FAILED
            ).update(status=JobStatus.QUEUED, error="", dispatched_at=None, finished_at=None)
            _enqueue(tasks.render_document, job)
    except IntegrityError:
        raise DomainError(
            _("This document is already being made; wait for it to be ready."), code="in_progress"
        )
    job.refresh_from_db()
    return job


def claim(model, pk: int):
    """Take a job for this attempt; a second delivery (or a second worker) gets None.

    The conditional UPDATE is the lock: only one caller moves the row to running. A
    row left running by a crashed worker becomes claimable again after the lease.
    """
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - lease())
    claimed = (
        model.objects.unscoped(reason="the worker claims the job it was sent")
        .filter(claimable, pk=pk)
        .update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, error=""
        )
    )
    return (
        model.objects.unscoped(reason="the worker claims the job it was sent").get(pk=pk) if claimed else None
    )


def _finish(job, **fields) -> bool:
    """Write the outcome only while this attempt still holds the job (attempts as fencing token)."""
    return bool(
        type(job)
        .objects.unscoped(reason="the worker finishes the job it holds")
        .filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
        .update(finished_at=timezone.now(), **fields)
    )


def _store(job, content: bytes, extension: str) -> str:
    name = job.file.field.generate_filename(job, f"document.{extension}")
    storage = job.file.storage
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))


def _fail_or_requeue(job, exc: Exception, *, final: bool) -> None:
    logger.exception("rendering %s %s failed (attempt %s)", type(job).__name__, job.pk, job.attempts)
    if final:
        _finish(job, status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
    else:
        # Celery sends the retry itself; the job goes back to the queue for it to claim.
        type(job).objects.unscoped(reason="the worker requeues the job it holds").filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
        ).update(status=JobStatus.QUEUED, dispatched_at=timezone.now())


def document_render(*, job_pk: int, final: bool = True) -> int | None:
    """Render a claimed job into its private file. Returns the job's pk, or None if
    another delivery holds or finished it. Raises after requeueing when it may be retried."""
    job = claim(DocumentJob, job_pk)
    if job is None:
        return None
    kind = registry.get_kind(job.kind)
    record = kind.visible_records(job.requested_by).filter(pk=job.record_id).first() if kind else None
    if record is None:
        _finish(job, status=JobStatus.FAILED, error=_("The record is no longer available to you."))
        return job.pk
    try:
        pdf = render_pdf(
            kind, record, organisation=job.organisation, language=job.language, reader=job.requested_by
        )
        name = _store(job, pdf, "pdf")
    except Exception as exc:
        _fail_or_requeue(job, exc, final=final)
        raise
    _finish(job, status=JobStatus.DONE, file=name)
    return job.pk


def bulk_document_request(
    *, kind: str, record_ids, output_format: str, by, selection: str = ""
) -> BulkDocumentJob:
    """Queue a bulk print of ``record_ids``, each of which must be in the kind's bulk
    selection (``selection``, or its default one) for ``by``."""
    document_kind = _kind_or_error(kind)
    if output_format not in BulkFormat.values:
        raise DomainError(_("Choose a PDF or a ZIP file."), field="output_format", code="output_format")
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in record_ids))
    except (TypeError, ValueError):
        raise DomainError(_("Choose the records to print."), code="no_records")
    if not wanted:
        # Nothing is due: the real reason, never a refusal that sounds like a permission.
        raise DomainError(
            str(document_kind.nothing_to_print) or _("There is nothing to print."), code="nothing_to_print"
        )
    allowed = set(
        document_kind.bulk_queryset(by, selection).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if set(wanted) - allowed:
        raise DomainError(_("You may not print one or more of these documents."), code="not_allowed")
    if len(wanted) > BULK_LIMIT:
        raise DomainError(
            _("Print at most %(limit)s documents at once.") % {"limit": BULK_LIMIT}, code="too_many"
        )
    from bwise.documents import tasks

    with transaction.atomic():
        job = BulkDocumentJob.objects.create(
            organisation_id=by.organisation_id,
            requested_by=by,
            kind=kind,
            record_model=document_kind.model,
            record_ids=wanted,
            output_format=output_format,
            language=_reader_language(),
        )
        log_access(
            user=by,
            action=AccessAction.PRINT,
            record=(document_kind.model, "bulk"),
            detail={"kind": kind, "count": len(wanted)},
        )
        _enqueue(tasks.render_bulk, job)
    return job


def _chunks(record_ids: list) -> list[list]:
    size = settings.DOCUMENT_BULK_CHUNK_SIZE
    return [record_ids[start : start + size] for start in range(0, len(record_ids), size)]


def _part_name(job, index: int) -> str:
    return f"documents/{job.organisation_id}/parts/{job.idempotency_key}-{index}"


def _running(job_pk: int, attempt: int):
    return BulkDocumentJob.objects.unscoped(reason="the worker works on the job it holds").filter(
        pk=job_pk, attempts=attempt, status=JobStatus.RUNNING
    )


def bulk_render(*, job_pk: int, final: bool = True) -> int | None:
    """Claim a bulk job and hand its chunks to the worker processes: each renders a part
    (``bulk_render_chunk``) and the one that finishes the last part joins them."""
    job = claim(BulkDocumentJob, job_pk)
    if job is None:
        return None
    from bwise.documents import tasks

    chunks = _chunks(job.record_ids)
    _running(job.pk, job.attempts).update(chunk_count=len(chunks), done_chunks=[], done_count=0)
    try:
        for index in range(len(chunks)):
            tasks.render_bulk_chunk.apply_async(
                (job.pk, job.attempts, index), queue=settings.DOCUMENTS_BULK_QUEUE
            )
    except Exception as exc:
        _fail_or_requeue(job, exc, final=final)
        raise
    return job.pk


def bulk_render_chunk(*, job_pk: int, attempt: int, index: int, final: bool = True) -> int | None:
    """Render chunk ``index`` of attempt ``attempt`` into its part file. A chunk of an
    attempt that was taken over, failed or finished does nothing."""
    job = _running(job_pk, attempt).select_related("organisation", "requested_by").first()
    if job is None or index in job.done_chunks:
        return None
    kind = registry.get_kind(job.kind)
    ids = _chunks(job.record_ids)[index]
    try:
        records = kind.visible_records(job.requested_by).in_bulk(ids)
        part = merging.write_part(
            job.file.storage, _part_name(job, index), job.output_format, _documents(job, kind, records, ids)
        )
    except Exception as exc:
        if final:
            _fail_or_requeue(job, exc, final=True)
        raise
    with transaction.atomic():
        locked = _running(job_pk, attempt).select_for_update().first()
        if locked is None:
            return None
        added = index not in locked.done_chunks
        locked.done_chunks = sorted({*locked.done_chunks, index})
        # The exact count of the stored parts, whatever the live progress of a chunk rendered twice.
        sizes = _chunks(locked.record_ids)
        locked.done_count = sum(len(sizes[done]) for done in locked.done_chunks)
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["done_chunks", "done_count", "heartbeat_at"])
        complete = added and len(locked.done_chunks) == locked.chunk_count
    if not added:
        return None
    logger.debug("bulk job %s: part %s stored as %s", job_pk, index, part)
    if complete:
        # A task of its own, so that a pool process that rendered chunks (and grew with
        # them) is not the one that also holds every part's pages.
        from bwise.documents import tasks

        try:
            tasks.join_bulk_parts.apply_async((job_pk, attempt), queue=settings.DOCUMENTS_BULK_QUEUE)
        except Exception as exc:
            _fail_or_requeue(locked, exc, final=final)
            raise
    return job_pk


def bulk_join(*, job_pk: int, attempt: int, final: bool = True) -> int | None:
    """Join the parts of attempt ``attempt`` once every chunk is stored; an attempt that was
    taken over, failed or finished does nothing."""
    job = _running(job_pk, attempt).select_related("organisation").first()
    if job is None or len(job.done_chunks) != job.chunk_count:
        return None
    _join(job, registry.get_kind(job.kind), final=final)
    return job_pk


def _documents(job, kind, records, ids):
    """(bookmark, file name, PDF) of each record still readable, with a heartbeat and live
    progress after each: the chunk's total replaces the count once the part is stored."""
    for pk in ids:
        record = records.get(pk)
        if record is not None:
            pdf = render_pdf(
                kind, record, organisation=job.organisation, language=job.language, reader=job.requested_by
            )
            with translation.override(job.language):
                worker = registry.worker_of(record)
                bookmark = worker.full_name if worker is not None else kind.title(record)
                yield bookmark, kind.file_name(record), pdf
        _running(job.pk, job.attempts).update(done_count=F("done_count") + 1, heartbeat_at=timezone.now())


def _join(job, kind, *, final: bool) -> None:
    storage = job.file.storage
    parts = [_part_name(job, index) for index in range(job.chunk_count)]
    extension = "pdf" if job.output_format == BulkFormat.PDF else "zip"
    with translation.override(job.language):
        title = "{} – {}".format(
            kind.label,
            ngettext("%(count)s document", "%(count)s documents", job.total) % {"count": job.total},
        )
    try:
        name = merging.join_parts(
            storage,
            parts,
            job.file.field.generate_filename(job, f"document.{extension}"),
            job.output_format,
            title=title,
            language=job.language,
            author=job.organisation.name,
        )
    except Exception as exc:
        _fail_or_requeue(job, exc, final=final)
        raise
    if _finish(job, status=JobStatus.DONE, file=name):
        for part in parts:
            storage.delete(part)


def dispatch_pending() -> int:
    """Send every job the broker never took (or lost): the outbox's periodic sweep."""
    from bwise.documents import tasks
    from bwise.documents.dispatch import pending_q

    now = timezone.now()
    sent = 0
    for model, task, queue in (
        (DocumentJob, tasks.render_document, settings.DOCUMENTS_PRINT_QUEUE),
        (BulkDocumentJob, tasks.render_bulk, settings.DOCUMENTS_BULK_QUEUE),
    ):
        sent += publish(
            task,
            list(
                model.objects.unscoped(reason="the outbox sweep sends every organisation's jobs")
                .filter(pending_q(now))
                .order_by("created_at")[:500]
            ),
            queue=queue,
        )
    return sent


def documents_purge(*, now=None) -> int:
    """Remove finished jobs and their files after the retention period: printed personal
    data should not pile up on the server."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOCUMENT_RETENTION_DAYS)
    removed = 0
    for model in (DocumentJob, BulkDocumentJob):
        for job in (
            model.objects.unscoped(reason="the purge removes every organisation's old jobs")
            .filter(created_at__lt=cutoff)
            .exclude(status__in=["queued", "running"])
        ):
            if job.file:
                job.file.delete(save=False)
            # A failed bulk job may have left some of its parts.
            for index in range(getattr(job, "chunk_count", 0)):
                if job.file.storage.exists(_part_name(job, index)):
                    job.file.storage.delete(_part_name(job, index))
            job.delete()
            removed += 1
    return removed
