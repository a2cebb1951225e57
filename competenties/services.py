"""Writes: every change to frameworks, assessments, observations and plans goes through here."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm, is_worker_session
from bwise.core.errors import DomainError, Rules, validated_save
from bwise.core.offline import CLOCK_SLACK
from bwise.roles import Role
from competenties import plan_state
from competenties.combining import PROFESSIONAL_ROLES
from competenties.framework_presets import TEMPLATES
from competenties.gap import DISAGREEMENT, aggregate_level
from competenties.models import (
    AgreedLevel,
    Assessment,
    CalibrationCase,
    CalibrationRating,
    Competency,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    MeasurementRound,
    Method,
    Observation,
    ObservationClassification,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatusChange,
    RaterRole,
    RoundParticipant,
    RoundRater,
    RoundStatus,
    Valence,
)
from competenties.wakker import personality_words
from trajects import summaries
from trajects.models import Worker


def _require(user, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise DomainError(_("You are not allowed to do this."), code="not_allowed")


def _require_worker(user, worker: Worker) -> None:
    if not Worker.objects.visible_to(user).filter(pk=worker.pk).exists():
        raise DomainError(_("This worker is not in your caseload."), code="not_in_caseload")


def _same_organisation(user, obj_organisation_id) -> None:
    if obj_organisation_id != user.organisation_id:
        raise DomainError(_("This belongs to another organisation."), code="other_organisation")


# --- Frameworks -------------------------------------------------------------------------


@transaction.atomic
def framework_copy_template(*, template_key: str, by, name: str = "") -> Framework:
    _require(by, Perm.MANAGE_FRAMEWORKS)
    template = TEMPLATES.get(template_key)
    if template is None:
        raise DomainError(
            _("Choose one of the shipped templates."), field="template_key", code="unknown_template"
        )
    name = name or template.name
    if (
        Framework.objects.unscoped(reason="uniqueness of the framework name in the organisation")
        .filter(organisation_id=by.organisation_id, name=name)
        .exists()
    ):
        raise DomainError(
            _("Your organisation already has a framework with this name."), field="name", code="duplicate"
        )
    framework = Framework.objects.create(
        organisation_id=by.organisation_id,
        name=name,
        description=template.description,
        template_key=template.key,
    )
    for c_order, item in enumerate(template.competencies):
        competency = Competency.objects.create(
            framework=framework,
            name=item.name,
            definition=item.definition,
            category=item.category,
            order=c_order,
        )
        Indicator.objects.bulk_create(
            Indicator(
                competency=competency,
                description=description,
                level_1=l1,
                level_2=l2,
                level_3=l3,
                level_4=l4,
                order=i_order,
            )
            for i_order, (description, l1, l2, l3, l4) in enumerate(item.indicators)
        )
    return framework


@transaction.atomic
def framework_save(*, framework: Framework, by) -> Framework:
    _require(by, Perm.MANAGE_FRAMEWORKS)
    if framework.pk is None:
        framework.organisation_id = by.organisation_id
    _same_organisation(by, framework.organisation_id)
    duplicate = Framework.objects.unscoped(
        reason="uniqueness of the framework name in the organisation"
    ).filter(organisation_id=framework.organisation_id, name=framework.name)
    rules = Rules()
    if duplicate.exclude(pk=framework.pk).exists():
        rules.refuse(
            _("Your organisation already has a framework with this name."), field="name", code="duplicate"
        )
    validated_save(framework, rules=rules)
    return framework


@transaction.atomic
def competency_save(*, competency: Competency, by) -> Competency:
    _require(by, Perm.MANAGE_FRAMEWORKS)
    _same_organisation(by, competency.framework.organisation_id)
    validated_save(competency)
    return competency


@transaction.atomic
def competency_delete(*, competency: Competency, by) -> None:
    """Past assessments keep their snapshot; job profiles simply lose the requirement."""
    _require(by, Perm.MANAGE_FRAMEWORKS)
    _same_organisation(by, competency.framework.organisation_id)
    competency.delete()


@transaction.atomic
def indicator_save(*, indicator: Indicator, by) -> Indicator:
    _require(by, Perm.MANAGE_FRAMEWORKS)
    _same_organisation(by, indicator.competency.framework.organisation_id)
    validated_save(indicator)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    _require(by, Perm.MANAGE_FRAMEWORKS)
    _same_organisation(by, indicator.competency.framework.organisation_id)
    indicator.delete()


# --- Job profiles -----------------------------------------------------------------------


@transaction.atomic
def job_profile_save(*, job_profile: JobProfile, requirements: dict[int, int | None], by) -> JobProfile:
    """Save the profile and its cut-offs; ``requirements`` maps competency id -> minimum
    level, None removing the requirement (the competency is then ignored in the gap). A
    profile may require competencies of several of the organisation's frameworks (attitudes,
    digital skills, the organisation's own technical skills); its framework is the main one,
    the one a measurement round against the profile uses."""
    _require(by, Perm.MANAGE_FRAMEWORKS)
    if job_profile.pk is None:
        job_profile.organisation_id = by.organisation_id
    _same_organisation(by, job_profile.organisation_id)
    _same_organisation(by, job_profile.framework.organisation_id)
    validated_save(job_profile)
    competency_ids = set(
        Competency.objects.unscoped(reason="a service checks the competencies belong to the organisation")
        .filter(framework__organisation_id=job_profile.organisation_id)
        .values_list("pk", flat=True)
    )
    for competency_id, level in requirements.items():
        if competency_id not in competency_ids:
            raise DomainError(
                _("That competency is not part of your organisation's frameworks."), code="other_framework"
            )
        if level is None:
            job_profile.requirements.filter(competency_id=competency_id).delete()
        elif level not in (1, 2, 3, 4):
            raise DomainError(_("A minimum level is between 1 and 4."), code="level_out_of_range")
        else:
            JobProfileRequirement.objects.unscoped(
                reason="a service writes the job profile's requirements"
            ).update_or_create(
                job_profile=job_profile, competency_id=competency_id, defaults={"minimum_level": level}
            )
    return job_profile


# --- Assessments ------------------------------------------------------------------------


def rater_roles_for(user) -> list[str]:
    """Who a user may rate as. A coach enters the worker's self-assessment together with
    the worker; a supervisor rates as supervisor (or with the worker, too)."""
    roles: list[str] = []
    if user.has_role(Role.COACH, Role.HR, Role.BEGELEIDER):
        roles.append(RaterRole.SELF)
    if user.has_role(Role.COACH):
        roles.append(RaterRole.COACH)
    if user.has_role(Role.BEGELEIDER):
        roles.append(RaterRole.SUPERVISOR)
    if user.has_role(Role.COACH, Role.HR):
        roles.append(RaterRole.EXTERNAL)
    return roles


@transaction.atomic
def assessment_create(
    *,
    worker: Worker,
    framework: Framework,
    date: datetime.date,
    rater_role: str,
    method: str,
    scores: dict[int, tuple[int | None, str]],
    by,
    external_rater_name: str = "",
    notes: str = "",
) -> Assessment:
    """``scores`` maps indicator id -> (level or None, evidence)."""
    _require(by, Perm.ASSESS)
    _require_worker(by, worker)
    _same_organisation(by, framework.organisation_id)
    rules = Rules()
    if rater_role not in rater_roles_for(by):
        rules.refuse(
            _("You cannot enter an assessment in this role."),
            field="rater_role",
            code="rater_role_not_allowed",
        )
    if rater_role == RaterRole.EXTERNAL and not external_rater_name.strip():
        rules.refuse(_("Name the external assessor."), field="external_rater_name", code="required")
    if date > timezone.localdate():
        rules.refuse(_("An assessment cannot be dated in the future."), field="date", code="future")
    return _write_assessment(
        Assessment(
            worker=worker,
            framework=framework,
            date=date,
            rater_role=rater_role,
            rater=by if rater_role in (RaterRole.COACH, RaterRole.SUPERVISOR) else None,
            external_rater_name=external_rater_name.strip() if rater_role == RaterRole.EXTERNAL else "",
            entered_by=by,
            method=method,
            notes=notes,
        ),
        scores,
        rules=rules,
    )


def _write_assessment(
    assessment: Assessment,
    scores: dict[int, tuple[int | None, str]],
    framework_ids=None,
    *,
    exclude=None,
    rules: Rules | None = None,
) -> Assessment:
    """Save one rating with a snapshot of what each indicator said when it was scored; the
    indicators are those of its framework, or of ``framework_ids`` (a round's). The caller's
    ``rules`` come out together with these and the model's own."""
    rules = rules or Rules()
    indicators = {
        i.pk: i
        for i in Indicator.objects.unscoped(reason="a service copies the framework's indicators")
        .filter(competency__framework_id__in=framework_ids or [assessment.framework_id])
        .select_related("competency")
    }
    if set(scores) - set(indicators):
        rules.refuse(_("Some scores are not for this framework's indicators."), code="other_framework")
    if not any(level is not None for level, _evidence in scores.values()):
        rules.refuse(_("Give a level for at least one behaviour."), code="required")
    validated_save(assessment, exclude=exclude, rules=rules)
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            assessment=assessment,
            indicator=indicator,
            competency=indicator.competency,
            competency_name=indicator.competency.name,
            indicator_text=indicator.description,
            level=scores[indicator.pk][0],
            evidence=scores[indicator.pk][1],
        )
        for indicator in indicators.values()
        if indicator.pk in scores
    )
    return assessment


