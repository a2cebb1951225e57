import datetime

import pytest

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from competenties import plan_state, selectors, services
from competenties.framework_presets import TEMPLATES
from competenties.models import (
    Assessment,
    Indicator,
    IndicatorScore,
    PlanAction,
    PlanStatus,
    PlanStatusChange,
    RaterRole,
)
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import JobProfileFactory, JobProfileRequirementFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def framework(coach):
    return services.framework_copy_template(template_key="sw-lde-sam", by=coach)


@pytest.fixture
def worker(organisation, coach):
    return WorkerFactory(organisation=organisation, coach=coach)


def _scores(framework, competency_levels):
    """indicator id -> (level, evidence) for {competency name: [level per indicator]}."""
    scores = {}
    for competency in framework.competencies.prefetch_related("indicators"):
        for indicator, level in zip(
            competency.indicators.all(), competency_levels.get(competency.name, []), strict=False
        ):
            scores[indicator.pk] = (level, "")
    return scores


def _assess(worker, framework, by, role, levels, date=TODAY):
    return services.assessment_create(
        worker=worker,
        framework=framework,
        date=date,
        rater_role=role,
        method="interview",
        scores=_scores(framework, levels),
        by=by,
    )


def test_copying_a_template_copies_every_competency_and_indicator(framework):
    template = TEMPLATES["sw-lde-sam"]
    assert framework.competencies.count() == len(template.competencies) == 18
    assert all(c.indicators.count() >= 2 for c in framework.competencies.exclude(name="Overige"))
    assert framework.competencies.get(name="Samenwerken").category == "core"
    assert framework.competencies.get(name="Overige").category == "extra"


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_has_two_indicators_with_four_levels(key):
    # "Overige" is the guide's open slot for the organisation's own competency.
    for competency in TEMPLATES[key].competencies:
        assert len(competency.indicators) >= 2 or competency.name == "Overige", competency.name
        assert all(len(indicator) == 5 and all(indicator) for indicator in competency.indicators)


def test_the_templates_carry_the_guides_groups_and_names():
    sam = TEMPLATES["sw-lde-sam"].competencies
    assert [c.name for c in sam if c.category == "additional"] == [
        "Nauwkeurigheid",
        "Discipline: omgaan met regels en afspraken",
        "Gezag aanvaarden",
        "Stressbestendigheid",
        "Conflicthantering",
    ]
    assert len([c for c in sam if c.category == "core"]) == 6
    assert [c.name for c in sam if c.category == "extra"][-1] == "Overige"
    initiative = next(c for c in sam if c.name == "Initiatief")
    assert len(initiative.indicators) == 3
    bw = TEMPLATES["bw-melba"].competencies
    assert len(bw) == 11
    assert {c.category for c in bw} == {"none"}


def test_copying_twice_under_the_same_name_is_refused(framework, coach):
    with pytest.raises(DomainError) as refused:
        services.framework_copy_template(template_key="sw-lde-sam", by=coach)
    assert (refused.value.code, refused.value.field) == ("duplicate", "name")


def test_gap_against_job_profile(framework, worker, coach, organisation):
    _assess(worker, framework, coach, RaterRole.COACH, {"Samenwerken": [2, 2], "Initiatief": [4, None]})
    _assess(worker, framework, coach, RaterRole.SELF, {"Samenwerken": [4, 4], "Motivatie": [3, 3]})
    samenwerken = framework.competencies.get(name="Samenwerken")
    initiatief = framework.competencies.get(name="Initiatief")
    motivatie = framework.competencies.get(name="Motivatie")
    profile = JobProfileFactory(organisation=organisation, framework=framework)
    for competency in (samenwerken, initiatief, motivatie):
        JobProfileRequirementFactory(job_profile=profile, competency=competency, minimum_level=3)

    measurement = selectors.gap_measurement(worker, profile)

    by_name = {c.name: (row.current, row.shortfall, row.met) for c, row, _result in measurement.rows}
    # The coach's 2 counts over the worker's own 4; a self-assessment alone measures nothing.
    assert by_name == {
        "Samenwerken": (2, 1, False),
        "Initiatief": (4, 0, True),
        "Motivatie": (None, 0, False),
    }
    assert not measurement.gap.ready


