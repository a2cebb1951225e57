"""The hire moves the trajectory to nazorg; the last follow-up contact closes it."""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.core.errors import DomainError, validated_save
from partners.models import FollowUp, FollowUpWith, Hire, VacancyStatus
from partners.services.common import open_trajectory, require_same_organisation
from trajects.models import EmploymentEndReason
from trajects.services import C4_REASON_NEC, trajectory_transition
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
    if hire.vacancy_id and hire.vacancy.partner_id != hire.employer_id:
        raise DomainError(_("The vacancy belongs to another partner."), field="vacancy", code="other_partner")
    hire.trajectory = trajectory
    hire.created_by = by
    with transaction.atomic():
        validated_save(hire, exclude=["worker", "trajectory", "employer", "vacancy", "created_by"])
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


def follow_up_log(*, follow_up: FollowUp, done_on, notes, by) -> FollowUp:
    """Log one follow-up contact; the last one ends nazorg and closes the trajectory."""
    require_same_organisation(follow_up.hire.worker.organisation_id, by, _("worker"))
    if follow_up.done_on is not None:
        raise DomainError(_("This contact is already logged."), code="already_logged")
    if not (notes or "").strip():
        raise DomainError(_("Write down what was said in the contact."), field="notes", code="required")
    if done_on > timezone.localdate():
        raise DomainError(_("A contact cannot be logged in the future."), field="done_on", code="future")
    if done_on < follow_up.hire.start_date:
        raise DomainError(
            _("A follow-up contact comes after the hire's start."), field="done_on", code="before_start"
        )
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.unscoped(reason="a service locks the follow-up it changes")
            .select_for_update()
            .get(pk=follow_up.pk)
        )
        follow_up.done_on = done_on
        follow_up.notes = notes.strip()
        follow_up.done_by = by
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
