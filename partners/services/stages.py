"""Stages and their rules per type (DOMAIN: "Stage"), attendance, evaluations, mentor links."""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bwise.core.errors import DomainError, Rules, validated_save
from bwise.core.offline import CLOCK_SLACK
from bwise.reminders.services import reminder_notify
from partners.models import (
    Attendance,
    AttendanceStatus,
    DayUnit,
    Evaluation,
    EvaluationKind,
    EvaluationLevel,
    MentorLink,
    Stage,
    StageKind,
    TrainingOnTheJob,
)
from partners.models.stages import EvaluationMethod
from partners.services.common import open_trajectory, require_same_organisation
from partners.workdays import working_days_between
from trajects.models import Statuut
from trajects.services import trajectory_transition
from trajects.state import TRANSITIONS

BVS_DAY_LIMITS = {DayUnit.FULL: (1, 5), DayUnit.HALF: (2, 10)}
BVS_MAX_PER_COMPANY = 2

# The fields that belong to one kind only: saved empty for the other kinds, so that values
# typed under another kind before the choice changed never linger on the record.
KIND_FIELDS = {
    StageKind.TBS: {
        "tbs_paid_by": "",
        "tbs_on_sec_payroll": False,
        "tbs_return_guaranteed": False,
        "tbs_return_arrangement": "",
    },
    StageKind.BVS: {
        "day_unit": "",
        "day_count": None,
        "agreement_signed_on": None,
        "programme": "",
        "coaching_organisation": "",
    },
    StageKind.ENCLAVE: {
        "client_contract": "",
        "site_supervisor": "",
        "union_informed_on": None,
        "works_council_meeting_on": None,
        "works_council_informed_on": None,
        "prevention_committee_meeting_on": None,
        "prevention_committee_informed_on": None,
        "moves_trajectory_to_stage": False,
    },
}
# A host mentor for the stages proper; an enclave is led by our own supervisor.
MENTOR_FIELDS = {"mentor_name": "", "mentor_email": "", "mentor_phone": ""}


def _clear_other_kinds(stage: Stage) -> None:
    for kind, fields in KIND_FIELDS.items():
        if kind != stage.kind:
            for name, empty in fields.items():
                setattr(stage, name, empty)
    if stage.kind == StageKind.ENCLAVE:
        for name, empty in MENTOR_FIELDS.items():
            setattr(stage, name, empty)


def _check_common(stage: Stage, rules: Rules) -> None:
    if stage.start_date and stage.end_date and stage.end_date < stage.start_date:
        rules.refuse(_("The stage cannot end before it starts."), field="end_date", code="end_before_start")
    if stage.kind in (StageKind.TBS, StageKind.BVS) and not stage.mentor_name.strip():
        rules.refuse(
            _("Name the mentor who coaches the worker at the host."), field="mentor_name", code="required"
        )


def _check_tbs(stage: Stage, rules: Rules) -> None:
    if stage.worker.statuut == Statuut.ARTIKEL_60:
        rules.refuse(
            _("A TBS is not possible for a worker under article 60."), field="kind", code="statuut_excluded"
        )
    if not stage.start_date or not stage.end_date:
        rules.refuse(
            _("A TBS has a duration fixed in advance: give both its start and its end date."),
            field="end_date" if stage.start_date else "start_date",
            code="duration_not_fixed",
        )
    if not stage.tbs_paid_by.strip():
        rules.refuse(_("Say who pays for the work during the TBS."), field="tbs_paid_by", code="required")
    if not stage.tbs_on_sec_payroll:
        rules.refuse(
            _("During a TBS the worker stays on your payroll: confirm it."),
            field="tbs_on_sec_payroll",
            code="tbs_payroll",
        )
    if not stage.tbs_return_guaranteed or not stage.tbs_return_arrangement.strip():
        rules.refuse(
            _("A TBS guarantees the worker's return: confirm it and say how the worker comes back."),
            field="tbs_return_arrangement" if stage.tbs_return_guaranteed else "tbs_return_guaranteed",
            code="tbs_return",
        )


def bvs_days_needed(stage: Stage) -> int:
    """The working days a BVS of this length takes at least: two half days fit in one day."""
    if stage.day_unit == DayUnit.HALF:
        return (stage.day_count + 1) // 2
    return stage.day_count