# --- Measurement rounds -----------------------------------------------------------------


def round_framework_ids(measurement_round: MeasurementRound) -> list[int]:
    """The frameworks a round measures, its own first: against a job profile that combines
    several (SAM attitudes, digital skills, the organisation's technical skills), every
    framework the profile draws a requirement from, so that the rating sheet, the consensus,
    the gap and the ready verdict cover the whole profile."""
    ids = [measurement_round.framework_id]
    if measurement_round.job_profile_id is not None:
        drawn = (
            JobProfileRequirement.objects.of_organisation(measurement_round)
            .filter(job_profile_id=measurement_round.job_profile_id)
            .values_list("competency__framework_id", flat=True)
            .distinct()
        )
        ids += sorted(set(drawn) - set(ids))
    return ids


def round_competencies(measurement_round: MeasurementRound) -> list[Competency]:
    """The competencies a round measures, with their indicators, framework by framework."""
    ids = round_framework_ids(measurement_round)
    competencies = (
        Competency.objects.of_organisation(measurement_round)
        .filter(framework_id__in=ids)
        .select_related("framework")
        .prefetch_related("indicators")
    )
    return sorted(competencies, key=lambda c: (ids.index(c.framework_id), c.order, c.pk))


# The guide: observe a small group at once, at most six people.
MAX_OBSERVED_AT_ONCE = 6


