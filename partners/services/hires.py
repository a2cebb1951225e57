"""The hire moves the trajectory to nazorg with a follow-up schedule that the coach adapts
(add, skip with a reason, reschedule); the coach closes the trajectory, never the last contact."""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.core.errors import DomainError, Rules, validate, validated_save
from partners.models import FollowUp, FollowUpWith, Hire, VacancyStatus
from partners.models.hires import ContractType
from partners.services.common import open_trajectory, require_same_organisation
from trajects.models import C4_REASON_NEC, EmploymentEndReason
from trajects.services import trajectory_transition
from trajects.state import HIRE_PATH, path_from

_OFFSET = re.compile(r"^(\d+)([wm])$")


def nazorg_schedule(start: datetime.date, offsets=None) -> list[datetime.date]:
    """The due dates of the follow-up contacts after a hire's start ("1w" = a week, "3m" = 3 months)."""
    dates = []
    for offset in offsets if offsets is not None else settings.NAZORG_FOLLOW_UP_OFFSETS:
        found = _OFFSET.match(offset.strip())
        if not found:
            raise ValueError(f"bad nazorg offset {offset!r}: use e.g. 1w or 3m")
        n, unit = int(found[1]), found[2]
        dates.append(start + (relativedelta(weeks=n) if unit == "w" else relativedelta(months=n)))
    return sorted(dates)


def has_hire(trajectory) -> bool:
    """The check trajects' to_nazorg guard asks for (registered in PartnersConfig.ready)."""
    return Hire.objects.unscoped(reason="one hire per trajectory").filter(trajectory=trajectory).exists()


def hire_end_proposal(worker) -> dict | None:
    """A hire in the regular economy ends the employment here by mutual consent on the day
    before the new contract starts, with the C4 reason the guide asks for (editable)."""
    hire = (
        Hire.objects.unscoped(reason="the worker's own hire, for the worker's page")
        .filter(worker=worker)
        .first()
    )
    if hire is None:
        return None
    return {
        "on": hire.start_date - datetime.timedelta(days=1),
        "reason": EmploymentEndReason.EXTERN,
        "c4_reason": hire.c4_reason or str(C4_REASON_NEC),
    }


def _wage_rules(hire: Hire, rules: Rules) -> None:
    if hire.agreed_wage is not None and hire.agreed_wage <= 0:
        rules.refuse(_("The agreed wage is an amount above zero."), field="agreed_wage", code="not_positive")
    if hire.contract_type == ContractType.INTENTION and hire.agreed_wage is None:
        rules.refuse(
            _("A written intention to hire names the agreed wage."), field="agreed_wage", code="required"
        )


def hire_record(*, hire: Hire, by) -> Hire:
    """Record the hire and move the trajectory to nazorg with its follow-up schedule."""
    require_same_organisation(hire.worker.organisation_id, by, _("worker"))
    require_same_organisation(hire.employer.organisation_id, by, _("employer"))
    trajectory = open_trajectory(hire.worker)
    steps = path_from(trajectory.phase, HIRE_PATH)
    if not steps:
        raise DomainError(_("A hire is recorded from job matching or a work placement."), code="hire_phase")
    if not steps[0].applies_to(trajectory.phase, trajectory.status):
        raise DomainError(_("Resume the trajectory before recording the hire."), code="trajectory_paused")
    rules = Rules()
    if hire.vacancy_id and hire.vacancy.partner_id != hire.employer_id:
        rules.refuse(_("The vacancy belongs to another partner."), field="vacancy", code="other_partner")
    _wage_rules(hire, rules)
    hire.trajectory = trajectory
    hire.created_by = by
    with transaction.atomic():
        validated_save(
            hire, exclude=["worker", "trajectory", "employer", "vacancy", "created_by"], rules=rules
        )
        FollowUp.objects.bulk_create(
            [
                FollowUp(hire=hire, with_whom=whom, due_on=due)
                for due in nazorg_schedule(hire.start_date)
                for whom in (FollowUpWith.WORKER, FollowUpWith.EMPLOYER)
            ]
        )
        if hire.vacancy_id:
            hire.vacancy.status = VacancyStatus.FILLED
            hire.vacancy.save(update_fields=["status"])
        # A direct hire skips the stage; the table still takes the phases one by one.
        for step in steps[:-1]:
            reason = _("Hired directly from job matching.")
            trajectory_transition(trajectory=trajectory, transition=step.name, by=by, reason=reason)
        last = steps[-1].name
        trajectory_transition(trajectory=trajectory, transition=last, by=by, reason=str(hire.employer))
    return hire


