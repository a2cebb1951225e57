"""Demo and scale data: shipped frameworks per organisation, job profiles, assessments by
several raters (with disagreements), WAKKER observations, and POPs and PDPs in every status."""

import datetime

from django.utils import timezone

from bwise.accounts.models import Role, User
from bwise.core.bulk import checks_after, copy_rows
from competenties import selectors, services
from competenties.framework_presets import TEMPLATES
from competenties.models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    Observation,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
    RaterRole,
    Valence,
)
from trajects.models import Worker

JOB_PROFILES = [
    # name, template key, kind, {competency name: minimum level}
    (
        "Magazijnmedewerker",
        "sw-lde-sam",
        "internal",
        {
            "Samenwerken": 3,
            "Zelfstandigheid en zelfredzaamheid": 3,
            "Nauwkeurigheid": 3,
            "Discipline: omgaan met regels en afspraken": 3,
            "Motivatie": 2,
        },
    ),
    (
        "Medewerker groenonderhoud bij de gemeente",
        "sw-lde-sam",
        "partner_vacancy",
        {"Samenwerken": 3, "Flexibiliteit": 3, "Werkorganisatie/tijdsbeheer": 3, "Gezag aanvaarden": 3},
    ),
    (
        "Productiemedewerker verpakking",
        "bw-melba",
        "internal",
        {"Werktempo": 3, "Stiptheid": 3, "Houding": 2},
    ),
    (
        "Onthaalmedewerker",
        "digital-skills",
        "internal",
        {"Toestellen bedienen": 3, "Digitaal communiceren": 3},
    ),
]

OBSERVATIONS = [
    ("Begon om 8u02 zonder dat iemand iets zei aan de volgende bak.", "Initiatief", Valence.POSITIVE),
    ("Vroeg aan Ahmed: 'Zal ik die paletten mee wegzetten?'", "Samenwerken", Valence.POSITIVE),
    ("Liep weg toen de begeleider zei dat de labels scheef hingen.", "Gezag aanvaarden", Valence.NEGATIVE),
    ("Telde 48 stuks in plaats van 50 en merkte het zelf op.", "Nauwkeurigheid", Valence.POSITIVE),
    ("Kwam om 8u20 binnen zonder te verwittigen.", "Werkorganisatie/tijdsbeheer", Valence.NEGATIVE),
    ("Zei: 'Ik weet niet hoe die scanner werkt, kan je het nog eens tonen?'", None, None),
]


def seed_demo(ctx) -> None:
    managers = {ctx.organisations[0].pk: ctx.users["coach"], ctx.organisations[1].pk: ctx.users["coach_b"]}
    for organisation in ctx.organisations:
        manager = managers[organisation.pk]
        frameworks = {key: _framework(organisation, key, manager) for key in TEMPLATES}
        profiles = [_job_profile(organisation, frameworks, manager, *spec) for spec in JOB_PROFILES]
        workers = list(Worker.objects.filter(organisation=organisation).select_related("coach", "supervisor"))
        for index, worker in enumerate(workers[:12]):
            _assessments(ctx, worker, frameworks["sw-lde-sam"], index)
            _observations(ctx, worker, frameworks["sw-lde-sam"], index)
            _plans(worker, profiles[0], index)


def _framework(organisation, key, manager) -> Framework:
    existing = Framework.objects.filter(organisation=organisation, template_key=key).first()
    return existing or services.framework_copy_template(template_key=key, by=manager)


def _job_profile(organisation, frameworks, manager, name, key, kind, requirements) -> JobProfile:
    framework = frameworks[key]
    profile = JobProfile.objects.filter(organisation=organisation, name=name).first()
    if profile:
        return profile
    by_name = dict(framework.competencies.values_list("name", "pk"))
    return services.job_profile_save(
        job_profile=JobProfile(name=name, kind=kind, framework=framework),
        requirements={by_name[n]: level for n, level in requirements.items()},
        by=manager,
    )


