"""Demo and scale data: partners of every type, and placements that fit the trajectories.

``trajects.demo`` replays trajectories into stage, nazorg and closed states without the
records behind them; this module adds those records (a stage for every worker who is or
was in the stage phase, a hire with its follow-ups for every worker in nazorg or moved on
externally) so that the demo tells one consistent story. Rows are written directly with
past dates, each one a state the services' rules allow.
"""

import datetime

from django.utils import timezone

from bwise.accounts.models import User
from competenties.models import JobProfile, JobProfileKind
from partners.models import (
    ActivityKind,
    Application,
    ApplicationKind,
    ApplicationResult,
    Attendance,
    AttendanceStatus,
    Commitment,
    ContractType,
    DayUnit,
    Evaluation,
    EvaluationKind,
    EventParticipant,
    FollowUp,
    FollowUpWith,
    Hire,
    Partner,
    PartnerActivity,
    PartnerContact,
    PartnerEvent,
    PartnerEventKind,
    PartnerKind,
    Stage,
    StageKind,
    TrainingOnTheJob,
    TrainingParticipant,
    TrainingSession,
    Vacancy,
    VacancyRoute,
    VacancyStatus,
    Visit,
    VisitDirection,
)
from partners.models.register import DuobaanDirection, LeertafelKind
from partners.models.stages import EvaluationMethod
from partners.services.hires import nazorg_schedule
from trajects.models import Statuut, Trajectory, Worker
from trajects.services import employment_end_proposal, employment_end_record
from trajects.state import Outcome, Phase, Status

PARTNERS = [
    ("Logistiek Waasland NV", PartnerKind.NEC_COMPANY, "Orderpicking en laden", True),
    ("Groenservice Vlaanderen BV", PartnerKind.NEC_COMPANY, "Groenonderhoud voor bedrijven", False),
    ("Uitzendkantoor Werkkracht", PartnerKind.TEMP_AGENCY, "Selectie en sollicitatietraining", True),
    ("Gemeente Lokeren", PartnerKind.LOCAL_GOVERNMENT, "Groendienst en onthaal", True),
    ("Adviesbureau Inclusief Werk", PartnerKind.CONSULTANCY, "Begeleiding van werkgevers", True),
    ("Sectorfonds Voeding", PartnerKind.UMBRELLA, "Opleidingen en premies in de voedingssector", True),
]
RESTRICTED = {
    StageKind.TBS: {Statuut.ARTIKEL_60},
    StageKind.BVS: {Statuut.ARTIKEL_60, Statuut.LEERWERKNEMER},
    StageKind.ENCLAVE: set(),
}


def seed_demo(ctx) -> None:
    managers = [ctx.users["coach"], ctx.users["coach_b"]]
    for organisation, manager in zip(ctx.organisations, managers, strict=True):
        partners = [_partner(organisation, manager, index, *spec) for index, spec in enumerate(PARTNERS)]
        _events(organisation, partners)
        _placements(organisation, partners)