def hire_save(*, hire: Hire, by) -> Hire:
    """Correct a recorded hire's contract details. Worker, employer and trajectory stay as
    recorded; a new start date moves the follow-up contacts not yet logged along with it."""
    require_same_organisation(hire.worker.organisation_id, by, _("worker"))
    rules = Rules()
    _wage_rules(hire, rules)
    with transaction.atomic():
        stored = (
            Hire.objects.unscoped(reason="a service locks the hire it changes")
            .select_for_update()
            .get(pk=hire.pk)
        )
        validated_save(
            hire,
            exclude=["worker", "trajectory", "employer", "vacancy", "created_by"],
            update_fields=["contract_type", "start_date", "wage_subsidy", "c4_reason", "agreed_wage"],
            rules=rules,
        )
        if stored.start_date != hire.start_date:
            old, new = nazorg_schedule(stored.start_date), nazorg_schedule(hire.start_date)
            moved = dict(zip(old, new, strict=True))
            for follow_up in hire.follow_ups.open():
                if follow_up.due_on in moved:
                    follow_up.due_on = moved[follow_up.due_on]
                    follow_up.save(update_fields=["due_on"])
    return hire


def hire_warnings(hire: Hire) -> list[str]:
    """What the coach should hear about the hire without it being refused."""
    warnings = []
    if hire.contract_warning:
        warnings.append(
            _(
                "A %(contract)s gives the worker less security than the job at the social-economy "
                "employer. Ask for an open-ended contract, or a written intention to hire that names "
                "the wage."
            )
            % {"contract": hire.get_contract_type_display()}
        )
    return warnings


def activa_application_record(*, hire: Hire, applied_on, accompanied: bool, by) -> Hire:
    """The ACTIVA-werkkaart application at the RVA. The card is issued only after the worker
    has left, so the application comes after the last day of employment, never before."""
    worker = hire.worker
    require_same_organisation(worker.organisation_id, by, _("worker"))
    rules = Rules()
    if applied_on is None:
        rules.refuse(_("Give the date of the application."), field="applied_on", code="required")
    elif worker.employment_end is None:
        rules.refuse(
            _("Record the end of employment first: the ACTIVA-werkkaart is applied for after it."),
            field="applied_on",
            code="employment_not_ended",
        )
    elif applied_on <= worker.employment_end:
        rules.refuse(
            _("The ACTIVA-werkkaart is applied for after the end of employment (%(date)s), not before.")
            % {"date": date_format(worker.employment_end)},
            field="applied_on",
            code="before_resignation",
        )
    elif applied_on > timezone.localdate():
        rules.refuse(_("An application cannot be recorded in the future."), field="applied_on", code="future")
    hire.activa_applied_on = applied_on
    hire.activa_accompanied = bool(accompanied)
    with transaction.atomic():
        validated_save(
            hire, exclude=["worker", "trajectory", "employer", "vacancy", "created_by"], rules=rules
        )
    return hire


def _require_nazorg_open(hire: Hire) -> None:
    # Read again: the trajectory may have been closed since the hire was loaded.
    hire.trajectory.refresh_from_db(fields=["status"])
    if hire.trajectory.is_closed:
        raise DomainError(
            _("The trajectory is closed; its aftercare contacts can no longer change."),
            code="trajectory_closed",
        )


def _require_after_start(hire: Hire, day, field: str) -> None:
    if day < hire.start_date:
        raise DomainError(
            _("A follow-up contact comes after the hire's start."), field=field, code="before_start"
        )


