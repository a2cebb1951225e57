"""The hire moves the trajectory to nazorg; the last follow-up contact closes it."""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.core.errors import DomainError, Rules, validate, validated_save
from partners.models import FollowUp, FollowUpWith, Hire, VacancyStatus
from partners.services.common import open_trajectory, require_same_organisation
from trajects.services import trajectory_transition
from trajects.state import HIRE_PATH, Outcome, path_from

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
    with transaction.atomic():
        stored = (
            Hire.objects.unscoped(reason="a service locks the hire it changes")
            .select_for_update()
            .get(pk=hire.pk)
        )
        validated_save(
            hire,
            exclude=["worker", "trajectory", "employer", "vacancy", "created_by"],
            update_fields=["contract_type", "start_date", "wage_subsidy", "c4_reason"],
        )
        if stored.start_date != hire.start_date:
            old, new = nazorg_schedule(stored.start_date), nazorg_schedule(hire.start_date)
            moved = dict(zip(old, new, strict=True))
            for follow_up in hire.follow_ups.open():
                if follow_up.due_on in moved:
                    follow_up.due_on = moved[follow_up.due_on]
                    follow_up.save(update_fields=["due_on"])
    return hire


def follow_up_log(*, follow_up: FollowUp, done_on, notes, by) -> FollowUp:
    """Log one follow-up contact; the last one ends nazorg and closes the trajectory."""
    require_same_organisation(follow_up.hire.worker.organisation_id, by, _("worker"))
    if follow_up.done_on is not None:
        raise DomainError(_("This contact is already logged."), code="already_logged")
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
        follow_up = (
            FollowUp.objects.unscoped(reason="a service locks the follow-up it changes")
            .select_for_update()
            .get(pk=follow_up.pk)
        )
        follow_up.done_on = done_on
        follow_up.notes = notes.strip()
        follow_up.done_by = by
        validate(follow_up, exclude=["hire", "done_by"])
        follow_up.save()
        trajectory = follow_up.hire.trajectory
        if not follow_up.hire.follow_ups.open().exists() and not trajectory.is_closed:
            trajectory_transition(
                trajectory=trajectory,
                transition="close",
                by=by,
                outcome=Outcome.EXTERN,
                reason=_("Aftercare completed."),
            )
    return follow_up