def _partner(organisation, manager, index, name, kind, work, public_transport) -> Partner:
    partner, created = Partner.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={
            "kind": kind,
            "region": organisation.region,
            "kind_of_work": work,
            "pace": ["rustig", "gemiddeld", "hoog"][index % 3],
            "owner": manager,
            "colleagues": "Een vaste ploeg van 6 tot 10 mensen",
            "work_environment": ["Rustige hal, weinig lawaai", "Drukke winkelvloer", "Buiten, in alle weer"][
                index % 3
            ],
            "contact_with_managers": "Ploegleider staat mee op de vloer; korte briefing bij de start",
            "working_conditions": "Dagwerk, werkkledij voorzien",
            "wage": "Volgens het paritair comité",
            "extra_legal_benefits": "Maaltijdcheques, fietsvergoeding"
            if index % 2 == 0
            else "Maaltijdcheques",
            "location_and_accessibility": "Industriezone, 10 minuten van het station",
            "reachable_by_public_transport": public_transport,
            "csr_notes": "Charter diversiteit ondertekend" if index % 2 == 0 else "",
            "hr_notes": "Peter/meter-systeem voor nieuwe medewerkers",
            # Registered long before its contacts below: a partner is quiet from its last
            # contact, or from its registration when there was none.
            "created_at": timezone.now() - datetime.timedelta(days=3 * 365),
        },
    )
    if not created:
        return partner
    today = timezone.localdate()
    PartnerContact.objects.create(
        partner=partner, name=f"Contact {name.split()[0]}", role="HR-verantwoordelijke"
    )
    Commitment.objects.create(
        partner=partner,
        signed_on=today - datetime.timedelta(days=300),
        agreed_roles=["stages", "vacancies", "mock_interviews"] if index % 2 == 0 else ["job_events"],
    )
    # The last partner has had no contact for a year: the register flags it.
    last = 400 if index == len(PARTNERS) - 1 else 20 + 15 * index
    PartnerActivity.objects.create(
        partner=partner,
        kind=ActivityKind.CALL,
        on=today - datetime.timedelta(days=last),
        summary="Stand van zaken",
        by=manager,
    )
    if index != len(PARTNERS) - 1:
        done = Visit.objects.create(
            partner=partner,
            planned_on=today - datetime.timedelta(days=60 + index),
            done_on=today - datetime.timedelta(days=60 + index),
            # Every other partner came to see our work floor, as the guide recommends.
            direction=VisitDirection.FROM_PARTNER if index % 2 else VisitDirection.TO_PARTNER,
            preparation_checklist=(
                "[x] Werkgeversfiche nakijken\n[x] Vacatures opvragen\n[ ] Rondleiding vragen"
            ),
            notes="Rondleiding gekregen; open voor een BVS",
            follow_up="Kandidaten voorstellen",
            by=manager,
        )
        done.visitors.set([manager])
        done.partner_contacts.set(partner.contacts.all())
        Visit.objects.create(
            partner=partner,
            planned_on=today + datetime.timedelta(days=14 + index),
            preparation_checklist="[ ] Vorige afspraken herlezen\n[ ] Kandidaten selecteren",
            by=manager,
        )
    profile = JobProfile.objects.filter(
        organisation=organisation, kind=JobProfileKind.PARTNER_VACANCY
    ).first()
    if profile is not None and kind in (
        PartnerKind.NEC_COMPANY,
        PartnerKind.LOCAL_GOVERNMENT,
        PartnerKind.TEMP_AGENCY,
    ):
        for status, route in (
            (VacancyStatus.OPEN, VacancyRoute.BVS),
            (VacancyStatus.OPEN, VacancyRoute.DIRECT),
            (VacancyStatus.CLOSED, VacancyRoute.TBS),
        ):
            Vacancy.objects.create(
                partner=partner,
                title=f"{profile.name} ({route})",
                job_profile=profile,
                route=route,
                status=status,
                needs_own_transport=not public_transport,
                opened_on=today - datetime.timedelta(days=30),
            )
    return partner


def _events(organisation, partners) -> None:
    if PartnerEvent.objects.filter(organisation=organisation).exists():
        return
    today = timezone.localdate()
    workers = list(Worker.objects.filter(organisation=organisation)[:6])
    staff = list(User.objects.filter(organisation=organisation, is_active=True).order_by("username")[:2])
    for offset, kind in enumerate(PartnerEventKind.values):
        partner = partners[offset % len(partners)]
        held_on = today - datetime.timedelta(days=20 * (offset + 1))
        event = PartnerEvent.objects.create(
            organisation=organisation,
            partner=partner,
            kind=kind,
            title=PartnerEventKind(kind).label.capitalize(),
            held_on=held_on,
            leertafel_kind=LeertafelKind.SEC_NEC if kind == PartnerEventKind.LEERTAFEL else "",
            duobaan_direction=DuobaanDirection.SEC_IN_NEC if kind == PartnerEventKind.DUOBAAN else "",
            **(
                {
                    "questionnaire_on": held_on + datetime.timedelta(days=2),
                    "questionnaire_leading": "Korte opdrachten, veel positieve feedback",
                    "questionnaire_differences": "Hoger tempo, minder uitleg; wel dezelfde veiligheidsregels",
                    "questionnaire_take_home": "Een vaste briefing van vijf minuten bij de start van de dag",
                }
                if kind == PartnerEventKind.DUOBAAN
                else {}
            ),
        )
        EventParticipant.objects.bulk_create(
            EventParticipant(event=event, worker=w) for w in workers[offset::2]
        )
        if kind != PartnerEventKind.KICK_OFF:
            event.staff.set(staff)
            event.contacts.set(partner.contacts.all())
    session = TrainingSession.objects.create(
        organisation=organisation,
        topic="Sollicitatiegesprek oefenen",
        format="group",
        provider="external",
        partner=partners[2],
        held_on=today - datetime.timedelta(days=10),
    )
    TrainingParticipant.objects.bulk_create(
        TrainingParticipant(session=session, worker=w) for w in workers[:4]
    )


