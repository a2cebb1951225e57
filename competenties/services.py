"""Writes: every change to frameworks, assessments, observations and plans goes through here."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, validated_save
from bwise.roles import Role
from competenties import plan_state
from competenties.framework_presets import TEMPLATES
from competenties.models import (
    Assessment,
    Competency,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    Observation,
    ObservationClassification,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatusChange,
    RaterRole,
    Valence,
)
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
    if duplicate.exclude(pk=framework.pk).exists():
        raise DomainError(
            _("Your organisation already has a framework with this name."), field="name", code="duplicate"
        )
    validated_save(framework)
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
    level, None removing the requirement (the competency is then ignored in the gap)."""
    _require(by, Perm.MANAGE_FRAMEWORKS)
    if job_profile.pk is None:
        job_profile.organisation_id = by.organisation_id
    _same_organisation(by, job_profile.organisation_id)
    _same_organisation(by, job_profile.framework.organisation_id)
    if job_profile.pk is not None:
        old = JobProfile.objects.unscoped(reason="a service compares the job profile it changes").get(
            pk=job_profile.pk
        )
        if old.framework_id != job_profile.framework_id:
            job_profile.requirements.all().delete()
    validated_save(job_profile)
    competency_ids = set(job_profile.framework.competencies.values_list("pk", flat=True))
    for competency_id, level in requirements.items():
        if competency_id not in competency_ids:
            raise DomainError(
                _("That competency is not part of the job profile's framework."), code="other_framework"
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
    if rater_role not in rater_roles_for(by):
        raise DomainError(
            _("You cannot enter an assessment in this role."),
            field="rater_role",
            code="rater_role_not_allowed",
        )
    if rater_role == RaterRole.EXTERNAL and not external_rater_name.strip():
        raise DomainError(_("Name the external assessor."), field="external_rater_name", code="required")
    if date > timezone.localdate():
        raise DomainError(_("An assessment cannot be dated in the future."), field="date", code="future")
    indicators = {
        i.pk: i
        for i in Indicator.objects.unscoped(reason="a service copies the framework's indicators")
        .filter(competency__framework=framework)
        .select_related("competency")
    }
    if set(scores) - set(indicators):
        raise DomainError(_("Some scores are not for this framework's indicators."), code="other_framework")
    if not any(level is not None for level, _evidence in scores.values()):
        raise DomainError(_("Give a level for at least one behaviour."), code="required")
    assessment = Assessment(
        worker=worker,
        framework=framework,
        date=date,
        rater_role=rater_role,
        rater=by if rater_role in (RaterRole.COACH, RaterRole.SUPERVISOR) else None,
        external_rater_name=external_rater_name.strip() if rater_role == RaterRole.EXTERNAL else "",
        entered_by=by,
        method=method,
        notes=notes,
    )
    validated_save(assessment)
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            assessment=assessment,
            indicator=indicator,
            competency=indicator.competency,
            competency_name=indicator.competency.name,
            indicator_text=indicator.description,
            level=scores[indicator.pk][0] if indicator.pk in scores else None,
            evidence=scores[indicator.pk][1] if indicator.pk in scores else "",
        )
        for indicator in indicators.values()
        if indicator.pk in scores
    )
    return assessment


# --- Observations (WAKKER) --------------------------------------------------------------


@transaction.atomic
def observation_create(*, worker: Worker, text: str, by, observed_at=None) -> Observation:
    _require(by, Perm.ADD_OBSERVATIONS)
    _require_worker(by, worker)
    if not text.strip():
        raise DomainError(_("Write down what you saw or heard."), field="text", code="required")
    observed_at = observed_at or timezone.now()
    if observed_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError(_("An observation cannot be in the future."), field="observed_at", code="future")
    return Observation.objects.create(worker=worker, observer=by, observed_at=observed_at, text=text.strip())


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
    if kind == PlanKind.POP and not year:
        raise DomainError(_("A POP covers a year: fill in the year."), field="year", code="required")
    if (
        kind == PlanKind.POP
        and Plan.objects.unscoped(reason="one POP per worker and year")
        .filter(worker=worker, kind=kind, year=year)
        .exists()
    ):
        raise DomainError(_("This worker already has a POP for that year."), field="year", code="duplicate")
    plan = Plan(
        worker=worker,
        kind=kind,
        year=year if kind == PlanKind.POP else None,
        title=title,
        reflection=reflection,
        created_by=by,
    )
    validated_save(plan)
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
    if not action.action.strip():
        raise DomainError(_("Describe the action."), field="action", code="required")
    if action.pk is None:
        action.order = plan.actions.count()
    validated_save(action)
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
    if transition.records_agreement:
        if not plan.actions.exists():
            raise DomainError(_("Add at least one action before the plan is agreed."), code="no_actions")
        if agreed_by_worker_on is None or agreed_by_coach_on is None:
            raise DomainError(
                _("Fill in when the worker and the coach agreed."),
                field="agreed_by_worker_on",
                code="required",
            )
        if max(agreed_by_worker_on, agreed_by_coach_on) > timezone.localdate():
            raise DomainError(
                _("An agreement date cannot be in the future."), field="agreed_by_worker_on", code="future"
            )
    if transition.records_evaluation and not evaluation.strip():
        raise DomainError(
            _("Write the evaluation before closing the plan."), field="evaluation", code="required"
        )
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
