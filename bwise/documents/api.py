"""API resources for documents: request one for a record and follow its status.

A document is rendered in the background; the request answers at once with the job
(``queued``), which the caller reads again until it is ``done`` (or ``failed``). The file
itself is downloaded from ``download_url`` in a logged-in session, where the record's scope
is checked again at that moment.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from bwise.api.fields import StrictChoiceField, StrictIntegerField
from bwise.api.serializers import StrictModelSerializer
from bwise.api.viewsets import CreateWithService, ScopedViewSet
from bwise.core.errors import DomainError
from bwise.core.lookups import visible_or_404
from bwise.documents import registry, services
from bwise.documents.models import DocumentJob, JobStatus


class DocumentJobSerializer(StrictModelSerializer):
    kind = StrictChoiceField(choices=[])
    record = StrictIntegerField(source="record_id", min_value=1, help_text="The id of the record to print.")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentJob
        fields = [
            "id",
            "kind",
            "record_model",
            "record",
            "language",
            "status",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = ["record_model", "language", "status", "error", "created_at", "finished_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds the apps registered (filled when the apps are ready, not at import).
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in registry.all_kinds()]

    def get_download_url(self, job) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("documents:job_download", kwargs={"documentjob_pk": job.pk})


class DocumentJobViewSet(CreateWithService, ScopedViewSet):
    """The documents the caller requested, newest first; nobody sees another's."""

    serializer_class = DocumentJobSerializer
    lookup_url_kwarg = "documentjob_pk"
    model = DocumentJob
    ordering = ("-created_at", "-pk")

    def create_with_service(self, data):
        kind = registry.get_kind(data["kind"])
        user = self.request.user
        try:
            record = visible_or_404(kind.visible_records(user), user, pk=data["record_id"])
        except Http404:
            # A record the caller cannot see reads as one that does not exist, as for any reference.
            raise DomainError(_("There is no such record."), field="record", code="does_not_exist") from None
        return services.document_request(kind=kind.key, record=record, by=user)


def register(router):
    router.register("document-jobs", DocumentJobViewSet, basename="documentjob")