def _allowed(kind, statuut) -> bool:
    return statuut not in RESTRICTED[kind]


def _placements(organisation, partners) -> None:
    hosts = [p for p in partners if p.kind in (PartnerKind.NEC_COMPANY, PartnerKind.LOCAL_GOVERNMENT)]
    workers = list(Worker.objects.filter(organisation=organisation).order_by("external_id", "pk"))
    covered = {"running": set(), "finished": set()}
    for index, worker in enumerate(workers):
        trajectory = worker.trajectories.order_by("-started_at").first()
        if trajectory is None or worker.stages.exists():
            continue
        passed_stage = trajectory.transitions.filter(to_phase=Phase.STAGE).exists()
        if trajectory.phase == Phase.JOBMATCHING and not passed_stage:
            _applications(worker, hosts, index)
            if index % 2 == 0 and _allowed(StageKind.BVS, worker.statuut):
                _planned_bvs(worker, trajectory, hosts[(index + 1) % len(hosts)])
            continue
        if not passed_stage:
            continue
        running = trajectory.phase == Phase.STAGE and trajectory.status != Status.CLOSED
        state = "running" if running else "finished"
        kind = _pick_kind(worker.statuut, covered[state])
        covered[state].add(kind)
        team = [w for w in workers if w.pk != worker.pk][:2]
        stage = _stage(worker, trajectory, hosts[index % len(hosts)], kind, running, team)
        if trajectory.phase == Phase.NAZORG or trajectory.outcome == Outcome.EXTERN:
            _hire(worker, trajectory, stage.partner, closed=trajectory.status == Status.CLOSED)


def _pick_kind(statuut, covered) -> str:
    order = [StageKind.BVS, StageKind.TBS, StageKind.ENCLAVE]
    allowed = [k for k in order if _allowed(k, statuut)]
    return next((k for k in allowed if k not in covered), allowed[0])


def _planned_bvs(worker, trajectory, host) -> Stage:
    """A BVS planned for next week whose three-party agreement is still to be signed."""
    start = timezone.localdate() + datetime.timedelta(days=8)
    return Stage.objects.create(
        worker=worker,
        trajectory=trajectory,
        partner=host,
        kind=StageKind.BVS,
        post="Onthaal",
        goal="Verkennen of klantencontact bij een onthaal past",
        mentor_name="Els Maes",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        day_unit=DayUnit.HALF,
        day_count=4,
        programme="Twee halve dagen meelopen aan het onthaal, daarna twee halve dagen telefoon",
        coaching_organisation="GTB Vlaanderen",
        created_by=worker.coach,
    )


