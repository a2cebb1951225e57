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
