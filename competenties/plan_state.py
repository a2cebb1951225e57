"""The POP/PDP plan as a state machine, declared in one place (the shape of ``trajects.state``).

A plan's state is its status. ``TRANSITIONS`` lists every move a user can make;
:func:`apply` is the only code that changes a plan's status and what comes with it
(the agreement dates, the evaluation). ``competenties.services.plan_change_status``
calls it after checking the user's input; test factories reach a status through it.
Forms and the API derive their choices from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bwise.core.errors import DomainError


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    EVALUATED = "evaluated", _("Evaluated")


# What was agreed stays as it was agreed: to change it, reopen the plan as a draft.
LOCKED_STATUSES = frozenset({PlanStatus.AGREED, PlanStatus.EVALUATED})
# A plan the worker and the coach agreed on, whatever happened since (it counts as the year's POP).
AGREED_STATUSES = (PlanStatus.AGREED, PlanStatus.IN_PROGRESS, PlanStatus.EVALUATED)
# A plan whose actions are being carried out: their deadlines remind the coach.
RUNNING_STATUSES = (PlanStatus.AGREED, PlanStatus.IN_PROGRESS)


@dataclass(frozen=True)
class PlanTransition:
    name: str
    from_statuses: frozenset[str]
    to_status: str
    # The step records when the worker and the coach agreed (and the later of the two).
    records_agreement: bool = False
    # The step undoes the agreement: a reopened draft is agreed anew.
    clears_agreement: bool = False
    # The step writes the evaluation that closes the plan.
    records_evaluation: bool = False

    def applies_to(self, status: str) -> bool:
        return status in self.from_statuses


TRANSITIONS: dict[str, PlanTransition] = {
    t.name: t
    for t in [
        PlanTransition("agree", frozenset({PlanStatus.DRAFT}), PlanStatus.AGREED, records_agreement=True),
        PlanTransition("start", frozenset({PlanStatus.AGREED}), PlanStatus.IN_PROGRESS),
        PlanTransition("reopen", frozenset({PlanStatus.AGREED}), PlanStatus.DRAFT, clears_agreement=True),
        PlanTransition(
            "evaluate",
            frozenset({PlanStatus.IN_PROGRESS}),
            PlanStatus.EVALUATED,
            records_evaluation=True,
        ),
    ]
}


def allowed_statuses(status: str) -> tuple[str, ...]:
    """The statuses a plan can move to from ``status``, in the table's order."""
    return tuple(t.to_status for t in TRANSITIONS.values() if t.applies_to(status))


def transition_to(status: str, to_status: str) -> PlanTransition:
    """The step from ``status`` to ``to_status``; refused if the table has none."""
    for transition in TRANSITIONS.values():
        if transition.to_status == to_status and transition.applies_to(status):
            return transition
    raise _refusal(status, to_status)


def _refusal(status: str, to_status: str) -> DomainError:
    return DomainError(
        gettext("A plan cannot go from %(from)s to %(to)s.")
        % {
            "from": PlanStatus(status).label,
            "to": PlanStatus(to_status).label if to_status in PlanStatus.values else to_status,
        },
        field="to_status",
        code="transition_not_allowed",
    )


def apply(
    plan,
    transition: PlanTransition,
    *,
    agreed_by_worker_on=None,
    agreed_by_coach_on=None,
    evaluation: str = "",
) -> dict:
    """Move ``plan`` (in memory, unsaved) along ``transition``; returns the fields of its
    status-change row except the plan and who changed it. Checks only the table: the
    user's input is the service's to check before."""
    if not transition.applies_to(plan.status):
        raise _refusal(plan.status, transition.to_status)
    from_status = plan.status
    if transition.records_agreement:
        plan.agreed_by_worker_on = agreed_by_worker_on
        plan.agreed_by_coach_on = agreed_by_coach_on
        plan.agreed_on = max(agreed_by_worker_on, agreed_by_coach_on)
    elif transition.clears_agreement:
        plan.agreed_by_worker_on = plan.agreed_by_coach_on = plan.agreed_on = None
    if transition.records_evaluation:
        plan.evaluation = evaluation.strip()
    plan.status = transition.to_status
    return {"from_status": from_status, "to_status": plan.status}
