import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from bwise.access import Perm
from bwise.core.pdf import html_to_pdf, logo_data_uri
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin
from bwise.privacy import services
from bwise.privacy.exports import export_response
from bwise.privacy.forms import ErasureForm, LegalHoldForm
from bwise.privacy.models import Erasure, ErasureAction, LegalHold, RetentionRun
from bwise.privacy.register import register_rows

REGISTER_COLUMNS = [
    ("data", "Data"),
    ("fields", "Fields"),
    ("purpose", "Purpose"),
    ("role", "Role"),
    ("access", "Access"),
]


class RegisterView(PermRequiredMixin, TemplateView):
    """The register of who may access which data in what role."""

    required_perm = Perm.VIEW_PROCESSING_REGISTER
    template_name = "privacy/register.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rows": register_rows()}


class RegisterCsvView(PermRequiredMixin, View):
    required_perm = Perm.VIEW_PROCESSING_REGISTER

    def get(self, request):
        return export_response(
            headers=[_(label) for _key, label in REGISTER_COLUMNS],
            rows=([getattr(row, key) for key, _label in REGISTER_COLUMNS] for row in register_rows()),
            filename="access-register",
            fmt="csv",
        )


class WorkerRightsMixin(WorkerMixin):
    required_perm = Perm.DATA_SUBJECT_RIGHTS

    def rights_url(self):
        return reverse("privacy:worker_rights", kwargs={"worker_pk": self.get_worker().pk})


class WorkerRightsView(WorkerRightsMixin, TemplateView):
    """HR's page for one worker's data-subject requests."""

    template_name = "privacy/worker_rights.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        hold = LegalHold.objects.of_worker(worker).first()
        return {
            **super().get_context_data(**kwargs),
            "worker": worker,
            "hold": hold,
            "active_hold": services.active_hold(worker),
            "hold_form": kwargs.get("hold_form")
            or LegalHoldForm(initial={"reason": hold.reason, "until": hold.until} if hold else None),
            "erasure_form": kwargs.get("erasure_form") or ErasureForm(worker=worker),
            "erasures": Erasure.objects.visible_to(self.request.user).filter(worker_id=worker.pk),
        }


class WorkerExportJsonView(WorkerRightsMixin, View):
    def get(self, request, worker_pk):
        worker = self.get_worker()
        data = services.worker_export(worker=worker, by=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="worker-{worker.pk}.json"'
        return response


class WorkerExportPdfView(WorkerRightsMixin, View):
    def get(self, request, worker_pk):
        worker = self.get_worker()
        data = services.worker_export(worker=worker, by=request.user)
        html = render_to_string(
            "privacy/worker_export_print.html",
            {
                "worker": worker,
                "data": data,
                "organisation": worker.organisation,
                "logo": logo_data_uri(worker.organisation),
                "printed_at": timezone.localtime(),
            },
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="worker-{worker.pk}.pdf"'
        return response


class LegalHoldView(WorkerRightsMixin, ServiceFormView):
    form_class = LegalHoldForm
    http_method_names = ["post"]
    success_message = gettext_lazy("The records are kept for the legal obligation.")

    def post(self, request, *args, **kwargs):
        if request.POST.get("lift"):
            services.legal_hold_lift(worker=self.get_worker(), by=request.user)
            messages.success(request, _("The legal hold has been lifted."))
            return redirect(self.rights_url())
        return super().post(request, *args, **kwargs)

    def save(self, form):
        services.legal_hold_set(worker=self.get_worker(), by=self.request.user, **form.cleaned_data)
        return self.rights_url()

    def form_invalid(self, form):
        view = WorkerRightsView(request=self.request, kwargs=self.kwargs)
        view._worker = self.get_worker()
        return view.render_to_response(view.get_context_data(hold_form=form))


class ErasureView(WorkerRightsMixin, ServiceFormView):
    form_class = ErasureForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "worker": self.get_worker()}

    def save(self, form):
        action = form.cleaned_data["action"]
        service = services.worker_erase if action == ErasureAction.ERASE else services.worker_pseudonymise
        service(worker=self.get_worker(), reason=form.cleaned_data["reason"], by=self.request.user)
        return action

    def get_success_message(self, action):
        if action == ErasureAction.ERASE:
            return _("The worker and every record about them have been erased.")
        return _("The worker has been pseudonymised.")

    def success_url_for(self, action):
        # An erased worker has no page left to return to.
        return reverse("privacy:retention") if action == ErasureAction.ERASE else self.rights_url()

    def form_invalid(self, form):
        view = WorkerRightsView(request=self.request, kwargs=self.kwargs)
        view._worker = self.get_worker()
        return view.render_to_response(view.get_context_data(erasure_form=form))


class RetentionView(PermRequiredMixin, TemplateView):
    """The retention schedule's reports and every erasure, for HR."""

    required_perm = Perm.DATA_SUBJECT_RIGHTS
    template_name = "privacy/retention.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "years": settings.RETENTION_YEARS_AFTER_CLOSE,
            "runs": RetentionRun.objects.visible_to(user)[:60],
            "erasures": Erasure.objects.visible_to(user).select_related("by")[:200],
        }