def _colleague(by, user, role: str):
    """A colleague invited as coach or supervisor must hold that role in the organisation."""
    needed = {RaterRole.COACH: Role.COACH, RaterRole.SUPERVISOR: Role.BEGELEIDER}[role]
    if user is None or user.organisation_id != by.organisation_id or not user.has_role(needed):
        raise DomainError(
            _("Invite a colleague who holds this role in your organisation."),
            field="raters",
            code="rater_role",
        )


@transaction.atomic
def round_open(
    *,
    title: str,
    framework: Framework | None,
    workers,
    starts_on: datetime.date,
    ends_on: datetime.date,
    raters: list[tuple[str, object, str]],
    by,
    job_profile: JobProfile | None = None,
) -> MeasurementRound:
    """Open a round for ``workers``; ``raters`` lists (role, colleague or None, external
    name). With a job profile, the round measures every framework the profile draws on
    (``round_framework_ids``)."""
    _require(by, Perm.EDIT_WORKERS)
    if job_profile is not None:
        _same_organisation(by, job_profile.organisation_id)
        framework = job_profile.framework
    rules = Rules()
    if framework is None:
        rules.refuse(_("Choose a framework or a job profile."), field="framework", code="required")
        # Everything below is measured against the framework.
        rules.raise_any()
    _same_organisation(by, framework.organisation_id)
    workers = list(workers)
    for worker in workers:
        _require_worker(by, worker)
    if not workers:
        rules.refuse(_("Choose at least one worker."), field="workers", code="required")
    if ends_on < starts_on:
        rules.refuse(_("The period ends before it starts."), field="ends_on", code="period_order")
    if not any(role != RaterRole.SELF for role, _user, _name in raters):
        rules.refuse(
            _("Invite at least one professional rater besides the self-assessment."),
            field="raters",
            code="no_professional",
        )
    seen = set()
    invitations = []
    for role, user, name in raters:
        name = (name or "").strip()
        if role in (RaterRole.COACH, RaterRole.SUPERVISOR):
            _colleague(by, user, role)
            key = (role, user.pk)
            user_name = (user, "")
        elif role == RaterRole.EXTERNAL:
            if not name:
                rules.refuse(_("Name the external assessor."), field="raters", code="required")
                continue
            key, user_name = (role, name.casefold()), (None, name)
        elif role == RaterRole.SELF:
            key, user_name = (role,), (None, "")
        else:
            rules.refuse(_("Choose who rates."), field="raters", code="rater_role")
            continue
        if key in seen:
            rules.refuse(_("Each rater is invited once."), field="raters", code="duplicate")
            continue
        seen.add(key)
        invitations.append((role, *user_name))
    measurement_round = MeasurementRound(
        organisation_id=by.organisation_id,
        title=title.strip() or framework.name,
        framework=framework,
        job_profile=job_profile,
        starts_on=starts_on,
        ends_on=ends_on,
        opened_by=by,
    )
    validated_save(measurement_round, rules=rules)
    RoundParticipant.objects.bulk_create(RoundParticipant(round=measurement_round, worker=w) for w in workers)
    RoundRater.objects.bulk_create(
        RoundRater(round=measurement_round, role=role, user=user, external_name=name)
        for role, user, name in invitations
    )
    return measurement_round