def _check_bvs(stage: Stage, rules: Rules) -> None:
    if stage.worker.statuut in (Statuut.ARTIKEL_60, Statuut.LEERWERKNEMER):
        rules.refuse(
            _("A BVS is not possible under article 60 or for a work-study employee (leerwerknemer)."),
            field="kind",
            code="statuut_excluded",
        )
    if not stage.start_date or not stage.end_date:
        rules.refuse(
            _("Give the planned first and last day of the BVS."),
            field="end_date" if stage.start_date else "start_date",
            code="required",
        )
    length_known = stage.day_unit in BVS_DAY_LIMITS and stage.day_count is not None
    if not length_known:
        rules.refuse(_("Say how many full or half days the BVS lasts."), field="day_count", code="required")
    else:
        low, high = BVS_DAY_LIMITS[stage.day_unit]
        if not low <= stage.day_count <= high:
            message = (
                _("A BVS lasts 1 to 5 full days.")
                if stage.day_unit == DayUnit.FULL
                else _("A BVS lasts 2 to 10 half days.")
            )
            rules.refuse(message, field="day_count", code="bvs_length")
        elif stage.start_date and stage.end_date and stage.start_date <= stage.end_date:
            available = working_days_between(stage.start_date, stage.end_date)
            needed = bvs_days_needed(stage)
            if available < needed:
                rules.refuse(
                    ngettext(
                        "The planned dates hold %(available)s working day, too few for this BVS "
                        "(%(needed)s needed).",
                        "The planned dates hold %(available)s working days, too few for this BVS "
                        "(%(needed)s needed).",
                        available,
                    )
                    % {"available": available, "needed": needed},
                    field="end_date",
                    code="bvs_dates_too_short",
                )
    others = (
        Stage.objects.unscoped(reason="the worker's other BVS stages at this partner")
        .filter(worker=stage.worker, partner=stage.partner, kind=StageKind.BVS)
        .exclude(pk=stage.pk)
    )
    if others.count() >= BVS_MAX_PER_COMPANY:
        rules.refuse(
            _("This worker has already done 2 BVS at this company; a third is not allowed."),
            field="partner",
            code="bvs_limit",
        )
    post = stage.post.strip().lower()
    if others.exists() and (not post or any(o.post.strip().lower() == post for o in others)):
        rules.refuse(
            _("A second BVS at the same company must be at a different post or department."),
            field="post",
            code="same_post",
        )
    if not stage.programme.strip():
        rules.refuse(
            _("Attach the programme of the BVS: it goes with the three-party agreement."),
            field="programme",
            code="programme_missing",
        )
    if stage.agreement_signed_on and stage.agreement_signed_on > timezone.localdate():
        rules.refuse(
            _("Record the signing date once the agreement has been signed, not before."),
            field="agreement_signed_on",
            code="signed_in_future",
        )


def _check_enclave(stage: Stage, team, rules: Rules) -> None:
    if not stage.client_contract.strip():
        rules.refuse(
            _("An enclave needs the contract with the client."), field="client_contract", code="required"
        )
    if not stage.site_supervisor.strip():
        rules.refuse(
            _("Name your supervisor who leads the team at the client's site."),
            field="site_supervisor",
            code="required",
        )
    if not [w for w in team if w.pk != stage.worker_id]:
        rules.refuse(
            _("An enclave is a team: add at least one other worker."), field="team", code="team_required"
        )
    if stage.contract_in_prospect:
        rules.refuse(
            _("An enclave is not a stage: no job offer is to be expected."),
            field="contract_in_prospect",
            code="enclave_no_offer",
        )


def _moves_to_stage_phase(stage: Stage) -> bool:
    return stage.kind != StageKind.ENCLAVE or stage.moves_trajectory_to_stage