def test_editing_the_framework_after_an_assessment_changes_nothing_in_it(framework, worker, coach):
    assessment = _assess(worker, framework, coach, RaterRole.COACH, {"Samenwerken": [1, 3]})
    samenwerken = framework.competencies.get(name="Samenwerken")
    first, second = samenwerken.indicators.all()
    originals = [first.description, second.description]
    profile = JobProfileFactory(organisation=worker.organisation, framework=framework)
    JobProfileRequirementFactory(job_profile=profile, competency=samenwerken, minimum_level=3)
    gap_before = selectors.gap_measurement(worker, profile).gap

    samenwerken.name = "Teamwerk"
    services.competency_save(competency=samenwerken, by=coach)
    first.description = "Iets heel anders"
    services.indicator_save(indicator=first, by=coach)
    services.indicator_delete(indicator=second, by=coach)
    services.indicator_save(indicator=Indicator(competency=samenwerken, description="Nieuw gedrag"), by=coach)

    scores = list(IndicatorScore.objects.filter(assessment=assessment).order_by("pk"))
    assert [(s.competency_name, s.indicator_text, s.level) for s in scores] == [
        ("Samenwerken", originals[0], 1),
        ("Samenwerken", originals[1], 3),
    ]
    overview = selectors.competency_overview(worker, framework)
    row = next(r for r in overview.rows if r.competency.pk == samenwerken.pk)
    assert row.levels == {"coach": 1}  # the lower median of 1 and 3, still with the deleted indicator's score
    assert selectors.gap_measurement(worker, profile).gap == gap_before
    assert gap_before.rows[0].shortfall == 2


def test_deleting_a_competency_keeps_the_assessment_readable(framework, worker, coach):
    assessment = _assess(worker, framework, coach, RaterRole.COACH, {"Samenwerken": [2, 2]})
    services.competency_delete(competency=framework.competencies.get(name="Samenwerken"), by=coach)
    score = IndicatorScore.objects.filter(assessment=assessment).first()
    assert score.competency_id is None
    assert score.competency_name == "Samenwerken"


def test_supervisor_cannot_assess_a_worker_who_is_not_theirs(framework, organisation):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    other = WorkerFactory(organisation=organisation)
    with pytest.raises(DomainError) as refused:
        _assess(other, framework, supervisor, RaterRole.SUPERVISOR, {"Samenwerken": [2, 2]})
    assert refused.value.code == "not_in_caseload"
    own = WorkerFactory(organisation=organisation, supervisor=supervisor)
    assert (
        _assess(own, framework, supervisor, RaterRole.SUPERVISOR, {"Samenwerken": [2, 2]}).rater == supervisor
    )


def test_supervisor_cannot_rate_as_coach(framework, organisation):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    own = WorkerFactory(organisation=organisation, supervisor=supervisor)
    with pytest.raises(DomainError) as refused:
        _assess(own, framework, supervisor, RaterRole.COACH, {"Samenwerken": [2, 2]})
    assert (refused.value.code, refused.value.field) == ("rater_role_not_allowed", "rater_role")


def test_coach_enters_self_assessment_with_the_worker(framework, worker, coach):
    assessment = _assess(worker, framework, coach, RaterRole.SELF, {"Samenwerken": [4, 4]})
    assert assessment.entered_by == coach
    assert assessment.rater is None
    assert assessment.rater_name == worker.full_name


def test_assessment_refuses_future_dates_empty_forms_and_other_frameworks(
    framework, worker, coach, other_organisation
):
    with pytest.raises(DomainError) as refused:
        _assess(
            worker,
            framework,
            coach,
            RaterRole.COACH,
            {"Samenwerken": [2]},
            date=TODAY + datetime.timedelta(1),
        )
    assert (refused.value.code, refused.value.field) == ("future", "date")
    with pytest.raises(DomainError) as refused:
        _assess(worker, framework, coach, RaterRole.COACH, {"Samenwerken": [None, None]})
    assert refused.value.code == "required"
    foreign_coach = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    foreign = services.framework_copy_template(template_key="bw-melba", by=foreign_coach)
    with pytest.raises(DomainError) as refused:
        _assess(worker, foreign, coach, RaterRole.COACH, {"Initiatief": [2]})
    assert refused.value.code == "other_organisation"