def _stage(worker, trajectory, host, kind, running, team) -> Stage:
    today = timezone.localdate()
    if kind == StageKind.BVS:
        start = today - datetime.timedelta(days=1 if running else 100)
        # A week holds its four working days whatever the weekday it starts on.
        end = start + datetime.timedelta(days=6)
    else:
        start = today - datetime.timedelta(days=20 if running else 160)
        end = start + datetime.timedelta(days=90 if kind == StageKind.TBS else 180)
        if not running:
            end = min(end, today - datetime.timedelta(days=45))
    is_bvs, is_tbs, is_enclave = kind == StageKind.BVS, kind == StageKind.TBS, kind == StageKind.ENCLAVE
    stage = Stage.objects.create(
        worker=worker,
        trajectory=trajectory,
        partner=host,
        kind=kind,
        post="Magazijn" if is_bvs else "Productie",
        goal="Ervaring opdoen in een reguliere werkomgeving en het werktempo halen",
        mentor_name="" if is_enclave else "Peter Verstraete",
        mentor_email="" if is_enclave else "mentor@example.be",
        start_date=start,
        end_date=end,
        day_unit=DayUnit.FULL if is_bvs else "",
        day_count=4 if is_bvs else None,
        agreement_signed_on=start - datetime.timedelta(days=7) if is_bvs else None,
        programme="Dag 1 rondleiding, daarna meelopen op de werkpost" if is_bvs else "",
        tbs_paid_by="Het gastbedrijf betaalt de loonkost per gewerkt uur terug" if is_tbs else "",
        tbs_on_sec_payroll=is_tbs,
        tbs_return_guaranteed=is_tbs,
        tbs_return_arrangement="Terug naar de eigen ploeg en werkpost in de productie" if is_tbs else "",
        client_contract="OC-2026-014" if is_enclave else "",
        site_supervisor="Marc De Smet (ploegbaas)" if is_enclave else "",
        union_informed_on=start - datetime.timedelta(days=20) if is_enclave else None,
        # A running enclave still waits for the next works council and prevention committee.
        works_council_meeting_on=today + datetime.timedelta(days=12) if is_enclave and running else None,
        works_council_informed_on=start - datetime.timedelta(days=10) if is_enclave and not running else None,
        prevention_committee_meeting_on=today + datetime.timedelta(days=19)
        if is_enclave and running
        else None,
        prevention_committee_informed_on=start - datetime.timedelta(days=10)
        if is_enclave and not running
        else None,
        # The demo trajectories passed through the stage phase: this enclave was that step.
        moves_trajectory_to_stage=is_enclave,
        contract_in_prospect=not is_enclave and not running,
        created_by=worker.coach,
    )
    if is_tbs:
        TrainingOnTheJob.objects.create(
            stage=stage,
            given_on=start + datetime.timedelta(days=3),
            topic="Veilig werken met de heftruck",
            given_by="Peter Verstraete",
            entered_by=worker.coach,
        )
    if kind == StageKind.ENCLAVE:
        stage.team.set(team)
    day, records = start, []
    while day <= min(end, today) and len(records) < 25:
        if day.weekday() < 5:
            absent = len(records) == 3
            records.append(
                Attendance(
                    stage=stage,
                    day=day,
                    status=AttendanceStatus.ABSENT_REPORTED if absent else AttendanceStatus.PRESENT,
                    absence_reason="Ziek gemeld om 7u30" if absent else "",
                    entered_by=worker.coach,
                )
            )
        day += datetime.timedelta(days=1)
    Attendance.objects.bulk_create(records)
    Evaluation.objects.create(
        stage=stage,
        kind=EvaluationKind.INTERMEDIATE,
        method=EvaluationMethod.PHONE,
        held_on=min(today, start + datetime.timedelta(days=2)),
        notes="Goede start, vraagt veel uitleg",
        entered_by=worker.coach,
    )
    if not running:
        Evaluation.objects.create(
            stage=stage,
            kind=EvaluationKind.FINAL,
            method=EvaluationMethod.ON_SITE,
            held_on=end,
            critical_incidents="Bleef kalm toen een levering te laat kwam en herplande zelf het werk.",
            contract_in_prospect=stage.contract_in_prospect,
            entered_by=worker.coach,
        )
    return stage


def _hire(worker, trajectory, employer, *, closed) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400 if closed else 40)
    hire = Hire.objects.create(
        worker=worker,
        trajectory=trajectory,
        employer=employer,
        contract_type=ContractType.PERMANENT,
        start_date=start,
        wage_subsidy="Doelgroepvermindering",
        c4_reason="Ontslag in onderling akkoord",
        created_by=worker.coach,
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            hire=hire,
            with_whom=whom,
            due_on=due,
            done_on=due if due <= today else None,
            notes="Loopt goed; kleine vragen over het uurrooster" if due <= today else "",
            done_by=worker.coach if due <= today else None,
        )
        for due in nazorg_schedule(start)
        for whom in (FollowUpWith.WORKER, FollowUpWith.EMPLOYER)
    )
    if closed:
        # Moved on for good: the employment here ended as the hire proposes.
        employment_end_record(worker=worker, by=worker.coach, **employment_end_proposal(worker))


