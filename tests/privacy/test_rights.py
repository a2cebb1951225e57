"""Data-subject rights: export, pseudonymise, erase, legal holds, retention."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from bwise.core.errors import DomainError
from bwise.privacy import services
from bwise.privacy.models import Erasure, LegalHold, RetentionRun
from bwise.privacy.records import records_of
from tests.factories import OrganisationFactory, UserFactory
from tests.factories_trajects import TrajectoryFactory
from tests.privacy_helpers import plant_text_markers, tables_containing
from tests.universe import build_universe
from trajects.models import Trajectory, Worker
from trajects.state import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def universe(organisation):
    return build_universe(organisation)


@pytest.fixture
def worker(universe):
    return universe.objects["worker"]


@pytest.fixture
def hr(organisation):
    return UserFactory(organisation=organisation, roles=[Role.HR])


@pytest.fixture
def planted(worker):
    """Markers in every text field of every record about the worker, saved through the ORM
    so that the history triggers copy them into the event tables too."""
    markers = plant_text_markers(records_of(worker).records)
    # An ordinary edit after the markers: the history now holds them in old and new rows.
    worker.refresh_from_db()
    worker.team = "Atelier"
    worker.save()
    return markers


def test_every_model_about_a_worker_is_found(worker):
    labels = {model._meta.label for model in records_of(worker).records}
    assert {
        "trajects.Worker",
        "trajects.Intake",
        "trajects.StarrNote",
        "competenties.Observation",
        "competenties.PlanAction",
        "privacy.LegalHold",
    } <= labels


def test_the_export_holds_every_record_history_and_access_log(client, hr, worker, planted):
    client.force_login(hr)
    response = client.get(reverse("privacy:worker_export_json", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    data = json.loads(body)
    assert all(marker in body for marker in planted)
    assert {"trajects.Worker", "trajects.Intake", "competenties.Observation"} <= set(data["records"])
    assert "trajects.WorkerEvent" in data["history"]
    assert "documents.DocumentJob" in data["derived"]
    exports = AccessLog.objects.filter(worker_id=worker.pk, action="export")
    assert exports.count() == 1 and exports.get().user == hr
    assert any(row["action"] == "export" for row in data["access_log"])


def test_the_readable_export_is_a_pdf(client, hr, worker):
    client.force_login(hr)
    response = client.get(reverse("privacy:worker_export_pdf", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.COACH, Role.DIRECTIE, Role.BEGELEIDER, Role.BEHEERDER])
def test_only_hr_exercises_the_rights(client, organisation, worker, role):
    client.force_login(UserFactory(organisation=organisation, roles=[role]))
    for name in ("worker_rights", "worker_export_json", "worker_export_pdf"):
        assert client.get(reverse(f"privacy:{name}", kwargs={"worker_pk": worker.pk})).status_code == 403
    assert client.post(reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}), {}).status_code == 403


def test_hr_of_another_organisation_gets_404(client, worker):
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=[Role.HR]))
    assert (
        client.get(reverse("privacy:worker_export_json", kwargs={"worker_pk": worker.pk})).status_code == 404
    )


def test_pseudonymising_leaves_no_identifying_text_anywhere_in_the_database(client, hr, worker, planted):
    trajectory = worker.trajectories.get()
    client.force_login(hr)
    response = client.post(
        reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}),
        {"action": "pseudonymise", "reason": "Request of 3 May", "confirm": worker.last_name},
    )
    assert response.status_code == 302
    leaks = {marker: tables_containing(marker) for marker in planted}
    assert {marker: tables for marker, tables in leaks.items() if tables} == {}
    worker.refresh_from_db()
    assert worker.first_name == services.PSEUDONYM and worker.email == "" and worker.team == "Atelier"
    # Structured data stays for the statistics.
    assert Trajectory.objects.get(pk=trajectory.pk).phase == trajectory.phase
    erasure = Erasure.objects.get(worker_id=worker.pk)
    assert erasure.by == hr and erasure.counts["history"] > 0


def test_history_stays_append_only_after_a_pseudonymisation(worker):
    services.worker_pseudonymise(worker=worker, reason="test")
    event_model = Worker.pgh_event_models["update"]
    with pytest.raises(DatabaseError), transaction.atomic():
        event_model.objects.filter(pgh_obj_id=worker.pk).update(first_name="tampered")


def test_erasing_deletes_every_record_and_its_history_but_not_the_access_log(client, hr, worker, planted):
    client.force_login(hr)
    client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}))
    logged = AccessLog.objects.filter(worker_id=worker.pk).count()
    response = client.post(
        reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}),
        {"action": "erase", "reason": "Request of 3 May", "confirm": worker.last_name},
    )
    assert response.status_code == 302
    assert not Worker.objects.filter(pk=worker.pk).exists()
    assert {marker: tables_containing(marker) for marker in planted if tables_containing(marker)} == {}
    assert not Worker.pgh_event_models["update"].objects.filter(pgh_obj_id=worker.pk).exists()
    assert AccessLog.objects.filter(worker_id=worker.pk).exclude(action="erase").count() == logged > 0
    # The database function that deleted the history wrote one row per event table, naming HR.
    erased = AccessLog.objects.filter(worker_id=worker.pk, action="erase")
    assert erased.exists() and set(erased.values_list("user_id", flat=True)) == {hr.pk}
    assert Erasure.objects.get(worker_id=worker.pk).action == "erase"


def test_a_wrong_confirmation_changes_nothing(client, hr, worker):
    client.force_login(hr)
    response = client.post(
        reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}),
        {"action": "erase", "reason": "x", "confirm": "someone else"},
    )
    assert response.status_code == 200
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_a_legal_hold_refuses_erasure_until_lifted(client, hr, worker):
    client.force_login(hr)
    url = reverse("privacy:legal_hold", kwargs={"worker_pk": worker.pk})
    assert client.post(url, {"reason": "Subsidy inspection 2027"}).status_code == 302
    response = client.post(
        reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}),
        {"action": "erase", "reason": "x", "confirm": worker.last_name},
    )
    assert response.status_code == 200 and "wettelijke verplichting" in response.content.decode()
    assert Worker.objects.filter(pk=worker.pk).exists()
    with pytest.raises(DomainError):
        services.worker_pseudonymise(worker=worker, reason="x")
    client.post(url, {"lift": "1"})
    assert not LegalHold.objects.filter(worker=worker).exists()
    services.worker_erase(worker=worker, reason="x", by=hr)
    assert not Worker.objects.filter(pk=worker.pk).exists()


def test_an_expired_hold_no_longer_protects(worker, hr):
    LegalHold.objects.create(worker=worker, reason="old case", until=timezone.localdate() - timedelta(days=1))
    services.worker_pseudonymise(worker=worker, reason="x", by=hr)
    assert Erasure.objects.filter(worker_id=worker.pk).exists()


# --- Retention ----------------------------------------------------------------------------


def _closed(organisation, *, years_ago: float):
    trajectory = TrajectoryFactory(worker__organisation=organisation, status=Status.CLOSED)
    trajectory.closed_at = timezone.now() - timedelta(days=365 * years_ago)
    trajectory.save()
    # The worker left when the trajectory closed: the retention clock runs from then.
    Worker.objects.filter(pk=trajectory.worker_id).update(employment_end=trajectory.closed_at.date())
    return trajectory.worker


def test_retention_pseudonymises_only_workers_past_the_period(organisation, settings):
    settings.RETENTION_YEARS_AFTER_CLOSE = 5
    old = _closed(organisation, years_ago=6)
    recent = _closed(organisation, years_ago=2)
    reopened = _closed(organisation, years_ago=6)
    TrajectoryFactory(worker=reopened)  # a new trajectory is open
    held = _closed(organisation, years_ago=7)
    LegalHold.objects.create(worker=held, reason="dispute")
    never = TrajectoryFactory(worker__organisation=organisation).worker

    runs = services.retention_apply()

    run = next(r for r in runs if r.organisation_id == organisation.pk)
    assert (run.pseudonymised, run.held, run.worker_ids, run.years) == (1, 1, [old.pk], 5)
    names = dict(Worker.objects.values_list("pk", "first_name"))
    assert names[old.pk] == services.PSEUDONYM
    assert all(names[w.pk] != services.PSEUDONYM for w in (recent, reopened, held, never))


def test_a_second_run_does_nothing_twice(organisation):
    old = _closed(organisation, years_ago=9)
    services.retention_apply()
    again = services.retention_apply()
    assert all(run.pseudonymised == 0 for run in again)
    assert Erasure.objects.filter(worker_id=old.pk).count() == 1


def test_the_command_and_the_task_report_their_runs(organisation, capsys):
    from bwise.privacy.tasks import apply_retention

    _closed(organisation, years_ago=3)
    call_command("apply_retention", "--years", "2")
    assert "1 pseudonymised" in capsys.readouterr().out
    assert apply_retention() and RetentionRun.objects.filter(organisation=organisation).count() == 2


def test_hr_reads_the_retention_report(client, hr, organisation, make_user):
    _closed(organisation, years_ago=30)
    services.retention_apply()
    client.force_login(hr)
    response = client.get(reverse("privacy:retention"))
    assert response.status_code == 200 and "bewaarschema" in response.content.decode()
    client.force_login(make_user(Role.DIRECTIE))
    assert client.get(reverse("privacy:retention")).status_code == 403


def test_the_retention_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "bwise.privacy.tasks.apply_retention" in tasks


@pytest.mark.django_db(transaction=True)
def test_two_retention_runs_at_once_pseudonymise_each_worker_once():
    import threading

    from django.db import connection

    organisation = OrganisationFactory()
    old = [_closed(organisation, years_ago=10) for _ in range(6)]
    barrier = threading.Barrier(2)
    errors, done = [], []

    def run():
        try:
            barrier.wait()
            done.extend(pk for r in services.retention_apply() for pk in r.worker_ids)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(done) == sorted(w.pk for w in old)
    assert Erasure.objects.filter(worker_id__in=[w.pk for w in old]).count() == len(old)


def test_opening_a_second_intake_is_logged_for_those_who_see_its_situation(client, organisation, worker):
    # The universe's trajectory holds a second intake already.
    intake = worker.trajectories.get().intakes.get(kind="second")
    intake.limitations = "back"
    intake.save()
    url = reverse("trajects:intake_edit", kwargs={"intake_pk": intake.pk})
    shared = UserFactory(organisation=organisation, roles=[Role.COACH])
    worker.shared_with.add(shared)
    client.force_login(shared)
    response = client.get(url)
    assert response.status_code == 200 and 'name="limitations"' not in response.content.decode()
    assert not AccessLog.objects.filter(record_model="trajects.Intake", record_id=str(intake.pk)).exists()
    client.force_login(worker.coach)
    assert 'name="limitations"' in client.get(url).content.decode()
    assert (
        AccessLog.objects.filter(
            record_model="trajects.Intake", record_id=str(intake.pk), user=worker.coach
        ).count()
        == 1
    )
