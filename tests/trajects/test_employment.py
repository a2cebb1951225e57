"""The end of a worker's employment and the statuut history (``trajects.services``): who
left stays on record but out of the caseload, today's figures, the POP and LDE counts and
every reminder; the retention clock starts when they left."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bwise.core.errors import DomainError
from bwise.dashboard.figures import coach_caseloads, obligations, phase_statuut
from bwise.dashboard.period import Period
from bwise.privacy import services as privacy
from bwise.reminders.models import Reminder
from bwise.reminders.services import reminders_scan
from competenties.selectors import pops_due_for
from tests.factories import WorkerFactory
from tests.factories_partners import HireFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.models import C4_REASON_NEC, EmploymentEndReason, Statuut, StatuutPeriod, Worker
from trajects.services import (
    employment_end_proposal,
    employment_end_record,
    employment_end_undo,
    worker_save,
)
from trajects.state import Phase, Status

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def _left(organisation, coach, *, on=YESTERDAY, **fields):
    worker = WorkerFactory(organisation=organisation, coach=coach, **fields)
    return employment_end_record(worker=worker, on=on, reason=EmploymentEndReason.CONTRACT_END, by=coach)


# --- The end itself -----------------------------------------------------------------------


def test_the_end_may_fall_on_the_first_day_but_not_before_it(coach, organisation):
    start = datetime.date(2024, 3, 1)
    worker = WorkerFactory(organisation=organisation, coach=coach, employment_start=start)
    with pytest.raises(DomainError) as refused:
        employment_end_record(worker=worker, on=start - timedelta(days=1), reason="contract_end", by=coach)
    assert refused.value.code == "end_before_start" and "1 mrt. 2024" in refused.value.message
    ended = employment_end_record(worker=worker, on=start, reason="retirement", by=coach)
    assert (ended.employment_end, ended.employment_end_reason) == (start, "retirement")


def test_the_reason_is_one_of_the_list_and_other_needs_a_description(coach, organisation):
    worker = WorkerFactory(organisation=organisation, coach=coach)
    with pytest.raises(DomainError) as refused:
        employment_end_record(worker=worker, on=TODAY, reason="fired", by=coach)
    assert refused.value.code == "required"
    with pytest.raises(DomainError) as refused:
        employment_end_record(worker=worker, on=TODAY, reason=EmploymentEndReason.OTHER, notes=" ", by=coach)
    assert refused.value.field == "notes"
    ended = employment_end_record(worker=worker, on=TODAY, reason="other", notes="verhuisd", by=coach)
    assert ended.employment_end_notes == "verhuisd"
    assert employment_end_undo(worker=ended, by=coach).employment_end is None


def test_an_open_trajectory_before_nazorg_must_be_closed_first(coach, organisation):
    worker = WorkerFactory(organisation=organisation, coach=coach)
    TrajectoryFactory(worker=worker, phase=Phase.STAGE)
    with pytest.raises(DomainError) as refused:
        employment_end_record(worker=worker, on=TODAY, reason="contract_end", by=coach)
    assert refused.value.code == "trajectory_open"
    hired = HireFactory(worker__organisation=organisation, worker__coach=coach)
    assert employment_end_record(worker=hired.worker, on=TODAY, reason="extern_doorgestroomd", by=coach)


def test_a_hire_proposes_the_end_by_mutual_consent_the_day_before_the_new_contract(coach, organisation):
    hire = HireFactory(
        worker__organisation=organisation, worker__coach=coach, start_date=datetime.date(2026, 5, 1)
    )
    proposal = employment_end_proposal(hire.worker)
    assert proposal == {
        "on": datetime.date(2026, 4, 30),
        "reason": EmploymentEndReason.EXTERN,
        "c4_reason": str(C4_REASON_NEC),
    }
    hire.c4_reason = "Onderling akkoord, overstap naar vast contract"
    hire.save()
    assert employment_end_proposal(hire.worker)["c4_reason"] == hire.c4_reason
    assert employment_end_proposal(WorkerFactory(organisation=organisation)) is None


def test_the_form_starts_from_the_proposal_and_saves_the_edited_reason(client, coach, organisation):
    hire = HireFactory(
        worker__organisation=organisation, worker__coach=coach, start_date=datetime.date(2026, 5, 1)
    )
    client.force_login(coach)
    url = reverse("trajects:employment_end", kwargs={"worker_pk": hire.worker_id})
    page = client.get(url).content.decode()
    assert "2026-04-30" in page and "NEC" in page
    response = client.post(
        url, {"on": "2026-04-30", "reason": "extern_doorgestroomd", "c4_reason": "Eigen tekst", "notes": ""}
    )
    assert response.status_code == 302
    worker = Worker.objects.get(pk=hire.worker_id)
    assert (worker.employment_end, worker.employment_end_c4_reason) == (
        datetime.date(2026, 4, 30),
        "Eigen tekst",
    )


# --- Who counts ---------------------------------------------------------------------------


def test_employed_on_counts_the_last_day_and_not_the_day_after(coach, organisation):
    worker = _left(organisation, coach, on=TODAY)
    assert list(Worker.objects.employed_on(TODAY)) == [worker]
    assert list(Worker.objects.employed_on(TODAY + timedelta(days=1))) == []
    assert worker.is_employed_on(TODAY) and not worker.is_employed_on(TODAY + timedelta(days=1))


def test_the_caseload_leaves_out_who_left_unless_the_filter_asks(client, coach, organisation):
    staying = WorkerFactory(organisation=organisation, coach=coach, last_name="Blijver")
    _left(organisation, coach, last_name="Vertrokken")
    last_day = _left(organisation, coach, on=TODAY, last_name="Laatstedag")
    client.force_login(coach)
    names = {
        choice: client.get(reverse("trajects:caseload"), {"employment": choice}).content.decode()
        for choice in ("", "left", "all")
    }
    assert staying.last_name in names[""] and last_day.last_name in names[""]
    assert "Vertrokken" not in names[""]
    assert "Vertrokken" in names["left"] and staying.last_name not in names["left"]
    assert all(name in names["all"] for name in ("Blijver", "Vertrokken", "Laatstedag"))


def test_todays_figures_and_the_pop_list_leave_out_who_left(coach, hr, organisation):
    lde_start = TODAY - timedelta(days=365 * 5 + 10)
    WorkerFactory(organisation=organisation, coach=coach, statuut=Statuut.LDE, statuut_start=lde_start)
    gone = _left(organisation, coach, statuut=Statuut.LDE, statuut_start=lde_start)
    TrajectoryFactory(worker=gone, status=Status.CLOSED, outcome="stopgezet", phase=Phase.VOORTRAJECT)
    workers = Worker.objects.filter(organisation=organisation)
    period = Period(TODAY - timedelta(days=30), TODAY)
    counts = obligations(workers, period)
    assert (counts["pop_overdue"], counts["lde_passed"]) == (1, 1)
    assert phase_statuut(workers, period).total == 1
    assert [row["workers"] for row in coach_caseloads(workers, period)] == [1]
    assert gone not in pops_due_for(hr)
    assert not gone.lde_limit_passed and not gone.lde_warning


def test_no_reminder_concerns_a_worker_who_left(coach, organisation, make_user):
    make_user("hr")
    lde_start = TODAY - timedelta(days=365 * 5 - 30)
    staying = WorkerFactory(
        organisation=organisation, coach=None, statuut=Statuut.LDE, statuut_start=lde_start
    )
    gone = WorkerFactory(organisation=organisation, coach=coach, statuut=Statuut.LDE, statuut_start=lde_start)
    employment_end_record(worker=gone, on=YESTERDAY, reason="contract_end", by=coach)
    Worker.objects.filter(pk=gone.pk).update(coach=None)
    lde_gone = WorkerFactory(
        organisation=organisation, coach=coach, statuut=Statuut.LDE, statuut_start=lde_start
    )
    employment_end_record(worker=lde_gone, on=YESTERDAY, reason="contract_end", by=coach)
    reminders_scan(kinds={"worker_without_coach", "lde_limit", "pop_due"})
    concerned = set(Reminder.objects.values_list("record_id", flat=True))
    assert staying.pk in concerned
    assert not concerned & {gone.pk, lde_gone.pk}


# --- Retention ----------------------------------------------------------------------------


def test_the_retention_clock_starts_at_the_end_of_employment(coach, organisation, settings):
    settings.RETENTION_YEARS_AFTER_CLOSE = 5
    long_ago = TODAY - timedelta(days=365 * 6)
    old = _left(organisation, coach, on=long_ago)
    recent = _left(organisation, coach, on=TODAY - timedelta(days=365 * 2))
    still_here = WorkerFactory(organisation=organisation, coach=coach)
    for worker in (old, still_here):
        trajectory = TrajectoryFactory(worker=worker, status=Status.CLOSED, outcome="stopgezet")
        trajectory.closed_at = timezone.now() - timedelta(days=365 * 7)
        trajectory.save()
    run = next(r for r in privacy.retention_apply() if r.organisation_id == organisation.pk)
    assert run.worker_ids == [old.pk]
    assert recent.pk not in run.worker_ids and still_here.pk not in run.worker_ids


# --- Statuut history ----------------------------------------------------------------------


def test_a_new_statuut_starts_after_the_previous_one_and_keeps_the_history(hr, organisation):
    start = datetime.date(2022, 1, 10)
    worker = worker_save(
        worker=Worker(first_name="Sara", last_name="Maes", statuut=Statuut.MAATWERK, statuut_start=start),
        by=hr,
    )
    assert worker.employment_start == start
    worker.statuut, worker.statuut_start = Statuut.LDE, start
    with pytest.raises(DomainError) as refused:
        worker_save(worker=worker, by=hr)
    assert refused.value.code == "statuut_start_too_early"
    worker.statuut_start = None
    with pytest.raises(DomainError) as refused:
        worker_save(worker=worker, by=hr)
    assert refused.value.code == "required"
    worker.statuut_start = start + timedelta(days=1)
    worker_save(worker=worker, by=hr)
    periods = list(StatuutPeriod.objects.filter(worker=worker).values_list("statuut", "start"))
    assert periods == [(Statuut.MAATWERK, start), (Statuut.LDE, start + timedelta(days=1))]
    # The LDE limit counts from the LDE period, not from the start of employment.
    assert worker.lde_limit_date == datetime.date(2027, 1, 11)


def test_the_api_ends_the_employment_and_lists_the_statuut_history(coach, organisation):
    worker = worker_save(
        worker=Worker(
            first_name="Ali", last_name="Demir", statuut=Statuut.LDE, statuut_start=YESTERDAY, coach=coach
        ),
        by=coach,
    )
    api = APIClient()
    api.force_authenticate(coach)
    url = f"/api/v1/workers/{worker.pk}/end-employment/"
    refused = api.post(url, {"on": str(TODAY), "reason": "other"}, format="json")
    assert refused.status_code == 400
    response = api.post(url, {"on": str(TODAY), "reason": "retirement"}, format="json")
    assert response.status_code == 200 and response.json()["employment_end"] == str(TODAY)
    rows = api.get("/api/v1/statuut-periods/", {"worker": worker.pk}).json()["results"]
    assert [(row["statuut"], row["start"]) for row in rows] == [("lde", str(YESTERDAY))]
