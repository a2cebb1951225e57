"""Every stage rule, at and just past its limits, through the service."""

import datetime

import pytest

from bwise.core.errors import TEXT_MAX_LENGTH, DomainError
from partners.models import Stage
from partners.services import stage_save
from tests.factories import WorkerFactory
from tests.factories_partners import PartnerFactory, StageFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.services import trajectory_transition
from trajects.state import Phase

# Easter Monday: a public holiday, so the BVS below spans Tuesday 7 to Monday 13 April.
START = datetime.date(2026, 4, 6)
BVS_LAST_DAY = datetime.date(2026, 4, 13)


@pytest.fixture
def worker(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, statuut="lde")
    TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    return worker


@pytest.fixture
def host(coach):
    return PartnerFactory(organisation=coach.organisation)


def bvs(worker, host, **fields):
    values = {
        "worker": worker,
        "partner": host,
        "kind": "bvs",
        "post": "magazijn",
        "goal": "Verkennen",
        "mentor_name": "Meter Mia",
        "start_date": START,
        "end_date": BVS_LAST_DAY,
        "day_unit": "full",
        "day_count": 5,
        "agreement_signed_on": START,
        "programme": "Rondleiding en meelopen",
    }
    return Stage(**{**values, **fields})


def tbs(worker, host, **fields):
    values = {
        "worker": worker,
        "partner": host,
        "kind": "tbs",
        "goal": "Echt werk",
        "mentor_name": "Peter Piet",
        "start_date": START,
        "end_date": START + datetime.timedelta(days=60),
        "tbs_paid_by": "De gebruiker betaalt de loonkost terug",
        "tbs_on_sec_payroll": True,
        "tbs_return_guaranteed": True,
        "tbs_return_arrangement": "Terug naar de eigen ploeg",
    }
    return Stage(**{**values, **fields})


@pytest.mark.parametrize(
    ("unit", "count", "allowed"),
    [
        ("full", 0, False),
        ("full", 1, True),
        ("full", 5, True),
        ("full", 6, False),
        ("half", 1, False),
        ("half", 2, True),
        ("half", 10, True),
        ("half", 11, False),
    ],
)
def test_bvs_length_limits(worker, host, coach, unit, count, allowed):
    stage = bvs(worker, host, day_unit=unit, day_count=count)
    if allowed:
        stage_save(stage=stage, by=coach)
        assert stage.pk
    else:
        with pytest.raises(DomainError) as err:
            stage_save(stage=stage, by=coach)
        assert err.value.code == "bvs_length"
        assert err.value.field == "day_count"


@pytest.mark.parametrize(
    ("statuut", "allowed"),
    [
        ("lde", True),
        ("maatwerk", True),
        ("artikel_60", False),
        ("leerwerknemer", False),
    ],
)
def test_bvs_statute(worker, host, coach, statuut, allowed):
    worker.statuut = statuut
    worker.save()
    if allowed:
        stage_save(stage=bvs(worker, host), by=coach)
    else:
        with pytest.raises(DomainError) as refused:
            stage_save(stage=bvs(worker, host), by=coach)
        assert (refused.value.code, refused.value.field) == ("statuut_excluded", "kind")


def test_bvs_at_most_two_per_company_at_different_posts(worker, host, coach):
    stage_save(stage=bvs(worker, host, post="magazijn"), by=coach)
    with pytest.raises(DomainError) as err:
        stage_save(stage=bvs(worker, host, post="Magazijn "), by=coach)
    assert err.value.code == "same_post"
    assert err.value.field == "post"
    stage_save(stage=bvs(worker, host, post="onthaal"), by=coach)
    with pytest.raises(DomainError) as refused:
        stage_save(stage=bvs(worker, host, post="keuken"), by=coach)
    assert (refused.value.code, refused.value.field) == ("bvs_limit", "partner")
    # Another company is a fresh count.
    stage_save(stage=bvs(worker, PartnerFactory(organisation=coach.organisation), post="keuken"), by=coach)


def test_editing_a_second_bvs_does_not_count_itself(worker, host, coach):
    stage_save(stage=bvs(worker, host, post="magazijn"), by=coach)
    second = stage_save(stage=bvs(worker, host, post="onthaal"), by=coach)
    second.goal = "Anders"
    stage_save(stage=second, by=coach)
    # Accepted: the edit is stored, and the company still counts two BVS, not three.
    assert Stage.objects.of_worker(worker).get(pk=second.pk).goal == "Anders"
    assert Stage.objects.of_worker(worker).filter(partner=host, kind="bvs").count() == 2


def test_bvs_is_planned_before_the_agreement_is_signed(worker, host, coach):
    stage = stage_save(stage=bvs(worker, host, agreement_signed_on=None), by=coach)
    assert stage.agreement_signed_on is None
    stage.agreement_signed_on = datetime.date.today()
    stage_save(stage=stage, by=coach)  # signed today: recorded
    stage.agreement_signed_on = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        stage_save(stage=stage, by=coach)
    assert (refused.value.code, refused.value.field) == ("signed_in_future", "agreement_signed_on")


