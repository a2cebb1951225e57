from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from bwise.audit.services import AccessAction, log_access
from bwise.core.errors import DomainError
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, run_service
from bwise.documents import registry, selectors, services
from bwise.documents.forms import BulkRequestForm, DocumentRequestForm
from bwise.documents.models import BulkDocumentJob, DocumentJob, JobStatus


class DocumentsMixin(PermRequiredMixin):
    """Open to whoever may print at least one kind; each kind then checks its own permission
    (the director prints the dashboard without printing workers' documents)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not registry.may_print_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class JobListView(DocumentsMixin, TemplateView):
    template_name = "documents/job_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "jobs": selectors.describe_jobs(list(selectors.jobs_of(user)), user),
            "bulk_jobs": selectors.describe_jobs(list(selectors.bulk_jobs_of(user)), user),
            "bulk_form": BulkRequestForm(),
        }


def _status_response(request, job, template):
    return render(request, template, {"job": job})


class DocumentRequestView(DocumentsMixin, View):
    """POST kind + record: queue the document, answer with its status fragment (htmx) or page."""

    def post(self, request):
        form = DocumentRequestForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose a document and a record."))
        kind = registry.get_kind(form.cleaned_data["kind"])
        record = visible_or_404(
            kind.visible_records(request.user), request.user, pk=form.cleaned_data["record"]
        )
        try:
            job = services.document_request(kind=kind.key, record=record, by=request.user)
        except DomainError as err:
            if request.htmx:
                return render(request, "documents/includes/request_refused.html", {"message": err.message})
            messages.error(request, err.message)
            return redirect("documents:job_list")
        job.refresh_from_db()
        if request.htmx:
            return _status_response(request, job, "documents/includes/job_status.html")
        return redirect("documents:job_detail", documentjob_pk=job.pk)


class JobObjectMixin(DocumentsMixin):
    model = DocumentJob

    def get_job(self):
        return visible_or_404(
            self.model, self.request.user, pk=self.kwargs[f"{self.model._meta.model_name}_pk"]
        )


class JobDetailView(JobObjectMixin, TemplateView):
    template_name = "documents/job_detail.html"

    def get_context_data(self, **kwargs):
        job = self.get_job()
        [(_job, about)] = selectors.describe_jobs([job], self.request.user)
        return {**super().get_context_data(**kwargs), "job": job, "about": about}


class JobStatusView(JobObjectMixin, View):
    """The fragment htmx polls every two seconds until the job is done or failed."""

    template = "documents/includes/job_status.html"

    def get(self, request, **kwargs):
        return _status_response(request, self.get_job(), self.template)


class JobRetryView(JobObjectMixin, View):
    def post(self, request, **kwargs):
        job = self.get_job()
        retried, new_job = run_service(request, lambda: services.document_retry(job=job, by=request.user))
        if retried:
            job = new_job
        if request.htmx:
            return _status_response(request, job, "documents/includes/job_status.html")
        return redirect("documents:job_detail", documentjob_pk=job.pk)


class JobDownloadView(JobObjectMixin, View):
    def get(self, request, **kwargs):
        job = self.get_job()
        if job.status != JobStatus.DONE or not job.file:
            raise Http404
        # The record's own scope decides, as of now: a worker moved to another coach
        # takes their documents along.
        if not selectors.job_record_readable(job, request.user):
            raise Http404
        log_access(
            user=request.user,
            action=AccessAction.PRINT,
            record=(job.record_model, getattr(job, "record_id", "bulk")),
            detail={"download": job.kind, "job": job.pk},
        )
        response = FileResponse(
            job.file.open("rb"), as_attachment=True, filename=services.download_name(job, request.user)
        )
        response["Cache-Control"] = "private, no-store"
        return response


class BulkRequestView(DocumentsMixin, View):
    def post(self, request):
        form = BulkRequestForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose a document and a format."))
        kind = registry.get_kind(form.cleaned_data["kind"])
        selection = form.cleaned_data["selection"]
        ids = request.POST.getlist("records") or list(
            kind.bulk_queryset(request.user, selection).values_list("pk", flat=True)
        )
        queued, job = run_service(
            request,
            lambda: services.bulk_document_request(
                kind=kind.key,
                record_ids=ids,
                output_format=form.cleaned_data["output_format"],
                by=request.user,
                selection=selection,
            ),
        )
        if not queued:
            return redirect("documents:job_list")
        return redirect("documents:bulk_detail", bulkdocumentjob_pk=job.pk)


class BulkObjectMixin(JobObjectMixin):
    model = BulkDocumentJob


class BulkDetailView(BulkObjectMixin, TemplateView):
    template_name = "documents/bulk_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.get_job()}


class BulkStatusView(BulkObjectMixin, JobStatusView):
    template = "documents/includes/bulk_status.html"


class BulkDownloadView(BulkObjectMixin, JobDownloadView):
    pass