def test_an_assessment_names_every_broken_rule_at_once_and_saves_nothing(framework, worker, coach):
    """A future date, an external assessor without a name, no level and a note past its limit:
    one refusal names all four (issue 15: not one rule per save)."""
    before = Assessment.objects.count()
    with pytest.raises(DomainError) as refused:
        services.assessment_create(
            worker=worker,
            framework=framework,
            date=TODAY + datetime.timedelta(1),
            rater_role=RaterRole.EXTERNAL,
            method="interview",
            scores=_scores(framework, {"Samenwerken": [None]}),
            by=coach,
            notes="x" * 10_001,
        )
    error = refused.value
    assert (error.field, error.code) == ("external_rater_name", "required")
    assert {field for field, _message in error.more} == {"date", None, "notes"}
    assert Assessment.objects.count() == before


def test_plan_from_gap_prefills_one_action_per_shortfall(framework, worker, coach, organisation):
    _assess(worker, framework, coach, RaterRole.COACH, {"Samenwerken": [1, 2], "Initiatief": [4, 4]})
    profile = JobProfileFactory(organisation=organisation, framework=framework)
    for name in ("Samenwerken", "Initiatief", "Motivatie"):
        JobProfileRequirementFactory(
            job_profile=profile, competency=framework.competencies.get(name=name), minimum_level=3
        )
    measurement = selectors.gap_measurement(worker, profile)
    plan = services.plan_create_from_gap(
        worker=worker,
        job_profile=profile,
        gap=measurement.gap,
        competencies=measurement.competencies,
        kind="pop",
        year=TODAY.year,
        by=coach,
    )
    actions = list(plan.actions.all())
    assert [a.competency.name for a in actions] == ["Samenwerken", "Motivatie"]
    assert "1" in actions[0].action and "3" in actions[0].action  # levels 1 and 2 combine to 1


def test_plan_status_goes_through_the_transition_table(worker, coach):
    plan = services.plan_create(worker=worker, kind="pop", year=TODAY.year, by=coach)
    with pytest.raises(DomainError) as refused:  # no action yet
        services.plan_change_status(
            plan=plan,
            to_status=PlanStatus.AGREED,
            agreed_by_worker_on=TODAY,
            agreed_by_coach_on=TODAY,
            by=coach,
        )
    assert refused.value.code == "no_actions"
    services.plan_action_save(
        action=PlanAction(
            plan=plan,
            action="Attest VCA",
            who_helps="Coach",
            due_date=TODAY,
            expected_result="Attest behaald",
        ),
        by=coach,
    )
    with pytest.raises(DomainError) as refused:  # no dates
        services.plan_change_status(plan=plan, to_status=PlanStatus.AGREED, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "agreed_by_worker_on")
    with pytest.raises(DomainError) as refused:  # skipping a step
        services.plan_change_status(plan=plan, to_status=PlanStatus.EVALUATED, evaluation="x", by=coach)
    assert (refused.value.code, refused.value.field) == ("transition_not_allowed", "to_status")
    plan = services.plan_change_status(
        plan=plan,
        to_status=PlanStatus.AGREED,
        agreed_by_worker_on=TODAY - datetime.timedelta(2),
        agreed_by_coach_on=TODAY - datetime.timedelta(1),
        by=coach,
    )
    assert plan.agreed_on == TODAY - datetime.timedelta(1)
    with pytest.raises(DomainError) as refused:  # agreed plans are frozen
        services.plan_action_save(action=plan.actions.first(), by=coach)
    assert refused.value.code == "plan_locked"
    plan = services.plan_change_status(plan=plan, to_status=PlanStatus.IN_PROGRESS, by=coach)
    with pytest.raises(DomainError) as refused:
        services.plan_change_status(plan=plan, to_status=PlanStatus.EVALUATED, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "evaluation")
    plan = services.plan_change_status(
        plan=plan, to_status=PlanStatus.EVALUATED, evaluation="Gehaald.", by=coach
    )
    assert [(c.from_status, c.to_status) for c in PlanStatusChange.objects.filter(plan=plan)] == [
        ("draft", "agreed"),
        ("agreed", "in_progress"),
        ("in_progress", "evaluated"),
    ]