def test_bvs_needs_its_programme(worker, host, coach):
    with pytest.raises(DomainError) as err:
        stage_save(stage=bvs(worker, host, programme=" "), by=coach)
    assert (err.value.code, err.value.field) == ("programme_missing", "programme")


@pytest.mark.parametrize(
    ("unit", "count", "last_day", "allowed"),
    [
        # 7 to 10 April: four working days (6 April is Easter Monday).
        ("full", 4, datetime.date(2026, 4, 10), True),
        ("full", 5, datetime.date(2026, 4, 10), False),
        ("full", 5, BVS_LAST_DAY, True),
        ("half", 8, datetime.date(2026, 4, 10), True),
        ("half", 9, datetime.date(2026, 4, 10), False),
        # Easter Monday alone holds no working day.
        ("half", 2, START, False),
    ],
)
def test_bvs_planned_dates_fit_its_days(worker, host, coach, unit, count, last_day, allowed):
    stage = bvs(worker, host, day_unit=unit, day_count=count, end_date=last_day)
    if allowed:
        assert stage_save(stage=stage, by=coach).pk
    else:
        with pytest.raises(DomainError) as refused:
            stage_save(stage=stage, by=coach)
        assert (refused.value.code, refused.value.field) == ("bvs_dates_too_short", "end_date")


def test_bvs_needs_its_last_day(worker, host, coach):
    with pytest.raises(DomainError) as refused:
        stage_save(stage=bvs(worker, host, end_date=None), by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "end_date")


def test_a_bvs_shows_every_broken_rule_at_once(worker, host, coach):
    worker.statuut = "artikel_60"
    with pytest.raises(DomainError) as refused:
        stage = bvs(worker, host, programme="", mentor_name="", goal="", mentor_email="nee")
        stage_save(stage=stage, by=coach)
    fields = {refused.value.field, *(field for field, _message in refused.value.more)}
    # The kind's rules and the model's own (a goal, a valid e-mail address) come together.
    assert fields == {"mentor_name", "kind", "programme", "goal", "mentor_email"}
    assert refused.value.code == "required"
    assert not Stage.objects.of_worker(worker).exists()


def test_a_stage_without_a_kind_still_names_the_other_rules(worker, host, coach):
    stage = tbs(worker, host, kind="", goal="", end_date=START - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        stage_save(stage=stage, by=coach)
    fields = [refused.value.field, *(field for field, _message in refused.value.more)]
    assert sorted(fields) == ["end_date", "goal", "kind"]
    # Nothing of the TBS the form held before the kind was cleared is dropped on a refusal.
    assert stage.tbs_paid_by


@pytest.mark.parametrize(
    ("field", "limit"), [("goal", TEXT_MAX_LENGTH), ("programme", TEXT_MAX_LENGTH), ("post", 200)]
)
def test_stage_text_is_accepted_at_its_limit_and_refused_just_past_it(worker, host, coach, field, limit):
    stage = stage_save(stage=bvs(worker, host, **{field: "x" * limit}), by=coach)
    setattr(stage, field, "x" * (limit + 1))
    with pytest.raises(DomainError) as refused:
        stage_save(stage=stage, by=coach)
    assert (refused.value.code, refused.value.field) == ("max_length", field)


def test_other_kinds_fields_are_not_kept(worker, host, coach):
    stage = bvs(worker, host, tbs_paid_by="x", client_contract="OC-1", union_informed_on=START)
    stage_save(stage=stage, by=coach)
    stage.refresh_from_db()
    assert (stage.tbs_paid_by, stage.client_contract, stage.union_informed_on) == ("", "", None)


@pytest.mark.parametrize(
    ("statuut", "allowed"), [("leerwerknemer", True), ("lde", True), ("artikel_60", False)]
)
def test_tbs_statute(worker, host, coach, statuut, allowed):
    worker.statuut = statuut
    worker.save()
    if allowed:
        stage_save(stage=tbs(worker, host), by=coach)
    else:
        with pytest.raises(DomainError) as refused:
            stage_save(stage=tbs(worker, host), by=coach)
        assert (refused.value.code, refused.value.field) == ("statuut_excluded", "kind")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("tbs_paid_by", " ", "required"),
        ("tbs_on_sec_payroll", False, "tbs_payroll"),
        ("tbs_return_guaranteed", False, "tbs_return"),
        ("tbs_return_arrangement", "", "tbs_return"),
    ],
)
def test_tbs_records_who_pays_the_payroll_and_the_return(worker, host, coach, field, value, code):
    with pytest.raises(DomainError) as refused:
        stage_save(stage=tbs(worker, host, **{field: value}), by=coach)
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize("missing", ["start_date", "end_date"])
def test_tbs_duration_fixed_in_advance(worker, host, coach, missing):
    with pytest.raises(DomainError) as err:
        stage_save(stage=tbs(worker, host, **{missing: None}), by=coach)
    assert err.value.code == "duration_not_fixed"
    assert err.value.field == missing


def test_stage_end_not_before_start(worker, host, coach):
    stage_save(stage=tbs(worker, host, end_date=START), by=coach)  # one day is fine
    with pytest.raises(DomainError) as refused:
        stage_save(stage=tbs(worker, host, end_date=START - datetime.timedelta(days=1)), by=coach)
    assert (refused.value.code, refused.value.field) == ("end_before_start", "end_date")


