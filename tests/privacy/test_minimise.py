"""The minimisation layer: history pages and printed documents carry a declared field only to
its audience, and log the read when they do (findings 1 and 2 of issue 11)."""

import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from bwise.documents import registry, services
from bwise.documents.rendering import render_html
from bwise.privacy.history import _Scope, history_for
from bwise.privacy.minimise import Minimiser
from tests.documents_helpers import eager_tasks
from tests.factories import PlatformStaffFactory, WorkerFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects.models import IntakeKind

pytestmark = pytest.mark.django_db

HEALTH = "HEALTHMARK1"
SITUATION = "SITUATIONMARK2"
LIMITS = "LIMITSMARK3"
MARKERS = (HEALTH, SITUATION, LIMITS)


@pytest.fixture
def case(organisation, coach):
    worker = WorkerFactory(organisation=organisation, coach=coach, health_notes=HEALTH)
    trajectory = TrajectoryFactory(worker=worker)
    IntakeFactory(trajectory=trajectory, kind=IntakeKind.FIRST, created_by=coach)
    second = IntakeFactory(
        trajectory=trajectory,
        kind=IntakeKind.SECOND,
        created_by=coach,
        personal_and_social_situation=SITUATION,
        limitations=LIMITS,
    )
    return {"worker": worker, "trajectory": trajectory, "second": second}


def _found(text: str) -> set[str]:
    return {marker for marker in MARKERS if marker in text}


def _sensitive_reads(user) -> list[tuple[str, str]]:
    return sorted(
        AccessLog.objects.filter(user=user, action="view", detail={"fields": "sensitive"}).values_list(
            "record_model", "record_id"
        )
    )


# Finding 1: a user's history followed every foreign key into the workers' records.


def test_a_beheerder_sees_no_worker_record_in_a_coachs_history(client, coach, case, make_user):
    beheerder = make_user(Role.BEHEERDER)
    client.force_login(beheerder)
    response = client.get(reverse("accounts:user_history", kwargs={"user_pk": coach.pk}))
    assert response.status_code == 200
    assert _found(response.content.decode()) == set()
    shown = {entry.model_label for entry in response.context["events"]}
    assert shown == {"accounts.User"}  # the coach's own account, nothing that points at it
    assert str(case["worker"]) not in response.content.decode()
    assert AccessLog.objects.filter(user=beheerder, outcome="allowed").count() == 0


def test_a_beheerder_with_directie_sees_the_workers_changes_without_their_special_category_fields(
    client, coach, case, make_user
):
    reader = make_user(Role.BEHEERDER, Role.DIRECTIE)
    client.force_login(reader)
    response = client.get(reverse("accounts:user_history", kwargs={"user_pk": coach.pk}))
    models = {entry.model_label for entry in response.context["events"]}
    assert {"trajects.Worker", "trajects.Intake"} <= models
    assert _found(response.content.decode()) == set()
    assert _sensitive_reads(reader) == []


def test_a_beheerder_with_hr_sees_them_field_by_field_and_the_read_is_logged(client, coach, case, make_user):
    reader = make_user(Role.BEHEERDER, Role.HR)
    client.force_login(reader)
    body = client.get(reverse("accounts:user_history", kwargs={"user_pk": coach.pk})).content.decode()
    assert _found(body) == set(MARKERS)
    # Every record whose special-category fields the page shows, even empty ones, once each.
    intakes = [("trajects.Intake", str(pk)) for pk in case["trajectory"].intakes.values_list("pk", flat=True)]
    assert _sensitive_reads(reader) == sorted([*intakes, ("trajects.Worker", str(case["worker"].pk))])


def test_the_worker_history_logs_one_row_per_record_whose_special_category_values_it_shows(client, case, hr):
    worker = case["worker"]
    worker.health_notes = "second version"
    worker.save()
    client.force_login(hr)
    body = client.get(reverse("trajects:worker_history", kwargs={"worker_pk": worker.pk})).content.decode()
    assert HEALTH in body and "second version" in body
    assert _sensitive_reads(hr) == [("trajects.Worker", str(worker.pk))]


def test_history_leaves_out_records_the_access_layer_does_not_know(coach):
    class Event:
        obj_id = "1"
        data = {"id": 1}

    event = Event()
    assert _Scope(coach, [(ContentType, event)]).resolve(ContentType, event) == (False, None)


def test_history_for_takes_the_reader_not_a_list_of_hidden_fields(coach):
    with pytest.raises(TypeError):
        history_for(coach, hidden_fields=frozenset())


# Finding 2: the intake template printed the second intake's personal situation to every reader.


def _outside_readers(case, make_user):
    shared = make_user(Role.COACH)
    case["worker"].shared_with.add(shared)
    return {
        "coach and directie, not the own coach": make_user(Role.COACH, Role.DIRECTIE),
        "a coach the worker is shared with": shared,
    }


