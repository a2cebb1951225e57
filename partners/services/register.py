from django.db import transaction
from django.utils.translation import gettext as _

from bwise.core.errors import Rules, validated_save
from competenties.models import JobProfileKind
from partners.models import Application, Partner, PartnerEvent, TrainingSession, Vacancy
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
    with transaction.atomic():
        validated_save(partner, exclude=["organisation"], rules=rules)
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


def partner_event_save(*, event: PartnerEvent, by, participants=None) -> PartnerEvent:
    event.organisation_id = event.organisation_id or by.organisation_id
    require_same_organisation(event.organisation_id, by, _("event"))
    if event.partner_id:
        require_same_organisation(event.partner.organisation_id, by, _("partner"))
    with transaction.atomic():
        validated_save(event, exclude=["organisation", "partner"])
        if participants is not None:
            _set_participants(event, participants, by)
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
