"""Reads that depend on who asks, and the overviews built from the pure rules in gap.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from competenties import gap as rules
from competenties import plan_state
from competenties.models import (
    Assessment,
    Competency,
    Framework,
    IndicatorScore,
    JobProfile,
    ObservationClassification,
    Plan,
    PlanKind,
    RaterRole,
    Valence,
)
from trajects.models import Worker

COMPARED_ROLES = (RaterRole.SELF, RaterRole.COACH, RaterRole.SUPERVISOR)
# A POP falls due twelve months after the last one was agreed; it shows as "due" this
# many days before that date so that the coach can plan the conversation.
POP_DUE_WARNING_DAYS = 30


def frameworks_for(user):
    return Framework.objects.visible_to(user).annotate(competency_count=Count("competencies"))


def job_profiles_for(user):
    return JobProfile.objects.visible_to(user).select_related("framework")


def score_rows(worker: Worker, framework: Framework | None = None) -> list[rules.ScoreRow]:
    """All indicator scores of a worker as plain rows, in one query."""
    scores = IndicatorScore.objects.of_worker(worker)
    if framework is not None:
        scores = scores.filter(assessment__framework=framework)
    return [
        rules.ScoreRow(*values)
        for values in scores.values_list(
            "assessment_id", "assessment__date", "assessment__rater_role", "competency_id", "level"
        )
    ]


@dataclass
class ComparisonRow:
    competency: Competency
    levels: dict[str, int]
    history: list[tuple[Assessment, int | None]]

    @property
    def disagreement(self) -> bool:
        return rules.disagrees(self.levels)

    @property
    def role_levels(self) -> list[int | None]:
        return [self.levels.get(role) for role in COMPARED_ROLES]


@dataclass
class CompetencyOverview:
    framework: Framework
    assessments: list[Assessment]
    rows: list[ComparisonRow]
    current: dict[int, rules.CompetencyResult]


def competency_overview(worker: Worker, framework: Framework) -> CompetencyOverview:
    """Comparison side by side and progress over time, in a fixed number of queries."""
    competencies = list(framework.competencies.all())
    assessments = list(
        Assessment.objects.of_worker(worker)
        .filter(framework=framework)
        .select_related("rater")
        .order_by("date", "pk")
    )
    results = rules.competency_results(score_rows(worker, framework))
    by_pair = {(r.assessment_id, r.competency_id): r.level for r in results}
    compared = rules.latest_by_role(r for r in results if r.rater_role in COMPARED_ROLES)
    rows = [
        ComparisonRow(
            competency=competency,
            levels=compared.get(competency.pk, {}),
            history=[(a, by_pair.get((a.pk, competency.pk))) for a in assessments],
        )
        for competency in competencies
    ]
    return CompetencyOverview(framework, assessments, rows, rules.current_levels(results))


@dataclass
class GapMeasurement:
    job_profile: JobProfile
    gap: rules.Gap
    competencies: dict[int, Competency]
    current: dict[int, rules.CompetencyResult]

    @property
    def rows(self):
        return [
            (self.competencies[row.competency_id], row, self.current.get(row.competency_id))
            for row in self.gap.rows
        ]


def gap_measurement(worker: Worker, job_profile: JobProfile) -> GapMeasurement:
    requirements = list(job_profile.requirements.select_related("competency"))
    competencies = {r.competency_id: r.competency for r in requirements}
    current = rules.current_levels(rules.competency_results(score_rows(worker, job_profile.framework)))
    measured = {cid: result.level for cid, result in current.items()}
    gap = rules.compute_gap(measured, {r.competency_id: r.minimum_level for r in requirements})
    return GapMeasurement(job_profile, gap, competencies, current)


def indicators_with_competencies(framework: Framework):
    return list(framework.competencies.prefetch_related("indicators").order_by("order", "pk"))


# --- Observations -----------------------------------------------------------------------


def observation_counts(worker: Worker, start: datetime.date, end: datetime.date):
    """WAKKER's Kwantificeren: classified observations per competency over a period."""
    return (
        ObservationClassification.objects.of_worker(worker)
        .filter(
            observation__observed_at__date__gte=start,
            observation__observed_at__date__lte=end,
        )
        .values("competency_id", "competency__name", "competency__framework__name")
        .annotate(
            total=Count("pk"),
            positive=Count("pk", filter=Q(valence=Valence.POSITIVE)),
            negative=Count("pk", filter=Q(valence=Valence.NEGATIVE)),
        )
        .order_by("competency__framework__name", "competency__name")
    )


