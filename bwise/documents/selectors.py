from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bwise.documents import registry
from bwise.documents.models import BulkDocumentJob, DocumentJob


def jobs_of(user, limit: int = 50):
    return DocumentJob.objects.visible_to(user).order_by("-created_at")[:limit]


def bulk_jobs_of(user, limit: int = 20):
    return BulkDocumentJob.objects.visible_to(user).order_by("-created_at")[:limit]


def job_record_readable(job, user) -> bool:
    """The job's record must still be readable by the user, whatever the job row says."""
    kind = registry.get_kind(job.kind)
    if kind is None or kind.model != job.record_model:
        return False
    if isinstance(job, BulkDocumentJob):
        ids = set(job.record_ids)
        return kind.visible_records(user).filter(pk__in=ids).count() == len(ids)
    return kind.can_read(user, job.record_id)


def describe_jobs(jobs, user) -> list:
    """Each job with what it is about, for the list of one's documents: a document's
    title (what and whom, "POP 2026 – Francine Put") while its record is still readable
    by the user, a bulk print's kind and count. One query per kind of record."""
    wanted = defaultdict(set)
    for job in jobs:
        if isinstance(job, DocumentJob):
            wanted[job.kind].add(job.record_id)
    records = {}
    for key, ids in wanted.items():
        kind = registry.get_kind(key)
        if kind is None:
            continue
        queryset = kind.visible_records(user)
        if any(field.name == "worker" for field in kind.model_class._meta.fields):
            queryset = queryset.select_related("worker")
        records[key] = queryset.in_bulk(ids)
    described = []
    for job in jobs:
        kind = registry.get_kind(job.kind)
        if isinstance(job, BulkDocumentJob):
            count = ngettext("%(count)s document", "%(count)s documents", job.total) % {"count": job.total}
            described.append((job, f"{job.kind_label} · {count}"))
            continue
        record = records.get(job.kind, {}).get(job.record_id)
        # A record the user can no longer read is not named: its kind is all they learn.
        described.append(
            (
                job,
                kind.title(record)
                if record is not None
                else f"{job.kind_label} · {_('no longer available')}",
            )
        )
    return described
