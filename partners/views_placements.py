"""A worker's road to a job: matching vacancies, applications, stages, the hire and nazorg."""

import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.params import MonthForm, clean_query
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin, run_service
from partners import selectors, services
from partners.forms import (
    ActivaForm,
    ApplicationForm,
    AttendanceForm,
    EvaluationForm,
    FollowUpAddForm,
    FollowUpForm,
    FollowUpRescheduleForm,
    FollowUpSkipForm,
    HireForm,
    StageForm,
    TrainingOnTheJobForm,
)
from partners.models import Application, FollowUp, Hire, JobmatchingSetup, JobSearchEntry, Stage


def placements_url(worker_pk) -> str:
    return reverse("partners:worker_placements", kwargs={"worker_pk": worker_pk})


def stage_url(stage_pk) -> str:
    return reverse("partners:stage_detail", kwargs={"stage_pk": stage_pk})


class WorkerPlacementsView(WorkerMixin, TemplateView):
    template_name = "partners/worker_placements.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        user = self.request.user
        trajectory = worker.trajectories.current().first()
        hires = Hire.objects.of_worker(worker).select_related("employer", "trajectory")
        hires = hires.prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "pk"))
        )
        return {
            **super().get_context_data(**kwargs),
            "worker": worker,
            "trajectory": trajectory,
            "matches": selectors.matches_for_worker(worker, user)
            if has_perm(user, Perm.VIEW_PARTNERS)
            else [],
            "applications": Application.objects.of_worker(worker).select_related("partner", "vacancy"),
            "job_searches": JobSearchEntry.objects.of_worker(worker).select_related("application__partner"),
            "setup": trajectory
            and JobmatchingSetup.objects.of_worker(worker).filter(trajectory=trajectory).first(),
            "vdab_step_missing": services.vdab_step_missing(trajectory),
            "stages": selectors.stages_of(worker),
            "hires": hires,
            "can_edit": has_perm(user, Perm.EDIT_WORKERS),
        }


class PlacementFormView(ServiceFormView):
    """A step on the worker's road to a job; ``save`` returns the URL of the page to go back to."""

    required_perm = Perm.EDIT_WORKERS


class ApplicationCreateView(WorkerMixin, PlacementFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = ApplicationForm

    @property
    def title(self):
        return _("New application for %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        return {"vacancy": self.request.GET.get("vacancy"), "partner": self.request.GET.get("partner")}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": Application(worker=self.get_worker()),
        }

    def save(self, form):
        services.application_save(application=form.instance, by=self.request.user)
        return placements_url(self.get_worker().pk)


class ApplicationEditView(PlacementFormView):
    form_class = ApplicationForm

    def get_application(self):
        if not hasattr(self, "_application"):
            self._application = visible_or_404(
                Application.objects.select_related("worker"),
                self.request.user,
                pk=self.kwargs["application_pk"],
            )
        return self._application

    @property
    def title(self):
        return str(self.get_application())

    def worker_for_page(self):
        return self.get_application().worker

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_application()}

    def save(self, form):
        application = services.application_save(application=form.instance, by=self.request.user)
        return placements_url(application.worker_id)


class StageCreateView(WorkerMixin, PlacementFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = StageForm
    template_name = "partners/kind_form.html"

    @property
    def title(self):
        return _("Plan a stage for %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        return {"partner": self.request.GET.get("partner"), "kind": self.request.GET.get("kind")}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": Stage(worker=self.get_worker()),
        }

    def save(self, form):
        stage = services.stage_save(stage=form.instance, by=self.request.user, team=form.cleaned_data["team"])
        return stage_url(stage.pk)


class StageMixin:
    def get_stage(self) -> Stage:
        if not hasattr(self, "_stage"):
            self._stage = visible_or_404(
                Stage.objects.select_related("worker", "partner", "trajectory"),
                self.request.user,
                pk=self.kwargs["stage_pk"],
            )
        return self._stage


class StageEditView(StageMixin, PlacementFormView):
    form_class = StageForm
    template_name = "partners/kind_form.html"

    @property
    def title(self):
        return str(self.get_stage())

    def worker_for_page(self):
        return self.get_stage().worker

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_stage()}

    def save(self, form):
        stage = services.stage_save(stage=form.instance, by=self.request.user, team=form.cleaned_data["team"])
        return stage_url(stage.pk)