def _applications(worker, hosts, index) -> None:
    today = timezone.localdate()
    host = hosts[index % len(hosts)]
    Application.objects.create(
        worker=worker,
        partner=host,
        vacancy=host.vacancies.filter(status=VacancyStatus.OPEN).first(),
        sent_on=today - datetime.timedelta(days=12),
        interview_on=today - datetime.timedelta(days=3),
        result=ApplicationResult.INTERVIEW,
        created_by=worker.coach,
    )
    Application.objects.create(
        worker=worker,
        partner=hosts[(index + 1) % len(hosts)],
        kind=ApplicationKind.MOCK_INTERVIEW,
        sent_on=today - datetime.timedelta(days=20),
        result=ApplicationResult.DONE,
        created_by=worker.coach,
    )


def seed_scale(ctx, *, organisation, workers: int, stdout=None) -> None:
    """Partners (one per 20 workers) and, in bulk, a stage for every trajectory in the stage
    phase and a hire with its follow-ups for every one in nazorg."""
    wanted = max(len(PARTNERS), workers // 20)
    existing = set(Partner.objects.filter(organisation=organisation).values_list("name", flat=True))
    Partner.objects.bulk_create(
        Partner(
            organisation=organisation,
            name=f"Schaalpartner {i:05d}",
            kind=PartnerKind.values[i % len(PartnerKind.values)],
            region=organisation.region,
        )
        for i in range(wanted)
        if f"Schaalpartner {i:05d}" not in existing
    )
    hosts = list(Partner.objects.filter(organisation=organisation).values_list("pk", flat=True))
    today = timezone.localdate()
    open_in = Trajectory.objects.filter(worker__organisation=organisation).current()
    stage_rows = list(
        open_in.filter(phase=Phase.STAGE, stages__isnull=True).values_list(
            "pk", "worker_id", "worker__statuut", "worker__coach_id"
        )
    )
    stages = Stage.objects.bulk_create(
        [
            Stage(
                worker_id=worker_id,
                trajectory_id=trajectory_id,
                partner_id=hosts[i % len(hosts)],
                kind=StageKind.TBS,
                goal="Werkervaring",
                mentor_name="Mentor",
                start_date=today - datetime.timedelta(days=10),
                end_date=today + datetime.timedelta(days=80),
                created_by_id=coach_id,
            )
            for i, (trajectory_id, worker_id, statuut, coach_id) in enumerate(stage_rows)
            if statuut != Statuut.ARTIKEL_60
        ],
        batch_size=2000,
    )
    hire_rows = list(
        open_in.filter(phase=Phase.NAZORG, hire__isnull=True).values_list(
            "pk", "worker_id", "worker__coach_id"
        )
    )
    hires = Hire.objects.bulk_create(
        [
            Hire(
                worker_id=worker_id,
                trajectory_id=trajectory_id,
                employer_id=hosts[i % len(hosts)],
                contract_type=ContractType.PERMANENT,
                start_date=today - datetime.timedelta(days=i % 300),
                created_by_id=coach_id,
            )
            for i, (trajectory_id, worker_id, coach_id) in enumerate(hire_rows)
        ],
        batch_size=2000,
    )
    FollowUp.objects.bulk_create(
        (
            FollowUp(hire=hire, with_whom=whom, due_on=due)
            for hire in hires
            for due in nazorg_schedule(hire.start_date)
            for whom in (FollowUpWith.WORKER, FollowUpWith.EMPLOYER)
        ),
        batch_size=5000,
    )
    if stdout:
        stdout.write(f"partners: {wanted} in all; stages: {len(stages)} and hires: {len(hires)} created")