def round_warnings(measurement_round: MeasurementRound, participant_count: int) -> list[str]:
    """What the guide advises against, said to the coach but not refused."""
    if participant_count > MAX_OBSERVED_AT_ONCE:
        return [
            _(
                "Each rater observes %(count)s workers in this round. The guide advises observing "
                "at most %(max)s at once: consider splitting the round."
            )
            % {"count": participant_count, "max": MAX_OBSERVED_AT_ONCE}
        ]
    return []


def _lock_open_round(measurement_round: MeasurementRound) -> MeasurementRound:
    locked = (
        MeasurementRound.objects.unscoped(reason="a service locks the round it changes")
        .select_for_update()
        .get(pk=measurement_round.pk)
    )
    if locked.status != RoundStatus.OPEN:
        raise DomainError(_("This round is closed."), code="round_closed")
    return locked


def _participant(measurement_round: MeasurementRound, worker: Worker) -> RoundParticipant:
    participant = (
        RoundParticipant.objects.unscoped(reason="a service checks the worker belongs to the round")
        .filter(round=measurement_round, worker=worker)
        .first()
    )
    if participant is None:
        raise DomainError(_("This worker is not part of the round."), code="not_in_round")
    return participant


def may_enter_for(user, rater: RoundRater) -> bool:
    """A colleague rates as themselves; the worker's self-assessment and an external
    assessor's rating are entered by a coach (or HR) on their behalf."""
    if rater.user_id is not None:
        return rater.user_id == user.pk
    return rater.role in (RaterRole.SELF, RaterRole.EXTERNAL) and has_perm(user, Perm.EDIT_WORKERS)


def rates_worker(rater: RoundRater, worker) -> bool:
    """A werkvloerbegeleider invited to a round rates the workers of the round they
    supervise, and only those, whatever else their roles let them see (one who also coaches
    does not rate a coached worker as their supervisor); every other rater rates them all."""
    return rater.role != RaterRole.SUPERVISOR or worker.supervisor_id == rater.user_id


def may_rate(user, rater: RoundRater, worker: Worker) -> bool:
    """Whether ``user`` enters ``rater``'s rating of ``worker``."""
    return may_enter_for(user, rater) and rates_worker(rater, worker)


@transaction.atomic
def round_rating_submit(
    *,
    measurement_round: MeasurementRound,
    worker: Worker,
    rater: RoundRater,
    date: datetime.date,
    scores: dict[int, tuple[int | None, str]],
    by,
    method: str = "",
    notes: str = "",
) -> Assessment:
    """One rater's rating of one worker in the round, submitted once."""
    _require(by, Perm.ASSESS)
    _require_worker(by, worker)
    measurement_round = _lock_open_round(measurement_round)
    _participant(measurement_round, worker)
    if rater.round_id != measurement_round.pk:
        raise DomainError(_("This rater is not invited to the round."), code="not_invited")
    if not may_enter_for(by, rater):
        raise DomainError(_("You cannot enter this rater's rating."), code="rater_role_not_allowed")
    if not may_rate(by, rater, worker):
        raise DomainError(
            _("A shop-floor supervisor rates only the workers they supervise."), code="not_supervised"
        )
    if not measurement_round.starts_on <= date <= min(measurement_round.ends_on, timezone.localdate()):
        raise DomainError(
            _("Date the rating within the round's period, and not in the future."),
            field="date",
            code="period",
        )
    if (
        Assessment.objects.unscoped(reason="one rating per rater and worker")
        .filter(round_rater=rater, worker=worker)
        .exists()
    ):
        raise DomainError(_("This rater already rated this worker in the round."), code="already_submitted")
    if not method:
        method = Method.SELF_ASSESSMENT if rater.role == RaterRole.SELF else Method.OBSERVATION
    return _write_assessment(
        Assessment(
            worker=worker,
            framework_id=measurement_round.framework_id,
            date=date,
            rater_role=rater.role,
            rater=rater.user,
            external_rater_name=rater.external_name,
            entered_by=by,
            method=method,
            notes=notes,
            round=measurement_round,
            round_rater=rater,
        ),
        scores,
        round_framework_ids(measurement_round),
    )