def stage_save(*, stage: Stage, by, team=None) -> Stage:
    """Plan or edit a stage. Planning a TBS or BVS moves a trajectory in job matching on to the
    stage phase; an enclave does so only when the coach says so."""
    require_same_organisation(stage.worker.organisation_id, by, _("worker"))
    require_same_organisation(stage.partner.organisation_id, by, _("host"))
    team = list(team if team is not None else (stage.team.all() if stage.pk else []))
    for member in team:
        require_same_organisation(member.organisation_id, by, _("team member"))
    if stage.kind in StageKind.values:
        _clear_other_kinds(stage)
    rules = Rules()
    _check_common(stage, rules)
    if stage.kind == StageKind.TBS:
        _check_tbs(stage, rules)
    elif stage.kind == StageKind.BVS:
        _check_bvs(stage, rules)
    elif stage.kind == StageKind.ENCLAVE:
        _check_enclave(stage, team, rules)
    else:
        # Without a kind the kind's own rules cannot be asked; the common ones and the
        # model's still are, so the form shows them together with this one.
        rules.refuse(_("Choose the type of stage."), field="kind", code="required")
    creating = stage.pk is None
    # An enclave moves the trajectory when the coach first says so, not on every later edit.
    said_before = not creating and (
        Stage.objects.unscoped(reason="the stage's stored choice before this edit")
        .filter(pk=stage.pk, moves_trajectory_to_stage=True)
        .exists()
    )
    with transaction.atomic():
        if creating:
            # An enclave places a team: its first worker need not be in a trajectory.
            stage.trajectory = (
                stage.worker.trajectories.current().first()
                if stage.kind == StageKind.ENCLAVE
                else open_trajectory(stage.worker)
            )
            stage.created_by = by
        validated_save(stage, exclude=["worker", "partner", "trajectory", "created_by", "team"], rules=rules)
        stage.team.set(team if stage.kind == StageKind.ENCLAVE else [])
        if (
            stage.trajectory is not None
            and _moves_to_stage_phase(stage)
            and stage.trajectory.phase in TRANSITIONS["to_stage"].from_phases
            and (creating or (stage.kind == StageKind.ENCLAVE and not said_before))
        ):
            trajectory_transition(
                trajectory=stage.trajectory, transition="to_stage", by=by, reason=str(stage)
            )
    return stage


# Attendance and evaluations: the coach or the mentor's link (``via``) records them.


def _check_day(stage: Stage, day: datetime.date) -> None:
    if (stage.start_date and day < stage.start_date) or (stage.end_date and day > stage.end_date):
        raise DomainError(_("This day falls outside the stage."), field="day", code="outside_stage")


def attendance_record(
    *, stage: Stage, day, status, absence_reason="", by=None, via=None, written_at=None, client_id=None
) -> Attendance:
    """Record a day; an absence the host's mentor enters reaches the coach at once.

    A device that queued the entry offline gives ``written_at``, when it was written, and
    ``client_id``, its id for the entry. The entry written last wins: a queued one written
    earlier than what the day holds changes nothing and is returned as the record stands, as
    is a retried one (its ``client_id`` known). An entry made online is the newest by
    definition, whatever a device's clock said before."""
    now = timezone.now()
    queued = written_at is not None
    written_at = written_at or now
    rules = Rules()
    if status not in AttendanceStatus.values:
        rules.refuse(_("Choose the attendance."), field="status", code="required")
    with rules.check():
        _check_day(stage, day)
    if day > timezone.localdate():
        # Presence is recorded once the day is there; a planned absence is not an attendance.
        rules.refuse(_("Attendance cannot be recorded for a day still to come."), field="day", code="future")
    if written_at > now + CLOCK_SLACK:
        # A device clock running ahead would otherwise make its entries win over every later one.
        rules.refuse(_("The entry is dated in the future: check the device's clock."), code="future")
    if status == AttendanceStatus.ABSENT_REPORTED and not absence_reason.strip():
        rules.refuse(
            _("Give the reason the worker reported for the absence."), field="absence_reason", code="required"
        )
    rules.raise_any()
    with transaction.atomic():
        attendance = Attendance.objects.unscoped(reason="a service writes the stage's attendance")
        if client_id is not None:
            earlier = attendance.filter(client_id=client_id).first()
            if earlier is not None:
                if earlier.stage_id != stage.pk or earlier.day != day:
                    raise DomainError(_("This entry was sent for another day."), code="client_id_taken")
                return earlier
        record, created = attendance.select_for_update().get_or_create(
            stage=stage,
            day=day,
            defaults={"status": status, "entered_at": written_at},
        )
        if queued and not created and record.entered_at > written_at:
            return record
        record.status = status
        record.absence_reason = absence_reason.strip()
        record.entered_by = by
        record.entered_via = via
        record.entered_at = written_at
        record.client_id = client_id
        validated_save(record, exclude=["stage", "entered_by", "entered_via"])
        if via is not None and record.absent:
            _absence_notify(stage, record)
    return record


def _absence_notify(stage: Stage, record: Attendance) -> None:
    # The title names no reason: the reason may concern health and stays on the stage page.
    reminder_notify(
        recipient=stage.worker.coach,
        kind="stage_absence",
        key=f"stage-absence:{record.pk}:{record.day.isoformat()}:{record.status}",
        title=_("The mentor at %(host)s reports %(worker)s absent on %(day)s")
        % {
            "host": stage.partner.name,
            "worker": stage.worker.full_name,
            "day": date_format(record.day, "SHORT_DATE_FORMAT"),
        },
        due_date=record.day,
        url=reverse("partners:stage_detail", kwargs={"stage_pk": stage.pk}),
        record=stage,
    )


