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
    # The coach who keeps the contact warm: reminded when it goes cold.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person in our organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The employer sheet (werkgeversfiche).
    kind_of_work = models.TextField(_("kind of work"), blank=True)
    pace = models.CharField(_("pace of work"), max_length=200, blank=True)
    colleagues = models.TextField(_("colleagues"), blank=True)
    work_environment = models.TextField(_("work environment"), blank=True, max_length=4000)
    contact_with_managers = models.TextField(
        _("contact between workers and managers"), blank=True, max_length=4000
    )
    working_conditions = models.TextField(_("working conditions"), blank=True)
    wage = models.CharField(_("wage"), max_length=200, blank=True)
    extra_legal_benefits = models.TextField(_("extra-legal benefits"), blank=True, max_length=4000)
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


class VisitDirection(models.TextChoices):
    TO_PARTNER = "to_partner", _("we visited the partner")
    FROM_PARTNER = "from_partner", _("the partner visited us")


class Visit(models.Model):
    """A company visit: planned, then done, with its preparation, notes and follow-up, and who
    visited whom."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="visits"
    )
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    direction = models.CharField(
        _("who visited whom"),
        max_length=20,
        choices=VisitDirection.choices,
        default=VisitDirection.TO_PARTNER,
    )
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("our people"), blank=True, related_name="+"
    )
    partner_contacts = models.ManyToManyField(
        PartnerContact, verbose_name=_("the partner's people"), blank=True, related_name="partner_visits"
    )
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


# What to ask and look at on a company visit, until an organisation writes its own list.
DEFAULT_VISIT_CHECKLIST = [
    _("Kind of work and the tasks of the posts that could suit our workers"),
    _("Pace of work and the quality expected"),
    _("Colleagues, the work environment and the atmosphere on the floor"),
    _("Contact between workers and their managers"),
    _("Terms of employment: wage and extra-legal benefits"),
    _("Location and how to get there, also with a physical limitation"),
    _("Who would coach a worker on the floor, and how much time they have"),
    _("Room for a stage (TBS or BVS) or a duo job"),
    _("Bring our leaflet and the stories of workers who moved on"),
    _("Time after the tour to talk with workers, managers and HR"),
]


class VisitChecklistQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_PARTNERS


class VisitChecklist(models.Model):
    """The organisation's own preparation checklist for company visits: every new visit
    starts from it."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    items = models.TextField(_("checklist items"), help_text=_("One item per line."), max_length=4000)

    objects = VisitChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("company visit checklist")
        verbose_name_plural = _("company visit checklists")

    def __str__(self):
        return str(self._meta.verbose_name)

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class PartnerEventKind(models.TextChoices):
    INFO_SESSION = "info_session", _("information session")
    LEERTAFEL = "leertafel", _("learning table (leertafel)")
    DUOBAAN = "duobaan", _("duo job (duobaan)")
    JOB_EVENT = "job_event", _("job event")
    KICK_OFF = "kick_off", _("kick-off with fellow candidates")


class LeertafelKind(models.TextChoices):
    SEC_SEC = "sec_sec", _("SEC-SEC: social-economy employers among themselves")
    SEC_NEC = "sec_nec", _("SEC-NEC: with regular employers")


class DuobaanDirection(models.TextChoices):
    SEC_IN_NEC = "sec_in_nec", _("our supervisor helps lead a team at the regular employer")
    NEC_IN_SEC = "nec_in_sec", _("a manager of the regular employer helps lead one of our teams")


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
    # Participants besides the workers (``EventParticipant``): own staff and partner contacts.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("own staff taking part"), blank=True, related_name="+"
    )
    contacts = models.ManyToManyField(
        PartnerContact,
        verbose_name=_("partner contacts taking part"),
        blank=True,
        related_name="partner_events",
    )
    leertafel_kind = models.CharField(
        _("learning table between"), max_length=10, choices=LeertafelKind.choices, blank=True
    )
    duobaan_direction = models.CharField(
        _("direction of the duo job"), max_length=12, choices=DuobaanDirection.choices, blank=True
    )
    # The questionnaire after the shadow days of a duo job.
    questionnaire_on = models.DateField(_("questionnaire filled in on"), null=True, blank=True)
    questionnaire_leading = models.TextField(
        _("how the team is led and supported"), blank=True, max_length=4000
    )
    questionnaire_differences = models.TextField(
        _("what differs from your own workplace, and what is alike"), blank=True, max_length=4000
    )
    questionnaire_take_home = models.TextField(
        _("what you will use in your own organisation"), blank=True, max_length=4000
    )

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
