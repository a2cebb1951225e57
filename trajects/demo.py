"""Demo and scale data for workers and their trajectories.

Trajectories are replayed through ``trajects.state.apply``, the function the services
use, with dates in the past: every demo state is one the table can reach and the
timeline reads like a real history. The guards are not asked: the records they look
for (a hire) are added by later demo modules.
"""

import datetime

from django.utils import timezone

from bwise.accounts.models import Role, User
from bwise.core.bulk import copy_rows
from trajects import state
from trajects.models import (
    CoachingKind,
    CoachingMoment,
    DutchLevel,
    EmploymentEndReason,
    Intake,
    IntakeKind,
    JobDefinition,
    Persona,
    Precondition,
    StarrNote,
    Statuut,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.services import employment_end_record, teams_sync
from trajects.state import TRANSITIONS, Outcome, Trigger

DEMO_WORKERS_PER_ORGANISATION = (30, 8)
TEAMS = ["Groendienst", "Atelier", "Logistiek", "Keuken", "Schoonmaak"]
JOB_TARGETS = [
    "Magazijnmedewerker bij een distributiecentrum",
    "Hulpkok in een grootkeuken",
    "Medewerker groenonderhoud bij de gemeente",
    "Productiemedewerker in de voedingsindustrie",
    "Schoonmaker in een ziekenhuis",
]

# (steps after the start, each (transition, outcome, reason)); together they cover every
# phase, both open and paused, and every outcome.
SCENARIOS = [
    [],
    [("pause", None, "Langdurig ziek, we hernemen na het herstel")],
    [("to_jobmatching", None, "")],
    [("to_jobmatching", None, ""), ("to_stage", None, "")],
    [("to_jobmatching", None, ""), ("to_stage", None, ""), ("to_nazorg", None, "")],
    [
        ("to_jobmatching", None, ""),
        ("to_stage", None, ""),
        (
            "back_to_jobmatching",
            None,
            "De stage paste niet: te hoog werktempo, we zoeken een rustigere werkpost",
        ),
    ],
    [
        ("to_jobmatching", None, ""),
        ("to_stage", None, ""),
        ("to_nazorg", None, ""),
        ("close", Outcome.EXTERN, "Vast contract na zes maanden nazorg"),
    ],
    [("close", Outcome.INTERN, "Doorgestroomd naar ploegleider in het atelier")],
    [
        ("to_jobmatching", None, ""),
        ("to_stage", None, ""),
        ("close", Outcome.TERUG_NAAR_SEC, "Na de TBS liever terug naar de vertrouwde ploeg"),
    ],
    [
        ("to_jobmatching", None, ""),
        ("close", Outcome.STOPGEZET, "Op eigen vraag gestopt om familiale redenen"),
    ],
    [("to_jobmatching", None, ""), ("pause", None, "Verhuis, even geen sollicitaties")],
    None,  # no trajectory yet
]

# Workers of the first organisation who left, by number: the reason, how many days ago their
# last day was, and a note. Each reason but a move to the regular economy, which the hires
# of ``partners.demo`` record; the numbers are workers without an open trajectory.
LEAVERS = {
    9: (EmploymentEndReason.CONTRACT_END, 20, ""),
    11: (EmploymentEndReason.RETIREMENT, 75, ""),
    21: (EmploymentEndReason.OTHER, 45, "Verhuisd naar familie in Wallonië"),
    23: (EmploymentEndReason.INTERN, 10, "Ploegleider bij een maatwerkbedrijf dichter bij huis"),
}
RETIREMENT_AGE = 65


def seed_demo(ctx) -> None:
    first_org, second_org = ctx.organisations
    coaches = [ctx.users["coach"], ctx.users["coach2"]]
    supervisors = [ctx.users["begeleider"], ctx.users["begeleider2"]]
    for index in range(DEMO_WORKERS_PER_ORGANISATION[0]):
        # Most workers with the main demo coach so that the caseload is well filled.
        coach = coaches[0] if index % 3 else coaches[1]
        worker = _demo_worker(ctx, first_org, f"DB-{index + 1:04d}", coach, supervisors[index % 2], index)
        _demo_trajectory(ctx, worker, SCENARIOS[index % len(SCENARIOS)], index)
        if index in LEAVERS:
            _demo_leaver(worker, *LEAVERS[index])
    for index in range(DEMO_WORKERS_PER_ORGANISATION[1]):
        worker = _demo_worker(ctx, second_org, f"GS-{index + 1:04d}", ctx.users["coach_b"], None, index)
        _demo_trajectory(ctx, worker, SCENARIOS[(index * 5) % len(SCENARIOS)], index)


def _profile(ctx, index: int) -> dict:
    rng = ctx.rng
    statuut = [Statuut.LDE, Statuut.MAATWERK, Statuut.LDE, Statuut.ARTIKEL_60, Statuut.LEERWERKNEMER][
        index % 5
    ]
    # Some LDE workers close to their five-year limit, so that the warning shows.
    years_ago = 4.6 if index % 7 == 0 else rng.uniform(0.3, 4.0)
    return {
        "statuut": statuut,
        "statuut_start": timezone.localdate() - datetime.timedelta(days=int(365 * years_ago)),
        "team": TEAMS[index % len(TEAMS)],
        "languages": rng.choice(
            ["Nederlands", "Nederlands, Frans", "Arabisch, Frans", "Dari, Engels", "Turks"]
        ),
        "dutch_level": rng.choice(DutchLevel.values),
        "persona": Persona.values[index % len(Persona.values)],
        "preconditions": rng.sample(Precondition.values, k=index % 3),
        "phone": ctx.faker.phone_number(),
        "birth_date": ctx.faker.date_of_birth(minimum_age=19, maximum_age=62),
        "support_network": rng.choice(["Partner en zus", "Buurtwerker", "Begeleid wonen", ""]),
    }


def _demo_worker(ctx, organisation, external_id, coach, supervisor, index) -> Worker:
    first_name, last_name = ctx.faker.first_name(), ctx.faker.last_name()
    profile = _profile(ctx, index)
    worker, _created = Worker.objects.get_or_create(
        organisation=organisation,
        external_id=external_id,
        defaults={"first_name": first_name, "last_name": last_name, "coach": coach, "supervisor": supervisor},
    )
    if not worker.statuut:
        for name, value in profile.items():
            setattr(worker, name, value)
        worker.save()
        teams_sync(organisation_id=organisation.pk, names={worker.team})
    return worker


def _demo_leaver(worker, reason, days_ago, notes) -> None:
    if worker.employment_end is not None:
        return
    last_day = timezone.localdate() - datetime.timedelta(days=days_ago)
    if reason == EmploymentEndReason.RETIREMENT:
        worker.birth_date = last_day - datetime.timedelta(days=round(365.25 * RETIREMENT_AGE) + 30)
        worker.save(update_fields=["birth_date"])
    employment_end_record(worker=worker, on=last_day, reason=reason, notes=notes, by=worker.coach)


def _demo_trajectory(ctx, worker, scenario, index) -> None:
    if scenario is None or worker.trajectories.exists():
        return
    coach = worker.coach
    start = timezone.now() - datetime.timedelta(days=40 * (len(scenario) + 1) + index)
    trigger = [Trigger.OWN_REQUEST, Trigger.LDE_OBLIGATION, Trigger.ORGANISATION_PROPOSAL][index % 3]
    if trigger == Trigger.LDE_OBLIGATION and worker.statuut != Statuut.LDE:
        trigger = Trigger.OWN_REQUEST
    trajectory = Trajectory(
        worker=worker,
        trigger=trigger,
        trigger_reason="Competentieniveau bereikt na drie jaar"
        if trigger == Trigger.ORGANISATION_PROPOSAL
        else "",
        started_at=start,
        started_by=coach,
    )
    started = state.apply(trajectory, state.START, at=start)
    trajectory.save()
    TrajectoryTransition.objects.create(trajectory=trajectory, by=coach, **started)
    day = lambda n: start + datetime.timedelta(days=n)  # noqa: E731 - a local shorthand
    intake = Intake.objects.create(
        trajectory=trajectory,
        kind=IntakeKind.FIRST,
        held_on=day(3).date(),
        created_at=day(3),
        created_by=coach,
        information_given="Uitleg over interne en externe doorstroom, stages en nazorg",
        motivation=ctx.rng.choice(
            ["Wil meer verdienen", "Zoekt een nieuwe uitdaging", "Wil dichter bij huis werken"]
        ),
        mutual_expectations="Wekelijks contact; afspraken worden nagekomen",
        milestones="Na drie maanden een jobdoelwit, na zes maanden een stage",
        commitment_statement="Wij werken samen aan een doorstroom, zonder druk om te vertrekken",
        agreed_by_worker_on=day(3).date(),
        agreed_by_coach_on=day(3).date(),
        completed_on=day(3).date(),
    )
    StarrNote.objects.create(
        intake=intake,
        created_at=day(3),
        created_by=coach,
        situation="Vertelt over een drukke dag in het atelier",
        task="Moest een nieuwe collega opleiden",
        activities="Toonde de werkpost en controleerde het werk",
        result="De collega werkte na twee dagen zelfstandig",
        reflection="Ontdekt dat uitleggen een sterkte is",
    )
    JobDefinition.objects.create(
        trajectory=trajectory,
        updated_at=day(20),
        updated_by=coach,
        dreams_and_interests="Buiten werken, met mensen, iets met handen",
        job_target=JOB_TARGETS[index % len(JOB_TARGETS)],
        intermediate_steps="Rijbewijs B, VCA-attest, een snuffelstage",
    )
    rows = _replay(trajectory, scenario, start, days_apart=40, spread=index)
    trajectory.save()
    TrajectoryTransition.objects.bulk_create(
        TrajectoryTransition(trajectory=trajectory, by=coach, **row) for row in rows
    )
    for number in range(1 + len(scenario)):
        held = start + datetime.timedelta(days=14 + 30 * number)
        if held > timezone.now():
            break
        CoachingMoment.objects.create(
            worker=worker,
            trajectory=trajectory,
            kind=CoachingKind.FORMAL if number % 2 == 0 else CoachingKind.INFORMAL,
            held_on=held.date(),
            created_at=held,
            created_by=coach,
            notes=ctx.rng.choice(
                ["Sollicitatiebrief besproken", "Evaluatie op de werkvloer", "Kort gesprek bij de koffie"]
            ),
            next_steps=ctx.rng.choice(["CV afwerken", "Vacatures zoeken", "Oefeninterview plannen"]),
            next_steps_due=(held + datetime.timedelta(days=ctx.rng.choice([7, 21, 60]))).date(),
        )


def _replay(trajectory, scenario, start, *, days_apart: int, spread: int | None = None) -> list[dict]:
    """Take the scenario's steps after ``start``, their history rows. Every ``days_apart`` days;
    with ``spread`` (a worker's number) each phase lasts from half to 1.25 times as long, so
    that the time per phase varies as it does in an organisation, and never reaches past now."""
    rows, at = [], start
    for number, (name, outcome, reason) in enumerate(scenario, start=1):
        factor = 1 if spread is None else 0.5 + 0.75 * ((spread * 7 + number * 3) % 11) / 10
        at += datetime.timedelta(days=round(days_apart * factor))
        rows.append(state.apply(trajectory, TRANSITIONS[name], at=at, outcome=outcome, reason=reason))
    return rows


def seed_scale(ctx, *, organisation, workers: int, stdout=None) -> None:
    coach_count = max(1, workers // 40)
    supervisor_count = max(1, workers // 25)
    staff = []
    # Usernames are unique across organisations: name the scale staff after theirs.
    for prefix, count, role in (
        (f"schaal{organisation.pk}-coach", coach_count, Role.COACH),
        (f"schaal{organisation.pk}-begeleider", supervisor_count, Role.BEGELEIDER),
    ):
        existing = set(
            User.objects.filter(username__startswith=f"{prefix}-").values_list("username", flat=True)
        )
        staff.append(
            [
                User(
                    username=f"{prefix}-{i}",
                    first_name=ctx.faker.first_name(),
                    last_name=ctx.faker.last_name(),
                    organisation=organisation,
                    roles=[role],
                    password="!",  # noqa: S106 - an unusable password hash
                )
                for i in range(count)
                if f"{prefix}-{i}" not in existing
            ]
        )
    for new_users in staff:
        User.objects.bulk_create(new_users, batch_size=1000)
    coaches = list(User.objects.filter(organisation=organisation, roles__contains=[Role.COACH]))
    supervisors = list(User.objects.filter(organisation=organisation, roles__contains=[Role.BEGELEIDER]))
    start = Worker.objects.filter(organisation=organisation).count()
    # Names drawn from a pool: Faker costs more per name than the rest of a worker's row.
    first_names = [ctx.faker.first_name() for _ in range(500)]
    last_names = [ctx.faker.last_name() for _ in range(500)]
    batch = [
        Worker(
            organisation=organisation,
            external_id=f"S-{i:06d}",
            first_name=ctx.rng.choice(first_names),
            last_name=ctx.rng.choice(last_names),
            coach=coaches[i % len(coaches)],
            supervisor=supervisors[i % len(supervisors)],
            statuut=Statuut.values[i % len(Statuut.values)],
            statuut_start=timezone.localdate() - datetime.timedelta(days=30 + (i * 37) % 1800),
            team=TEAMS[i % len(TEAMS)],
        )
        for i in range(start, workers)
    ]
    Worker.objects.bulk_create(batch, batch_size=2000)
    teams_sync(organisation_id=organisation.pk, names={worker.team for worker in batch})
    if stdout:
        stdout.write(f"workers: {len(batch)} created")
    _scale_trajectories(organisation, stdout)


# The history row's fields as trajects.state.apply returns them.
TRANSITION_COLUMNS = ["name", "at", "from_phase", "to_phase", "from_status", "to_status", "outcome", "reason"]


def _scale_trajectories(organisation, stdout) -> None:
    """One trajectory with its history for every worker without one, in bulk."""
    now = timezone.now()
    pending = list(
        Worker.objects.filter(organisation=organisation, trajectories__isnull=True).values_list(
            "pk", "coach_id", "statuut"
        )
    )
    scenarios = [s for s in SCENARIOS if s is not None]
    chunk = 2000
    created = 0
    for offset in range(0, len(pending), chunk):
        part = pending[offset : offset + chunk]
        trajectories, histories = [], []
        for i, (worker_id, coach_id, statuut) in enumerate(part, start=offset):
            scenario = scenarios[i % len(scenarios)]
            started = now - datetime.timedelta(days=30 * (len(scenario) + 1) + i % 200)
            trajectory = Trajectory(
                worker_id=worker_id,
                trigger=Trigger.LDE_OBLIGATION if statuut == Statuut.LDE else Trigger.OWN_REQUEST,
                started_at=started,
                started_by_id=coach_id,
            )
            rows = [state.apply(trajectory, state.START, at=started)]
            rows += _replay(trajectory, scenario, started, days_apart=30, spread=i)
            trajectories.append(trajectory)
            histories.append(rows)
        Trajectory.objects.bulk_create(trajectories, batch_size=chunk)
        copy_rows(
            TrajectoryTransition,
            ["trajectory_id", "by_id", *TRANSITION_COLUMNS],
            (
                (trajectory.pk, trajectory.started_by_id, *(row[column] for column in TRANSITION_COLUMNS))
                for trajectory, rows in zip(trajectories, histories, strict=True)
                for row in rows
            ),
        )
        created += len(trajectories)
    if stdout:
        stdout.write(f"trajectories: {created} created with their history")
