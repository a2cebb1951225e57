"""The partner register: partners, contacts, commitments, activities, visits, events, vacancies."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet
from bwise.accounts.models import Organisation, Region
from bwise.core.versioning import Versioned
from competenties.models import JobProfile
from trajects.models import Worker


class PartnerKind(models.TextChoices):
    NEC_COMPANY = "nec_company", _("NEC company")
    TEMP_AGENCY = "temp_agency", _("temp agency")
    LOCAL_GOVERNMENT = "local_government", _("local government")
    CONSULTANCY = "consultancy", _("consultancy")
    UMBRELLA = "umbrella", _("umbrella organisation or sector fund")


class AgreedRole(models.TextChoices):
    STAGES = "stages", _("hosts work placements")
    VACANCIES = "vacancies", _("shares vacancies")
    HIRES = "hires", _("hires workers")
    MOCK_INTERVIEWS = "mock_interviews", _("holds mock interviews")
    APPLICATION_TRAINING = "application_training", _("gives application training")
    SELECTION = "selection", _("selects candidates")
    JOB_EVENTS = "job_events", _("takes part in job events")


class PartnerQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_PARTNERS


class Partner(Versioned):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=PartnerKind.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The employer sheet (werkgeversfiche).
    kind_of_work = models.TextField(_("kind of work"), blank=True)
    pace = models.CharField(_("pace of work"), max_length=200, blank=True)
    colleagues = models.TextField(_("colleagues"), blank=True)
    working_conditions = models.TextField(_("working conditions"), blank=True)
    wage = models.CharField(_("wage"), max_length=200, blank=True)
    location_and_accessibility = models.TextField(_("location and accessibility"), blank=True)
    reachable_by_public_transport = models.BooleanField(_("reachable by public transport"), default=True)
    csr_notes = models.TextField(_("corporate social responsibility"), blank=True)
    hr_notes = models.TextField(_("HR policy"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="partner_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name


class PartnerChildQuerySet(ScopedQuerySet):
    organisation_path = "partner__organisation"
    view_perm = Perm.VIEW_PARTNERS


@pghistory.track()
class PartnerContact(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = PartnerChildQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self):
        return self.name


class Commitment(models.Model):
    """A commitment statement (engagementsverklaring) with the roles the partner agreed to."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="commitments"
    )
    signed_on = models.DateField(_("signed on"))
    agreed_roles = ArrayField(
        models.CharField(max_length=30, choices=AgreedRole.choices),
        verbose_name=_("agreed roles"),
        default=list,
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = PartnerChildQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("commitment statement")
        verbose_name_plural = _("commitment statements")

    def __str__(self):
        return f"{self.partner} · {self.signed_on}"

    def agreed_role_labels(self):
        return [AgreedRole(value).label for value in self.agreed_roles]


class ActivityKind(models.TextChoices):
    CALL = "call", _("phone call")
    EMAIL = "email", _("e-mail")
    MEETING = "meeting", _("meeting")
    INTERVIEW = "interview", _("in-depth partner interview")
    OTHER = "other", _("other")


class PartnerActivity(models.Model):
    """One entry of the activity timeline; visits, events, vacancies and stages add their own."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PartnerChildQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("partner activity")
        verbose_name_plural = _("partner activities")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.on}"


class Visit(models.Model):
    """A company visit: planned, then done, with its preparation, notes and follow-up."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="visits"
    )
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    preparation_checklist = models.TextField(
        _("preparation checklist"), blank=True, help_text=_("One item per line; prefix done items with [x].")
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PartnerChildQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("company visit")
        verbose_name_plural = _("company visits")

    def __str__(self):
        return f"{self.partner} · {self.planned_on}"

    @property
    def checklist(self) -> list[tuple[str, bool]]:
        items = []
        for line in self.preparation_checklist.splitlines():
            line = line.strip()
            if line:
                done = line.lower().startswith("[x]")
                items.append((line[3:].strip() if done else line.removeprefix("[ ]").strip(), done))
        return items


class PartnerEventKind(models.TextChoices):
    LEERTAFEL = "leertafel", _("learning table (leertafel)")
    DUOBAAN = "duobaan", _("duo job (duobaan)")
    JOB_EVENT = "job_event", _("job event")
    INFO_SESSION = "info_session", _("information session")


class PartnerEventQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_PARTNERS


class PartnerEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partner_events"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerEventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)

    objects = PartnerEventQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("partner event")
        verbose_name_plural = _("partner events")

    def __str__(self):
        return self.title


class EventParticipantQuerySet(ScopedQuerySet):
    worker_path = "worker"


class EventParticipant(models.Model):
    event = models.ForeignKey(
        PartnerEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="+")

    objects = EventParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [models.UniqueConstraint(fields=["event", "worker"], name="event_participant_once")]

    def __str__(self):
        return f"{self.worker} · {self.event}"


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class VacancyRoute(models.TextChoices):
    """How the partner wants to get to know a candidate; TBS and BVS exclude some statutes."""

    DIRECT = "direct", _("direct hire")
    TBS = "tbs", _("after a TBS")
    BVS = "bvs", _("after a BVS")


class Vacancy(Versioned):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    job_profile = models.ForeignKey(
        JobProfile,
        verbose_name=_("job profile"),
        on_delete=models.PROTECT,
        related_name="vacancies",
        help_text=_("The competencies and cut-offs the job needs."),
    )
    route = models.CharField(
        _("route"), max_length=10, choices=VacancyRoute.choices, default=VacancyRoute.DIRECT
    )
    needs_own_transport = models.BooleanField(_("needs own transport"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)

    objects = PartnerChildQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")

    def __str__(self):
        return f"{self.title} · {self.partner}"
