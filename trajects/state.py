"""The doorstroom trajectory as a state machine, declared in one place.

A trajectory's state is its (phase, status) pair. ``START`` is how every
trajectory enters the machine and ``TRANSITIONS`` lists every move a user can make
after; :func:`apply` is the only code that changes a trajectory's phase or status.
The services call it after checking the user's input and the guards; demo data and
test factories reach their states through it too, so every state they write is one
the table can reach. Forms and the API derive their choices from this table, and
guards that need data from elsewhere (the partners app records hires) are
registered per transition name with :func:`register_guard`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bwise.core.errors import DomainError


class Phase(models.TextChoices):
    VOORTRAJECT = "voortraject", _("pre-trajectory (voortraject)")
    JOBMATCHING = "jobmatching", _("job matching")
    STAGE = "stage", _("work placement (stage)")
    NAZORG = "nazorg", _("aftercare (nazorg)")


PHASE_ORDER = [Phase.VOORTRAJECT, Phase.JOBMATCHING, Phase.STAGE, Phase.NAZORG]


class Status(models.TextChoices):
    OPEN = "open", _("open")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    EXTERN = "extern_doorgestroomd", _("moved on externally (extern doorgestroomd)")
    INTERN = "intern_doorgestroomd", _("moved on internally (intern doorgestroomd)")
    TERUG_NAAR_SEC = "terug_naar_sec", _("back to the social economy (terug naar SEC)")
    STOPGEZET = "stopgezet", _("stopped (stopgezet)")


class Trigger(models.TextChoices):
    OWN_REQUEST = "own_request", _("the worker's own request")
    LDE_OBLIGATION = "lde_obligation", _("the LDE obligation")
    ORGANISATION_PROPOSAL = "organisation_proposal", _("the organisation's proposal")


# In which phases each outcome makes sense: an external move needs a hire (nazorg);
# going back to the SEC presupposes having been out on a stage or a job.
OUTCOME_PHASES: dict[str, frozenset[str]] = {
    Outcome.EXTERN: frozenset({Phase.NAZORG}),
    Outcome.INTERN: frozenset(PHASE_ORDER),
    Outcome.TERUG_NAAR_SEC: frozenset({Phase.STAGE, Phase.NAZORG}),
    Outcome.STOPGEZET: frozenset(PHASE_ORDER),
}
OUTCOMES_NEEDING_REASON = frozenset({Outcome.STOPGEZET})

ALL_PHASES = frozenset(PHASE_ORDER)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    from_phases: frozenset[str]
    from_statuses: frozenset[str]
    to_status: str
    # None keeps the phase; otherwise the phase the trajectory moves to.
    to_phase: str | None = None
    reason_required: bool = False
    is_close: bool = False

    def applies_to(self, phase: str, status: str) -> bool:
        return phase in self.from_phases and status in self.from_statuses


def _advance(target: Phase, label) -> Transition:
    previous = PHASE_ORDER[PHASE_ORDER.index(target) - 1]
    return Transition(
        name=f"to_{target.value}",
        label=label,
        from_phases=frozenset({previous}),
        from_statuses=frozenset({Status.OPEN}),
        to_status=Status.OPEN,
        to_phase=target,
    )


def _step_back(target: Phase, label) -> Transition:
    following = PHASE_ORDER[PHASE_ORDER.index(target) + 1]
    return Transition(
        name=f"back_to_{target.value}",
        label=label,
        from_phases=frozenset({following}),
        from_statuses=frozenset({Status.OPEN}),
        to_status=Status.OPEN,
        to_phase=target,
        reason_required=True,
    )


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _advance(Phase.JOBMATCHING, _("Move on to job matching")),
        _advance(Phase.STAGE, _("Move on to a work placement")),
        _advance(Phase.NAZORG, _("Move on to aftercare")),
        _step_back(Phase.VOORTRAJECT, _("Step back to the pre-trajectory")),
        _step_back(Phase.JOBMATCHING, _("Step back to job matching")),
        _step_back(Phase.STAGE, _("Step back to the work placement")),
        Transition(
            name="pause",
            label=_("Pause"),
            from_phases=ALL_PHASES,
            from_statuses=frozenset({Status.OPEN}),
            to_status=Status.PAUSED,
        ),
        Transition(
            name="resume",
            label=_("Resume"),
            from_phases=ALL_PHASES,
            from_statuses=frozenset({Status.PAUSED}),
            to_status=Status.OPEN,
        ),
        Transition(
            name="close",
            label=_("Close with an outcome"),
            from_phases=ALL_PHASES,
            from_statuses=frozenset({Status.OPEN, Status.PAUSED}),
            to_status=Status.CLOSED,
            is_close=True,
        ),
    ]
}


# Not in TRANSITIONS: no state leads to it, so no form or API offers it.
START = Transition(
    name="start",
    label=_("Trajectory started"),
    from_phases=frozenset(),
    from_statuses=frozenset(),
    to_status=Status.OPEN,
    to_phase=Phase.VOORTRAJECT,
)

# A hire takes the trajectory to nazorg through these steps, in order. From job matching
# it skips the stage (both steps); from the stage it takes the last one.
HIRE_PATH = ("to_stage", "to_nazorg")


def named(name: str) -> Transition | None:
    """The step a history row names, the start included."""
    return START if name == START.name else TRANSITIONS.get(name)


def path_from(phase: str, names: tuple[str, ...]) -> list[Transition]:
    """The rest of the path ``names`` from the first step that leaves ``phase``; empty if none does."""
    for index, name in enumerate(names):
        if phase in TRANSITIONS[name].from_phases:
            return [TRANSITIONS[n] for n in names[index:]]
    return []


def check_allowed(trajectory, transition: Transition) -> None:
    """Refuse a step the table does not allow from the trajectory's state."""
    if transition is START:
        if trajectory.pk is not None:
            raise DomainError(gettext("This trajectory has already started."), code="already_started")
        return
    if not transition.applies_to(trajectory.phase, trajectory.status):
        raise DomainError(
            gettext("“%(step)s” is not possible for a trajectory that is %(status)s in %(phase)s.")
            % {
                "step": transition.label,
                "status": trajectory.get_status_display(),
                "phase": trajectory.get_phase_display(),
            },
            code="transition_not_allowed",
        )