def _require_to_take(follow_up: FollowUp) -> None:
    if follow_up.done_on is not None:
        raise DomainError(_("This contact is already logged."), code="already_logged")
    if follow_up.skipped_on is not None:
        raise DomainError(_("This contact was skipped."), code="already_skipped")


def _locked(follow_up: FollowUp) -> FollowUp:
    return (
        FollowUp.objects.unscoped(reason="a service locks the follow-up it changes")
        .select_for_update()
        .select_related("hire__trajectory", "hire__worker")
        .get(pk=follow_up.pk)
    )


def follow_up_add(*, hire: Hire, with_whom: str, due_on, by) -> FollowUp:
    """A contact beyond the default schedule, when the former worker or employer needs it."""
    require_same_organisation(hire.worker.organisation_id, by, _("worker"))
    _require_nazorg_open(hire)
    rules = Rules()
    if with_whom not in FollowUpWith.values:
        rules.refuse(_("Choose with whom the contact is."), field="with_whom", code="required")
    if due_on is None:
        rules.refuse(_("Give the date of the contact."), field="due_on", code="required")
    else:
        with rules.check():
            _require_after_start(hire, due_on, "due_on")
    follow_up = FollowUp(hire=hire, with_whom=with_whom, due_on=due_on, added_by=by)
    with transaction.atomic():
        validated_save(follow_up, exclude=["hire", "added_by", "done_by"], rules=rules)
    return follow_up


def follow_up_skip(*, follow_up: FollowUp, reason: str, by) -> FollowUp:
    """Leave out a contact of the schedule, saying why (e.g. the worker is settled)."""
    require_same_organisation(follow_up.hire.worker.organisation_id, by, _("worker"))
    if not (reason or "").strip():
        raise DomainError(_("Say why this contact is skipped."), field="reason", code="required")
    with transaction.atomic():
        follow_up = _locked(follow_up)
        _require_nazorg_open(follow_up.hire)
        _require_to_take(follow_up)
        follow_up.skipped_on = timezone.localdate()
        follow_up.skip_reason = reason.strip()
        follow_up.done_by = by
        follow_up.save(update_fields=["skipped_on", "skip_reason", "done_by"])
    return follow_up


def follow_up_reschedule(*, follow_up: FollowUp, due_on, by) -> FollowUp:
    require_same_organisation(follow_up.hire.worker.organisation_id, by, _("worker"))
    if due_on is None:
        raise DomainError(_("Give the new date of the contact."), field="due_on", code="required")
    with transaction.atomic():
        follow_up = _locked(follow_up)
        _require_nazorg_open(follow_up.hire)
        _require_to_take(follow_up)
        _require_after_start(follow_up.hire, due_on, "due_on")
        follow_up.due_on = due_on
        follow_up.save(update_fields=["due_on"])
    return follow_up


def follow_up_log(*, follow_up: FollowUp, done_on, notes, by) -> FollowUp:
    """Log one follow-up contact. The last one does not close the trajectory: the coach
    closes it when the aftercare is done."""
    require_same_organisation(follow_up.hire.worker.organisation_id, by, _("worker"))
    _require_to_take(follow_up)
    rules = Rules()
    if not (notes or "").strip():
        rules.refuse(_("Write down what was said in the contact."), field="notes", code="required")
    if done_on > timezone.localdate():
        rules.refuse(_("A contact cannot be logged in the future."), field="done_on", code="future")
    elif done_on < follow_up.hire.start_date:
        rules.refuse(
            _("A follow-up contact comes after the hire's start."), field="done_on", code="before_start"
        )
    rules.raise_any()
    with transaction.atomic():
        follow_up = _locked(follow_up)
        _require_to_take(follow_up)
        follow_up.done_on = done_on
        follow_up.notes = notes.strip()
        follow_up.done_by = by
        validate(follow_up, exclude=["hire", "done_by"])
        follow_up.save()
    return follow_up
