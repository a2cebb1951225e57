"""The one way a private file kept with a record leaves the server (an intake questionnaire
scan, a stoefboek photo): streamed to whoever may see the record and, under the privacy
declaration, its file field; for anyone else it does not exist. Every download and every
refusal is in the access log."""

from django.http import FileResponse, Http404
from django.views import View

from bwise.access import Perm
from bwise.audit.services import AccessAction, AccessOutcome, log_access
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin
from bwise.privacy.minimise import absent_fields, worker_of


class PrivateFileView(PermRequiredMixin, View):
    """Subclasses name the scoped ``model`` (with the relations to its worker to read along,
    ``select_related``), the file ``field``, the URL's ``pk_kwarg`` and the name the download
    gets (``download_name``), which never repeats the uploaded one."""

    required_perm = Perm.VIEW_WORKERS
    model = None
    select_related: tuple[str, ...] = ()
    field = ""
    pk_kwarg = ""

    def download_name(self, record, worker, suffix: str) -> str:
        raise NotImplementedError

    def get(self, request, **kwargs):
        record = visible_or_404(
            self.model.objects.select_related(*self.select_related), request.user, pk=kwargs[self.pk_kwarg]
        )
        worker = worker_of(record)
        stored = getattr(record, self.field)
        if not stored or not stored.storage.exists(stored.name):
            raise Http404
        detail = {"fields": self.field}
        if self.field in absent_fields(request.user, record._meta.label, worker):
            log_access(
                user=request.user,
                action=AccessAction.REFUSED,
                outcome=AccessOutcome.REFUSED,
                record=record,
                worker_id=worker.pk,
                detail=detail,
            )
            raise Http404
        log_access(
            user=request.user, action=AccessAction.VIEW, record=record, worker_id=worker.pk, detail=detail
        )
        suffix = stored.name.rsplit(".", 1)[-1]
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=self.download_name(record, worker, suffix)
        )
