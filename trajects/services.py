"""Writes on workers, trajectories and voortraject records. Views and the API call these."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from bwise.roles import Role
from trajects import state, summaries
from trajects.models import (
    CoachingMoment,
    Intake,
    IntakeKind,
    JobDefinition,
    StarrNote,
    Team,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.state import (
    OUTCOME_PHASES,
    OUTCOMES_NEEDING_REASON,
    TRANSITIONS,
    Outcome,
    Trigger,
    guards_for,
)

# Workers


def worker_save(*, worker: Worker, by) -> Worker:
    """Create or update a worker of ``by``'s organisation."""
    worker.organisation_id = worker.organisation_id or by.organisation_id
    if worker.organisation_id != by.organisation_id:
        raise DomainError(_("This worker belongs to another organisation."), code="other_organisation")
    rules = Rules()
    with rules.check():
        worker_staff_check(worker=worker, by=by, coach=worker.coach, supervisor=worker.supervisor)
    if worker.external_id:
        clash = Worker.objects.unscoped(
            reason="uniqueness of the personnel number in the organisation"
        ).filter(organisation_id=worker.organisation_id, external_id=worker.external_id)
        if clash.exclude(pk=worker.pk).exists():
            rules.refuse(
                _("Another worker already has this external id."), field="external_id", code="duplicate"
            )
    previous = None
    if worker.pk is not None:
        previous = (
            Worker.objects.unscoped(reason="the team the worker leaves, to keep the team list")
            .filter(pk=worker.pk)
            .values_list("team", flat=True)
            .first()
        )
    with summaries.tracking(worker.organisation_id, [worker.pk] if worker.pk else []) as tracked:
        validated_save(worker, exclude=["organisation"], rules=rules)
        tracked.add(worker.pk)
        if previous != worker.team:
            teams_sync(organisation_id=worker.organisation_id, names={worker.team}, left={previous})
    return worker


def teams_sync(*, organisation_id, names, left=()) -> None:
    """Keep the organisation's team list in step with its workers: ``names`` are carried by
    workers now, ``left`` were carried by workers that changed team and leave the list when
    no worker carries them any more."""
    teams = Team.objects.unscoped(reason="the team list follows the organisation's workers")
    teams.bulk_create(
        [Team(organisation_id=organisation_id, name=name) for name in names if name], ignore_conflicts=True
    )
    left = {name for name in left if name} - set(names)
    if left:
        carried = Worker.objects.unscoped(reason="which teams workers still carry").filter(
            organisation_id=organisation_id, team__in=left
        )
        teams.filter(organisation_id=organisation_id, name__in=left).exclude(
            name__in=carried.values("team")
        ).delete()


def worker_staff_check(*, worker: Worker, by, coach, supervisor) -> None:
    """Refuse giving ``worker`` this coach and supervisor unless ``by`` may decide it.

    The coach (and the supervisor, for the worker record) is who gets to read the
    worker's data, so choosing them is a grant of access: on an existing worker only
    someone with ASSIGN_STAFF (HR) decides it, and never in their own favour, whatever
    other roles they combine. Registering a new worker is different: the record holds
    nothing yet, so its creator may take it on as coach. Form, API and import all come
    through here.
    """
    stored = (
        Worker.objects.unscoped(reason="compares a change with the stored coach and supervisor")
        .filter(pk=worker.pk)
        .values("coach_id", "supervisor_id")
        .first()
        if worker.pk
        else None
    )
    slots = (
        ("coach", coach, (Role.COACH, Role.HR), _("coach")),
        ("supervisor", supervisor, (Role.BEGELEIDER,), _("shop-floor supervisor")),
    )
    rules = Rules()
    for field, person, roles, label in slots:
        with rules.check():
            _staff_slot_check(worker, by, stored, field, person, roles, label)
    rules.raise_any()


def _staff_slot_check(worker, by, stored, field, person, roles, label) -> None:
    if person is not None and person.organisation_id != worker.organisation_id:
        raise DomainError(
            _("The %(role)s must work in your organisation.") % {"role": label},
            field=field,
            code="other_organisation",
        )
    new_id = person.pk if person is not None else None
    if stored is not None and stored[f"{field}_id"] == new_id:
        return
    if person is not None and not person.has_role(*roles):
        raise DomainError(
            _("%(name)s does not have the role of %(role)s.") % {"name": person, "role": label},
            field=field,
            code="missing_role",
        )
    if stored is None:
        return
    if not has_perm(by, Perm.ASSIGN_STAFF):
        raise DomainError(
            _("Only HR can change the %(role)s of a worker.") % {"role": label},
            field=field,
            code="not_allowed",
        )
    if new_id == by.pk:
        raise DomainError(
            _("You cannot make yourself the %(role)s of a worker; ask a colleague of HR.") % {"role": label},
            field=field,
            code="self_assignment",
        )


# Trajectories


def trajectory_start(*, worker: Worker, trigger: str, by, trigger_reason: str = "") -> Trajectory:
    rules = Rules()
    if trigger not in Trigger.values:
        rules.refuse(_("Choose why the trajectory starts."), field="trigger", code="required")
    if trigger == Trigger.ORGANISATION_PROPOSAL and not trigger_reason.strip():
        rules.refuse(
            _("Say why the organisation proposes this trajectory (for example the competency level)."),
            field="trigger_reason",
            code="required",
        )
    rules.raise_any()
    now = timezone.now()
    trajectory = Trajectory(
        worker=worker, trigger=trigger, trigger_reason=trigger_reason.strip(), started_at=now, started_by=by
    )
    row = state.apply(trajectory, state.START, at=now, reason=trajectory.trigger_reason)
    try:
        # The savepoint keeps an outer transaction usable after the constraint refuses.
        with summaries.tracking(worker.organisation_id, [worker.pk]):
            trajectory.save()
            TrajectoryTransition.objects.create(trajectory=trajectory, by=by, **row)
    except IntegrityError as err:
        # Two starts at once: the partial unique index lets only one through.
        raise DomainError(_("This worker already has an open trajectory."), code="already_open") from err
    return trajectory


