"""Measurement rounds: open a round, rate independently, put the ratings side by side,
agree on the levels and close the round; and the calibration exercise that trains the raters."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin, run_service
from competenties import selectors, services
from competenties.combining import RULE_SUMMARY
from competenties.forms import (
    CalibrationCaseForm,
    CalibrationRatingForm,
    ConsensusForm,
    RoundOpenForm,
    RoundRatingForm,
)
from competenties.models import CalibrationCase, MeasurementRound, RaterRole


def _round_url(measurement_round) -> str:
    return reverse("competenties:round_detail", kwargs={"measurementround_pk": measurement_round.pk})


def _sheet_url(measurement_round, worker) -> str:
    return reverse(
        "competenties:round_sheet",
        kwargs={"measurementround_pk": measurement_round.pk, "worker_pk": worker.pk},
    )


class RoundMixin:
    def get_round(self):
        if not hasattr(self, "_round"):
            self._round = visible_or_404(
                MeasurementRound.objects.select_related("framework", "job_profile", "opened_by"),
                self.request.user,
                pk=self.kwargs["measurementround_pk"],
            )
        return self._round


class RoundListView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/round_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "rounds": list(selectors.rounds_for(user)[:200]),
            "agreement": selectors.agreement_over_time(user),
        }


class RoundOpenView(ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/round_form.html"
    form_class = RoundOpenForm
    success_message = _("The round is open: the invited raters can rate.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        data = form.cleaned_data
        measurement_round = services.round_open(
            title=data["title"],
            framework=data["framework"],
            job_profile=data["job_profile"],
            workers=data["workers"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            raters=form.raters(),
            by=self.request.user,
        )
        for warning in services.round_warnings(measurement_round, len(data["workers"])):
            messages.warning(self.request, warning)
        return _round_url(measurement_round)


class RoundDetailView(RoundMixin, PermRequiredMixin, TemplateView):
    """Who has rated whom; the agreement between raters once the viewer may see it."""

    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/round_detail.html"

    def get_context_data(self, **kwargs):
        measurement_round = self.get_round()
        user = self.request.user
        overview = selectors.round_overview(measurement_round, user)
        context = {
            **super().get_context_data(**kwargs),
            "round": measurement_round,
            "overview": overview,
            "rows": [
                (
                    participant,
                    [
                        (
                            rater,
                            done,
                            not done
                            and measurement_round.is_open
                            and services.may_rate(user, rater, participant.worker),
                        )
                        for rater, done in zip(
                            overview.raters, overview.status_of(participant.worker_id), strict=True
                        )
                    ],
                )
                for participant in overview.participants
            ],
            "warnings": services.round_warnings(measurement_round, len(overview.participants)),
            "can_manage": has_perm(user, Perm.EDIT_WORKERS) and measurement_round.is_open,
        }
        if overview.visible:
            context["pairs"], context["pooled"] = selectors.round_agreement(measurement_round, user)
        return context


class RoundRateView(RoundMixin, WorkerMixin, ServiceFormView):
    """One rater's rating of one worker; the others' ratings are not on this page."""

    required_perm = Perm.ASSESS
    template_name = "competenties/round_rate.html"
    form_class = RoundRatingForm
    success_message = _("Your rating was submitted.")

    def get_rater(self):
        rater = self.get_round().raters.select_related("user").filter(pk=self.kwargs["roundrater_pk"]).first()
        if rater is None:
            raise Http404
        return rater

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_perm(request.user, self.required_perm):
            self.rater = self.get_rater()
            if not services.may_rate(request.user, self.rater, self.get_worker()):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "competencies": services.round_competencies(self.get_round()),
            "self_assessment": self.rater.role == RaterRole.SELF,
        }

    def save(self, form):
        data = form.cleaned_data
        services.round_rating_submit(
            measurement_round=self.get_round(),
            worker=self.get_worker(),
            rater=self.rater,
            date=data["date"],
            method=data["method"],
            notes=data["notes"],
            scores=form.scores(),
            by=self.request.user,
        )
        return _round_url(self.get_round())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "round": self.get_round(), "rater": self.rater}


class RoundSheetView(RoundMixin, WorkerMixin, ServiceFormView):
    """The consensus step: the ratings side by side, disagreements flagged, the agreed level."""

    template_name = "competenties/round_sheet.html"
    form_class = ConsensusForm
    success_message = _("The agreed levels were saved.")

    def get_sheet(self):
        if not hasattr(self, "_sheet"):
            self._sheet = selectors.round_sheet(self.get_round(), self.get_worker(), self.request.user)
        return self._sheet

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.EDIT_WORKERS) or not self.get_sheet().visible:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sheet": self.get_sheet()}

    def save(self, form):
        services.round_consensus_record(
            measurement_round=self.get_round(),
            worker=self.get_worker(),
            levels=form.levels(),
            by=self.request.user,
        )
        return _sheet_url(self.get_round(), self.get_worker())

    def get_context_data(self, **kwargs):
        sheet = self.get_sheet()
        return {
            **super().get_context_data(**kwargs),
            "round": self.get_round(),
            "sheet": sheet,
            "rule": RULE_SUMMARY,
            "can_agree": has_perm(self.request.user, Perm.EDIT_WORKERS)
            and sheet.visible
            and self.get_round().is_open,
        }


class RoundCloseView(RoundMixin, PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, measurementround_pk):
        measurement_round = self.get_round()
        run_service(
            request,
            lambda: services.round_close(measurement_round=measurement_round, by=request.user),
            success=_("The round is closed: its agreed levels now count."),
        )
        return redirect(_round_url(measurement_round))


class CalibrationListView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/calibration_list.html"

    def get_context_data(self, **kwargs):
        cases = CalibrationCase.objects.visible_to(self.request.user).select_related("framework")
        return {
            **super().get_context_data(**kwargs),
            "cases": list(cases.annotate(rater_count=Count("ratings__rater", distinct=True))[:100]),
        }


class CalibrationCreateView(ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = CalibrationCaseForm
    title = _("New calibration exercise")
    success_message = _("The exercise is ready: ask your colleagues to rate it.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        case = services.calibration_case_create(by=self.request.user, **form.cleaned_data)
        return reverse("competenties:calibration_detail", kwargs={"calibrationcase_pk": case.pk})


class CalibrationDetailView(ServiceFormView):
    """Rate the recorded case once; then the levels side by side and the agreement."""

    required_perm = Perm.VIEW_WORKERS
    template_name = "competenties/calibration_detail.html"
    form_class = CalibrationRatingForm
    success_message = _("Your rating was submitted.")

    def get_case(self):
        if not hasattr(self, "_case"):
            self._case = visible_or_404(
                CalibrationCase.objects.select_related("framework"),
                self.request.user,
                pk=self.kwargs["calibrationcase_pk"],
            )
        return self._case

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.ASSESS):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        competencies = selectors.indicators_with_competencies(self.get_case().framework)
        return {**super().get_form_kwargs(), "competencies": competencies}

    def save(self, form):
        services.calibration_rate(case=self.get_case(), levels=form.levels(), by=self.request.user)
        return reverse("competenties:calibration_detail", kwargs={"calibrationcase_pk": self.get_case().pk})

    def get_context_data(self, **kwargs):
        result = selectors.calibration_result(self.get_case(), self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "case": self.get_case(),
            "result": result,
            "can_rate": has_perm(self.request.user, Perm.ASSESS) and not result.rated,
        }
