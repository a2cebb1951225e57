"""Reads that depend on who asks, and the overviews built from the pure rules in gap.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from bwise.access import Perm, has_perm
from competenties import gap as rules
from competenties import plan_state
from competenties.agreement import PairAgreement, pairwise, pooled
from competenties.combining import PROFESSIONAL_ROLES
from competenties.models import (
    Achievement,
    AgreedLevel,
    Assessment,
    Competency,
    DigitalSkillEvidence,
    EvidenceStatus,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    MeasurementRound,
    Observation,
    ObservationClassification,
    Plan,
    PlanKind,
    RaterRole,
    RoundParticipant,
    RoundRater,
    RoundStatus,
    Valence,
)
from competenties.services import rates_worker, round_competencies
from trajects.models import StarrNote, Worker

COMPARED_ROLES = (RaterRole.SELF, RaterRole.COACH, RaterRole.SUPERVISOR)
# A POP falls due twelve months after the last one was agreed; it shows as "due" this
# many days before that date so that the coach can plan the conversation.
POP_DUE_WARNING_DAYS = 30


def frameworks_for(user):
    return Framework.objects.visible_to(user).annotate(competency_count=Count("competencies"))


def job_profiles_for(user):
    return JobProfile.objects.visible_to(user).select_related("framework")


SCORE_ROW_FIELDS = (
    "assessment_id",
    "assessment__date",
    "assessment__rater_role",
    "competency_id",
    "level",
    "assessment__round_id",
)
AGREED_ROW_FIELDS = ("participant__round_id", "participant__round__closed_at", "competency_id", "level")


def score_rows(worker: Worker, framework: Framework | None = None) -> list[rules.ScoreRow]:
    """All indicator scores of a worker as plain rows, in one query."""
    scores = IndicatorScore.objects.of_worker(worker)
    if framework is not None:
        # A round against a combined job profile rates several frameworks in one assessment.
        scores = scores.filter(competency__framework=framework)
    return [rules.ScoreRow(*values) for values in scores.values_list(*SCORE_ROW_FIELDS)]


def agreed_row(round_id, closed_at, competency_id, level) -> rules.AgreedRow:
    return rules.AgreedRow(round_id, timezone.localdate(closed_at), competency_id, level)


def agreed_rows(worker: Worker, framework: Framework | None = None) -> list[rules.AgreedRow]:
    """The agreed levels of the worker's closed rounds, in one query."""
    agreed = AgreedLevel.objects.of_worker(worker).filter(
        participant__round__status=RoundStatus.CLOSED, competency__isnull=False
    )
    if framework is not None:
        agreed = agreed.filter(competency__framework=framework)
    return [agreed_row(*values) for values in agreed.values_list(*AGREED_ROW_FIELDS)]


def current_levels(worker: Worker, framework: Framework | None = None) -> dict[int, rules.CurrentLevel]:
    return rules.current_levels(
        rules.competency_results(score_rows(worker, framework)), agreed_rows(worker, framework)
    )


@dataclass
class ComparisonRow:
    competency: Competency
    levels: dict[str, int]
    history: list[tuple[Assessment, int | None]]
    agreed_history: list[int | None] = field(default_factory=list)  # per closed round, oldest first

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
    current: dict[int, rules.CurrentLevel]
    closed_rounds: list[MeasurementRound] = field(default_factory=list)


