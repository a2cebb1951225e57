from django.db import transaction
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from bwise.roles import Role
from competenties.models import JobProfileKind
from partners.models import (
    Application,
    Partner,
    PartnerEvent,
    PartnerEventKind,
    TrainingSession,
    Vacancy,
    Visit,
    VisitChecklist,
)
from partners.models.register import DEFAULT_VISIT_CHECKLIST
from partners.services.common import require_same_organisation


def partner_save(*, partner: Partner, by) -> Partner:
    partner.organisation_id = partner.organisation_id or by.organisation_id
    require_same_organisation(partner.organisation_id, by, _("partner"))
    clash = Partner.objects.unscoped(reason="uniqueness of the partner name in the organisation").filter(
        organisation_id=partner.organisation_id, name__iexact=partner.name
    )
    rules = Rules()
    if clash.exclude(pk=partner.pk).exists():
        rules.refuse(_("A partner with this name is already registered."), field="name", code="duplicate")
    if partner.owner_id is not None and (
        partner.owner.organisation_id != partner.organisation_id or not partner.owner.has_role(Role.COACH)
    ):
        rules.refuse(
            _("Choose a coach of your organisation to keep in touch with the partner."),
            field="owner",
            code="owner_not_coach",
        )
    with transaction.atomic():
        validated_save(partner, exclude=["organisation", "owner"], rules=rules)
    return partner


def partner_child_save(*, record, by):
    """Contacts, commitments, activities and visits: records that only hang off a partner."""
    require_same_organisation(record.partner.organisation_id, by, _("partner"))
    if hasattr(record, "by_id") and record.pk is None:
        record.by = by
    rules = Rules()
    if getattr(record, "done_on", None) and record.planned_on and record.done_on < record.planned_on:
        rules.refuse(
            _("A visit cannot be done before the date it was planned."),
            field="done_on",
            code="before_planned",
        )
    with transaction.atomic():
        validated_save(record, exclude=["partner", "by"], rules=rules)
    return record


def visit_save(*, visit: Visit, by, visitors=None, partner_contacts=None) -> Visit:
    """Plan or record a company visit and who visited whom: our people and the partner's."""
    for user in visitors or []:
        require_same_organisation(user.organisation_id, by, _("visitor"))
    for contact in partner_contacts or []:
        if contact.partner_id != visit.partner_id:
            raise DomainError(
                _("%(name)s is a contact of another partner.") % {"name": contact.name},
                field="partner_contacts",
                code="other_partner",
            )
    with transaction.atomic():
        partner_child_save(record=visit, by=by)
        if visitors is not None:
            visit.visitors.set(visitors)
        if partner_contacts is not None:
            visit.partner_contacts.set(partner_contacts)
    return visit


def visit_checklist_lines(organisation_id) -> list[str]:
    """The organisation's checklist for a new visit, or the default items until it has one."""
    checklist = (
        VisitChecklist.objects.unscoped(reason="the organisation's own checklist, by its id")
        .filter(organisation_id=organisation_id)
        .first()
    )
    return checklist.lines if checklist else [str(item) for item in DEFAULT_VISIT_CHECKLIST]


def visit_checklist_save(*, items: str, by) -> VisitChecklist:
    if not has_perm(by, Perm.MANAGE_PARTNERS):
        raise DomainError(_("Only who manages the partners can change the checklist."), code="not_allowed")
    checklist = (
        VisitChecklist.objects.unscoped(reason="the caller's own organisation's checklist")
        .filter(organisation_id=by.organisation_id)
        .first()
    ) or VisitChecklist(organisation_id=by.organisation_id)
    checklist.items = "\n".join(line.strip() for line in items.splitlines() if line.strip())
    rules = Rules()
    if not checklist.items:
        rules.refuse(_("Keep at least one item on the checklist."), field="items", code="required")
    with transaction.atomic():
        validated_save(checklist, exclude=["organisation"], rules=rules)
    return checklist


# The fields that belong to one kind of event only: emptied for the other kinds.
EVENT_KIND_FIELDS = {
    PartnerEventKind.LEERTAFEL: {"leertafel_kind": ""},
    PartnerEventKind.DUOBAAN: {
        "duobaan_direction": "",
        "questionnaire_on": None,
        "questionnaire_leading": "",
        "questionnaire_differences": "",
        "questionnaire_take_home": "",
    },
}
KICK_OFF_MIN_WORKERS = 2