def enclave(worker, host, **fields):
    values = {
        "worker": worker,
        "partner": host,
        "kind": "enclave",
        "goal": "Team op locatie",
        "site_supervisor": "Ploegbaas Jan",
        "start_date": START,
        "client_contract": "OC-2026-01",
    }
    return Stage(**{**values, **fields})


def test_enclave_needs_a_team(worker, host, coach):
    with pytest.raises(DomainError) as err:
        stage_save(stage=enclave(worker, host), by=coach, team=[worker])
    assert err.value.code == "team_required"
    assert err.value.field == "team"
    colleague = WorkerFactory(organisation=coach.organisation)
    stage = stage_save(stage=enclave(worker, host), by=coach, team=[worker, colleague])
    assert set(stage.team.all()) == {worker, colleague}


def test_enclave_team_from_another_organisation_is_refused(worker, host, coach):
    with pytest.raises(DomainError) as refused:
        stage_save(stage=enclave(worker, host), by=coach, team=[WorkerFactory()])
    assert refused.value.code == "other_organisation"


@pytest.mark.parametrize("missing", ["client_contract", "site_supervisor"])
def test_enclave_needs_contract_and_own_supervisor(worker, host, coach, missing):
    colleague = WorkerFactory(organisation=coach.organisation)
    with pytest.raises(DomainError) as err:
        stage_save(stage=enclave(worker, host, **{missing: ""}), by=coach, team=[colleague])
    assert (err.value.code, err.value.field) == ("required", missing)


def test_enclave_is_saved_before_the_notices_and_without_a_host_mentor(worker, host, coach):
    colleague = WorkerFactory(organisation=coach.organisation)
    stage = stage_save(stage=enclave(worker, host, mentor_name="Iemand"), by=coach, team=[colleague])
    assert stage.union_informed_on is None and stage.mentor_name == ""


def test_enclave_moves_the_trajectory_only_when_the_coach_says_so(worker, host, coach):
    colleague = WorkerFactory(organisation=coach.organisation)
    stage = stage_save(stage=enclave(worker, host), by=coach, team=[colleague])
    stage.trajectory.refresh_from_db()
    assert stage.trajectory.phase == Phase.JOBMATCHING
    stage.moves_trajectory_to_stage = True
    stage_save(stage=stage, by=coach)
    stage.trajectory.refresh_from_db()
    assert stage.trajectory.phase == Phase.STAGE
    # A later edit, after a step back to job matching, does not move it again.
    trajectory_transition(trajectory=stage.trajectory, transition="back_to_jobmatching", by=coach, reason="x")
    stage.goal = "Andere opdracht"
    stage_save(stage=stage, by=coach)
    stage.trajectory.refresh_from_db()
    assert stage.trajectory.phase == Phase.JOBMATCHING


def test_enclave_worker_needs_no_open_trajectory(coach, host):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    colleague = WorkerFactory(organisation=coach.organisation)
    assert stage_save(stage=enclave(worker, host), by=coach, team=[colleague]).trajectory is None


def test_enclave_promises_no_job(worker, host, coach):
    colleague = WorkerFactory(organisation=coach.organisation)
    with pytest.raises(DomainError) as refused:
        stage_save(stage=enclave(worker, host, contract_in_prospect=True), by=coach, team=[colleague])
    assert (refused.value.code, refused.value.field) == ("enclave_no_offer", "contract_in_prospect")


@pytest.mark.parametrize("missing", ["goal", "mentor_name"])
def test_every_stage_needs_goal_and_mentor(worker, host, coach, missing):
    with pytest.raises(DomainError) as err:
        stage_save(stage=tbs(worker, host, **{missing: ""}), by=coach)
    assert err.value.field == missing


def test_planning_a_stage_moves_job_matching_on(worker, host, coach):
    stage = stage_save(stage=bvs(worker, host), by=coach)
    stage.trajectory.refresh_from_db()
    assert stage.trajectory.phase == Phase.STAGE
    assert stage.trajectory.transitions.filter(name="to_stage").exists()


def test_host_of_another_organisation_is_refused(worker, coach):
    with pytest.raises(DomainError) as refused:
        stage_save(stage=bvs(worker, PartnerFactory()), by=coach)
    assert refused.value.code == "other_organisation"


def test_worker_without_open_trajectory_is_refused(coach, host):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    with pytest.raises(DomainError) as refused:
        stage_save(stage=bvs(worker, host), by=coach)
    assert refused.value.code == "no_open_trajectory"


def test_factory_stage_is_valid_through_the_service(coach):
    stage = StageFactory(worker__organisation=coach.organisation, partner__organisation=coach.organisation)
    stage.goal = "Kennismaken met het onthaal"
    saved = stage_save(stage=stage, by=coach)
    # Every rule the service checks accepts the factory's values: the edit is stored.
    assert saved.pk == stage.pk
    assert Stage.objects.of_worker(stage.worker).get(pk=stage.pk).goal == "Kennismaken met het onthaal"