@transaction.atomic
def round_self_rating_submit(*, measurement_round: MeasurementRound, session, levels: dict[int, int | None]):
    """The worker's self-assessment in an open round, from their own page (``bwise.portal``):
    the worker answers for themselves, so nobody is recorded as having entered it. Dated
    today, or the round's last day once its period has passed."""
    if not is_worker_session(session):
        raise DomainError(_("Only the worker can send their own self-assessment."), code="not_the_worker")
    worker = Worker.objects.visible_to(session).first()
    if worker is None:
        raise DomainError(_("Only the worker can send their own self-assessment."), code="not_the_worker")
    measurement_round = _lock_open_round(measurement_round)
    _participant(measurement_round, worker)
    rater = measurement_round.raters.filter(role=RaterRole.SELF).first()
    if rater is None:
        raise DomainError(_("This round has no self-assessment."), code="no_self_assessment")
    today = timezone.localdate()
    if today < measurement_round.starts_on:
        raise DomainError(_("This round has not started yet."), code="period")
    if (
        Assessment.objects.unscoped(reason="one rating per rater and worker")
        .filter(round_rater=rater, worker=worker)
        .exists()
    ):
        raise DomainError(_("You already sent this self-assessment."), code="already_submitted")
    return _write_assessment(
        Assessment(
            worker=worker,
            framework_id=measurement_round.framework_id,
            date=min(today, measurement_round.ends_on),
            rater_role=RaterRole.SELF,
            entered_by=None,
            method=Method.SELF_ASSESSMENT,
            round=measurement_round,
            round_rater=rater,
        ),
        {indicator_pk: (level, "") for indicator_pk, level in levels.items()},
        round_framework_ids(measurement_round),
        # Nobody entered it for the worker: the field the form requires stays empty.
        exclude=["entered_by"],
    )


def _rater_levels(measurement_round, worker) -> dict[int, list[tuple[str, int]]]:
    """competency -> [(rater role, that rater's level)] of the round's ratings of ``worker``."""
    by_pair: dict[tuple[int, int], list] = {}
    roles = {}
    for assessment_id, role, competency_id, level in (
        IndicatorScore.objects.unscoped(reason="a service reads the round's ratings")
        .filter(assessment__round=measurement_round, assessment__worker=worker, competency__isnull=False)
        .values_list("assessment_id", "assessment__rater_role", "competency_id", "level")
    ):
        by_pair.setdefault((assessment_id, competency_id), []).append(level)
        roles[assessment_id] = role
    out: dict[int, list[tuple[str, int]]] = {}
    for (assessment_id, competency_id), levels in by_pair.items():
        level = aggregate_level(levels)
        if level is not None:
            out.setdefault(competency_id, []).append((roles[assessment_id], level))
    return out


@transaction.atomic
def round_consensus_record(
    *,
    measurement_round: MeasurementRound,
    worker: Worker,
    levels: dict[int, tuple[int | None, str]],
    by,
) -> list[AgreedLevel]:
    """The consensus step for one worker: ``levels`` maps competency id -> (agreed level or
    None to leave it open, justification). Where raters differ by two levels or more, the
    agreed level needs a justification."""
    _require(by, Perm.EDIT_WORKERS)
    _require_worker(by, worker)
    measurement_round = _lock_open_round(measurement_round)
    participant = _participant(measurement_round, worker)
    competencies = {c.pk: c for c in round_competencies(measurement_round)}
    rated = _rater_levels(measurement_round, worker)
    saved = []
    for competency_id, (level, justification) in levels.items():
        competency = competencies.get(competency_id)
        if competency is None:
            raise DomainError(
                _("That competency is not part of the round's frameworks."), code="other_framework"
            )
        if level is None:
            continue
        if level not in (1, 2, 3, 4):
            raise DomainError(_("A level is between 1 and 4."), code="level_out_of_range")
        given = [lvl for _role, lvl in rated.get(competency_id, [])]
        if given and max(given) - min(given) >= DISAGREEMENT and not justification.strip():
            raise DomainError(
                _("The raters disagree on %(competency)s: write why you agree on this level.")
                % {"competency": competency.name},
                field=f"justification_{competency_id}",
                code="justification_required",
            )
        agreed, _created = AgreedLevel.objects.unscoped(
            reason="a service writes the round's agreed levels"
        ).update_or_create(
            participant=participant,
            competency=competency,
            defaults={
                "competency_name": competency.name,
                "level": level,
                "justification": justification.strip(),
                "decided_by": by,
            },
        )
        saved.append(agreed)
    return saved


