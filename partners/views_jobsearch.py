"""The coach's jobmatching toolkit on the worker's road to a job: how the worker searches and
the VDAB step, the job-search log, the CV and the motivation-letter assistant."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import ServiceFormView, WorkerMixin, run_service
from bwise.privacy.history import changed_last_by_worker
from partners import selectors, services
from partners.forms_jobsearch import (
    CvForm,
    JobmatchingSetupForm,
    JobSearchEntryForm,
    LetterForm,
    LetterStartForm,
)
from partners.letters import SENTENCES
from partners.models import CurriculumVitae, JobmatchingSetup, JobSearchEntry, MotivationLetter
from partners.views_placements import placements_url


def cv_url(worker_pk) -> str:
    return reverse("partners:cv", kwargs={"worker_pk": worker_pk})


def letter_url(letter_pk) -> str:
    return reverse("partners:letter_edit", kwargs={"motivationletter_pk": letter_pk})


class JobmatchingSetupView(WorkerMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = JobmatchingSetupForm
    success_message = _("Saved how the worker searches.")

    @property
    def title(self):
        return _("Jobmatching for %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        setup = (
            JobmatchingSetup.objects.of_worker(self.get_worker())
            .filter(trajectory__in=self.get_worker().trajectories.current())
            .first()
        )
        if setup is None:
            return {}
        return {"search_mode": setup.search_mode, "vdab_job_seeker_on": setup.vdab_job_seeker_on}

    def save(self, form):
        services.jobmatching_setup_save(worker=self.get_worker(), by=self.request.user, **form.cleaned_data)
        return placements_url(self.get_worker().pk)


class JobSearchEntryCreateView(WorkerMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = JobSearchEntryForm
    success_message = _("The vacancy is in the job-search log.")

    @property
    def title(self):
        return _("Job-search log of %(name)s") % {"name": self.get_worker().full_name}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": JobSearchEntry(worker=self.get_worker()),
        }

    def save(self, form):
        services.job_search_entry_save(entry=form.instance, by=self.request.user)
        return placements_url(self.get_worker().pk)


class JobSearchEntryEditView(ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = JobSearchEntryForm

    def get_entry(self) -> JobSearchEntry:
        if not hasattr(self, "_entry"):
            self._entry = visible_or_404(
                JobSearchEntry.objects.select_related("worker"),
                self.request.user,
                pk=self.kwargs["jobsearchentry_pk"],
            )
        return self._entry

    @property
    def title(self):
        return str(self.get_entry())

    def worker_for_page(self):
        return self.get_entry().worker

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_entry()}

    def save(self, form):
        entry = services.job_search_entry_save(entry=form.instance, by=self.request.user)
        return placements_url(entry.worker_id)


class CvView(WorkerMixin, ServiceFormView):
    """The CV as printed, edited in place; drafted from the records first."""

    template_name = "partners/cv.html"
    form_class = CvForm
    success_message = _("The CV was saved.")

    def get_cv(self):
        if not hasattr(self, "_cv"):
            self._cv = CurriculumVitae.objects.of_worker(self.get_worker()).first()
        return self._cv

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.EDIT_WORKERS) or self.get_cv() is None:
            return redirect(cv_url(self.get_worker().pk))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_cv()}

    def save(self, form):
        services.cv_save(cv=form.instance, by=self.request.user)
        return cv_url(self.get_worker().pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "cv": self.get_cv(),
            "changed_by_worker": self.get_cv() is not None and changed_last_by_worker(self.get_cv()),
            "can_edit": has_perm(self.request.user, Perm.EDIT_WORKERS),
            "letters": MotivationLetter.objects.of_worker(self.get_worker()),
        }


class CvDraftView(WorkerMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, worker_pk):
        worker = self.get_worker()
        run_service(
            request,
            lambda: services.cv_draft(worker=worker, by=request.user),
            success=_("The CV was drafted from the records: read it through with the worker."),
        )
        return redirect(cv_url(worker.pk))


class LetterStartView(WorkerMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = LetterStartForm
    success_message = _("The letter is started: the worker completes each sentence.")

    @property
    def title(self):
        return _("A motivation letter for %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        return {"vacancy": self.request.GET.get("vacancy")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        letter = services.letter_start(worker=self.get_worker(), by=self.request.user, **form.cleaned_data)
        return letter_url(letter.pk)


class LetterEditView(ServiceFormView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "partners/letter.html"
    form_class = LetterForm
    success_message = _("The letter was saved.")

    def get_letter(self) -> MotivationLetter:
        if not hasattr(self, "_letter"):
            self._letter = visible_or_404(
                MotivationLetter.objects.select_related("worker", "vacancy"),
                self.request.user,
                pk=self.kwargs["motivationletter_pk"],
            )
        return self._letter

    @property
    def title(self):
        return str(self.get_letter())

    def worker_for_page(self):
        return self.get_letter().worker

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.EDIT_WORKERS):
            return redirect(letter_url(self.get_letter().pk))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_letter()}

    def save(self, form):
        letter = services.letter_save(letter=form.instance, by=self.request.user)
        return letter_url(letter.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hints = selectors.letter_hints(self.get_letter())
        form = context["form"]
        return {
            **context,
            "letter": self.get_letter(),
            "changed_by_worker": changed_last_by_worker(self.get_letter()),
            "sentences": [(form[name], hints.get(name, [])) for name, _start in SENTENCES],
            "can_edit": has_perm(self.request.user, Perm.EDIT_WORKERS),
        }
