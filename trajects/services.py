"""Writes on workers, trajectories and voortraject records. Views and the API call these."""

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from bwise.roles import Role
from trajects import state, summaries
from trajects.models import (
    CoachingMoment,
    EmploymentEndReason,
    IcfDistance,
    Intake,
    IntakeKind,
    JobDefinition,
    KickOff,
    KickOffParticipant,
    Persona,
    StarrNote,
    Statuut,
    StatuutPeriod,
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
    stored = {}
    if worker.pk is not None:
        stored = (
            Worker.objects.unscoped(reason="the team and statuut the worker leaves")
            .filter(pk=worker.pk)
            .values("team", "statuut", "statuut_start")
            .first()
        ) or {}
    with rules.check():
        statuut_change_check(worker=worker, stored=stored)
    if worker.employment_start is None and worker.pk is None:
        worker.employment_start = worker.statuut_start
    with summaries.tracking(worker.organisation_id, [worker.pk] if worker.pk else []) as tracked:
        validated_save(worker, exclude=["organisation"], rules=rules)
        tracked.add(worker.pk)
        if stored.get("team") != worker.team:
            teams_sync(organisation_id=worker.organisation_id, names={worker.team}, left={stored.get("team")})
        statuut_periods_sync(worker=worker, by=by)
    return worker


def statuut_change_check(*, worker: Worker, stored: dict) -> None:
    """A new statuut starts on a date after the previous one's start: the history of
    periods (and the LDE limit, counted from the LDE period) needs both."""
    previous = stored.get("statuut")
    if not previous or previous == worker.statuut or not worker.statuut:
        return
    if worker.statuut_start is None:
        raise DomainError(
            _("Give the date from which the new statuut applies."), field="statuut_start", code="required"
        )
    since = stored.get("statuut_start")
    if since is not None and worker.statuut_start <= since:
        raise DomainError(
            _("The new statuut must start after the previous one, which started on %(date)s.")
            % {"date": date_format(since)},
            field="statuut_start",
            code="statuut_start_too_early",
        )


def statuut_periods_sync(*, worker: Worker, by) -> None:
    """Keep the statuut history's newest period equal to the worker's statuut: a new statuut
    opens a period, a corrected start date corrects the current one."""
    if not worker.statuut:
        return
    periods = StatuutPeriod.objects.unscoped(reason="a service keeps the worker's statuut history")
    current = periods.filter(worker=worker).order_by("-start", "-pk").first()
    if current is not None and current.statuut == worker.statuut:
        if current.start != worker.statuut_start:
            current.start = worker.statuut_start
            current.save(update_fields=["start"])
        return
    periods.create(worker=worker, statuut=worker.statuut, start=worker.statuut_start, recorded_by=by)


# The organisation's doorstroom settings


def lde_reminder_months_set(*, organisation, months: int, by):
    """How many months after the LDE start the coach hears of a missing trajectory; the
    organisation's own administrator decides it."""
    if not (by.is_active and by.has_role(Role.BEHEERDER) and by.organisation_id == organisation.pk):
        raise DomainError(
            _("Only an administrator of this organisation can change its settings."), code="not_allowed"
        )
    if months is None or not 1 <= months <= 60:
        raise DomainError(
            _("Choose between 1 and 60 months (the LDE limit is five years)."),
            field="months",
            code="out_of_range",
        )
    organisation.lde_trajectory_reminder_months = months
    organisation.save(update_fields=["lde_trajectory_reminder_months"])
    return organisation


# The end of employment


# Apps that know why a worker leaves (partners: a hire) propose the end of employment.
EndProposal = Callable[[Worker], dict | None]
_end_proposals: list[EndProposal] = []


def register_end_proposal(proposal: EndProposal) -> None:
    if proposal not in _end_proposals:
        _end_proposals.append(proposal)


def employment_end_proposal(worker: Worker) -> dict | None:
    """The end of employment an app proposes for ``worker`` (date, reason, C4 reason), if any."""
    for proposal in _end_proposals:
        found = proposal(worker)
        if found:
            return found
    return None


def employment_end_record(
    *,
    worker: Worker,
    on: datetime.date,
    reason: str,
    by,
    c4_reason: str = "",
    notes: str = "",
) -> Worker:
    """Record the last day of the worker's employment and why. The worker leaves the caseload
    and every count of today from the day after; the records stay."""
    rules = Rules()
    if on is None:
        rules.refuse(_("Give the last day of employment."), field="on", code="required")
    if reason not in EmploymentEndReason.values:
        rules.refuse(_("Choose why the employment ends."), field="reason", code="required")
    if reason == EmploymentEndReason.OTHER and not (notes or "").strip():
        rules.refuse(_("Describe the reason when you choose “other”."), field="notes", code="required")
    if on is not None and worker.employment_start is not None and on < worker.employment_start:
        rules.refuse(
            _("The employment cannot end before it started (%(date)s).")
            % {"date": date_format(worker.employment_start)},
            field="on",
            code="end_before_start",
        )
    open_trajectory = worker.trajectories.current().first()
    if open_trajectory is not None and open_trajectory.phase != "nazorg":
        raise DomainError(
            _(
                "%(name)s still has an open trajectory in %(phase)s. Close it first, or record the hire "
                "when the worker moves on to the regular economy."
            )
            % {"name": worker.full_name, "phase": open_trajectory.get_phase_display()},
            code="trajectory_open",
        )
    rules.raise_any()
    with summaries.tracking(worker.organisation_id, [worker.pk]):
        worker = (
            Worker.objects.unscoped(reason="a service locks the worker it changes")
            .select_for_update()
            .get(pk=worker.pk)
        )
        worker.employment_end = on
        worker.employment_end_reason = reason
        worker.employment_end_c4_reason = (c4_reason or "").strip()
        worker.employment_end_notes = (notes or "").strip()
        validated_save(worker, exclude=["organisation"])
    return worker


def employment_end_undo(*, worker: Worker, by) -> Worker:
    """Take back an end of employment recorded by mistake (the history keeps it)."""
    with summaries.tracking(worker.organisation_id, [worker.pk]):
        worker = (
            Worker.objects.unscoped(reason="a service locks the worker it changes")
            .select_for_update()
            .get(pk=worker.pk)
        )
        worker.employment_end = None
        worker.employment_end_reason = worker.employment_end_c4_reason = worker.employment_end_notes = ""
        validated_save(worker, exclude=["organisation"])
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


def trajectory_start(
    *,
    worker: Worker,
    trigger: str,
    by,
    trigger_reason: str = "",
    pretext_ruled_out: bool = False,
    distance_confirmed: bool = False,
    distance_reason: str = "",
) -> Trajectory:
    """Start a trajectory. A start the organisation proposes needs its reason and the
    coach's word that it is no way to end the employment; for a worker who is far from the
    labour market (persona "Veilig hier", a large ICF distance) also an explicit
    confirmation with its own reason. Both are kept in the start's history row."""
    if not worker.is_employed_on(timezone.localdate()):
        raise DomainError(
            _("%(name)s no longer works here: a trajectory starts only for a current worker.")
            % {"name": worker.full_name},
            code="not_employed",
        )
    rules = Rules()
    if trigger not in Trigger.values:
        rules.refuse(_("Choose why the trajectory starts."), field="trigger", code="required")
    elif trigger == Trigger.LDE_OBLIGATION and worker.statuut != Statuut.LDE:
        rules.refuse(
            _("The LDE obligation applies only to a worker with the LDE statuut; choose another reason."),
            field="trigger",
            code="not_lde",
        )
    trigger_reason = trigger_reason.strip()
    distance_reason = distance_reason.strip()
    reason = trigger_reason
    if trigger == Trigger.ORGANISATION_PROPOSAL:
        if not trigger_reason:
            rules.refuse(
                _("Say why the organisation proposes this trajectory (for example the competency level)."),
                field="trigger_reason",
                code="required",
            )
        if not pretext_ruled_out:
            rules.refuse(
                _("Confirm that this trajectory is not a way to end the worker's employment."),
                field="pretext_ruled_out",
                code="pretext_not_ruled_out",
            )
        if needs_distance_confirmation(worker):
            if not distance_confirmed or not distance_reason:
                rules.refuse(
                    _(
                        "This worker is far from the labour market. Confirm explicitly that you propose "
                        "the trajectory anyway, and say why."
                    ),
                    field="distance_reason",
                    code="distance_not_confirmed",
                )
            reason = _("%(reason)s\nConfirmed despite the distance to the labour market: %(why)s") % {
                "reason": trigger_reason,
                "why": distance_reason,
            }
    rules.raise_any()
    now = timezone.now()
    trajectory = Trajectory(
        worker=worker, trigger=trigger, trigger_reason=trigger_reason, started_at=now, started_by=by
    )
    row = state.apply(trajectory, state.START, at=now, reason=reason)
    try:
        # The savepoint keeps an outer transaction usable after the constraint refuses.
        with summaries.tracking(worker.organisation_id, [worker.pk]):
            trajectory.save()
            TrajectoryTransition.objects.create(trajectory=trajectory, by=by, **row)
    except IntegrityError as err:
        # Two starts at once: the partial unique index lets only one through.
        raise DomainError(_("This worker already has an open trajectory."), code="already_open") from err
    return trajectory


def needs_distance_confirmation(worker: Worker) -> bool:
    """Persona "Veilig hier" or a large ICF distance: the guide warns that external moves
    rarely succeed from there, so an organisation's proposal asks for an explicit yes."""
    return worker.persona == Persona.VEILIG_HIER or worker.icf_distance == IcfDistance.LARGE


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


# Scans of the paper intake questionnaire: what a phone or a scanner makes, within reason.
QUESTIONNAIRE_TYPES = {"pdf": b"%PDF", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG"}
QUESTIONNAIRE_MAX_BYTES = 10 * 1024 * 1024


def _check_second_coach(intake: Intake) -> None:
    """Intake 2's second coach is someone other than the worker's own coach: a colleague,
    or someone from outside named with their organisation."""
    worker = intake.trajectory.worker
    second = intake.second_coach if intake.kind == IntakeKind.SECOND else None
    external = intake.external_second_coach.strip(), intake.external_second_coach_organisation.strip()
    if second is not None and second.organisation_id != worker.organisation_id:
        raise DomainError(
            _("The second coach must work in your organisation."),
            field="second_coach",
            code="other_organisation",
        )
    if second is not None and second.pk == worker.coach_id:
        raise DomainError(
            _("The second coach must be someone other than the worker's own coach."),
            field="second_coach",
            code="own_coach",
        )
    if second is not None and any(external):
        raise DomainError(
            _("Choose a colleague or name someone from outside, not both."),
            field="external_second_coach",
            code="both_second_coaches",
        )
    if any(external) and not all(external):
        raise DomainError(
            _("Name the external second coach and their organisation."),
            field="external_second_coach_organisation" if external[0] else "external_second_coach",
            code="required",
        )


def _check_questionnaire(intake: Intake) -> None:
    scan = intake.questionnaire_scan
    if not scan or getattr(scan, "_committed", True):
        return
    if intake.kind != IntakeKind.FIRST:
        raise DomainError(
            _("The intake questionnaire is kept with the first intake."),
            field="questionnaire_scan",
            code="first_intake_only",
        )
    suffix = scan.name.rsplit(".", 1)[-1].lower() if "." in scan.name else ""
    if suffix not in QUESTIONNAIRE_TYPES:
        raise DomainError(
            _("Upload the scan as a PDF, JPEG or PNG file."), field="questionnaire_scan", code="file_type"
        )
    if scan.size > QUESTIONNAIRE_MAX_BYTES:
        raise DomainError(
            _("The scan is larger than %(mb)s MB; scan it at a lower resolution.")
            % {"mb": QUESTIONNAIRE_MAX_BYTES // (1024 * 1024)},
            field="questionnaire_scan",
            code="file_too_large",
        )
    scan.seek(0)
    head = scan.read(8)
    scan.seek(0)
    if not head.startswith(QUESTIONNAIRE_TYPES[suffix]):
        raise DomainError(
            _("This file is not the PDF, JPEG or PNG its name says."),
            field="questionnaire_scan",
            code="file_type",
        )


def intake_save(*, intake: Intake, by) -> Intake:
    _require_open(intake.trajectory)
    rules = Rules()
    with rules.check():
        _check_second_coach(intake)
    with rules.check():
        _check_questionnaire(intake)
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


def starr_note_create(*, intake: Intake, by, competencies=(), **fields) -> StarrNote:
    """A STARR note, linked to the competencies the example shows (the organisation's own)."""
    _require_open(intake.trajectory)
    organisation_id = intake.trajectory.worker.organisation_id
    competencies = list(competencies or ())
    rules = Rules()
    if any(c.framework.organisation_id != organisation_id for c in competencies):
        rules.refuse(
            _("Link only competencies of your organisation's frameworks."),
            field="competencies",
            code="other_organisation",
        )
    note = StarrNote(intake=intake, created_by=by, **fields)
    with transaction.atomic():
        validated_save(note, exclude=["intake", "created_by"], rules=rules)
        note.competencies.set(competencies)
    return note


def starr_note_share(*, note: StarrNote, shared: bool, by) -> StarrNote:
    """Show a STARR note to the worker as a story in their stoefboek, or take it back."""
    worker = note.intake.trajectory.worker
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise DomainError(_("This worker is not in your caseload."), code="not_in_caseload")
    note.shared_with_worker = shared
    note.save(update_fields=["shared_with_worker"])
    return note


# Kick-off meetings


def kick_off_create(*, workers, by, held_on=None, notes: str = "") -> KickOff:
    """A kick-off with fellow candidates: at least two current workers of the organisation."""
    workers = list({worker.pk: worker for worker in workers}.values())
    rules = Rules()
    if held_on is None:
        rules.refuse(_("Give the date of the kick-off meeting."), field="held_on", code="required")
    if len(workers) < 2:
        rules.refuse(
            _("A kick-off gathers fellow candidates: choose at least two workers."),
            field="workers",
            code="too_few",
        )
    if any(worker.organisation_id != by.organisation_id for worker in workers):
        rules.refuse(
            _("This worker belongs to another organisation."), field="workers", code="other_organisation"
        )
    gone = [worker.full_name for worker in workers if held_on and not worker.is_employed_on(held_on)]
    if gone:
        rules.refuse(
            _("No longer employed on that day: %(names)s.") % {"names": ", ".join(gone)},
            field="workers",
            code="not_employed",
        )
    kick_off = KickOff(
        organisation_id=by.organisation_id, held_on=held_on, notes=(notes or "").strip(), created_by=by
    )
    with transaction.atomic():
        validated_save(kick_off, exclude=["organisation", "created_by"], rules=rules)
        KickOffParticipant.objects.bulk_create(
            [KickOffParticipant(kick_off=kick_off, worker=worker) for worker in workers]
        )
    return kick_off


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