def _assessments(ctx, worker, framework, index) -> None:
    """Two rounds per worker: a closed one half a year ago with its agreed levels, and an
    open one now, rated by the coach, the supervisor and the worker (entered by the coach)."""
    if worker.coach is None or Assessment.objects.filter(worker=worker).exists():
        return
    today = timezone.localdate()
    indicators = list(Indicator.objects.filter(competency__framework=framework).order_by("competency__order"))
    raters = [(RaterRole.COACH, worker.coach, "")]
    if worker.supervisor:
        raters.append((RaterRole.SUPERVISOR, worker.supervisor, ""))
    raters.append((RaterRole.SELF, None, ""))
    for days_ago, title in ((200, "Meting najaar"), (0, "Meting nu")):
        starts_on = today - datetime.timedelta(days=days_ago + 21)
        measurement_round = services.round_open(
            title=title,
            framework=framework,
            workers=[worker],
            starts_on=starts_on,
            ends_on=today - datetime.timedelta(days=days_ago),
            raters=raters,
            by=worker.coach,
        )
        for rater in measurement_round.raters.all():
            base = (
                (4 - index % 2) if rater.role == RaterRole.SELF else 2 + (index % 2)
            )  # self-ratings run higher
            scores = {}
            for position, indicator in enumerate(indicators):
                if ctx.rng.random() < 0.1:
                    continue  # not observed
                level = base - (1 if days_ago else 0) + ctx.rng.choice([-1, 0, 0, 1])
                scores[indicator.pk] = (
                    max(1, min(4, level)),
                    "Gezien tijdens de dagelijkse werking." if position % 5 == 0 else "",
                )
            services.round_rating_submit(
                measurement_round=measurement_round,
                worker=worker,
                rater=rater,
                date=starts_on + datetime.timedelta(days=ctx.rng.randint(1, 20)),
                scores=scores,
                by=rater.user or worker.coach,
            )
        if days_ago:
            sheet = selectors.round_sheet(measurement_round, worker, worker.coach)
            services.round_consensus_record(
                measurement_round=measurement_round,
                worker=worker,
                levels={
                    row.competency.pk: (row.provisional, "Besproken in het teamoverleg.")
                    for row in sheet.rows
                },
                by=worker.coach,
            )
            services.round_close(measurement_round=measurement_round, by=worker.coach)


def _observations(ctx, worker, framework, index) -> None:
    observer = worker.supervisor or worker.coach
    if observer is None or Observation.objects.filter(worker=worker).exists():
        return
    competencies = dict(framework.competencies.values_list("name", "pk"))
    now = timezone.now()
    for n, (text, competency_name, valence) in enumerate(OBSERVATIONS[: 3 + index % 4]):
        observation = services.observation_create(
            worker=worker,
            text=text,
            observed_at=now - datetime.timedelta(days=3 * n + 1, hours=n),
            by=observer,
        )
        if competency_name and worker.coach:
            services.observation_classify(
                observation=observation,
                competency=framework.competencies.get(pk=competencies[competency_name]),
                valence=valence,
                interpretation="Past bij wat we eerder zagen." if n % 2 else "",
                by=worker.coach,
            )


PLAN_PATHS = [
    [],
    [PlanStatus.AGREED],
    [PlanStatus.AGREED, PlanStatus.IN_PROGRESS],
    [PlanStatus.AGREED, PlanStatus.IN_PROGRESS, PlanStatus.EVALUATED],
]