def competency_overview(worker: Worker, framework: Framework) -> CompetencyOverview:
    """Comparison side by side and progress over time, in a fixed number of queries."""
    competencies = list(framework.competencies.all())
    assessments = list(
        Assessment.objects.of_worker(worker)
        .filter(Q(framework=framework) | Q(scores__competency__framework=framework))
        .distinct()
        .select_related("rater")
        .order_by("date", "pk")
    )
    results = rules.competency_results(score_rows(worker, framework))
    by_pair = {(r.assessment_id, r.competency_id): r.level for r in results}
    agreed = list(
        AgreedLevel.objects.of_worker(worker)
        .filter(competency__framework=framework, participant__round__status=RoundStatus.CLOSED)
        .select_related("participant__round")
        .order_by("participant__round__closed_at", "participant__round_id")
    )
    closed_rounds = list({a.participant.round_id: a.participant.round for a in agreed}.values())
    agreed_by_pair = {(a.participant.round_id, a.competency_id): a.level for a in agreed}
    compared = rules.latest_by_role(r for r in results if r.rater_role in COMPARED_ROLES)
    rows = [
        ComparisonRow(
            competency=competency,
            levels=compared.get(competency.pk, {}),
            history=[(a, by_pair.get((a.pk, competency.pk))) for a in assessments],
            agreed_history=[agreed_by_pair.get((r.pk, competency.pk)) for r in closed_rounds],
        )
        for competency in competencies
    ]
    agreed_now = [
        rules.AgreedRow(
            a.participant.round_id,
            timezone.localdate(a.participant.round.closed_at),
            a.competency_id,
            a.level,
        )
        for a in agreed
        if a.competency_id is not None
    ]
    return CompetencyOverview(
        framework, assessments, rows, rules.current_levels(results, agreed_now), closed_rounds
    )


@dataclass
class GapMeasurement:
    job_profile: JobProfile
    gap: rules.Gap
    competencies: dict[int, Competency]
    current: dict[int, rules.CurrentLevel]
    verdict: rules.Verdict

    @property
    def provisional(self) -> bool:
        return any(level.provisional for level in self.current.values())

    @property
    def rows(self):
        return [
            (self.competencies[row.competency_id], row, self.current.get(row.competency_id))
            for row in self.gap.rows
        ]


def gap_measurement(worker: Worker, job_profile: JobProfile) -> GapMeasurement:
    requirements = list(job_profile.requirements.select_related("competency"))
    competencies = {r.competency_id: r.competency for r in requirements}
    # Competency ids are global: one read covers every framework the profile draws on.
    current = current_levels(worker)
    measured = {cid: result.level for cid, result in current.items()}
    gap = rules.compute_gap(measured, {r.competency_id: r.minimum_level for r in requirements})
    rounds = {current[cid].round_id for cid in competencies if cid in current}
    return GapMeasurement(
        job_profile, gap, competencies, current, rules.verdict(gap, round_evidence(worker, rounds))
    )