def _render(kind, record, reader) -> str:
    return render_html(
        registry.get_kind(kind), record, organisation=reader.organisation, language="en", reader=reader
    )


@pytest.mark.parametrize("kind", ["intake_report", "dossier"])
def test_the_second_intakes_personal_situation_is_printed_only_for_its_audience(
    case, make_user, coach, hr, kind
):
    record = case["trajectory"] if kind == "intake_report" else case["worker"]
    for name, reader in _outside_readers(case, make_user).items():
        html = _render(kind, record, reader)
        assert "Education and work history" in html, name  # the second intake is in the document
        assert _found(html) == set(), name
        assert "Personal and social situation" not in html, name
        assert _sensitive_reads(reader) == [], name
    for reader in (coach, hr):
        html = _render(kind, record, reader)
        assert {SITUATION, LIMITS} <= _found(html)
        assert ("trajects.Intake", str(case["second"].pk)) in _sensitive_reads(reader)


def _bulk_text(job) -> str:
    job.refresh_from_db()
    data = job.file.read()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data_list = [archive.read(name) for name in archive.namelist()]
    else:
        data_list = [data]
    return "\n".join(page.extract_text() for pdf in data_list for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("output_format", ["pdf", "zip"])
def test_a_bulk_print_of_intake_reports_is_minimised_for_its_requester(case, make_user, hr, output_format):
    other = WorkerFactory(organisation=case["worker"].organisation)
    other_trajectory = TrajectoryFactory(worker=other)
    IntakeFactory(trajectory=other_trajectory, kind=IntakeKind.SECOND, limitations="OTHERLIMITS")
    ids = [case["trajectory"].pk, other_trajectory.pk]
    outside = make_user(Role.COACH, Role.DIRECTIE)
    for reader, expected in ((outside, set()), (hr, {SITUATION, LIMITS})):
        job = services.bulk_document_request(
            kind="intake_report", record_ids=ids, output_format=output_format, by=reader
        )
        with eager_tasks():
            services.bulk_render(job_pk=job.pk)
        text = " ".join(_bulk_text(job).split())
        assert _found(text) == expected
        assert ("OTHERLIMITS" in text) == bool(expected)


def test_a_minimised_record_refuses_writes_and_hides_absent_fields(case, make_user):
    view = Minimiser(make_user(Role.DIRECTIE)).wrap(case["second"])
    assert not hasattr(view, "limitations")
    assert view.kind == IntakeKind.SECOND
    assert not hasattr(view.trajectory.worker, "health_notes")
    with pytest.raises(AttributeError):
        view.limitations = "x"
    assert getattr(view.save, "alters_data", False)


def test_platform_staff_without_organisation_see_nothing_special(case):
    staff = PlatformStaffFactory()
    assert not hasattr(Minimiser(staff).wrap(case["worker"]), "health_notes")


def test_a_users_history_costs_the_same_queries_for_two_workers_as_for_six(make_user, organisation):
    # Directie sees the workers but none of their sensitive fields, so no access-log rows are
    # written: what is counted is the cost of deciding what the reader sees.
    coach, reader = make_user(Role.COACH), make_user(Role.DIRECTIE)

    def queries_for(count: int) -> int:
        for _ in range(count):
            WorkerFactory(organisation=organisation, coach=coach)
        with CaptureQueriesContext(connection) as captured:
            entries = history_for(coach, reader=reader).entries
        assert len({entry.object_id for entry in entries if entry.model_label == "trajects.Worker"}) >= count
        return len(captured.captured_queries)

    assert queries_for(2) == queries_for(6)


# The API: the base serializer drops what the declaration withholds, so that a serializer
# written tomorrow for a declared model, with every field, still cannot leak.


def _every_field_serializer(model):
    from bwise.api.serializers import StrictModelSerializer

    class EveryField(StrictModelSerializer):
        class Meta:
            fields = "__all__"

    EveryField.Meta.model = model
    return EveryField


@pytest.mark.parametrize(
    ("roles", "shown"),
    [((Role.DIRECTIE,), set()), ((Role.HR,), {SITUATION, LIMITS}), ((Role.BEHEERDER,), set())],
)
def test_any_api_serializer_of_a_declared_model_carries_only_the_readers_fields(
    case, make_user, rf, roles, shown
):
    from trajects.models import Intake

    request = rf.get("/")
    request.user = make_user(*roles)
    data = _every_field_serializer(Intake)(case["second"], context={"request": request}).data
    assert _found(str(dict(data))) == shown
    # Without a request there is no reader: no declared field at all.
    assert _found(str(dict(_every_field_serializer(Intake)(case["second"]).data))) == set()
