"""The page where the worker and the coach sign a document on screen: the coach opens it
and hands the tablet to the worker. The apps route their signable records here
(``SignDocumentView.as_view(kind_key="plan", back=...)``)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from bwise.access import Perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, run_service
from bwise.documents import registry, signatures
from bwise.documents.forms import SignatureForm


class SignDocumentView(PermRequiredMixin, TemplateView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "documents/sign.html"
    kind_key = ""
    # record -> the URL of the record's own page.
    back = None

    def get_kind(self) -> registry.DocumentKind:
        kind = registry.get_kind(self.kind_key)
        if kind is None or not kind.signable:  # pragma: no cover - a routing mistake
            raise Http404
        return kind

    def get_record(self):
        if not hasattr(self, "_record"):
            [record_pk] = [value for key, value in self.kwargs.items() if key.endswith("_pk")]
            self._record = visible_or_404(
                self.get_kind().visible_records(self.request.user), self.request.user, pk=record_pk
            )
        return self._record

    def get_context_data(self, **kwargs):
        kind, record = self.get_kind(), self.get_record()
        state = signatures.signature_state(kind.key, record)
        rows = [
            {
                **row,
                "image": signatures.signature_data_uri(row["signature"]) if row["signature"] else "",
            }
            for row in state.rows()
        ]
        return {
            **super().get_context_data(**kwargs),
            "kind": kind,
            "record": record,
            "document_name": kind.document_name(record),
            "worker": registry.worker_of(record),
            "rows": rows,
            "complete": state.complete,
            "version": state.content_hash[:12],
            "back_url": self.back(record) if self.back else "",
        }

    def post(self, request, *args, **kwargs):
        record = self.get_record()
        form = SignatureForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: signatures.document_sign(
                    kind_key=self.kind_key,
                    record=record,
                    role=form.cleaned_data["role"],
                    image=form.cleaned_data["image"],
                    by=request.user,
                ),
                success=_("Signed."),
            )
        else:
            messages.error(request, _("The signature could not be read."))
        return redirect(request.path)