@transaction.atomic
def round_close(*, measurement_round: MeasurementRound, by) -> MeasurementRound:
    """Close the round once every competency a professional rated has an agreed level for
    every worker; from then on its agreed levels are the workers' levels."""
    _require(by, Perm.EDIT_WORKERS)
    measurement_round = _lock_open_round(measurement_round)
    participants = list(
        RoundParticipant.objects.unscoped(reason="a service closes the round")
        .filter(round=measurement_round)
        .select_related("worker")
    )
    for participant in participants:
        _require_worker(by, participant.worker)
    rated = set(
        IndicatorScore.objects.unscoped(reason="a service closes the round")
        .filter(
            assessment__round=measurement_round,
            competency__isnull=False,
            level__isnull=False,
            assessment__rater_role__in=PROFESSIONAL_ROLES,
        )
        .values_list("assessment__worker_id", "competency_id")
    )
    if not rated:
        raise DomainError(_("No professional rater has rated yet."), code="nothing_rated")
    agreed = set(
        AgreedLevel.objects.unscoped(reason="a service closes the round")
        .filter(participant__round=measurement_round)
        .values_list("participant__worker_id", "competency_id")
    )
    missing = rated - agreed
    if missing:
        raise DomainError(
            _("Record the agreed level of %(count)s more rated competencies before closing.")
            % {"count": len(missing)},
            code="consensus_missing",
        )
    measurement_round.status = RoundStatus.CLOSED
    measurement_round.closed_by = by
    measurement_round.closed_at = timezone.now()
    measurement_round.save(update_fields=["status", "closed_by", "closed_at"])
    return measurement_round


# --- Calibration ------------------------------------------------------------------------


@transaction.atomic
def calibration_case_create(*, framework: Framework, title: str, description: str, by) -> CalibrationCase:
    _require(by, Perm.EDIT_WORKERS)
    _same_organisation(by, framework.organisation_id)
    case = CalibrationCase(
        organisation_id=by.organisation_id,
        framework=framework,
        title=title.strip(),
        description=description.strip(),
        created_by=by,
    )
    validated_save(case)
    return case


@transaction.atomic
def calibration_rate(*, case: CalibrationCase, levels: dict[int, int | None], by) -> int:
    """One staff member's levels for the recorded case (indicator id -> level or None for
    not observed), given once: a second try would be rated with the others' in view."""
    _require(by, Perm.ASSESS)
    _same_organisation(by, case.organisation_id)
    ratings = CalibrationRating.objects.unscoped(reason="a service writes the calibration ratings")
    if ratings.filter(case=case, rater=by).exists():
        raise DomainError(_("You already rated this case."), code="already_submitted")
    indicators = set(
        Indicator.objects.unscoped(reason="a service checks the case's indicators")
        .filter(competency__framework_id=case.framework_id)
        .values_list("pk", flat=True)
    )
    if set(levels) - indicators:
        raise DomainError(_("Some scores are not for this framework's indicators."), code="other_framework")
    given = {pk: level for pk, level in levels.items() if level is not None}
    if not given:
        raise DomainError(_("Give a level for at least one behaviour."), code="required")
    if any(level not in (1, 2, 3, 4) for level in given.values()):
        raise DomainError(_("A level is between 1 and 4."), code="level_out_of_range")
    ratings.bulk_create(
        CalibrationRating(case=case, rater=by, indicator_id=pk, level=level) for pk, level in given.items()
    )
    return len(given)


# --- Observations (WAKKER) --------------------------------------------------------------


def observation_check_facts(text: str, *, save_as_written: bool) -> None:
    """WAKKER's Aantekenen notes facts: a note with words from the personality word list
    (``competenties/data/personality_words.txt``) is refused with the code
    ``personality_words`` until the writer chooses to save it as written. The one rule for
    the form, the offline queue and the API."""
    words = personality_words(text)
    if words and not save_as_written:
        raise DomainError(
            _(
                "“%(words)s” says what you think of the person, not what happened. Write what "
                "you saw or heard: what did the worker do or say? Or tick “Save as written”."
            )
            % {"words": "”, “".join(words)},
            field="text",
            code="personality_words",
        )


@transaction.atomic
def observation_create(
    *, worker: Worker, text: str, by, observed_at=None, client_id=None, save_as_written: bool = False
) -> Observation:
    _require(by, Perm.ADD_OBSERVATIONS)
    _require_worker(by, worker)
    if not text.strip():
        raise DomainError(_("Write down what you saw or heard."), field="text", code="required")
    observation_check_facts(text, save_as_written=save_as_written)
    observed_at = observed_at or timezone.now()
    if observed_at > timezone.now() + CLOCK_SLACK:
        raise DomainError(_("An observation cannot be in the future."), field="observed_at", code="future")
    return Observation.objects.create(
        worker=worker, observer=by, observed_at=observed_at, text=text.strip(), client_id=client_id
    )


