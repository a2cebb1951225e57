"""Stages and their rules per type (DOMAIN: "Stage"), attendance, evaluations, mentor links."""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.core.errors import DomainError, Rules, validated_save
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
)
from partners.models.stages import EvaluationMethod
from partners.services.common import open_trajectory, require_same_organisation
from trajects.models import Statuut
from trajects.services import trajectory_transition
from trajects.state import TRANSITIONS

BVS_DAY_LIMITS = {DayUnit.FULL: (1, 5), DayUnit.HALF: (2, 10)}
BVS_MAX_PER_COMPANY = 2


def _check_dates(stage: Stage) -> None:
    if stage.start_date and stage.end_date and stage.end_date < stage.start_date:
        raise DomainError(
            _("The stage cannot end before it starts."), field="end_date", code="end_before_start"
        )


def _check_tbs(stage: Stage) -> None:
    if stage.worker.statuut == Statuut.ARTIKEL_60:
        raise DomainError(
            _("A TBS is not possible for a worker under article 60."), field="kind", code="statuut_excluded"
        )
    if not stage.start_date or not stage.end_date:
        raise DomainError(
            _("A TBS has a duration fixed in advance: give both its start and its end date."),
            field="end_date" if stage.start_date else "start_date",
            code="duration_not_fixed",
        )


def _check_bvs(stage: Stage) -> None:
    if stage.worker.statuut in (Statuut.ARTIKEL_60, Statuut.LEERWERKNEMER):
        raise DomainError(
            _("A BVS is not possible under article 60 or for a work-study employee (leerwerknemer)."),
            field="kind",
            code="statuut_excluded",
        )
    if not stage.start_date:
        raise DomainError(_("Give the start date of the BVS."), field="start_date", code="required")
    if stage.day_unit not in BVS_DAY_LIMITS or stage.day_count is None:
        raise DomainError(
            _("Say how many full or half days the BVS lasts."), field="day_count", code="required"
        )
    low, high = BVS_DAY_LIMITS[stage.day_unit]
    if not low <= stage.day_count <= high:
        message = (
            _("A BVS lasts 1 to 5 full days.")
            if stage.day_unit == DayUnit.FULL
            else _("A BVS lasts 2 to 10 half days.")
        )
        raise DomainError(message, field="day_count", code="bvs_length")
    others = (
        Stage.objects.unscoped(reason="the worker's other BVS stages at this partner")
        .filter(worker=stage.worker, partner=stage.partner, kind=StageKind.BVS)
        .exclude(pk=stage.pk)
    )
    if others.count() >= BVS_MAX_PER_COMPANY:
        raise DomainError(
            _("This worker has already done 2 BVS at this company; a third is not allowed."),
            field="partner",
            code="bvs_limit",
        )
    post = stage.post.strip().lower()
    if others.exists() and (not post or any(o.post.strip().lower() == post for o in others)):
        raise DomainError(
            _("A second BVS at the same company must be at a different post or department."),
            field="post",
            code="same_post",
        )
    if not stage.agreement_signed_on or not stage.programme.strip():
        raise DomainError(
            _("A BVS needs the three-party agreement (worker, host, employer) with its programme."),
            field="programme" if stage.agreement_signed_on else "agreement_signed_on",
            code="agreement_missing",
        )


def _check_enclave(stage: Stage, team) -> None:
    if not stage.client_contract.strip():
        raise DomainError(
            _("An enclave needs the contract with the client."), field="client_contract", code="required"
        )
    if not [w for w in team if w.pk != stage.worker_id]:
        raise DomainError(
            _("An enclave is a team: add at least one other worker."), field="team", code="team_required"
        )
    for name, label in (
        ("union_informed_on", _("the union delegation")),
        ("works_council_informed_on", _("the works council")),
        ("prevention_committee_informed_on", _("the prevention committee")),
    ):
        if getattr(stage, name) is None:
            raise DomainError(
                _("Give the date %(body)s was informed about the enclave.") % {"body": label},
                field=name,
                code="required",
            )
    if stage.contract_in_prospect:
        raise DomainError(
            _("An enclave is not a stage: no job offer is to be expected."),
            field="contract_in_prospect",
            code="enclave_no_offer",
        )


def stage_save(*, stage: Stage, by, team=None) -> Stage:
    """Plan or edit a stage. Planning one moves a trajectory in job matching on to the stage phase."""
    require_same_organisation(stage.worker.organisation_id, by, _("worker"))
    require_same_organisation(stage.partner.organisation_id, by, _("host"))
    team = list(team if team is not None else (stage.team.all() if stage.pk else []))
    for member in team:
        require_same_organisation(member.organisation_id, by, _("team member"))
    if stage.kind not in StageKind.values:
        raise DomainError(_("Choose the type of stage."), field="kind", code="required")
    _check_dates(stage)
    {StageKind.TBS: _check_tbs, StageKind.BVS: _check_bvs}.get(stage.kind, lambda s: None)(stage)
    if stage.kind == StageKind.ENCLAVE:
        _check_enclave(stage, team)
    creating = stage.pk is None
    with transaction.atomic():
        if creating:
            stage.trajectory = open_trajectory(stage.worker)
            stage.created_by = by
        validated_save(stage, exclude=["worker", "partner", "trajectory", "created_by", "team"])
        stage.team.set(team if stage.kind == StageKind.ENCLAVE else [])
        if creating and stage.trajectory.phase in TRANSITIONS["to_stage"].from_phases:
            trajectory_transition(
                trajectory=stage.trajectory, transition="to_stage", by=by, reason=str(stage)
            )
    return stage


# Attendance and evaluations: the coach or the mentor's link (``via``) records them.


def _check_day(stage: Stage, day: datetime.date) -> None:
    if (stage.start_date and day < stage.start_date) or (stage.end_date and day > stage.end_date):
        raise DomainError(_("This day falls outside the stage."), field="day", code="outside_stage")


def attendance_record(*, stage: Stage, day, status, absence_reason="", by=None, via=None) -> Attendance:
    rules = Rules()
    if status not in AttendanceStatus.values:
        rules.refuse(_("Choose the attendance."), field="status", code="required")
    with rules.check():
        _check_day(stage, day)
    if day > timezone.localdate():
        # Presence is recorded once the day is there; a planned absence is not an attendance.
        rules.refuse(_("Attendance cannot be recorded for a day still to come."), field="day", code="future")
    if status == AttendanceStatus.ABSENT_REPORTED and not absence_reason.strip():
        rules.refuse(
            _("Give the reason the worker reported for the absence."), field="absence_reason", code="required"
        )
    rules.raise_any()
    with transaction.atomic():
        record, _created = (
            Attendance.objects.unscoped(reason="a service writes the stage's attendance")
            .select_for_update()
            .get_or_create(stage=stage, day=day, defaults={"status": status})
        )
        record.status = status
        record.absence_reason = absence_reason.strip()
        record.entered_by = by
        record.entered_via = via
        record.entered_at = timezone.now()
        validated_save(record, exclude=["stage", "entered_by", "entered_via"])
    return record


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
    """Record an intermediate or final evaluation with its competency levels."""
    rules = Rules()
    if kind == EvaluationKind.FINAL:
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


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mentor_link_create(*, stage: Stage, by) -> str:
    """A new link for the stage's mentor, replacing any earlier one. Returns the token,
    which is shown to the coach once and never stored."""
    require_same_organisation(stage.worker.organisation_id, by, _("worker"))
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