def evaluation_record(
    *,
    stage: Stage,
    kind,
    method,
    held_on,
    critical_incidents="",
    notes="",
    contract_in_prospect=False,
    levels=None,
    by=None,
    via=None,
) -> Evaluation:
    """Record an evaluation with its competency levels. The coach holds the final one on site;
    the mentor gives input for it, but does not file it."""
    rules = Rules()
    if kind not in EvaluationKind.values:
        rules.refuse(_("Choose the kind of evaluation."), field="kind", code="required")
    if kind == EvaluationKind.FINAL:
        if via is not None or by is None:
            rules.refuse(
                _("The coach files the final evaluation; give your input for it instead."),
                field="kind",
                code="final_by_coach",
            )
        if method != EvaluationMethod.ON_SITE:
            rules.refuse(_("The final evaluation is held on site."), field="method", code="final_on_site")
        if not critical_incidents.strip():
            rules.refuse(
                _("Describe the critical incidents in the final evaluation."),
                field="critical_incidents",
                code="required",
            )
        if stage.evaluations.filter(kind=EvaluationKind.FINAL).exists():
            rules.refuse(_("This stage already has its final evaluation."), field="kind", code="duplicate")
    if stage.start_date and held_on < stage.start_date:
        rules.refuse(
            _("An evaluation cannot be held before the stage starts."), field="held_on", code="before_start"
        )
    if contract_in_prospect and stage.kind == StageKind.ENCLAVE:
        rules.refuse(
            _("An enclave is not a stage: no job offer is to be expected."),
            field="contract_in_prospect",
            code="enclave_no_offer",
        )
    levels = levels or {}
    with transaction.atomic():
        evaluation = Evaluation(
            stage=stage,
            kind=kind,
            method=method,
            held_on=held_on,
            critical_incidents=critical_incidents,
            notes=notes,
            contract_in_prospect=contract_in_prospect,
            entered_by=by,
            entered_via=via,
        )
        validated_save(evaluation, exclude=["stage", "entered_by", "entered_via"], rules=rules)
        EvaluationLevel.objects.bulk_create(
            [
                EvaluationLevel(evaluation=evaluation, competency=c, level=lvl)
                for c, lvl in levels.items()
                if lvl
            ]
        )
        if stage.contract_in_prospect != contract_in_prospect:
            stage.contract_in_prospect = contract_in_prospect
            stage.save(update_fields=["contract_in_prospect"])
    return evaluation


def training_on_the_job_record(*, training: TrainingOnTheJob, by) -> TrainingOnTheJob:
    require_same_organisation(training.stage.worker.organisation_id, by, _("worker"))
    _check_day(training.stage, training.given_on)
    training.entered_by = by
    with transaction.atomic():
        validated_save(training, exclude=["stage", "entered_by"])
    return training


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mentor_link_create(*, stage: Stage, by) -> str:
    """A new link for the stage's mentor, replacing any earlier one. Returns the token,
    which is shown to the coach once and never stored."""
    require_same_organisation(stage.worker.organisation_id, by, _("worker"))
    if stage.kind == StageKind.ENCLAVE:
        raise DomainError(
            _("An enclave has no mentor at the host: your own supervisor leads the team."),
            code="enclave_no_mentor",
        )
    if stage.end_date is None:
        raise DomainError(
            _("Give the stage an end date first: the mentor's link expires with it."),
            code="end_date_required",
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        MentorLink.objects.unscoped(reason="a service replaces the stage's mentor link").filter(
            stage=stage
        ).delete()
        try:
            MentorLink.objects.create(stage=stage, token_hash=_hash(token), created_by=by)
        except IntegrityError as err:  # pragma: no cover - a 256-bit collision
            raise DomainError(_("Try again."), code="token_collision") from err
    return token


def mentor_link_revoke(*, stage: Stage, by) -> None:
    require_same_organisation(stage.worker.organisation_id, by, _("worker"))
    MentorLink.objects.unscoped(reason="a service revokes the stage's mentor link").filter(
        stage=stage, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def mentor_link_resolve(token: str) -> MentorLink | None:
    """The usable link for a token, or None (unknown, revoked or expired alike)."""
    link = (
        MentorLink.objects.unscoped(reason="the mentor's token is the credential")
        .select_related("stage__worker", "stage__partner")
        .filter(token_hash=_hash(token))
        .first()
    )
    if link is None or not link.usable():
        return None
    return link