# --- POP due dates ----------------------------------------------------------------------


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class PopState:
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"


def with_pop_status(workers):
    """Annotate ``last_pop_agreed_on``: the newest agreement date of an agreed, running or
    evaluated POP. The rule: every worker needs an agreed POP in the last twelve months;
    a worker who never had one is overdue."""
    agreed = Plan.objects.filter(
        worker=OuterRef("pk"),
        kind=PlanKind.POP,
        status__in=plan_state.AGREED_STATUSES,
    ).order_by("-agreed_on")
    return workers.annotate(last_pop_agreed_on=Subquery(agreed.values("agreed_on")[:1]))


def pop_state(last_agreed_on: datetime.date | None, today: datetime.date | None = None) -> tuple[str, object]:
    """(state, due date) for a worker whose last POP was agreed on ``last_agreed_on``."""
    today = today or timezone.localdate()
    if last_agreed_on is None:
        return PopState.OVERDUE, None
    due = one_year_after(last_agreed_on)
    if due <= today:
        return PopState.OVERDUE, due
    if due <= today + datetime.timedelta(days=POP_DUE_WARNING_DAYS):
        return PopState.DUE, due
    return PopState.OK, due


def pops_due_for(user, today: datetime.date | None = None):
    """Workers the user may see whose POP is due within the warning period or overdue."""
    today = today or timezone.localdate()
    warn_from = one_year_before(today + datetime.timedelta(days=POP_DUE_WARNING_DAYS))
    workers = with_pop_status(Worker.objects.visible_to(user).employed_on(today).select_related("coach"))
    return workers.filter(Q(last_pop_agreed_on__isnull=True) | Q(last_pop_agreed_on__lte=warn_from)).order_by(
        "last_pop_agreed_on", "last_name", "first_name"
    )


def plans_for_worker(worker: Worker):
    return Plan.objects.of_worker(worker).annotate(action_count=Count("actions"))


def last_agreed_pop(worker: Worker):
    return (
        Plan.objects.of_worker(worker)
        .filter(kind=PlanKind.POP, agreed_on__isnull=False)
        .aggregate(last=Max("agreed_on"))["last"]
    )


def assessment_blocks(assessment: Assessment):
    """The assessment as it was given: snapshot names grouped per competency, with its level."""
    from competenties.gap import aggregate_level

    blocks: dict[str, list[IndicatorScore]] = {}
    for score in assessment.scores.order_by("competency__order", "competency_id", "indicator__order", "pk"):
        blocks.setdefault(score.competency_name, []).append(score)
    return [(name, aggregate_level(s.level for s in scores), scores) for name, scores in blocks.items()]


def pop_plans_due_in_month(user, today: datetime.date | None = None):
    """The last agreed POP of each worker whose next POP falls due in today's month:
    what HR prints at the start of the month for the yearly conversations."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    newest = Plan.objects.filter(
        worker=OuterRef("worker"), kind=PlanKind.POP, status__in=plan_state.AGREED_STATUSES
    ).order_by("-agreed_on")
    return (
        Plan.objects.visible_to(user)
        .filter(kind=PlanKind.POP, status__in=plan_state.AGREED_STATUSES)
        .annotate(newest_agreed_on=Subquery(newest.values("agreed_on")[:1]))
        .filter(
            agreed_on=F("newest_agreed_on"),
            agreed_on__gte=one_year_before(first),
            agreed_on__lte=one_year_before(last),
        )
        .select_related("worker")
        .order_by("worker__last_name", "worker__first_name")
    )