def _month(request, stage) -> datetime.date:
    chosen = clean_query(MonthForm(request.GET))["month"]
    if chosen:
        return chosen
    today = timezone.localdate()
    if stage.start_date and today < stage.start_date:
        return stage.start_date.replace(day=1)
    if stage.end_date and today > stage.end_date:
        return stage.end_date.replace(day=1)
    return today.replace(day=1)


def evaluation_competencies(stage: Stage):
    """The competencies of the job profile the stage aims at, else the worker's last framework."""
    from competenties.models import Competency

    job = stage.worker.applications.filter(partner=stage.partner, vacancy__isnull=False).select_related(
        "vacancy__job_profile"
    )
    first = job.first()
    if first is not None:
        return Competency.objects.of_organisation(stage.worker).filter(
            requirements__job_profile=first.vacancy.job_profile
        )
    vacancy = stage.partner.vacancies.select_related("job_profile").first()
    if vacancy is not None:
        return Competency.objects.of_organisation(stage.worker).filter(
            requirements__job_profile=vacancy.job_profile
        )
    return Competency.objects.none()


def stage_context(stage: Stage, month: datetime.date) -> dict:
    return {
        "stage": stage,
        "month": month,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
        "days": selectors.attendance_month(stage, month.year, month.month),
        "evaluations": stage.evaluations.prefetch_related("levels__competency").select_related("entered_via"),
        "trainings": stage.trainings.all(),
        "first_name": stage.worker.first_name,
    }


class StageDetailView(StageMixin, PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "partners/stage_detail.html"

    def get_context_data(self, **kwargs):
        stage = self.get_stage()
        link = getattr(stage, "mentor_link", None)  # the reverse one-to-one may be absent
        return {
            **super().get_context_data(**kwargs),
            **stage_context(stage, _month(self.request, stage)),
            "worker": stage.worker,
            "can_edit": has_perm(self.request.user, Perm.EDIT_WORKERS),
            "attendance_form": AttendanceForm(initial={"day": timezone.localdate()}),
            "evaluation_form": EvaluationForm(
                competencies=evaluation_competencies(stage), initial={"held_on": timezone.localdate()}
            ),
            "training_form": TrainingOnTheJobForm(initial={"given_on": timezone.localdate()}),
            "mentor_link": link,
            "new_token": self.request.session.pop(f"mentor_token_{stage.pk}", None),
        }


class StageRecordView(StageMixin, PermRequiredMixin, View):
    """POST attendance or an evaluation from the stage page; refusals come back as messages."""

    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]
    form_class = None

    def post(self, request, *args, **kwargs):
        stage = self.get_stage()
        form = self.make_form(stage, request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        else:
            run_service(request, lambda: self.record(stage, form), success=_("Saved."))
        return redirect(stage_url(stage.pk))

    def make_form(self, stage, data):
        return self.form_class(data)


def record_attendance(stage, form, *, by=None, via=None):
    return services.attendance_record(stage=stage, **form.cleaned_data, by=by, via=via)


def record_evaluation(stage, form, *, by=None, via=None):
    data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("level_")}
    return services.evaluation_record(stage=stage, levels=form.levels(), by=by, via=via, **data)


class AttendanceRecordView(StageRecordView):
    form_class = AttendanceForm

    def record(self, stage, form):
        record_attendance(stage, form, by=self.request.user)


class EvaluationRecordView(StageRecordView):
    def make_form(self, stage, data):
        return EvaluationForm(data, competencies=evaluation_competencies(stage))

    def record(self, stage, form):
        record_evaluation(stage, form, by=self.request.user)


class TrainingRecordView(StageRecordView):
    form_class = TrainingOnTheJobForm

    def record(self, stage, form):
        form.instance.stage = stage
        services.training_on_the_job_record(training=form.instance, by=self.request.user)


class MentorLinkCreateView(StageRecordView):
    def post(self, request, *args, **kwargs):
        stage = self.get_stage()
        created, token = run_service(
            request, lambda: services.mentor_link_create(stage=stage, by=request.user)
        )
        if created:
            # Shown once on the next page; only its hash is stored.
            request.session[f"mentor_token_{stage.pk}"] = token
        return redirect(stage_url(stage.pk))