def apply(trajectory, transition: Transition, *, at, outcome: str | None = None, reason: str = "") -> dict:
    """Move ``trajectory`` (in memory, unsaved) along ``transition`` at the moment ``at``.

    Returns the fields of its history row except the trajectory and who took the step;
    the caller saves both. Checks only the table: the user's input and the guards are
    the service's to check before, since replayed histories have neither.
    """
    check_allowed(trajectory, transition)
    if transition is START:
        from_phase = from_status = ""
    else:
        from_phase, from_status = trajectory.phase, trajectory.status
    if transition.to_phase and (transition is START or transition.to_phase != trajectory.phase):
        trajectory.phase = transition.to_phase
        trajectory.phase_since = at
    trajectory.status = transition.to_status
    if transition.is_close:
        trajectory.outcome = outcome or ""
        trajectory.closed_at = at
        trajectory.closed_reason = reason
    return {
        "name": transition.name,
        "at": at,
        "from_phase": from_phase,
        "to_phase": trajectory.phase,
        "from_status": from_status,
        "to_status": trajectory.status,
        "outcome": outcome or "",
        "reason": reason,
    }


def available_transitions(phase: str, status: str) -> list[Transition]:
    """What the table allows from a state, before guards look at the records."""
    return [t for t in TRANSITIONS.values() if t.applies_to(phase, status)]


def outcomes_for(phase: str) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Outcome.choices if phase in OUTCOME_PHASES[value]]


# A guard takes the trajectory and raises DomainError (with a message saying what is
# missing) to refuse. Several guards per transition run in registration order.
Guard = Callable[[object], None]
_GUARDS: dict[str, list[Guard]] = {}


def register_guard(transition_name: str, guard: Guard) -> Guard:
    if transition_name not in TRANSITIONS:
        raise KeyError(f"unknown transition {transition_name!r}")
    _GUARDS.setdefault(transition_name, []).append(guard)
    return guard


def guards_for(transition_name: str) -> list[Guard]:
    return list(_GUARDS.get(transition_name, []))


# Hires are recorded by the partners app, which calls ``register_hire_check`` from
# its AppConfig.ready(). Until it does, no trajectory can reach nazorg.
_hire_check: Callable[[object], bool] | None = None


def register_hire_check(check: Callable[[object], bool]) -> None:
    global _hire_check  # noqa: PLW0603 - one process-wide hook, set once at start-up
    _hire_check = check


def _requires_intake_and_job_target(trajectory) -> None:
    if not trajectory.intakes.filter(kind="first", completed_on__isnull=False).exists():
        raise DomainError(
            gettext("Record and complete the first intake before moving on to job matching."),
            code="first_intake_missing",
        )
    job = getattr(trajectory, "job_definition", None)
    if job is None or not job.job_target.strip():
        raise DomainError(
            gettext("Set a job target in the job definition before moving on to job matching."),
            code="job_target_missing",
        )


def _requires_hire(trajectory) -> None:
    if _hire_check is None or not _hire_check(trajectory):
        raise DomainError(
            gettext("Record the hire first: aftercare starts once the worker has been hired."),
            code="hire_missing",
        )


register_guard("to_jobmatching", _requires_intake_and_job_target)
register_guard("to_nazorg", _requires_hire)
