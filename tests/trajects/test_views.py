import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from tests.factories import UserFactory, WorkerFactory
from tests.factories_trajects import (
    CoachingMomentFactory,
    IntakeFactory,
    JobDefinitionFactory,
    StarrNoteFactory,
    TrajectoryFactory,
)
from trajects.models import Intake, StarrNote, Trajectory, TrajectoryTransition, Worker
from trajects.state import Phase, Status, Trigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        first_name="Ilse",
        last_name="Maes",
        health_notes="Rugklachten",
        justice_notes="Enkelband",
        icf_indication="Middelgrote afstand",
    )


def _detail(worker):
    return reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})


@pytest.mark.parametrize("role", ["coach", "hr"])
def test_coach_and_hr_see_sensitive_fields_and_the_view_is_logged(client, worker, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(_detail(worker))
    assert b"Rugklachten" in response.content
    assert b"Middelgrote afstand" in response.content
    entry = AccessLog.objects.get(user=user)
    assert (entry.worker_id, entry.detail, entry.action) == (worker.pk, {"fields": "sensitive"}, "view")


def test_others_never_receive_sensitive_fields(client, worker, directie, make_user):
    other_coach = make_user(Role.COACH)
    worker.shared_with.add(other_coach)
    for user in (directie, other_coach):
        client.force_login(user)
        response = client.get(_detail(worker))
        assert response.status_code == 200
        assert b"Rugklachten" not in response.content
        assert b"Enkelband" not in response.content
        assert b"Middelgrote afstand" not in response.content
        assert client.get(
            reverse("trajects:worker_sensitive", kwargs={"worker_pk": worker.pk})
        ).status_code in (
            403,
            404,
        )
    # Nothing was viewed; the two refused attempts at the sensitive page are on record.
    assert list(AccessLog.objects.values_list("user_id", "action").order_by("pk")) == [
        (directie.pk, "refused"),
        (other_coach.pk, "refused"),
    ]


def test_coach_creates_a_worker(client, coach):
    client.force_login(coach)
    response = client.post(
        reverse("trajects:worker_create"),
        {
            "first_name": "Bart",
            "last_name": "Desmet",
            "statuut": "lde",
            "statuut_start": "2022-03-01",
            "coach": coach.pk,
            "preconditions": ["transport", "childcare"],
        },
    )
    worker = Worker.objects.get(last_name="Desmet")
    assert response.status_code == 302
    assert worker.organisation == coach.organisation
    assert worker.preconditions == ["transport", "childcare"]
    assert worker.lde_limit_date.isoformat() == "2027-03-01"


def test_a_coach_of_another_organisation_cannot_be_assigned(client, coach, other_organisation):
    stranger = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    client.force_login(coach)
    response = client.post(
        reverse("trajects:worker_create"), {"first_name": "A", "last_name": "B", "coach": stranger.pk}
    )
    assert response.status_code == 200
    assert not Worker.objects.filter(last_name="B").exists()


def test_directie_reads_but_cannot_write(client, worker, directie):
    client.force_login(directie)
    assert client.get(_detail(worker)).status_code == 200
    start = reverse("trajects:trajectory_start", kwargs={"worker_pk": worker.pk})
    assert client.post(start, {"trigger": Trigger.OWN_REQUEST}).status_code == 403
    assert not Trajectory.objects.exists()


def test_start_and_transition_through_the_page(client, worker, coach):
    client.force_login(coach)
    client.post(
        reverse("trajects:trajectory_start", kwargs={"worker_pk": worker.pk}),
        {"trigger": Trigger.OWN_REQUEST},
    )
    trajectory = Trajectory.objects.get(worker=worker)
    page = client.get(_detail(worker)).content.decode()
    assert 'value="to_jobmatching"' in page and 'value="pause"' in page and 'value="resume"' not in page
    url = reverse("trajects:trajectory_transition", kwargs={"trajectory_pk": trajectory.pk})
    response = client.post(url, {"transition": "to_jobmatching"}, follow=True)
    assert "Leg het eerste intakegesprek vast en rond het af" in response.content.decode()
    client.post(url, {"transition": "pause"})
    trajectory.refresh_from_db()
    assert trajectory.status == Status.PAUSED
    assert client.get(url).status_code == 405


def test_intake_starr_job_definition_and_coaching_show_on_the_timeline(client, worker, coach):
    trajectory = TrajectoryFactory(worker=worker)
    client.force_login(coach)
    client.post(
        reverse("trajects:intake_create", kwargs={"trajectory_pk": trajectory.pk}) + "?kind=first",
        {
            "held_on": "2026-03-01",
            "motivation": "Wil in de bouw werken",
            "commitment_statement": "Wij engageren ons",
        },
    )
    intake = Intake.objects.get(trajectory=trajectory)
    client.post(
        reverse("trajects:starr_note_create", kwargs={"intake_pk": intake.pk}),
        {"situation": "Eerste gesprek over de bouw", "reflection": "Goed voorbereid"},
    )
    client.post(
        reverse("trajects:job_definition_edit", kwargs={"trajectory_pk": trajectory.pk}),
        {"job_target": "Metselaar in opleiding"},
    )
    client.post(
        reverse("trajects:coaching_moment_create", kwargs={"worker_pk": worker.pk}),
        {
            "kind": "informal",
            "held_on": "2026-03-05",
            "notes": "Koffie op de werkvloer",
            "next_steps": "CV maken",
        },
    )
    assert StarrNote.objects.filter(intake=intake).count() == 1
    page = client.get(_detail(worker)).content.decode()
    for text in (
        "Wil in de bouw werken",
        "Eerste gesprek over de bouw",
        "Metselaar in opleiding",
        "Koffie op de werkvloer",
    ):
        assert text in page


def test_closed_trajectory_records_cannot_change(client, worker, coach):
    trajectory = TrajectoryFactory(worker=worker, status=Status.CLOSED, outcome="stopgezet")
    client.force_login(coach)
    response = client.post(
        reverse("trajects:job_definition_edit", kwargs={"trajectory_pk": trajectory.pk}), {"job_target": "X"}
    )
    assert response.status_code == 200
    assert "Dit traject is afgesloten" in response.content.decode()


def test_timeline_is_newest_first(worker, coach):
    from trajects.selectors import timeline_for
    from trajects.services import trajectory_start, trajectory_transition

    trajectory = trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=coach)
    CoachingMomentFactory(worker=worker, trajectory=trajectory)
    trajectory_transition(trajectory=trajectory, transition="pause", by=coach)
    kinds = [entry.kind for entry in timeline_for(worker, reader=coach).entries]
    assert kinds == ["transition", "coaching", "transition"]
    assert TrajectoryTransition.objects.count() == 2