def _check_event(event: PartnerEvent, workers) -> None:
    for kind, fields in EVENT_KIND_FIELDS.items():
        if kind != event.kind:
            for name, empty in fields.items():
                setattr(event, name, empty)
    refusals = []
    if event.kind == PartnerEventKind.LEERTAFEL and not event.leertafel_kind:
        refusals.append(
            ("leertafel_kind", _("Say whether the learning table is SEC-SEC or SEC-NEC."), "required")
        )
    if event.kind == PartnerEventKind.DUOBAAN:
        if not event.duobaan_direction:
            refusals.append(("duobaan_direction", _("Say who shadows whom in the duo job."), "required"))
        if event.questionnaire_on and event.questionnaire_on < event.held_on:
            refusals.append(
                (
                    "questionnaire_on",
                    _("The questionnaire follows the shadow days: not before the duo job."),
                    "before_event",
                )
            )
    if (
        event.kind == PartnerEventKind.KICK_OFF
        and workers is not None
        and len(workers) < KICK_OFF_MIN_WORKERS
    ):
        refusals.append(
            (
                "participants",
                _("A kick-off brings fellow candidates together: add at least two workers."),
                "too_few",
            )
        )
    if refusals:
        (field, message, code), *more = refusals
        raise DomainError(message, field=field, code=code, more=[(f, m) for f, m, _c in more])


def partner_event_save(
    *, event: PartnerEvent, by, participants=None, staff=None, contacts=None
) -> PartnerEvent:
    """An event with its participants of every kind: workers, own staff, partner contacts."""
    event.organisation_id = event.organisation_id or by.organisation_id
    require_same_organisation(event.organisation_id, by, _("event"))
    if event.partner_id:
        require_same_organisation(event.partner.organisation_id, by, _("partner"))
    for user in staff or []:
        require_same_organisation(user.organisation_id, by, _("staff member"))
    for contact in contacts or []:
        require_same_organisation(contact.partner.organisation_id, by, _("partner contact"))
    workers = list(participants) if participants is not None else None
    if workers is None and event.pk:
        workers = [p.worker for p in event.participants.select_related("worker")]
    _check_event(event, workers)
    with transaction.atomic():
        validated_save(event, exclude=["organisation", "partner", "staff", "contacts"])
        if participants is not None:
            _set_participants(event, workers, by)
        if staff is not None:
            event.staff.set(staff)
        if contacts is not None:
            event.contacts.set(contacts)
    return event


def _set_participants(parent, workers, by):
    for worker in workers:
        require_same_organisation(worker.organisation_id, by, _("participant"))
    parent.participants.exclude(worker__in=workers).delete()
    existing = set(parent.participants.values_list("worker_id", flat=True))
    model = parent.participants.model
    fk = parent.participants.field.name
    model.objects.bulk_create([model(**{fk: parent, "worker": w}) for w in workers if w.pk not in existing])


def vacancy_save(*, vacancy: Vacancy, by) -> Vacancy:
    require_same_organisation(vacancy.partner.organisation_id, by, _("partner"))
    rules = Rules()
    if vacancy.job_profile_id:
        require_same_organisation(vacancy.job_profile.organisation_id, by, _("job profile"))
        if vacancy.job_profile.kind != JobProfileKind.PARTNER_VACANCY:
            rules.refuse(
                _("Link the vacancy to a job profile of the kind “partner vacancy”."),
                field="job_profile",
                code="job_profile_kind",
            )
    with transaction.atomic():
        validated_save(vacancy, exclude=["partner"], rules=rules)
    return vacancy


def application_save(*, application: Application, by) -> Application:
    require_same_organisation(application.worker.organisation_id, by, _("worker"))
    require_same_organisation(application.partner.organisation_id, by, _("partner"))
    rules = Rules()
    if application.vacancy_id and application.vacancy.partner_id != application.partner_id:
        rules.refuse(_("The vacancy belongs to another partner."), field="vacancy", code="other_partner")
    if application.interview_on and application.sent_on and application.interview_on < application.sent_on:
        rules.refuse(
            _("The interview cannot come before the application was sent."),
            field="interview_on",
            code="before_sent",
        )
    if application.pk is None:
        application.created_by = by
    with transaction.atomic():
        validated_save(application, exclude=["worker", "partner", "vacancy", "created_by"], rules=rules)
    return application


def training_session_save(*, session: TrainingSession, by, participants=None) -> TrainingSession:
    session.organisation_id = session.organisation_id or by.organisation_id
    require_same_organisation(session.organisation_id, by, _("session"))
    rules = Rules()
    if session.provider == "external" and session.partner_id is None:
        rules.refuse(
            _("Name the partner that gives this external training."), field="partner", code="required"
        )
    participants = list(participants or [])
    if session.format == "individual" and len(participants) > 1:
        rules.refuse(
            _("An individual session has one participant."),
            field="participants",
            code="too_many_participants",
        )
    with transaction.atomic():
        validated_save(session, exclude=["organisation", "partner"], rules=rules)
        _set_participants(session, participants, by)
    return session