def test_the_plan_table_offers_its_steps_in_order_and_reopening_clears_the_agreement(worker, coach):
    assert plan_state.allowed_statuses(PlanStatus.DRAFT) == (PlanStatus.AGREED,)
    assert plan_state.allowed_statuses(PlanStatus.AGREED) == (PlanStatus.IN_PROGRESS, PlanStatus.DRAFT)
    assert plan_state.allowed_statuses(PlanStatus.EVALUATED) == ()
    plan = PlanFactory(worker=worker, status=PlanStatus.AGREED, agreed_on=TODAY)
    assert (plan.agreed_by_worker_on, plan.agreed_by_coach_on, plan.agreed_on) == (TODAY, TODAY, TODAY)
    plan = services.plan_change_status(plan=plan, to_status=PlanStatus.DRAFT, by=coach)
    assert (plan.status, plan.agreed_on, plan.agreed_by_worker_on) == (PlanStatus.DRAFT, None, None)
    with pytest.raises(DomainError) as refused:
        plan_state.apply(plan, plan_state.TRANSITIONS["evaluate"], evaluation="Gehaald.")
    assert refused.value.code == "transition_not_allowed"
    assert plan.status == PlanStatus.DRAFT


def test_model_validation_refuses_like_any_rule_with_djangos_code(coach):
    framework = services.framework_copy_template(template_key="sw-lde-sam", by=coach)
    framework.name = "x" * 201
    with pytest.raises(DomainError) as refused:
        services.framework_save(framework=framework, by=coach)
    assert (refused.value.code, refused.value.field) == ("max_length", "name")
    assert "200" in refused.value.message


def test_pop_state_rule():
    today = datetime.date(2026, 6, 15)
    assert selectors.pop_state(None, today)[0] == "overdue"
    assert selectors.pop_state(datetime.date(2025, 6, 15), today) == ("overdue", datetime.date(2026, 6, 15))
    assert selectors.pop_state(datetime.date(2025, 7, 1), today)[0] == "due"
    assert selectors.pop_state(datetime.date(2025, 9, 1), today)[0] == "ok"
    assert selectors.pop_state(datetime.date(2024, 2, 29), datetime.date(2025, 3, 1))[1] == datetime.date(
        2025, 2, 28
    )


def test_pops_due_lists_workers_without_recent_agreed_pop(organisation, hr, coach):
    never = WorkerFactory(organisation=organisation, coach=coach)
    recent = WorkerFactory(organisation=organisation, coach=coach)
    old = WorkerFactory(organisation=organisation, coach=coach)
    draft_only = WorkerFactory(organisation=organisation, coach=coach)
    for worker, agreed in ((recent, TODAY - datetime.timedelta(30)), (old, TODAY - datetime.timedelta(400))):
        plan = services.plan_create(worker=worker, kind="pop", year=agreed.year, by=coach)
        services.plan_action_save(
            action=PlanAction(
                plan=plan, action="Iets", who_helps="Coach", due_date=agreed, expected_result="Af"
            ),
            by=coach,
        )
        services.plan_change_status(
            plan=plan,
            to_status=PlanStatus.AGREED,
            agreed_by_worker_on=agreed,
            agreed_by_coach_on=agreed,
            by=coach,
        )
    services.plan_create(worker=draft_only, kind="pop", year=TODAY.year, by=coach)
    WorkerFactory()  # another organisation

    due = set(selectors.pops_due_for(hr))
    assert due == {never, old, draft_only}