def _check_transition(trajectory: Trajectory, transition_name: str, reason: str, outcome: str | None) -> None:
    transition = TRANSITIONS.get(transition_name)
    if transition is None:
        raise DomainError(
            _("This is not a step a trajectory can take."), field="transition", code="unknown_transition"
        )
    state.check_allowed(trajectory, transition)
    rules = Rules()
    if transition.is_close:
        if outcome not in Outcome.values:
            rules.refuse(_("Choose the outcome of the trajectory."), field="outcome", code="required")
        elif trajectory.phase not in OUTCOME_PHASES[outcome]:
            rules.refuse(
                _("The outcome “%(outcome)s” is not possible from %(phase)s.")
                % {"outcome": Outcome(outcome).label, "phase": trajectory.get_phase_display()},
                field="outcome",
                code="outcome_not_allowed",
            )
        if outcome in OUTCOMES_NEEDING_REASON and not reason:
            rules.refuse(_("Give the reason why the trajectory is stopped."), field="reason", code="required")
    elif outcome:
        rules.refuse(
            _("Only closing a trajectory has an outcome."), field="outcome", code="outcome_not_allowed"
        )
    if transition.reason_required and not reason:
        rules.refuse(_("Give the reason for stepping back a phase."), field="reason", code="required")
    rules.raise_any()
    for guard in guards_for(transition_name):
        guard(trajectory)


def trajectory_transition(
    *, trajectory: Trajectory, transition: str, by, reason: str = "", outcome: str | None = None
) -> Trajectory:
    """Take one step of the table in ``trajects.state`` for a user and log it; refuse anything
    the table, the user's input or the guards do not allow."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the row: two coaches clicking at once must not both move it.
        current = (
            Trajectory.objects.unscoped(reason="a service locks the trajectory it changes")
            .select_for_update()
            .get(pk=trajectory.pk)
        )
        _check_transition(current, transition, reason, outcome)
        row = state.apply(current, TRANSITIONS[transition], at=timezone.now(), outcome=outcome, reason=reason)
        with summaries.tracking(by.organisation_id, [current.worker_id]):
            current.save()
            TrajectoryTransition.objects.create(trajectory=current, by=by, **row)
    trajectory.refresh_from_db()
    return trajectory


# Voortraject records


def _require_open(trajectory: Trajectory) -> None:
    if trajectory.is_closed:
        raise DomainError(
            _("This trajectory is closed; its records can no longer change."), code="trajectory_closed"
        )


def intake_save(*, intake: Intake, by) -> Intake:
    _require_open(intake.trajectory)
    rules = Rules()
    second = intake.second_coach if intake.kind == IntakeKind.SECOND else None
    if second is not None and second.organisation_id != intake.trajectory.worker.organisation_id:
        rules.refuse(
            _("The second coach must work in your organisation."),
            field="second_coach",
            code="other_organisation",
        )
    if intake.completed_on and intake.kind == IntakeKind.FIRST and not intake.commitment_statement.strip():
        rules.refuse(
            _("A first intake is complete only with the commitment statement."),
            field="commitment_statement",
            code="required",
        )
    if intake.completed_on and intake.held_on and intake.completed_on < intake.held_on:
        rules.refuse(
            _("An intake cannot be completed before it was held."),
            field="completed_on",
            code="before_held",
        )
    if intake.pk is None:
        intake.created_by = by
        if (
            Intake.objects.unscoped(reason="uniqueness of the intake kind in the trajectory")
            .filter(trajectory=intake.trajectory, kind=intake.kind)
            .exists()
        ):
            rules.refuse(
                _("This trajectory already has this intake; edit it instead."), field="kind", code="duplicate"
            )
    with transaction.atomic():
        validated_save(intake, exclude=["trajectory", "created_by", "second_coach"], rules=rules)
    return intake


def starr_note_create(*, intake: Intake, by, **fields) -> StarrNote:
    _require_open(intake.trajectory)
    note = StarrNote(intake=intake, created_by=by, **fields)
    with transaction.atomic():
        validated_save(note, exclude=["intake", "created_by"])
    return note


def job_definition_save(*, trajectory: Trajectory, by, **fields) -> JobDefinition:
    _require_open(trajectory)
    with transaction.atomic():
        job, _created = (
            JobDefinition.objects.unscoped(reason="a service writes the trajectory's job definition")
            .select_for_update()
            .get_or_create(trajectory=trajectory)
        )
        for name, value in fields.items():
            setattr(job, name, value)
        job.updated_by = by
        job.updated_at = timezone.now()
        validated_save(job, exclude=["trajectory", "updated_by"])
    return job


def coaching_moment_create(*, worker: Worker, by, **fields) -> CoachingMoment:
    trajectory = worker.trajectories.current().first()
    moment = CoachingMoment(worker=worker, trajectory=trajectory, created_by=by, **fields)
    rules = Rules()
    if moment.next_steps_due and moment.held_on and moment.next_steps_due < moment.held_on:
        rules.refuse(
            _("The next steps cannot fall before the meeting they were agreed in."),
            field="next_steps_due",
            code="before_meeting",
        )
    with transaction.atomic():
        validated_save(moment, exclude=["worker", "trajectory", "created_by"], rules=rules)
    return moment