class MentorLinkRevokeView(StageRecordView):
    def post(self, request, *args, **kwargs):
        stage = self.get_stage()
        services.mentor_link_revoke(stage=stage, by=request.user)
        messages.success(request, _("The mentor's link no longer works."))
        return redirect(stage_url(stage.pk))


class HireCreateView(WorkerMixin, PlacementFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = HireForm

    @property
    def title(self):
        return _("Record the hire of %(name)s") % {"name": self.get_worker().full_name}

    def get_initial(self):
        stage = self.get_worker().stages.order_by("-start_date", "-pk").first()
        return {"employer": stage.partner_id if stage else None}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": Hire(worker=self.get_worker()),
        }

    def save(self, form):
        hire = services.hire_record(hire=form.instance, by=self.request.user)
        for warning in services.hire_warnings(hire):
            messages.warning(self.request, warning)
        return placements_url(self.get_worker().pk)


class HireMixin:
    def get_hire(self) -> Hire:
        if not hasattr(self, "_hire"):
            self._hire = visible_or_404(
                Hire.objects.select_related("worker", "trajectory", "employer"),
                self.request.user,
                pk=self.kwargs["hire_pk"],
            )
        return self._hire

    def worker_for_page(self):
        return self.get_hire().worker


class ActivaView(HireMixin, PlacementFormView):
    """The ACTIVA-werkkaart application: after the end of employment, with or without the coach."""

    form_class = ActivaForm

    @property
    def title(self):
        return _("ACTIVA-werkkaart of %(name)s") % {"name": self.get_hire().worker.full_name}

    def get_initial(self):
        hire = self.get_hire()
        return {"applied_on": hire.activa_applied_on, "accompanied": bool(hire.activa_accompanied)}

    def save(self, form):
        hire = services.activa_application_record(
            hire=self.get_hire(), by=self.request.user, **form.cleaned_data
        )
        return placements_url(hire.worker_id)


class FollowUpAddView(HireMixin, PlacementFormView):
    form_class = FollowUpAddForm

    @property
    def title(self):
        return _("An extra aftercare contact for %(name)s") % {"name": self.get_hire().worker.full_name}

    def save(self, form):
        services.follow_up_add(hire=self.get_hire(), by=self.request.user, **form.cleaned_data)
        return placements_url(self.get_hire().worker_id)


class FollowUpLogView(PlacementFormView):
    form_class = FollowUpForm

    def get_follow_up(self) -> FollowUp:
        if not hasattr(self, "_follow_up"):
            self._follow_up = visible_or_404(
                FollowUp.objects.select_related("hire__worker", "hire__trajectory", "hire__employer"),
                self.request.user,
                pk=self.kwargs["followup_pk"],
            )
        return self._follow_up

    @property
    def title(self):
        follow_up = self.get_follow_up()
        return _("Follow-up contact with %(whom)s, due %(due)s") % {
            "whom": follow_up.get_with_whom_display(),
            "due": follow_up.due_on,
        }

    def worker_for_page(self):
        return self.get_follow_up().hire.worker

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def save(self, form):
        follow_up = self.get_follow_up()
        services.follow_up_log(
            follow_up=follow_up,
            by=self.request.user,
            done_on=form.cleaned_data["done_on"],
            notes=form.cleaned_data["notes"],
        )
        return placements_url(follow_up.hire.worker_id)


class FollowUpSkipView(FollowUpLogView):
    form_class = FollowUpSkipForm

    def get_initial(self):
        return {}

    def save(self, form):
        follow_up = self.get_follow_up()
        services.follow_up_skip(follow_up=follow_up, by=self.request.user, reason=form.cleaned_data["reason"])
        return placements_url(follow_up.hire.worker_id)


class FollowUpRescheduleView(FollowUpLogView):
    form_class = FollowUpRescheduleForm

    def get_initial(self):
        return {"due_on": self.get_follow_up().due_on}

    def save(self, form):
        follow_up = self.get_follow_up()
        services.follow_up_reschedule(
            follow_up=follow_up, by=self.request.user, due_on=form.cleaned_data["due_on"]
        )
        return placements_url(follow_up.hire.worker_id)