def observation_create_once(
    *, client_id, worker_id: int, text: str, observed_at, by, save_as_written: bool = False
) -> tuple[Observation, bool]:
    """An observation a device wrote offline, stored once however often the device sends it.

    Returns the observation and whether this call stored it. A repeat is answered before any
    other rule: the first send may have been stored after the worker left the supervisor,
    with its answer lost on the way back, and the device must then hear "stored", not "refused".
    """
    mine = Observation.objects.unscoped(reason="a device's retry finds the observation it sent before")
    earlier = mine.filter(client_id=client_id).first()
    if earlier is not None:
        if earlier.observer_id != by.pk:
            raise DomainError(_("This observation was sent by someone else."), code="client_id_taken")
        return earlier, False
    worker = Worker.objects.visible_to(by).filter(pk=worker_id).first()
    if worker is None:
        raise DomainError(_("This worker is no longer assigned to you."), field="worker", code="not_assigned")
    try:
        with transaction.atomic():
            return observation_create(
                worker=worker,
                text=text,
                by=by,
                observed_at=observed_at,
                client_id=client_id,
                save_as_written=save_as_written,
            ), True
    except IntegrityError:
        # The same device sent it twice at once; the other request stored it.
        earlier = mine.filter(client_id=client_id, observer=by).first()
        if earlier is None:
            raise
        return earlier, False


@transaction.atomic
def observation_classify(
    *, observation: Observation, competency: Competency, valence: str, interpretation: str, by
) -> ObservationClassification:
    _require(by, Perm.ASSESS)
    _require_worker(by, observation.worker)
    _same_organisation(by, competency.framework.organisation_id)
    if valence not in Valence.values:
        raise DomainError(_("Choose how the observation reads."), field="valence", code="required")
    classification, _created = ObservationClassification.objects.unscoped(
        reason="a service writes the observation's reading"
    ).update_or_create(
        observation=observation,
        competency=competency,
        defaults={"valence": valence, "interpretation": interpretation.strip(), "classified_by": by},
    )
    return classification


# --- Plans (POP / PDP) ------------------------------------------------------------------


def allowed_transitions(plan: Plan) -> tuple[str, ...]:
    """The statuses ``plan`` can move to (see ``competenties.plan_state``)."""
    return plan_state.allowed_statuses(plan.status)


def _check_plan_editable(plan: Plan) -> None:
    if plan.status in plan_state.LOCKED_STATUSES:
        raise DomainError(
            _("An agreed or evaluated plan cannot be changed; reopen it as a draft first."),
            code="plan_locked",
        )


@transaction.atomic
def plan_create(
    *, worker: Worker, kind: str, by, year: int | None = None, title: str = "", reflection=""
) -> Plan:
    _require(by, Perm.EDIT_WORKERS)
    _require_worker(by, worker)
    rules = Rules()
    if kind == PlanKind.POP and not year:
        rules.refuse(_("A POP covers a year: fill in the year."), field="year", code="required")
    elif (
        kind == PlanKind.POP
        and Plan.objects.unscoped(reason="one POP per worker and year")
        .filter(worker=worker, kind=kind, year=year)
        .exists()
    ):
        rules.refuse(_("This worker already has a POP for that year."), field="year", code="duplicate")
    plan = Plan(
        worker=worker,
        kind=kind,
        year=year if kind == PlanKind.POP else None,
        title=title,
        reflection=reflection,
        created_by=by,
    )
    validated_save(plan, rules=rules)
    return plan


@transaction.atomic
def plan_save(*, plan: Plan, by) -> Plan:
    """Title and reflection; agreed and evaluated plans stay as they were agreed."""
    _require(by, Perm.EDIT_WORKERS)
    _require_worker(by, plan.worker)
    _check_plan_editable(
        Plan.objects.unscoped(reason="a service locks the plan it changes")
        .select_for_update()
        .get(pk=plan.pk)
    )
    # The author may have left since (SET_NULL): an edit must not fail on that.
    validated_save(plan, exclude=["created_by"], update_fields=["title", "reflection"])
    return plan


@transaction.atomic
def plan_create_from_gap(
    *, worker: Worker, job_profile: JobProfile, gap, competencies: dict, by, kind, year=None
):
    """Start a plan with one suggested action per competency that falls short of the cut-off."""
    _same_organisation(by, job_profile.organisation_id)
    plan = plan_create(
        worker=worker, kind=kind, year=year, title=_("Towards %(job)s") % {"job": job_profile.name}, by=by
    )
    plan.source_job_profile = job_profile
    plan.save(update_fields=["source_job_profile"])
    actions = []
    for order, row in enumerate(gap.shortfalls):
        name = competencies[row.competency_id].name
        if row.measured:
            text = _("Grow in %(competency)s from level %(current)s to %(required)s") % {
                "competency": name,
                "current": row.current,
                "required": row.required,
            }
        else:
            text = _("Measure %(competency)s (level %(required)s needed)") % {
                "competency": name,
                "required": row.required,
            }
        actions.append(
            PlanAction(
                plan=plan,
                order=order,
                action=text,
                competency_id=row.competency_id,
                generic_competencies=name,
                expected_result=_("Level %(required)s at the next assessment") % {"required": row.required},
            )
        )
    PlanAction.objects.bulk_create(actions)
    return plan