def round_evidence(worker: Worker, round_ids) -> rules.Evidence:
    """How many professional observers rated the worker in the rounds the levels come from,
    and on how many different days they observed: the days of their ratings and of the
    WAKKER observations professionals noted within the rounds' periods."""
    round_ids = {pk for pk in round_ids if pk is not None}
    if not round_ids:
        return rules.Evidence(0, 0)
    ratings = (
        Assessment.objects.of_worker(worker)
        .filter(round_id__in=round_ids, rater_role__in=PROFESSIONAL_ROLES)
        .values_list("round_rater_id", "date")
    )
    observers = {rater for rater, _day in ratings}
    days = {day for _rater, day in ratings}
    periods = Q(pk__in=[])
    for starts_on, ends_on in (
        RoundParticipant.objects.of_worker(worker)
        .filter(round_id__in=round_ids)
        .values_list("round__starts_on", "round__ends_on")
    ):
        periods |= Q(observed_at__date__gte=starts_on, observed_at__date__lte=ends_on)
    days |= set(
        Observation.objects.of_worker(worker)
        .filter(periods)
        .annotate(day=TruncDate("observed_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    return rules.Evidence(len(observers), len(days))


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


def pop_plans_due_in_month(user, today: datetime.date | None = None, *, overdue: bool = False):
    """The last agreed POP of each worker whose next POP falls due in today's month (and,
    with ``overdue``, of those whose next POP fell due before): what HR prints at the start
    of the month for the yearly conversations."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    newest = Plan.objects.filter(
        worker=OuterRef("worker"), kind=PlanKind.POP, status__in=plan_state.AGREED_STATUSES
    ).order_by("-agreed_on")
    plans = (
        Plan.objects.visible_to(user)
        .filter(kind=PlanKind.POP, status__in=plan_state.AGREED_STATUSES)
        # Who left has no yearly POP any more.
        .filter(worker__in=Worker.objects.visible_to(user).employed_ids_on(today))
        .annotate(newest_agreed_on=Subquery(newest.values("agreed_on")[:1]))
        .filter(agreed_on=F("newest_agreed_on"), agreed_on__lte=one_year_before(last))
    )
    if not overdue:
        plans = plans.filter(agreed_on__gte=one_year_before(first))
    return plans.select_related("worker").order_by("worker__last_name", "worker__first_name")


# --- Measurement rounds -----------------------------------------------------------------


def rounds_of_worker(worker: Worker):
    return RoundParticipant.objects.of_worker(worker).select_related("round").order_by("-round__starts_on")


def rounds_for(user):
    return (
        MeasurementRound.objects.visible_to(user)
        .select_related("framework", "job_profile", "opened_by")
        .annotate(participant_count=Count("participants", distinct=True))
    )


def _sees_all_ratings(user, measurement_round, raters, submitted: set[int], worker) -> bool:
    """Raters rate independently: an invited colleague sees the others' ratings of a worker
    only after submitting their own (or once the round is closed)."""
    if not measurement_round.is_open:
        return True
    return all(
        rater.pk in submitted for rater in raters if rater.user_id == user.pk and rates_worker(rater, worker)
    )


@dataclass(frozen=True)
class RoundEvidence:
    day: datetime.date
    text: str
    source: str  # what it is: a stoefboek item, or the action the worker did in the product


def confirmed_evidence(measurement_round: MeasurementRound, worker: Worker) -> dict[int, list[RoundEvidence]]:
    """competency id -> what the coach confirmed of ``worker``'s own evidence for it in the
    round's framework, up to the round's last day: stoefboek items and digital-skills actions."""
    found: dict[int, list[RoundEvidence]] = {}
    framework_id = measurement_round.framework_id
    items = (
        Achievement.objects.of_worker(worker)
        .confirmed()
        .filter(achieved_on__lte=measurement_round.ends_on, competencies__framework_id=framework_id)
        .values_list("competencies", "achieved_on", "text")
        .order_by("achieved_on", "pk")
    )
    for competency_id, day, text in items:
        found.setdefault(competency_id, []).append(RoundEvidence(day, text, "stoefboek"))
    actions = (
        DigitalSkillEvidence.objects.of_worker(worker)
        .filter(
            status=EvidenceStatus.CONFIRMED,
            indicator__competency__framework_id=framework_id,
            first_at__date__lte=measurement_round.ends_on,
        )
        .select_related("indicator")
        .order_by("first_at", "pk")
    )
    for action in actions:
        found.setdefault(action.indicator.competency_id, []).append(
            RoundEvidence(
                timezone.localdate(action.first_at), action.indicator_text, action.get_action_display()
            )
        )
    return {competency_id: sorted(items, key=lambda item: item.day) for competency_id, items in found.items()}


@dataclass
class SheetRow:
    """One competency of one worker: each rater's level side by side, and the agreement."""

    competency: Competency
    levels: list[int | None]  # per rater, in the order of the sheet's raters
    indicators: list[tuple[object, list[int | None]]]
    provisional: int | None
    agreed: AgreedLevel | None
    # Confirmed stoefboek items and digital-skills actions that show the competency.
    evidence: list[RoundEvidence] = field(default_factory=list)

    @property
    def disagreement(self) -> bool:
        given = [level for level in self.levels if level is not None]
        return len(given) >= 2 and max(given) - min(given) >= rules.DISAGREEMENT


@dataclass
class RoundSheet:
    measurement_round: MeasurementRound
    worker: Worker
    raters: list[RoundRater]
    submitted: dict[int, Assessment]
    visible: bool
    rows: list[SheetRow]


def round_sheet(measurement_round: MeasurementRound, worker: Worker, user) -> RoundSheet:
    """The consensus page of one worker in a round, in a fixed number of queries whatever
    the number of raters and indicators."""
    raters = list(measurement_round.raters.select_related("user"))
    submitted = {
        a.round_rater_id: a
        for a in Assessment.objects.of_worker(worker)
        .filter(round=measurement_round)
        .select_related("entered_by")
    }
    visible = _sees_all_ratings(user, measurement_round, raters, set(submitted), worker)
    shown = set(submitted) if visible else {r.pk for r in raters if r.user_id == user.pk} & set(submitted)
    by_indicator: dict[tuple[int, int], int | None] = {}
    by_competency: dict[tuple[int, int], list[int | None]] = {}
    for rater_id, indicator_id, competency_id, level in (
        IndicatorScore.objects.of_worker(worker)
        .filter(assessment__round=measurement_round, assessment__round_rater_id__in=shown)
        .values_list("assessment__round_rater_id", "indicator_id", "competency_id", "level")
    ):
        by_indicator[(rater_id, indicator_id)] = level
        by_competency.setdefault((rater_id, competency_id), []).append(level)
    agreed = {
        a.competency_id: a
        for a in AgreedLevel.objects.of_worker(worker).filter(participant__round=measurement_round)
    }
    evidence = confirmed_evidence(measurement_round, worker)
    rows = []
    for competency in round_competencies(measurement_round):
        levels = [rules.combine(by_competency.get((r.pk, competency.pk), [])) for r in raters]
        professional = [lvl for r, lvl in zip(raters, levels, strict=True) if r.is_professional]
        rows.append(
            SheetRow(
                competency=competency,
                levels=levels,
                indicators=[
                    (indicator, [by_indicator.get((r.pk, indicator.pk)) for r in raters])
                    for indicator in competency.indicators.all()
                ],
                provisional=rules.combine(professional),
                agreed=agreed.get(competency.pk),
                evidence=evidence.get(competency.pk, []),
            )
        )
    return RoundSheet(measurement_round, worker, raters, submitted, visible, rows)


@dataclass
class RoundOverview:
    measurement_round: MeasurementRound
    raters: list[RoundRater]
    participants: list[object]
    submitted: set[tuple[int, int]]  # (worker id, rater id)
    visible: bool

    def status_of(self, worker_id) -> list[bool]:
        return [(worker_id, rater.pk) in self.submitted for rater in self.raters]


def round_overview(measurement_round: MeasurementRound, user) -> RoundOverview:
    """Who has rated whom (not what), for the workers the user may see."""
    raters = list(measurement_round.raters.select_related("user"))
    participants = list(
        RoundParticipant.objects.visible_to(user).filter(round=measurement_round).select_related("worker")
    )
    workers = Worker.objects.visible_to(user).filter(round_participations__round=measurement_round)
    submitted = set(
        Assessment.objects.of_worker(workers)
        .filter(round=measurement_round)
        .values_list("worker_id", "round_rater_id")
    )
    own = [r for r in raters if r.user_id == user.pk]
    visible = not measurement_round.is_open or all(
        (p.worker_id, rater.pk) in submitted
        for p in participants
        for rater in own
        if rates_worker(rater, p.worker)
    )
    return RoundOverview(measurement_round, raters, participants, submitted, visible)


def round_agreement(measurement_round: MeasurementRound, user):
    """Agreement per pair of professional raters over every (worker, competency) both rated
    in the round, and pooled; only for what the user may see."""
    ratings: dict[int, dict[tuple[int, int], int]] = {}
    per_rater: dict[tuple[int, int, int], list[int | None]] = {}
    workers = Worker.objects.visible_to(user).filter(round_participations__round=measurement_round)
    for rater_id, worker_id, competency_id, level in (
        IndicatorScore.objects.of_worker(workers)
        .filter(
            assessment__round=measurement_round,
            assessment__rater_role__in=PROFESSIONAL_ROLES,
            competency__isnull=False,
        )
        .values_list("assessment__round_rater_id", "assessment__worker_id", "competency_id", "level")
    ):
        per_rater.setdefault((rater_id, worker_id, competency_id), []).append(level)
    for (rater_id, worker_id, competency_id), levels in per_rater.items():
        level = rules.combine(levels)
        if level is not None:
            ratings.setdefault(rater_id, {})[(worker_id, competency_id)] = level
    raters = {r.pk: r for r in measurement_round.raters.select_related("user")}
    pairs = pairwise({raters[pk]: items for pk, items in ratings.items()})
    return pairs, pooled(pairs)


@dataclass
class FrameworkAgreement:
    framework: Framework
    rounds: list[tuple[MeasurementRound, object, list[PairAgreement]]]
    overall: object


def agreement_over_time(user) -> list[FrameworkAgreement]:
    """Per framework, the pooled agreement of each closed round (oldest first) and over all
    of them: whether the raters grow closer as they are trained. One query for the scores."""
    rounds = {
        r.pk: r
        for r in MeasurementRound.objects.visible_to(user)
        .filter(status=RoundStatus.CLOSED)
        .select_related("framework")
        .order_by("closed_at", "pk")
    }
    workers = Worker.objects.visible_to(user)
    per_rater: dict[tuple[int, int, int, int], list[int | None]] = {}
    for round_id, rater_id, worker_id, competency_id, level in (
        IndicatorScore.objects.of_worker(workers)
        .filter(
            assessment__round_id__in=list(rounds),
            assessment__rater_role__in=PROFESSIONAL_ROLES,
            competency__isnull=False,
        )
        .values_list(
            "assessment__round_id",
            "assessment__round_rater_id",
            "assessment__worker_id",
            "competency_id",
            "level",
        )
    ):
        per_rater.setdefault((round_id, rater_id, worker_id, competency_id), []).append(level)
    by_round: dict[int, dict[int, dict[tuple[int, int], int]]] = {}
    for (round_id, rater_id, worker_id, competency_id), levels in per_rater.items():
        level = rules.combine(levels)
        if level is not None:
            by_round.setdefault(round_id, {}).setdefault(rater_id, {})[(worker_id, competency_id)] = level
    out: dict[int, FrameworkAgreement] = {}
    for round_id, measurement_round in rounds.items():
        pairs = pairwise(by_round.get(round_id, {}))
        if not any(p.level_pairs for p in pairs):
            continue
        entry = out.setdefault(
            measurement_round.framework_id, FrameworkAgreement(measurement_round.framework, [], None)
        )
        entry.rounds.append((measurement_round, pooled(pairs), pairs))
    for entry in out.values():
        entry.overall = pooled(p for _r, _a, pairs in entry.rounds for p in pairs)
    return list(out.values())


# --- Calibration ------------------------------------------------------------------------


@dataclass
class CalibrationResult:
    case: object
    raters: list
    rated: bool  # whether the reader has rated (and may now see the others)
    rows: list[tuple[object, list[int | None]]]  # indicator -> level per rater
    pairs: list[PairAgreement]
    overall: object


def calibration_result(case, user) -> CalibrationResult:
    """The levels side by side and the agreement per pair of raters, over the indicators.
    A rater sees them after rating; a reader who does not rate (the director) at once."""
    ratings = list(case.ratings.select_related("rater"))
    raters = list({r.rater_id: r.rater for r in ratings}.values())
    by_rater: dict[int, dict[int, int]] = {}
    for rating in ratings:
        by_rater.setdefault(rating.rater_id, {})[rating.indicator_id] = rating.level
    rated = user.pk in by_rater
    visible = rated or not has_perm(user, Perm.ASSESS)
    if not visible:
        return CalibrationResult(case, raters, False, [], [], None)
    indicators = Indicator.objects.of_organisation(case).filter(competency__framework_id=case.framework_id)
    rows = [
        (indicator, [by_rater[r.pk].get(indicator.pk) for r in raters])
        for indicator in indicators.select_related("competency").order_by("competency__order", "order", "pk")
    ]
    pairs = pairwise({r: by_rater[r.pk] for r in raters})
    return CalibrationResult(case, raters, rated, rows, pairs, pooled(pairs))


# --- The worker's own stoefboek -----------------------------------------------------------


@dataclass
class Stoefboek:
    achievements: list[Achievement]
    # The STARR notes the coach chose to show the worker, newest first.
    stories: list[object]


def stoefboek_of(worker: Worker) -> Stoefboek:
    """What the worker's own stoefboek page shows: their items (confirmed or not) and the STARR
    notes their coach shared as stories, never a note the coach kept."""
    return Stoefboek(
        achievements=list(
            Achievement.objects.of_worker(worker)
            .prefetch_related("competencies")
            .order_by("-achieved_on", "-pk")
        ),
        stories=list(
            StarrNote.objects.of_worker(worker).filter(shared_with_worker=True).order_by("-created_at")
        ),
    )