def _plans(worker, profile, index) -> None:
    coach = worker.coach
    if coach is None or Plan.objects.filter(worker=worker).exists():
        return
    today = timezone.localdate()
    # Every fourth worker's POP dates from over a year ago: it shows up as overdue.
    agreed = today - datetime.timedelta(days=400 if index % 4 == 1 else 20 + index)
    pop = services.plan_create(
        worker=worker,
        kind=PlanKind.POP,
        year=agreed.year,
        by=coach,
        reflection="Wil groeien naar de magazijnploeg.",
    )
    for n, (action, who, result) in enumerate(
        [
            ("Heftruckopleiding volgen", "Coach en opleidingsdienst", "Attest heftruck behaald"),
            ("Elke ochtend de planning van de dag overlopen", "Werkvloerbegeleider", "Zelf de dag plannen"),
        ]
    ):
        services.plan_action_save(
            action=PlanAction(
                plan=pop,
                action=action,
                who_helps=who,
                due_date=agreed + datetime.timedelta(days=90 * (n + 1)),
                expected_result=result,
                technical_competencies="Heftruck rijden" if n == 0 else "",
                generic_competencies="Zelfstandigheid",
            ),
            by=coach,
        )
    _walk(pop, PLAN_PATHS[index % 4], agreed, coach)
    if index % 3 == 0:
        pdp = services.plan_create(
            worker=worker, kind=PlanKind.PDP, title="Doorstroom naar de gemeente", by=coach
        )
        services.plan_action_save(
            action=PlanAction(
                plan=pdp,
                action="Sollicitatietraining bij het uitzendkantoor",
                time_span="3 maanden",
                who="Coach",
                done="+/-",
                remarks="Eerste sessie gevolgd.",
            ),
            by=coach,
        )
        _walk(pdp, PLAN_PATHS[(index // 3) % 4], today - datetime.timedelta(days=10), coach)


def _walk(plan, path, agreed, coach) -> None:
    for status in path:
        services.plan_change_status(
            plan=plan,
            to_status=status,
            agreed_by_worker_on=agreed,
            agreed_by_coach_on=agreed,
            evaluation="Doelen grotendeels gehaald; heftruckattest volgt in het najaar.",
            by=coach,
        )


def seed_scale(ctx, *, organisation, workers: int, stdout=None) -> None:
    """Two assessments (self and coach) on the SW/LDE framework for every worker without one."""
    manager = User.objects.filter(organisation=organisation, roles__contains=[Role.COACH]).first()
    if manager is None:
        return
    framework = _framework(organisation, "sw-lde-sam", manager)
    indicators = list(Indicator.objects.filter(competency__framework=framework).select_related("competency"))
    todo = list(
        Worker.objects.filter(organisation=organisation)
        .exclude(assessments__isnull=False)
        .values_list("pk", "coach_id")[:workers]
    )
    today = timezone.localdate()
    created = 0
    # What a score repeats of its indicator, once: two million rows go through COPY as text.
    shown = [(i.pk, i.competency_id, i.competency.name, i.description) for i in indicators]
    with checks_after(IndicatorScore):
        for start in range(0, len(todo), 5000):
            chunk = todo[start : start + 5000]
            assessments = Assessment.objects.bulk_create(
                (
                    Assessment(
                        worker_id=worker_id,
                        framework=framework,
                        date=today - datetime.timedelta(days=ctx.rng.randint(1, 300)),
                        rater_role=role,
                        rater_id=coach_id if role == RaterRole.COACH else None,
                        entered_by_id=coach_id,
                        method="self_assessment" if role == RaterRole.SELF else "interview",
                    )
                    for worker_id, coach_id in chunk
                    for role in (RaterRole.SELF, RaterRole.COACH)
                ),
                batch_size=2000,
            )
            levels = iter(ctx.rng.choices((1, 2, 3, 4), k=len(assessments) * len(shown)))
            copy_rows(
                IndicatorScore,
                [
                    "assessment_id",
                    "indicator_id",
                    "competency_id",
                    "competency_name",
                    "indicator_text",
                    "level",
                    "evidence",
                ],
                (
                    (assessment.pk, indicator_id, competency_id, name, text, next(levels), "")
                    for assessment in assessments
                    for indicator_id, competency_id, name, text in shown
                ),
            )
            created += len(assessments)
    if stdout:
        stdout.write(f"assessments: {created} created")
