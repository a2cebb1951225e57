"""A worker's competencies: assessments, comparison, progress, gap and observations."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.offline import OfflinePageMixin
from bwise.core.params import clean_query
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin, run_service
from competenties import selectors, services
from competenties.charts import gap_chart_svg
from competenties.forms import (
    AssessmentForm,
    ClassificationForm,
    GapPlanForm,
    ObservationForm,
    PeriodForm,
    QuickObservationForm,
)
from competenties.gap import MIN_DAYS, MIN_OBSERVERS
from competenties.models import Assessment, Framework, JobProfile, Method, Observation, RaterRole


def _chosen_framework(user, frameworks, wanted):
    """The framework asked for in the query string, else the first; 404 for a foreign id."""
    if wanted:
        for framework in frameworks:
            if str(framework.pk) == wanted:
                return framework
        raise Http404
    return frameworks[0] if frameworks else None


class WorkerCompetenciesView(WorkerMixin, TemplateView):
    """The comparison of raters side by side and the progress over time, per framework."""

    template_name = "competenties/worker_competencies.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        user = self.request.user
        frameworks = list(Framework.objects.visible_to(user))
        # Without a choice, open the framework the worker was last assessed on.
        wanted = self.request.GET.get("framework") or str(
            Assessment.objects.of_worker(worker)
            .order_by("-date", "-pk")
            .values_list("framework_id", flat=True)
            .first()
            or ""
        )
        framework = _chosen_framework(user, frameworks, wanted)
        last_pop = selectors.last_agreed_pop(worker)
        return {
            **super().get_context_data(**kwargs),
            "frameworks": frameworks,
            "framework": framework,
            "overview": selectors.competency_overview(worker, framework) if framework else None,
            "roles": [RaterRole(r) for r in selectors.COMPARED_ROLES],
            "job_profiles": list(JobProfile.objects.visible_to(user).filter(framework=framework)),
            "plans": list(selectors.plans_for_worker(worker)),
            "worker_rounds": list(selectors.rounds_of_worker(worker)),
            "pop_state": selectors.pop_state(last_pop),
        }


class AssessmentCreateView(WorkerMixin, ServiceFormView):
    required_perm = Perm.ASSESS
    template_name = "competenties/assessment_form.html"
    form_class = AssessmentForm
    success_message = _("The assessment was saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.framework = visible_or_404(Framework, request.user, pk=kwargs["framework_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        method = self.request.GET.get("method")
        if method not in Method.values:
            return {}
        return {
            "method": method,
            **({"rater_role": RaterRole.SELF} if method == Method.SELF_ASSESSMENT else {}),
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "competencies": selectors.indicators_with_competencies(self.framework),
        }

    def save(self, form):
        data = form.cleaned_data
        assessment = services.assessment_create(
            worker=self.get_worker(),
            framework=self.framework,
            date=data["date"],
            rater_role=data["rater_role"],
            external_rater_name=data["external_rater_name"],
            method=data["method"],
            notes=data["notes"],
            scores=form.scores(),
            by=self.request.user,
        )
        return reverse("competenties:assessment_detail", kwargs={"assessment_pk": assessment.pk})

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        start = timezone.localdate() - datetime.timedelta(days=90)
        return {
            **super().get_context_data(**kwargs),
            "framework": self.framework,
            "observation_counts": {
                row["competency_id"]: row
                for row in selectors.observation_counts(worker, start, timezone.localdate())
            },
        }


class AssessmentDetailView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/assessment_detail.html"

    def get_context_data(self, **kwargs):
        assessment = visible_or_404(
            Assessment.objects.select_related("worker", "framework", "rater", "entered_by"),
            self.request.user,
            pk=self.kwargs["assessment_pk"],
        )
        blocks = selectors.assessment_blocks(assessment)
        levels = [score.level for _name, _level, scores in blocks for score in scores if score.level]
        return {
            **super().get_context_data(**kwargs),
            "assessment": assessment,
            "worker": assessment.worker,
            "competencies": blocks,
            # Leniency: a rater who never gives an extreme over many behaviours is worth a second look.
            "no_extremes": len(levels) >= 6 and not ({1, 4} & set(levels)),
        }


class GapView(WorkerMixin, TemplateView):
    template_name = "competenties/gap.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        profiles = list(selectors.job_profiles_for(self.request.user))
        wanted = self.request.GET.get("job_profile")
        profile = _chosen_framework(self.request.user, profiles, wanted)
        context = {**super().get_context_data(**kwargs), "job_profiles": profiles, "job_profile": profile}
        if profile is not None:
            measurement = selectors.gap_measurement(worker, profile)
            context["measurement"] = measurement
            context["min_observers"], context["min_days"] = MIN_OBSERVERS, MIN_DAYS
            context["chart"] = gap_chart_svg(measurement)
            context["plan_form"] = GapPlanForm(initial={"kind": "pop", "year": timezone.localdate().year})
        return context


class PlanFromGapView(WorkerMixin, FormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = GapPlanForm
    template_name = "competenties/form.html"
    http_method_names = ["post"]

    def form_valid(self, form):
        worker = self.get_worker()
        profile = visible_or_404(JobProfile, self.request.user, pk=self.kwargs["jobprofile_pk"])
        measurement = selectors.gap_measurement(worker, profile)
        started, plan = run_service(
            self.request,
            lambda: services.plan_create_from_gap(
                worker=worker,
                job_profile=profile,
                gap=measurement.gap,
                competencies=measurement.competencies,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                by=self.request.user,
            ),
            success=_("The plan was started with the gaps as suggested actions."),
        )
        if not started:
            return redirect(f"{self._gap_url()}?job_profile={profile.pk}")
        return redirect("competenties:plan_detail", plan_pk=plan.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("Choose the kind of plan and, for a POP, its year."))
        return redirect(self._gap_url())

    def _gap_url(self):
        return reverse("competenties:gap", kwargs={"worker_pk": self.get_worker().pk})


class ObservationListView(WorkerMixin, ServiceFormView):
    """WAKKER: raw observations on one side, their interpretations visibly apart, and the counts."""

    template_name = "competenties/observations.html"
    form_class = ObservationForm
    success_message = _("Observation noted.")

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.ADD_OBSERVATIONS):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save(self, form):
        services.observation_create(
            worker=self.get_worker(),
            text=form.cleaned_data["text"],
            save_as_written=form.cleaned_data["save_as_written"],
            by=self.request.user,
        )
        return reverse("competenties:observations", kwargs={"worker_pk": self.get_worker().pk})

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        period = PeriodForm(self.request.GET or None)
        today = timezone.localdate()
        start, end = today - datetime.timedelta(days=90), today
        if period.is_bound:
            chosen = clean_query(period)
            start = chosen["start"] or start
            end = chosen["end"] or end
        observations = (
            Observation.objects.of_worker(worker)
            .select_related("observer")
            .prefetch_related("classifications__competency", "classifications__classified_by")[:200]
        )
        return {
            **super().get_context_data(**kwargs),
            "observations": observations,
            "period_form": period,
            "start": start,
            "end": end,
            "counts": list(selectors.observation_counts(worker, start, end)),
            "frameworks": list(Framework.objects.visible_to(self.request.user)),
        }


class ObservationClassifyView(ServiceFormView):
    required_perm = Perm.ASSESS
    template_name = "competenties/observation_classify.html"
    form_class = ClassificationForm
    success_message = _("Interpretation saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.observation = visible_or_404(
                Observation.objects.select_related("worker", "observer"),
                request.user,
                pk=kwargs["observation_pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        services.observation_classify(observation=self.observation, by=self.request.user, **form.cleaned_data)
        return reverse("competenties:observations", kwargs={"worker_pk": self.observation.worker_id})

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "observation": self.observation,
            "worker": self.observation.worker,
            "classifications": self.observation.classifications.select_related("competency", "classified_by"),
        }


def _waiting(count):
    return ngettext(
        "%(count)s observation is waiting for a connection",
        "%(count)s observations are waiting for a connection",
        count,
    )


class QuickObservationView(OfflinePageMixin, ServiceFormView):
    """The shop-floor entry screen: big touch targets, one worker, one fact, saved; without
    network the device keeps the observations and sends them later (``views_offline``)."""

    required_perm = Perm.ADD_OBSERVATIONS
    template_name = "competenties/observation_quick.html"
    form_class = QuickObservationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        worker = form.cleaned_data["worker"]
        services.observation_create(
            worker=worker,
            text=form.cleaned_data["text"],
            save_as_written=form.cleaned_data["save_as_written"],
            by=self.request.user,
        )
        return worker

    def get_success_message(self, worker):
        return _("Observation about %(worker)s noted.") % {"worker": worker.full_name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            offline_texts={
                # The device counts; Dutch and English need the one and the many form only.
                "waiting_one": _waiting(1),
                "waiting_other": _waiting(2),
                "incomplete": _("Choose the worker and write down what you saw or heard."),
            },
            **kwargs,
        )

    def success_url_for(self, worker):
        return reverse("competenties:observation_quick")
