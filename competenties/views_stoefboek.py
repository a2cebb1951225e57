"""The coach's side of the worker's stoefboek and digital skills: items written with the
worker, their photos, the coach's confirmation that makes an item evidence, the STARR notes
shared as stories, the worker's consent and the actions observed in the product."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin, run_service
from bwise.privacy.files import PrivateFileView
from bwise.privacy.minimise import absent_fields
from competenties import services_portfolio as services
from competenties.forms import AchievementForm, DigitalConsentForm
from competenties.models import Achievement, DigitalSkillEvidence, DigitalSkillsConsent, EvidenceStatus
from trajects.models import StarrNote
from trajects.services import starr_note_share


def stoefboek_url(worker_pk) -> str:
    return reverse("competenties:stoefboek", kwargs={"worker_pk": worker_pk})


class StoefboekView(WorkerMixin, TemplateView):
    template_name = "competenties/stoefboek.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        user = self.request.user
        consent = DigitalSkillsConsent.objects.of_worker(worker).first()
        return {
            **super().get_context_data(**kwargs),
            "achievements": Achievement.objects.of_worker(worker)
            .select_related("confirmed_by")
            .prefetch_related("competencies"),
            "notes": StarrNote.objects.of_worker(worker).select_related("intake").order_by("-created_at"),
            "photos_visible": "photo" not in absent_fields(user, "competenties.Achievement", worker),
            "consent": consent,
            "consent_form": DigitalConsentForm(initial={"given": "1" if consent and consent.given else "0"}),
            "evidence": DigitalSkillEvidence.objects.of_worker(worker).select_related("reviewed_by"),
            "observed": EvidenceStatus.OBSERVED,
            "can_edit": has_perm(user, Perm.EDIT_WORKERS),
            "can_review": has_perm(user, Perm.EDIT_WORKERS) and has_perm(user, Perm.ASSESS),
        }


class AchievementMixin:
    def get_achievement(self) -> Achievement:
        if not hasattr(self, "_achievement"):
            self._achievement = visible_or_404(
                Achievement.objects.select_related("worker"),
                self.request.user,
                pk=self.kwargs["achievement_pk"],
            )
        return self._achievement


class AchievementCreateView(WorkerMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = AchievementForm
    success_message = _("The item is in the stoefboek.")

    @property
    def title(self):
        return _("New stoefboek item for %(name)s") % {"name": self.get_worker().full_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        services.achievement_add(worker=self.get_worker(), by=self.request.user, **form.cleaned_data)
        return stoefboek_url(self.get_worker().pk)


class AchievementEditView(AchievementMixin, ServiceFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = AchievementForm
    success_message = _("The item was changed; a confirmed item needs confirming again.")

    @property
    def title(self):
        return _("Change the stoefboek item")

    def worker_for_page(self):
        return self.get_achievement().worker

    def get_initial(self):
        achievement = self.get_achievement()
        return {
            "text": achievement.text,
            "achieved_on": achievement.achieved_on,
            "competencies": list(achievement.competencies.all()),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        achievement = services.achievement_edit(
            achievement=self.get_achievement(), by=self.request.user, **form.cleaned_data
        )
        return stoefboek_url(achievement.worker_id)


class AchievementActionView(AchievementMixin, PermRequiredMixin, View):
    """Confirm, withdraw the confirmation, or delete: buttons on the stoefboek page."""

    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, achievement_pk):
        achievement = self.get_achievement()
        action = request.POST.get("action")
        if action == "delete":
            call, success = (
                lambda: services.achievement_delete(achievement=achievement, by=request.user),
                _("The item was removed from the stoefboek."),
            )
        else:
            confirmed = action == "confirm"
            call, success = (
                lambda: services.achievement_confirm(
                    achievement=achievement, by=request.user, confirmed=confirmed
                ),
                _("Confirmed: the item now counts as evidence.")
                if confirmed
                else _("The confirmation was withdrawn."),
            )
        run_service(request, call, success=success)
        return redirect(stoefboek_url(achievement.worker_id))


class AchievementPhotoView(PrivateFileView):
    model = Achievement
    select_related = ("worker",)
    field = "photo"
    pk_kwarg = "achievement_pk"

    def download_name(self, record, worker, suffix):
        return f"stoefboek-{worker.pk}-{record.pk}.{suffix}"


class StarrNoteShareView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, starrnote_pk):
        note = visible_or_404(
            StarrNote.objects.select_related("intake__trajectory__worker"), request.user, pk=starrnote_pk
        )
        shared = request.POST.get("shared") == "1"
        run_service(
            request,
            lambda: starr_note_share(note=note, shared=shared, by=request.user),
            success=_("The worker sees this note as a story.")
            if shared
            else _("The worker no longer sees this note."),
        )
        return redirect(stoefboek_url(note.intake.trajectory.worker_id))


class DigitalConsentView(WorkerMixin, View):
    required_perm = Perm.EDIT_WORKERS
    http_method_names = ["post"]

    def post(self, request, worker_pk):
        worker = self.get_worker()
        form = DigitalConsentForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: services.digital_skills_consent_set(
                    worker=worker, given=form.cleaned_data["given"], by=request.user
                ),
                success=_("The worker's answer was recorded."),
            )
        return redirect(stoefboek_url(worker.pk))


class DigitalEvidenceReviewView(PermRequiredMixin, View):
    required_perm = Perm.ASSESS
    http_method_names = ["post"]

    def post(self, request, digitalskillevidence_pk):
        evidence = visible_or_404(
            DigitalSkillEvidence.objects.select_related("worker"), request.user, pk=digitalskillevidence_pk
        )
        confirm = request.POST.get("action") == "confirm"
        run_service(
            request,
            lambda: services.digital_evidence_review(evidence=evidence, confirm=confirm, by=request.user),
            success=_("Confirmed as evidence.") if confirm else _("Marked as not confirmed."),
        )
        return redirect(stoefboek_url(evidence.worker_id))
