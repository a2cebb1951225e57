"""Measurement rounds: opening, independent rating, consensus, closing, the level that
follows, the ready verdict and the pages' query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from competenties import selectors, services
from competenties.models import RaterRole, RoundStatus
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.factories_competenties import (
    CompetencyFactory,
    FrameworkFactory,
    IndicatorFactory,
    JobProfileFactory,
    JobProfileRequirementFactory,
    ObservationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def make_framework(organisation, competencies=2, indicators=2):
    framework = FrameworkFactory(organisation=organisation)
    for c in range(competencies):
        competency = CompetencyFactory(framework=framework, name=f"Competentie {c}", order=c)
        for i in range(indicators):
            IndicatorFactory(competency=competency, description=f"Gedrag {c}.{i}", order=i)
    return framework


@pytest.fixture
def team(organisation, coach):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    return {
        "coach": coach,
        "coach2": UserFactory(organisation=organisation, roles=[Role.COACH]),
        "supervisor": supervisor,
        "worker": WorkerFactory(organisation=organisation, coach=coach, supervisor=supervisor),
        "framework": make_framework(organisation),
    }


def open_round(team, workers=None, raters=None, **kwargs):
    raters = raters or [
        (RaterRole.COACH, team["coach"], ""),
        (RaterRole.SUPERVISOR, team["supervisor"], ""),
        (RaterRole.SELF, None, ""),
    ]
    return services.round_open(
        title="Voorjaar",
        framework=team["framework"],
        workers=workers or [team["worker"]],
        starts_on=kwargs.pop("starts_on", TODAY - datetime.timedelta(days=10)),
        ends_on=kwargs.pop("ends_on", TODAY + datetime.timedelta(days=10)),
        raters=raters,
        by=team["coach"],
        **kwargs,
    )


def levels_for(framework, per_competency):
    """indicator id -> (level, "") with every indicator of competency n at per_competency[n]."""
    scores = {}
    for n, competency in enumerate(framework.competencies.prefetch_related("indicators")):
        for indicator in competency.indicators.all():
            scores[indicator.pk] = (per_competency[n], "")
    return scores


def rater(measurement_round, role, user=None):
    raters = measurement_round.raters.filter(role=role)
    return (raters.filter(user=user) if user else raters).get()


def submit(team, measurement_round, role, user, by, per_competency, date=TODAY, worker=None):
    return services.round_rating_submit(
        measurement_round=measurement_round,
        worker=worker or team["worker"],
        rater=rater(measurement_round, role, user),
        date=date,
        scores=levels_for(team["framework"], per_competency),
        by=by,
    )


def test_a_round_invites_colleagues_the_worker_and_an_external_assessor(team):
    measurement_round = open_round(
        team,
        raters=[
            (RaterRole.COACH, team["coach"], ""),
            (RaterRole.COACH, team["coach2"], ""),
            (RaterRole.SUPERVISOR, team["supervisor"], ""),
            (RaterRole.EXTERNAL, None, " Assessor Peeters "),
            (RaterRole.SELF, None, ""),
        ],
    )
    assert [(r.role, r.user, r.external_name) for r in measurement_round.raters.all()] == [
        ("coach", team["coach"], ""),
        ("coach", team["coach2"], ""),
        ("werkvloerbegeleider", team["supervisor"], ""),
        ("external", None, "Assessor Peeters"),
        ("self", None, ""),
    ]
    assert measurement_round.status == RoundStatus.OPEN


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"workers": "none"}, "required"),
        ({"ends_on": TODAY - datetime.timedelta(days=11)}, "period_order"),
        ({"raters": [(RaterRole.SELF, None, "")]}, "no_professional"),
        ({"raters": "twice"}, "duplicate"),
        ({"raters": "supervisor_as_coach"}, "rater_role"),
        ({"raters": [(RaterRole.EXTERNAL, None, "  ")]}, "required"),
    ],
)
def test_opening_refuses(team, change, code):
    kwargs = dict(change)
    if kwargs.get("raters") == "twice":
        kwargs["raters"] = [(RaterRole.COACH, team["coach"], ""), (RaterRole.COACH, team["coach"], "")]
    if kwargs.get("raters") == "supervisor_as_coach":
        kwargs["raters"] = [(RaterRole.COACH, team["supervisor"], "")]
    if kwargs.get("workers") == "none":
        with pytest.raises(DomainError) as refused:
            services.round_open(
                title="",
                framework=team["framework"],
                workers=[],
                starts_on=TODAY,
                ends_on=TODAY,
                raters=[(RaterRole.COACH, team["coach"], "")],
                by=team["coach"],
            )
    else:
        with pytest.raises(DomainError) as refused:
            open_round(team, **kwargs)
    assert refused.value.code == code


def test_a_worker_outside_the_caseload_cannot_be_put_in_a_round(team, organisation):
    stranger = WorkerFactory(organisation=organisation)
    with pytest.raises(DomainError) as refused:
        open_round(team, workers=[stranger])
    assert refused.value.code == "not_in_caseload"


def test_more_than_six_workers_warns_each_rater(team):
    measurement_round = open_round(team)
    assert services.round_warnings(measurement_round, 6) == []
    [warning] = services.round_warnings(measurement_round, 7)
    assert "7" in warning and "6" in warning


def test_raters_rate_independently_and_only_for_themselves(team):
    measurement_round = open_round(team)
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [3, 2])
    # The supervisor has not submitted: the coach's levels are hidden from them.
    sheet = selectors.round_sheet(measurement_round, team["worker"], team["supervisor"])
    assert not sheet.visible
    assert all(level is None for row in sheet.rows for level in row.levels)
    with pytest.raises(DomainError) as refused:
        submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["coach"], [1, 1])
    assert refused.value.code == "rater_role_not_allowed"
    submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [1, 2])
    sheet = selectors.round_sheet(measurement_round, team["worker"], team["supervisor"])
    assert sheet.visible
    assert [row.levels[:2] for row in sheet.rows] == [[3, 1], [2, 2]]
    with pytest.raises(DomainError) as refused:
        submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [1, 2])
    assert refused.value.code == "already_submitted"


def test_the_coach_enters_the_self_assessment_within_the_period(team):
    measurement_round = open_round(team, starts_on=YESTERDAY)
    with pytest.raises(DomainError) as refused:
        submit(
            team,
            measurement_round,
            RaterRole.SELF,
            None,
            team["coach"],
            [4, 4],
            date=YESTERDAY - datetime.timedelta(days=1),
        )
    assert refused.value.code == "period"
    assessment = submit(team, measurement_round, RaterRole.SELF, None, team["coach"], [4, 4], date=YESTERDAY)
    assert (assessment.rater_role, assessment.entered_by, assessment.method) == (
        "self",
        team["coach"],
        "self_assessment",
    )


def test_consensus_flags_disagreement_and_needs_a_justification(team):
    measurement_round = open_round(team)
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [4, 3])
    submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [2, 2])
    submit(team, measurement_round, RaterRole.SELF, None, team["coach"], [4, 3])
    sheet = selectors.round_sheet(measurement_round, team["worker"], team["coach"])
    first, second = sheet.rows
    # The self-assessment shows and counts for the flag, but not for the provisional level.
    assert (first.levels, first.disagreement, first.provisional) == ([4, 2, 4], True, 2)
    assert (second.levels, second.disagreement, second.provisional) == ([3, 2, 3], False, 2)
    with pytest.raises(DomainError) as refused:
        services.round_consensus_record(
            measurement_round=measurement_round,
            worker=team["worker"],
            levels={first.competency.pk: (3, " "), second.competency.pk: (2, "")},
            by=team["coach"],
        )
    assert (refused.value.code, refused.value.field) == (
        "justification_required",
        f"justification_{first.competency.pk}",
    )
    services.round_consensus_record(
        measurement_round=measurement_round,
        worker=team["worker"],
        levels={
            first.competency.pk: (3, "Zelfstandig opgestart op twee dagen."),
            second.competency.pk: (2, ""),
        },
        by=team["coach"],
    )
    sheet = selectors.round_sheet(measurement_round, team["worker"], team["coach"])
    assert [row.agreed.level for row in sheet.rows] == [3, 2]


def test_closing_needs_every_rated_competency_agreed_and_then_the_agreed_level_counts(team, organisation):
    measurement_round = open_round(team)
    profile = JobProfileFactory(organisation=organisation, framework=team["framework"])
    first, second = team["framework"].competencies.all()
    JobProfileRequirementFactory(job_profile=profile, competency=first, minimum_level=3)
    with pytest.raises(DomainError) as refused:
        services.round_close(measurement_round=measurement_round, by=team["coach"])
    assert refused.value.code == "nothing_rated"
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [4, 3])
    submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [2, 2])

    measurement = selectors.gap_measurement(team["worker"], profile)
    current = measurement.current[first.pk]
    assert (current.level, current.provisional, measurement.provisional) == (2, True, True)
    assert [row.competency_id for row in measurement.gap.shortfalls] == [first.pk]

    services.round_consensus_record(
        measurement_round=measurement_round,
        worker=team["worker"],
        levels={first.pk: (3, "Samen bekeken: de begeleider zag een slechte dag.")},
        by=team["coach"],
    )
    with pytest.raises(DomainError) as refused:
        services.round_close(measurement_round=measurement_round, by=team["coach"])
    assert refused.value.code == "consensus_missing"
    services.round_consensus_record(
        measurement_round=measurement_round,
        worker=team["worker"],
        levels={second.pk: (2, "")},
        by=team["coach"],
    )
    services.round_close(measurement_round=measurement_round, by=team["coach"])

    measurement = selectors.gap_measurement(team["worker"], profile)
    current = measurement.current[first.pk]
    assert (current.level, current.provisional, measurement.gap.ready) == (3, False, True)
    # The plan follows the agreed level too: nothing left to grow in for this profile.
    plan = services.plan_create_from_gap(
        worker=team["worker"],
        job_profile=profile,
        gap=measurement.gap,
        competencies=measurement.competencies,
        kind="pdp",
        by=team["coach"],
    )
    assert plan.actions.count() == 0
    with pytest.raises(DomainError) as refused:
        submit(team, measurement_round, RaterRole.SELF, None, team["coach"], [4, 4])
    assert refused.value.code == "round_closed"


def test_ready_needs_two_professional_observers_on_two_days(team, organisation):
    profile = JobProfileFactory(organisation=organisation, framework=team["framework"])
    first = team["framework"].competencies.first()
    JobProfileRequirementFactory(job_profile=profile, competency=first, minimum_level=2)
    measurement_round = open_round(team)
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [3, 3])
    verdict = selectors.gap_measurement(team["worker"], profile).verdict
    assert (verdict.ready, verdict.missing) == (False, ["observers", "days"])
    submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [3, 3])
    verdict = selectors.gap_measurement(team["worker"], profile).verdict
    assert (verdict.evidence.observers, verdict.evidence.days, verdict.missing) == (2, 1, ["days"])
    # A WAKKER observation on another day of the round's period is a second day.
    ObservationFactory(
        worker=team["worker"],
        observer=team["supervisor"],
        observed_at=datetime.datetime.combine(YESTERDAY, datetime.time(10), tzinfo=datetime.UTC),
    )
    verdict = selectors.gap_measurement(team["worker"], profile).verdict
    assert (verdict.evidence.days, verdict.ready) == (2, True)


def test_rater_agreement_of_a_round_over_workers_and_competencies(team, organisation):
    other = WorkerFactory(organisation=organisation, coach=team["coach"], supervisor=team["supervisor"])
    measurement_round = open_round(team, workers=[team["worker"], other])
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [1, 2])
    submit(team, measurement_round, RaterRole.SUPERVISOR, team["supervisor"], team["supervisor"], [1, 2])
    submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [3, 4], worker=other)
    submit(
        team,
        measurement_round,
        RaterRole.SUPERVISOR,
        team["supervisor"],
        team["supervisor"],
        [4, 4],
        worker=other,
    )
    submit(team, measurement_round, RaterRole.SELF, None, team["coach"], [4, 4])  # not a professional
    [pair], pooled = selectors.round_agreement(measurement_round, team["coach"])
    # The hand-computed case of test_agreement: pairs (1,1) (2,2) (3,4) (4,4).
    assert (pair.result.pairs, pair.result.exact, pair.result.within_one) == (4, 0.75, 1.0)
    assert pair.result.kappa == pytest.approx(9 / 11)
    assert pooled.kappa == pytest.approx(9 / 11)


def _round_pages(organisation, coach, size):
    """A round with 2 + size raters (all submitted) over (size + 1) competencies of (size + 1) indicators."""
    team = {
        "coach": coach,
        "worker": WorkerFactory(organisation=organisation, coach=coach),
        "framework": make_framework(organisation, competencies=size + 1, indicators=size + 1),
    }
    raters = [(RaterRole.COACH, coach, ""), (RaterRole.SELF, None, "")]
    raters += [(RaterRole.EXTERNAL, None, f"Assessor {n}") for n in range(size)]
    measurement_round = open_round(team, raters=raters)
    # The coach enters every rating here (external assessors rate on paper): all of them show.
    for invited in measurement_round.raters.all():
        services.round_rating_submit(
            measurement_round=measurement_round,
            worker=team["worker"],
            rater=invited,
            date=TODAY,
            scores=levels_for(team["framework"], [1 + invited.pk % 4] * (size + 1)),
            by=coach,
        )
    kwargs = {"measurementround_pk": measurement_round.pk}
    return (
        reverse("competenties:round_detail", kwargs=kwargs),
        reverse("competenties:round_sheet", kwargs={**kwargs, "worker_pk": team["worker"].pk}),
    )


def test_round_and_consensus_pages_take_the_same_queries_as_raters_and_indicators_grow(
    client, organisation, coach, django_assert_num_queries
):
    client.force_login(coach)
    small = []
    for url in _round_pages(organisation, coach, 1):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small.append(len(queries))
    for url, count in zip(_round_pages(organisation, coach, 4), small, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_worker_page_charts_the_agreed_level_over_closed_rounds(team, client):
    first = team["framework"].competencies.first()
    for level in (1, 3):
        measurement_round = open_round(team, raters=[(RaterRole.COACH, team["coach"], "")])
        submit(team, measurement_round, RaterRole.COACH, team["coach"], team["coach"], [level, level])
        services.round_consensus_record(
            measurement_round=measurement_round,
            worker=team["worker"],
            levels={c.pk: (level, "") for c in team["framework"].competencies.all()},
            by=team["coach"],
        )
        services.round_close(measurement_round=measurement_round, by=team["coach"])
    overview = selectors.competency_overview(team["worker"], team["framework"])
    row = next(r for r in overview.rows if r.competency == first)
    assert row.agreed_history == [1, 3]
    assert overview.current[first.pk].level == 3
    client.force_login(team["coach"])
    page = client.get(
        reverse("competenties:worker", kwargs={"worker_pk": team["worker"].pk}),
        {"framework": team["framework"].pk},
    ).content.decode()
    assert 'id="agreed-history"' in page and 'class="agreed-chart"' in page


def test_opening_seven_workers_through_the_form_warns(team, client, organisation):
    workers = [team["worker"]] + [
        WorkerFactory(organisation=organisation, coach=team["coach"]) for _ in range(6)
    ]
    client.force_login(team["coach"])
    response = client.post(
        reverse("competenties:round_open"),
        {
            "framework": team["framework"].pk,
            "workers": [w.pk for w in workers],
            "starts_on": TODAY.isoformat(),
            "ends_on": TODAY.isoformat(),
            "coach": team["coach"].pk,
            "self_assessment": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("round-warning") == 1
    assert len(response.context["overview"].participants) == 7


def test_a_job_profile_combines_frameworks_and_the_gap_reads_each(team, organisation):
    digital = make_framework(organisation, competencies=1)
    own = team["framework"].competencies.first()
    screen = digital.competencies.get()
    profile = services.job_profile_save(
        job_profile=JobProfileFactory.build(organisation=organisation, framework=team["framework"]),
        requirements={own.pk: 3, screen.pk: 2},
        by=team["coach"],
    )
    foreign = make_framework(OrganisationFactory(), competencies=1).competencies.get()
    with pytest.raises(DomainError) as refused:
        services.job_profile_save(job_profile=profile, requirements={foreign.pk: 2}, by=team["coach"])
    assert refused.value.code == "other_framework"
    for framework, level in ((team["framework"], 3), (digital, 1)):
        measurement_round = services.round_open(
            title="",
            framework=framework,
            workers=[team["worker"]],
            starts_on=TODAY,
            ends_on=TODAY,
            raters=[(RaterRole.COACH, team["coach"], "")],
            by=team["coach"],
        )
        services.round_rating_submit(
            measurement_round=measurement_round,
            worker=team["worker"],
            rater=measurement_round.raters.get(),
            date=TODAY,
            scores=levels_for(framework, [level] * framework.competencies.count()),
            by=team["coach"],
        )
    gap = selectors.gap_measurement(team["worker"], profile).gap
    assert [(row.competency_id, row.current, row.met) for row in gap.rows] == [
        (own.pk, 3, True),
        (screen.pk, 1, False),
    ]


def test_calibration_staff_rate_the_same_case_and_see_their_agreement_after_rating(team, directie):
    case = services.calibration_case_create(
        framework=team["framework"],
        title="Ochtendploeg",
        description="Video: stapelt dozen.",
        by=team["coach"],
    )
    indicators = [
        i.pk
        for c in team["framework"].competencies.prefetch_related("indicators")
        for i in c.indicators.all()
    ]
    services.calibration_rate(
        case=case, levels=dict(zip(indicators, [1, 2, 3, 4], strict=True)), by=team["coach"]
    )
    assert selectors.calibration_result(case, team["supervisor"]).overall is None  # not rated yet: hidden
    services.calibration_rate(
        case=case, levels=dict(zip(indicators, [1, 2, 4, 4], strict=True)), by=team["supervisor"]
    )
    with pytest.raises(DomainError) as refused:
        services.calibration_rate(case=case, levels={indicators[0]: 2}, by=team["supervisor"])
    assert refused.value.code == "already_submitted"
    result = selectors.calibration_result(case, team["supervisor"])
    assert result.rated and result.overall.kappa == pytest.approx(9 / 11)  # the hand-computed case
    # The director does not rate and sees the result at once.
    assert selectors.calibration_result(case, directie).overall.exact == 0.75


def test_a_supervisor_rates_the_workers_of_the_round_they_supervise_and_no_others(team, client, organisation):
    supervisor = team["supervisor"]
    # Also a coach, with a worker shared by a colleague: seen, but not supervised.
    supervisor.roles = [Role.BEGELEIDER, Role.COACH]
    supervisor.save()
    elsewhere = WorkerFactory(
        organisation=organisation,
        coach=team["coach"],
        supervisor=UserFactory(organisation=organisation, roles=[Role.BEGELEIDER]),
    )
    elsewhere.shared_with.add(supervisor)
    measurement_round = open_round(team, workers=[team["worker"], elsewhere])
    invited = rater(measurement_round, RaterRole.SUPERVISOR)
    client.force_login(supervisor)

    def rate_url(worker):
        return reverse(
            "competenties:round_rate",
            kwargs={
                "measurementround_pk": measurement_round.pk,
                "worker_pk": worker.pk,
                "roundrater_pk": invited.pk,
            },
        )

    assert client.get(rate_url(team["worker"])).status_code == 200
    assert client.get(rate_url(elsewhere)).status_code == 404
    with pytest.raises(DomainError) as refused:
        submit(
            team, measurement_round, RaterRole.SUPERVISOR, supervisor, supervisor, [2, 2], worker=elsewhere
        )
    assert refused.value.code == "not_supervised"
    assert not selectors.round_overview(measurement_round, supervisor).visible
    submit(team, measurement_round, RaterRole.SUPERVISOR, supervisor, supervisor, [2, 3])
    # Rated everyone they supervise: the agreement and the other raters' levels show.
    assert selectors.round_overview(measurement_round, supervisor).visible
    assert selectors.round_sheet(measurement_round, elsewhere, supervisor).visible
    detail = client.get(
        reverse("competenties:round_detail", kwargs={"measurementround_pk": measurement_round.pk})
    )
    assert rate_url(elsewhere) not in detail.content.decode()


def test_a_round_against_a_combined_job_profile_measures_every_framework_it_draws_on(
    team, organisation, client
):
    digital = make_framework(organisation, competencies=1, indicators=1)
    unused = make_framework(organisation, competencies=1, indicators=1)
    attitude = team["framework"].competencies.first()
    screen = digital.competencies.get()
    profile = JobProfileFactory(organisation=organisation, framework=team["framework"])
    JobProfileRequirementFactory(job_profile=profile, competency=attitude, minimum_level=2)
    JobProfileRequirementFactory(job_profile=profile, competency=screen, minimum_level=3)
    measurement_round = open_round(team, job_profile=profile)
    assert services.round_framework_ids(measurement_round) == [team["framework"].pk, digital.pk]
    both = {**levels_for(team["framework"], [2, 2]), **levels_for(digital, [3])}
    client.force_login(team["supervisor"])
    rate_page = client.get(
        reverse(
            "competenties:round_rate",
            kwargs={
                "measurementround_pk": measurement_round.pk,
                "worker_pk": team["worker"].pk,
                "roundrater_pk": rater(measurement_round, RaterRole.SUPERVISOR).pk,
            },
        )
    )
    assert screen.indicators.get().description in rate_page.content.decode()
    for role, user, day, scores in (
        (RaterRole.COACH, team["coach"], YESTERDAY, both),
        (RaterRole.SUPERVISOR, team["supervisor"], TODAY, {**both, screen.indicators.get().pk: (1, "")}),
    ):
        services.round_rating_submit(
            measurement_round=measurement_round,
            worker=team["worker"],
            rater=rater(measurement_round, role, user),
            date=day,
            scores=scores,
            by=user,
        )
    with pytest.raises(DomainError) as refused:
        services.round_rating_submit(
            measurement_round=measurement_round,
            worker=team["worker"],
            rater=rater(measurement_round, RaterRole.SELF),
            date=TODAY,
            scores=levels_for(unused, [4]),
            by=team["coach"],
        )
    assert refused.value.code == "other_framework"
    sheet = selectors.round_sheet(measurement_round, team["worker"], team["coach"])
    screen_row = next(row for row in sheet.rows if row.competency == screen)
    assert (screen_row.levels, screen_row.disagreement) == ([3, 1, None], True)
    measurement = selectors.gap_measurement(team["worker"], profile)
    assert (measurement.current[screen.pk].level, measurement.current[screen.pk].provisional) == (1, True)
    services.round_consensus_record(
        measurement_round=measurement_round,
        worker=team["worker"],
        levels={
            **{c.pk: (2, "") for c in team["framework"].competencies.all()},
            screen.pk: (3, "Samen de registratie op de tablet bekeken."),
        },
        by=team["coach"],
    )
    services.round_close(measurement_round=measurement_round, by=team["coach"])
    measurement = selectors.gap_measurement(team["worker"], profile)
    assert (measurement.current[screen.pk].level, measurement.current[screen.pk].provisional) == (3, False)
    assert (measurement.gap.ready, measurement.verdict.ready) == (True, True)
    # The digital framework's own page shows the level agreed in the combined round.
    overview = selectors.competency_overview(team["worker"], digital)
    assert (overview.current[screen.pk].level, [r.agreed_history for r in overview.rows]) == (3, [[3]])
