"""The partner register: partners, their records, vacancies with their matches, events, training."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from bwise.access import Perm, has_perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView
from bwise.privacy.exports import ExportMixin
from partners import selectors, services
from partners.forms import (
    CommitmentForm,
    PartnerActivityForm,
    PartnerContactForm,
    PartnerEventForm,
    PartnerForm,
    TrainingSessionForm,
    VacancyForm,
    VisitChecklistForm,
    VisitForm,
)
from partners.models import (
    Commitment,
    Partner,
    PartnerActivity,
    PartnerContact,
    PartnerEvent,
    PartnerKind,
    TrainingSession,
    Vacancy,
    Visit,
)


class PartnerListView(PermRequiredMixin, ExportMixin, ListView):
    required_perm = Perm.VIEW_PARTNERS
    template_name = "partners/partner_list.html"
    paginate_by = 50
    export_filename = "partners"

    def export_headers(self):
        return [_("Name"), _("Type"), _("Region"), _("Last contact"), _("No recent contact")]

    def export_row(self, partner):
        return [
            partner.name,
            partner.get_kind_display(),
            partner.get_region_display(),
            selectors.last_contact(partner),
            _("yes") if selectors.is_uncontacted(partner) else "",
        ]

    def get_queryset(self):
        return selectors.partners_for(self.request.user, self.request.GET.get("kind", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for partner in context["object_list"]:
            partner.last_contact = selectors.last_contact(partner)
            partner.uncontacted = selectors.is_uncontacted(partner)
        return {
            **context,
            "kinds": PartnerKind.choices,
            "kind": self.request.GET.get("kind", ""),
            "kind_query": urlencode({"kind": self.request.GET["kind"]})
            if self.request.GET.get("kind")
            else "",
            "can_manage": has_perm(self.request.user, Perm.MANAGE_PARTNERS),
        }


class PartnerMixin(PermRequiredMixin):
    required_perm = Perm.VIEW_PARTNERS

    def get_partner(self) -> Partner:
        if not hasattr(self, "_partner"):
            self._partner = visible_or_404(Partner, self.request.user, pk=self.kwargs["partner_pk"])
        return self._partner


class PartnerDetailView(PartnerMixin, DetailView):
    template_name = "partners/partner_detail.html"
    context_object_name = "partner"

    def get_object(self, queryset=None):
        return self.get_partner()

    def get_context_data(self, **kwargs):
        partner = self.get_partner()
        annotated = selectors.with_last_contact(
            Partner.objects.visible_to(self.request.user).filter(pk=partner.pk)
        ).get()
        return {
            **super().get_context_data(**kwargs),
            "last_contact": selectors.last_contact(annotated),
            "uncontacted": selectors.is_uncontacted(annotated),
            "timeline": selectors.partner_timeline(partner),
            "can_manage": has_perm(self.request.user, Perm.MANAGE_PARTNERS),
            "vacancies": partner.vacancies.select_related("job_profile"),
            "visits": partner.visits.prefetch_related("visitors", "partner_contacts"),
            "contacts": partner.contacts.all(),
            "commitments": partner.commitments.all(),
        }


class PartnerFormView(ServiceFormView):
    """A register form; ``save`` returns the URL of the page to go back to."""

    required_perm = Perm.MANAGE_PARTNERS


class PartnerCreateView(PartnerFormView):
    form_class = PartnerForm

    @property
    def title(self):
        return _("New partner")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        partner = services.partner_save(partner=form.instance, by=self.request.user)
        return reverse("partners:partner_detail", kwargs={"partner_pk": partner.pk})


class PartnerEditView(PartnerMixin, PartnerFormView):
    required_perm = Perm.MANAGE_PARTNERS
    form_class = PartnerForm

    @property
    def title(self):
        return _("Edit %(name)s") % {"name": self.get_partner()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_partner(), "user": self.request.user}

    def save(self, form):
        partner = services.partner_save(partner=form.instance, by=self.request.user)
        return reverse("partners:partner_detail", kwargs={"partner_pk": partner.pk})


class PartnerChildCreateView(PartnerMixin, PartnerFormView):
    """Add a contact, commitment, activity or visit to a partner."""

    required_perm = Perm.MANAGE_PARTNERS
    model = None
    label = ""

    @property
    def title(self):
        return f"{self.label} · {self.get_partner()}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.model(partner=self.get_partner())}

    def save(self, form):
        services.partner_child_save(record=form.instance, by=self.request.user)
        return reverse("partners:partner_detail", kwargs={"partner_pk": self.get_partner().pk})


class ContactCreateView(PartnerChildCreateView):
    form_class = PartnerContactForm
    model = PartnerContact
    label = gettext_lazy("New contact")


class CommitmentCreateView(PartnerChildCreateView):
    form_class = CommitmentForm
    model = Commitment
    label = gettext_lazy("New commitment statement")


class ActivityCreateView(PartnerChildCreateView):
    form_class = PartnerActivityForm
    model = PartnerActivity
    label = gettext_lazy("Log contact")


class VisitCreateView(PartnerChildCreateView):
    form_class = VisitForm
    model = Visit
    label = gettext_lazy("Plan a company visit")

    def get_initial(self):
        lines = services.visit_checklist_lines(self.request.user.organisation_id)
        return {"preparation_checklist": "\n".join(f"[ ] {line}" for line in lines)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        services.visit_save(
            visit=form.instance,
            by=self.request.user,
            visitors=list(form.cleaned_data["visitors"]),
            partner_contacts=list(form.cleaned_data["partner_contacts"]),
        )
        return reverse("partners:partner_detail", kwargs={"partner_pk": self.get_partner().pk})


class VisitEditView(PartnerFormView):
    form_class = VisitForm

    def get_visit(self):
        if not hasattr(self, "_visit"):
            self._visit = visible_or_404(
                Visit.objects.select_related("partner"), self.request.user, pk=self.kwargs["visit_pk"]
            )
        return self._visit

    @property
    def title(self):
        return _("Company visit · %(partner)s") % {"partner": self.get_visit().partner}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_visit(), "user": self.request.user}

    def save(self, form):
        visit = services.visit_save(
            visit=form.instance,
            by=self.request.user,
            visitors=list(form.cleaned_data["visitors"]),
            partner_contacts=list(form.cleaned_data["partner_contacts"]),
        )
        return reverse("partners:partner_detail", kwargs={"partner_pk": visit.partner_id})


class VisitChecklistView(PartnerFormView):
    form_class = VisitChecklistForm
    title = gettext_lazy("Checklist for company visits")

    def get_initial(self):
        return {"items": "\n".join(services.visit_checklist_lines(self.request.user.organisation_id))}

    def save(self, form):
        services.visit_checklist_save(items=form.cleaned_data["items"], by=self.request.user)
        return reverse("partners:partner_list")


class VacancyCreateView(PartnerChildCreateView):
    form_class = VacancyForm
    model = Vacancy
    label = gettext_lazy("New vacancy")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        vacancy = services.vacancy_save(vacancy=form.instance, by=self.request.user)
        return reverse("partners:vacancy_detail", kwargs={"vacancy_pk": vacancy.pk})


class VacancyMixin:
    def get_vacancy(self) -> Vacancy:
        if not hasattr(self, "_vacancy"):
            self._vacancy = visible_or_404(
                Vacancy.objects.select_related("partner", "job_profile"),
                self.request.user,
                pk=self.kwargs["vacancy_pk"],
            )
        return self._vacancy


class VacancyEditView(VacancyMixin, PartnerFormView):
    form_class = VacancyForm

    @property
    def title(self):
        return str(self.get_vacancy())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_vacancy(), "user": self.request.user}

    def save(self, form):
        vacancy = services.vacancy_save(vacancy=form.instance, by=self.request.user)
        return reverse("partners:vacancy_detail", kwargs={"vacancy_pk": vacancy.pk})


class VacancyDetailView(VacancyMixin, PermRequiredMixin, DetailView):
    """The vacancy and the workers in job matching ranked against it, with the reasons."""

    required_perm = Perm.VIEW_PARTNERS
    template_name = "partners/vacancy_detail.html"
    context_object_name = "vacancy"

    def get_object(self, queryset=None):
        return self.get_vacancy()

    def get_context_data(self, **kwargs):
        vacancy = self.get_vacancy()
        requirements = list(vacancy.job_profile.requirements.select_related("competency"))
        names = {r.competency_id: r.competency.name for r in requirements}
        matches = [
            (worker, match, [(names.get(row.competency_id, ""), row) for row in match.shortfalls])
            for worker, match in selectors.matches_for_vacancy(vacancy, self.request.user)
        ]
        return {
            **super().get_context_data(**kwargs),
            "matches": matches,
            "requirements": requirements,
            "can_manage": has_perm(self.request.user, Perm.MANAGE_PARTNERS),
        }


# Events and application training: organisation-wide, with workers as participants.


class EventListView(PermRequiredMixin, ListView):
    required_perm = Perm.VIEW_PARTNERS
    template_name = "partners/event_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            PartnerEvent.objects.visible_to(self.request.user)
            .select_related("partner")
            .annotate(
                worker_count=Count("participants", distinct=True),
                staff_count=Count("staff", distinct=True),
                contact_count=Count("contacts", distinct=True),
            )
            # A grouped query leaves the model's ordering out: the pages need one.
            .order_by("-held_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sessions": TrainingSession.objects.visible_to(self.request.user).select_related("partner")[:50],
            "can_manage": has_perm(self.request.user, Perm.MANAGE_PARTNERS),
            "can_train": has_perm(self.request.user, Perm.EDIT_WORKERS),
        }


class ParticipantFormView(PartnerFormView):
    model = None
    pk_kwarg = ""

    def get_object(self):
        if self.pk_kwarg not in self.kwargs:
            return self.model()
        if not hasattr(self, "_object"):
            self._object = visible_or_404(self.model, self.request.user, pk=self.kwargs[self.pk_kwarg])
        return self._object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object(), "user": self.request.user}

    def form_valid(self, form):
        # Participants the user cannot see stay as they are: a coach edits only their own.
        hidden = (
            [
                p.worker
                for p in self.get_object().participants.select_related("worker")
                if p.worker not in form.fields["participants"].queryset
            ]
            if self.get_object().pk
            else []
        )
        self.participants = [*form.cleaned_data["participants"], *hidden]
        return super().form_valid(form)

    @property
    def title(self):
        return str(self.get_object()) if self.get_object().pk else str(self.model._meta.verbose_name)


class EventFormView(ParticipantFormView):
    form_class = PartnerEventForm
    model = PartnerEvent
    pk_kwarg = "partnerevent_pk"
    template_name = "partners/kind_form.html"

    def save(self, form):
        services.partner_event_save(
            event=form.instance,
            by=self.request.user,
            participants=self.participants,
            staff=list(form.cleaned_data["staff"]),
            contacts=list(form.cleaned_data["contacts"]),
        )
        return reverse("partners:event_list")


class TrainingFormView(ParticipantFormView):
    required_perm = Perm.EDIT_WORKERS
    form_class = TrainingSessionForm
    model = TrainingSession
    pk_kwarg = "trainingsession_pk"

    def save(self, form):
        services.training_session_save(
            session=form.instance, by=self.request.user, participants=self.participants
        )
        return reverse("partners:event_list")
