import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.accounts.models import Organisation


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(ScopedQuerySet):
    """A job is seen only by whoever asked for it: the file may hold what the record's
    other readers may not see (sensitive sections are rendered for the requester).
    The download view checks the record's own scope as well."""

    # No capability of its own: each kind checks its permission when the job is requested
    # and again at download, so a director sees the dashboard jobs they asked for.
    organisation_path = "organisation"

    def visible_to(self, user):
        return super().visible_to(user).filter(requested_by_id=user.pk)

    def undispatched(self):
        return self.filter(status=JobStatus.QUEUED, dispatched_at__isnull=True)


def _document_path(job, filename):
    # Named after the job's idempotency key: a retried render overwrites, never duplicates.
    return f"documents/{job.organisation_id}/{job.idempotency_key}{filename[filename.rfind('.') :]}"


class JobBase(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("document"), max_length=50)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=_document_path, blank=True, max_length=200)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The worker holding the job says it is alive; a job not heard of for the lease is taken over.
    heartbeat_at = models.DateTimeField(_("last heard of at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The outbox: set once the broker accepted the message; the beat re-sends the rest.
    dispatched_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def kind_label(self) -> str:
        from bwise.documents.registry import get_kind

        kind = get_kind(self.kind)
        return kind.label if kind else self.kind


class DocumentJob(JobBase):
    """One document of one record, rendered by a Celery worker and stored privately."""

    record_model = models.CharField(_("record type"), max_length=100)
    record_id = models.BigIntegerField(_("record"))

    class Meta(JobBase.Meta):
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        constraints = [
            # A double click or a resubmitted form joins the job already under way.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "record_model", "record_id", "language"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_document_job_per_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "dispatched_at"])]

    def __str__(self):
        return f"{self.kind} {self.record_model}#{self.record_id}"


class BulkFormat(models.TextChoices):
    PDF = "pdf", _("one merged PDF")
    ZIP = "zip", _("a ZIP of separate PDFs")


class BulkDocumentJob(JobBase):
    """Many records of one kind in one file, with visible progress: split into chunks that
    every worker process renders side by side, then merged on disk."""

    record_model = models.CharField(_("record type"), max_length=100)
    record_ids = models.JSONField(_("records"), default=list)
    output_format = models.CharField(_("format"), max_length=5, choices=BulkFormat.choices)
    done_count = models.PositiveIntegerField(_("done"), default=0)
    chunk_count = models.PositiveIntegerField(_("chunks"), default=0)
    # The chunks of this attempt already rendered: a chunk delivered twice counts once.
    done_chunks = models.JSONField(_("chunks done"), default=list)

    class Meta(JobBase.Meta):
        verbose_name = _("bulk document job")
        verbose_name_plural = _("bulk document jobs")
        indexes = [models.Index(fields=["status", "dispatched_at"])]

    def __str__(self):
        return f"{self.kind} × {len(self.record_ids)}"

    @property
    def total(self) -> int:
        return len(self.record_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100


class SignerRole(models.TextChoices):
    WORKER = "worker", _("worker")
    COACH = "coach", _("transition coach")


class SignatureQuerySet(ScopedQuerySet):
    worker_path = "worker"


def _signature_path(signature, filename):
    return f"signatures/{signature.organisation_id}/{uuid.uuid4().hex}.png"


class Signature(models.Model):
    """A signature drawn on screen under one version of a signable document.

    ``content_hash`` is the SHA-256 of the document's canonical content when it was signed
    (``bwise.documents.signatures``): once the document changes, the signature no longer
    counts and the document needs a new one. Rows are only added, never changed; the
    image is a private file, so pseudonymisation and erasure remove it with the others."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    worker = models.ForeignKey(
        settings.WORKER_MODEL, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="signatures"
    )
    kind = models.CharField(_("document"), max_length=50)
    record_id = models.BigIntegerField(_("record"))
    role = models.CharField(_("signed as"), max_length=10, choices=SignerRole.choices)
    # The coach who signed; empty when the worker signed.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("name of the signer"), max_length=200)
    # Whose session held the pad: the coach who handed the tablet to the worker, or nobody
    # when the worker signed on their own page.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    image = models.FileField(_("signature"), upload_to=_signature_path, max_length=200)
    content_hash = models.CharField(_("document version (SHA-256)"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [models.Index(fields=["kind", "record_id", "role"])]

    def __str__(self):
        return f"{self.kind} #{self.record_id} · {self.get_role_display()} · {self.signer_name}"
