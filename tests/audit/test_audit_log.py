"""The access log: refused lookups are recorded, HR sees who looked, and nobody can rewrite it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.html import escape

from bwise.accounts.models import Role
from bwise.audit.models import AccessAction, AccessLog, AccessOutcome
from bwise.audit.services import log_access
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def _rows():
    return [
        (row.user_id, row.action, row.outcome, row.record_model, row.record_id, row.worker_id)
        for row in AccessLog.objects.order_by("pk")
    ]


@pytest.fixture
def worker(organisation, coach):
    return WorkerFactory(organisation=organisation, coach=coach)


@pytest.fixture
def outsider(other_organisation):
    return UserFactory(organisation=other_organisation, roles=[Role.HR])


def test_a_refused_lookup_writes_one_row(client, worker, outsider):
    client.force_login(outsider)
    assert client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).status_code == 404
    assert _rows() == [
        (
            outsider.pk,
            AccessAction.REFUSED,
            AccessOutcome.REFUSED,
            "trajects.Worker",
            str(worker.pk),
            worker.pk,
        )
    ]
    assert AccessLog.objects.get().organisation_id == outsider.organisation_id


def test_a_lookup_of_a_missing_record_is_refused_without_worker(client, hr):
    client.force_login(hr)
    assert client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": 987654321})).status_code == 404
    assert _rows() == [(hr.pk, "refused", "refused", "trajects.Worker", "987654321", None)]


def test_allowed_lookups_write_nothing_by_themselves(client, worker, directie):
    # Directie may open the worker page but sees no sensitive fields, so nothing is logged.
    client.force_login(directie)
    assert client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).status_code == 200
    assert _rows() == []


def test_scripted_session_gives_exactly_the_expected_rows(client, organisation, worker, coach, hr, outsider):
    colleague = UserFactory(organisation=organisation, roles=[Role.COACH])  # not this worker's coach
    detail = reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})

    # 1. The coach opens the worker page, which shows the sensitive fields and logs the view.
    client.force_login(coach)
    assert client.get(detail).status_code == 200
    # 2. HR prints it.
    log_access(
        user=hr,
        action=AccessAction.PRINT,
        record=worker,
        worker_id=worker.pk,
        detail={"print": "worker-file"},
    )
    # 3. Another organisation's HR and a colleague outside the caseload try to open it.
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    client.force_login(colleague)
    assert client.get(detail).status_code == 404

    expected = [
        (coach.pk, "view", "allowed", "trajects.Worker", str(worker.pk), worker.pk),
        (hr.pk, "print", "allowed", "trajects.Worker", str(worker.pk), worker.pk),
        (outsider.pk, "refused", "refused", "trajects.Worker", str(worker.pk), worker.pk),
        (colleague.pk, "refused", "refused", "trajects.Worker", str(worker.pk), worker.pk),
    ]
    assert _rows() == expected

    # HR sees all four on the worker's access page, newest first.
    client.force_login(hr)
    response = client.get(reverse("audit:worker_access_log", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 200
    shown = [(row.user_id, row.action, row.outcome) for row in response.context["access_log"]]
    assert shown == [(user, action, outcome) for user, action, outcome, *_ in reversed(expected)]
    html = response.content.decode()
    for user in (coach, hr, outsider, colleague):
        # As the page writes it: a "D'Hondt" reaches the HTML as "D&#x27;Hondt".
        assert escape(str(user)) in html
    assert _rows() == expected  # reading the log adds nothing


@pytest.mark.parametrize("role", [Role.COACH, Role.DIRECTIE, Role.BEGELEIDER, Role.BEHEERDER])
def test_only_hr_reads_the_access_log(client, make_user, worker, role):
    client.force_login(make_user(role))
    response = client.get(reverse("audit:worker_access_log", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 403


def test_hr_of_another_organisation_gets_404_and_is_logged(client, worker, outsider):
    client.force_login(outsider)
    response = client.get(reverse("audit:worker_access_log", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 404
    assert _rows() == [(outsider.pk, "refused", "refused", "trajects.Worker", str(worker.pk), worker.pk)]


def test_selector_gives_nothing_to_other_roles(worker, coach, hr):
    from bwise.privacy.selectors import access_log_for_worker

    log_access(user=coach, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)
    assert list(access_log_for_worker(coach, worker)) == []
    assert len(access_log_for_worker(hr, worker)) == 1


# --- Append-only, enforced by the database --------------------------------------------


@pytest.fixture
def logged_row(worker, coach):
    return log_access(user=coach, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)


def _raw(sql, params):
    # A savepoint, so that the failed statement leaves the test's transaction usable.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslog SET outcome = 'allowed', user_id = NULL WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ],
)
def test_the_application_database_user_cannot_alter_access_rows(logged_row, sql):
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        _raw(sql, [logged_row.pk])
    logged_row.refresh_from_db()
    assert logged_row.outcome == "allowed" and logged_row.user_id is not None


def test_the_orm_cannot_alter_access_rows_either(logged_row):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=logged_row.pk).update(detail={"tampered": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=logged_row.pk).delete()
    assert AccessLog.objects.filter(pk=logged_row.pk, detail={}).exists()


@pytest.mark.parametrize(
    "sql", ["UPDATE {table} SET pgh_label = 'x' WHERE pgh_id = %s", "DELETE FROM {table} WHERE pgh_id = %s"]
)
def test_history_events_cannot_be_altered(worker, sql):
    from trajects.models import Worker

    event_model = next(iter(Worker.pgh_event_models.values()))
    event = event_model.objects.filter(pgh_obj_id=worker.pk).first()
    assert event is not None, "creating a worker writes an insert event"
    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        _raw(sql.format(table=event_model._meta.db_table), [event.pgh_id])
    assert event_model.objects.filter(pgh_id=event.pgh_id, pgh_label=event.pgh_label).exists()


def test_a_refused_api_lookup_writes_one_row(client, worker, outsider):
    client.force_login(outsider)
    response = client.get(f"/api/v1/workers/{worker.pk}/")
    assert response.status_code == 404
    assert _rows() == [(outsider.pk, "refused", "refused", "trajects.Worker", str(worker.pk), worker.pk)]


def test_an_api_lookup_with_a_malformed_id_is_refused_and_logged(client, outsider):
    client.force_login(outsider)
    assert client.get("/api/v1/workers/abc/").status_code == 404
    assert _rows() == [(outsider.pk, "refused", "refused", "trajects.Worker", "abc", None)]


def test_a_page_refused_for_lack_of_a_capability_writes_one_row(client, worker, coach):
    client.force_login(coach)  # a coach may not read the access log, even of their own worker
    response = client.get(reverse("audit:worker_access_log", kwargs={"worker_pk": worker.pk}))
    assert response.status_code == 403
    row = AccessLog.objects.get()
    assert (row.user_id, row.action, row.outcome, row.worker_id) == (
        coach.pk,
        "refused",
        "refused",
        worker.pk,
    )
    assert row.record_model == "audit:worker_access_log"
    assert row.detail == {"missing_capability": "view_access_log"}