@transaction.atomic
def plan_action_save(*, action: PlanAction, by) -> PlanAction:
    _require(by, Perm.EDIT_WORKERS)
    plan = (
        Plan.objects.unscoped(reason="a service locks the plan it changes")
        .select_for_update()
        .get(pk=action.plan_id)
    )
    _require_worker(by, plan.worker)
    _check_plan_editable(plan)
    rules = Rules()
    if not action.action.strip():
        rules.refuse(_("Describe the action."), field="action", code="required")
    if plan.kind == PlanKind.POP and plan.year and action.due_date and action.due_date.year < plan.year:
        rules.refuse(
            _("The deadline falls before the plan's year (%(year)s).") % {"year": plan.year},
            field="due_date",
            code="before_plan_year",
        )
    if action.pk is None:
        action.order = plan.actions.count()
    validated_save(action, rules=rules)
    return action


@transaction.atomic
def plan_action_delete(*, action: PlanAction, by) -> None:
    _require(by, Perm.EDIT_WORKERS)
    plan = (
        Plan.objects.unscoped(reason="a service locks the plan it changes")
        .select_for_update()
        .get(pk=action.plan_id)
    )
    _require_worker(by, plan.worker)
    _check_plan_editable(plan)
    action.delete()


def _check_agreement(plan: Plan, agreed_by_worker_on, agreed_by_coach_on, rules: Rules) -> None:
    """What agreeing needs: the dates of both sides, and a POP's actions SMART: each says who
    helps, by when and the measurable result (DOMAIN.md, "Plans")."""
    actions = list(plan.actions.all())
    if not actions:
        rules.refuse(_("Add at least one action before the plan is agreed."), code="no_actions")
    if agreed_by_worker_on is None or agreed_by_coach_on is None:
        rules.refuse(
            _("Fill in when the worker and the coach agreed."), field="agreed_by_worker_on", code="required"
        )
    elif max(agreed_by_worker_on, agreed_by_coach_on) > timezone.localdate():
        rules.refuse(
            _("An agreement date cannot be in the future."), field="agreed_by_worker_on", code="future"
        )
    for number, action in enumerate(actions, start=1):
        missing = _not_smart(plan, action)
        if missing:
            rules.refuse(
                _("Action %(number)s (“%(action)s”) still lacks: %(missing)s.")
                % {"number": number, "action": str(action), "missing": ", ".join(missing)},
                code="action_not_smart",
            )


def _not_smart(plan: Plan, action: PlanAction) -> list[str]:
    if plan.kind != PlanKind.POP:
        return []
    required = (
        (action.who_helps.strip(), _("who helps")),
        (action.due_date, _("by when")),
        (action.expected_result.strip(), _("the measurable result")),
    )
    return [str(label) for value, label in required if not value]


@transaction.atomic
def plan_change_status(
    *,
    plan: Plan,
    to_status: str,
    by,
    agreed_by_worker_on: datetime.date | None = None,
    agreed_by_coach_on: datetime.date | None = None,
    evaluation: str = "",
    note: str = "",
) -> Plan:
    """A user moves a plan along ``competenties.plan_state``; refuses what its table does
    not allow and what the step needs but is missing."""
    _require(by, Perm.EDIT_WORKERS)
    plan = (
        Plan.objects.unscoped(reason="a service locks the plan it changes")
        .select_for_update()
        .get(pk=plan.pk)
    )
    _require_worker(by, plan.worker)
    transition = plan_state.transition_to(plan.status, to_status)
    rules = Rules()
    if transition.records_agreement:
        _check_agreement(plan, agreed_by_worker_on, agreed_by_coach_on, rules)
    if transition.records_evaluation and not evaluation.strip():
        rules.refuse(_("Write the evaluation before closing the plan."), field="evaluation", code="required")
    rules.raise_any()
    change = plan_state.apply(
        plan,
        transition,
        agreed_by_worker_on=agreed_by_worker_on,
        agreed_by_coach_on=agreed_by_coach_on,
        evaluation=evaluation,
    )
    # A POP's agreement moves the worker's POP deadline on the dashboard.
    with summaries.tracking(plan.worker.organisation_id, [plan.worker_id]):
        plan.save()
        PlanStatusChange.objects.create(plan=plan, changed_by=by, note=note, **change)
    return plan