def test_history_hides_sensitive_changes_from_those_who_may_not_see_them(client, worker, make_user):
    worker.health_notes = "Nieuwe diagnose"
    worker.save()
    hr = make_user(Role.HR)
    client.force_login(hr)
    url = reverse("trajects:worker_history", kwargs={"worker_pk": worker.pk})
    assert "Nieuwe diagnose" in client.get(url).content.decode()


def test_voortraject_records_follow_the_worker_scope(worker, make_user):
    intake = IntakeFactory(trajectory=TrajectoryFactory(worker=worker, phase=Phase.VOORTRAJECT))
    StarrNoteFactory(intake=intake)
    JobDefinitionFactory(trajectory=intake.trajectory)
    other_coach = make_user(Role.COACH)
    assert Intake.objects.visible_to(worker.coach).count() == 1
    assert StarrNote.objects.visible_to(worker.coach).count() == 1
    assert not Intake.objects.visible_to(other_coach).exists()
    assert not StarrNote.objects.visible_to(other_coach).exists()


def test_timeline_shows_detail_changes_but_sensitive_ones_only_to_those_allowed(
    client, worker, coach, directie
):
    worker.team = "Atelier"
    worker.health_notes = "Nieuwe diagnose"
    worker.supervisor = UserFactory(
        organisation=worker.organisation, roles=[Role.BEGELEIDER], first_name="Piet", last_name="Ploegbaas"
    )
    worker.save()
    client.force_login(coach)
    page = client.get(_detail(worker)).content.decode()
    assert "Gegevens gewijzigd" in page and "Atelier" in page
    assert "— → " + str(worker.supervisor) in page
    assert page.count("Nieuwe diagnose") == 2  # the sensitive block and the timeline
    client.force_login(directie)
    page = client.get(_detail(worker)).content.decode()
    assert "Atelier" in page and "Nieuwe diagnose" not in page


def _edits(worker, start, stop):
    for i in range(start, stop):
        worker.languages = f"taal-{i}"
        worker.save(update_fields=["languages"])


def _moments(worker, start, stop):
    for i in range(start, stop):
        CoachingMomentFactory(worker=worker, notes=f"moment-{i}")


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_worker_page_costs_the_same_queries_with_20_and_200_history_rows(client, worker, coach):
    client.force_login(coach)
    _edits(worker, 0, 15)
    _moments(worker, 0, 5)
    small = _count_queries(client, _detail(worker))
    _edits(worker, 15, 150)
    _moments(worker, 5, 50)
    large = _count_queries(client, _detail(worker))
    assert small == large, (small, large)


def test_the_timeline_pages_newest_first_and_older_shows_every_entry_once(client, worker, coach):
    # The edits share one instant (the test's transaction), the moments each have their own.
    _edits(worker, 0, 70)
    _moments(worker, 0, 60)
    client.force_login(coach)
    seen, pages, before = [], 0, None
    while True:
        response = client.get(_detail(worker), {"before": str(before)} if before else {})
        timeline = response.context["timeline"]
        pages += 1
        assert 0 < len(timeline.entries) <= 50
        keys = [(entry.at, entry.kind, entry.ref) for entry in timeline.entries]
        assert keys == sorted(keys, reverse=True)
        seen += [
            value
            for entry in timeline.entries
            for _label, value in entry.lines
            if "taal-" in value or value.startswith("moment-")
        ]
        if timeline.older is None:
            assert 'rel="next"' not in response.content.decode()
            break
        assert f"?before={timeline.older}".replace(":", "%3A") in response.content.decode()
        before = timeline.older
    edits = ["— → taal-0"] + [f"taal-{i - 1} → taal-{i}" for i in range(1, 70)]
    moments = [f"moment-{i}" for i in range(60)]
    assert sorted(seen) == sorted(edits + moments)
    assert pages == 3


def test_a_bad_timeline_cursor_answers_the_message(client, worker, coach):
    client.force_login(coach)
    response = client.get(_detail(worker), {"before": "gisteren"})
    assert response.status_code == 400
    assert response.context["errors"]
