"""Edits made at the same time never overwrite each other (``bwise.core.versioning``).

The mechanism on a worker, then two people editing each kind of record that several
people edit through its page: the second save is refused with what changed in between,
keeps what the second person typed, and the first change stays."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.core.errors import DomainError, validated_save
from tests.factories import WorkerFactory
from tests.factories_competenties import PlanActionFactory, PlanFactory
from tests.factories_partners import PartnerFactory, StageFactory, VacancyFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from tests.versioning_helpers import edit_at_once, form_data, now_is, opened, stale_message
from trajects.models import IntakeKind, Statuut, Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, phone="0470 11 22 33", team="Hout")


def test_every_save_raises_the_version(worker):
    assert worker.version == 1
    worker.team = "Metaal"
    worker.save()
    worker.save(update_fields=["team"])
    worker.refresh_from_db()
    assert worker.version == 3


def test_a_save_from_an_older_version_is_refused_and_writes_nothing(worker):
    mine, theirs = Worker.objects.get(pk=worker.pk), Worker.objects.get(pk=worker.pk)
    theirs.team = "Metaal"
    validated_save(theirs)
    mine.team = "Groen"
    with pytest.raises(DomainError) as refused:
        validated_save(mine)
    assert refused.value.code == "stale"
    assert mine.version == 1, "a refused save leaves the version it started from"
    worker.refresh_from_db()
    assert (worker.team, worker.version) == ("Metaal", 2)


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_let_one_through(worker):
    """The row lock: both start from version 1, only one may write version 2."""
    copies = [Worker.objects.get(pk=worker.pk) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def save(copy, team):
        try:
            copy.team = team
            barrier.wait()
            validated_save(copy)
            outcomes.append("saved")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(copy, team)) for copy, team in zip(copies, "AB", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert Worker.objects.get(pk=worker.pk).version == 2


def test_a_change_to_fields_the_form_does_not_show_does_not_refuse(client, worker, hr):
    """HR saves the special-category data while the coach has the main form open: the
    coach's save cannot overwrite what their form does not hold, so it goes through."""
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    coach_client, data = opened(worker.coach, url)
    worker.health_notes = "Rugklachten"
    validated_save(worker)
    assert coach_client.post(url, {**data, "team": "Metaal"}).status_code == 302
    worker.refresh_from_db()
    assert (worker.team, worker.health_notes, worker.version) == ("Metaal", "Rugklachten", 3)


def test_a_post_without_the_hidden_state_saves_as_before(client, worker):
    """Scripts and old tabs that post no state are not refused (as the API without If-Match)."""
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    coach_client, data = opened(worker.coach, url)
    assert "edit_version" in data
    Worker.objects.filter(pk=worker.pk).update(version=7)
    del data["edit_version"]
    assert coach_client.post(url, {**data, "team": "Metaal"}).status_code == 302


def test_a_forged_state_is_ignored_not_trusted(client, worker):
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    coach_client, data = opened(worker.coach, url)
    response = coach_client.post(url, {**data, "edit_version": "1:forged", "team": "Metaal"})
    assert response.status_code == 302


def test_the_refusal_shows_only_fields_of_the_form(client, worker, hr):
    """The coach's main form never names the special-category data HR changed with it."""
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    coach_client, data = opened(worker.coach, url)
    worker.phone = "0499 99 99 99"
    worker.health_notes = "Geheim-marker"
    validated_save(worker)
    response = coach_client.post(url, {**data, "team": "Metaal"})
    page = response.content.decode()
    assert stale_message() in page and "0499 99 99 99" in page
    assert "Geheim-marker" not in page


# Two people, each kind of record.


def test_a_coach_and_hr_edit_the_same_worker(worker, hr):
    edit_at_once(
        reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk}),
        hr,
        {"phone": "0499 12 34 56"},
        worker.coach,
        {"team": "Metaal"},
        lambda: Worker.objects.get(pk=worker.pk),
    )


@pytest.mark.parametrize(
    ("kind", "first_change"),
    [(IntakeKind.FIRST, {"milestones": "Heftruck in juni"}), (IntakeKind.SECOND, {"limitations": "Rug"})],
)
def test_a_coach_and_hr_edit_the_same_intake(worker, hr, kind, first_change):
    intake = IntakeFactory(trajectory=TrajectoryFactory(worker=worker), kind=kind, motivation="Wil groeien")
    edit_at_once(
        reverse("trajects:intake_edit", kwargs={"intake_pk": intake.pk}),
        hr,
        first_change,
        worker.coach,
        {"motivation": "Wil naar de haven"},
        lambda: type(intake).objects.get(pk=intake.pk),
    )


def test_two_people_edit_the_same_plan_and_action(worker, hr):
    plan = PlanFactory(worker=worker, title="Groeien")
    edit_at_once(
        reverse("competenties:plan_edit", kwargs={"plan_pk": plan.pk}),
        hr,
        {"title": "Naar de haven"},
        worker.coach,
        {"reflection": "Goed bezig"},
        lambda: type(plan).objects.get(pk=plan.pk),
    )
    action = PlanActionFactory(plan=plan)
    edit_at_once(
        reverse("competenties:planaction_edit", kwargs={"planaction_pk": action.pk}),
        hr,
        {"action": "Rijbewijs halen"},
        worker.coach,
        {"expected_result": "Rijbewijs B"},
        lambda: type(action).objects.get(pk=action.pk),
    )


def test_two_people_edit_the_same_stage(worker, hr):
    stage = StageFactory(worker=worker)
    edit_at_once(
        reverse("partners:stage_edit", kwargs={"stage_pk": stage.pk}),
        hr,
        {"goal": "Orderpicking leren"},
        worker.coach,
        {"mentor_name": "Mia Maes"},
        lambda: type(stage).objects.get(pk=stage.pk),
    )


def test_two_people_edit_the_same_partner_and_vacancy(coach, make_user):
    colleague = make_user(Role.COACH)
    partner = PartnerFactory(organisation=coach.organisation)
    edit_at_once(
        reverse("partners:partner_edit", kwargs={"partner_pk": partner.pk}),
        coach,
        {"address": "Havenlaan 1, Gent"},
        colleague,
        {"kind_of_work": "Magazijn"},
        lambda: type(partner).objects.get(pk=partner.pk),
    )
    vacancy = VacancyFactory(partner=partner)
    edit_at_once(
        reverse("partners:vacancy_edit", kwargs={"vacancy_pk": vacancy.pk}),
        coach,
        {"title": "Magazijnier"},
        colleague,
        {"description": "Dagploeg"},
        lambda: type(vacancy).objects.get(pk=vacancy.pk),
    )


def test_the_refused_form_shows_choices_by_their_label(worker, hr):
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    coach_client, data = opened(worker.coach, url)
    hr_client, hr_data = opened(hr, url)
    assert hr_client.post(url, {**hr_data, "statuut": "artikel_60"}).status_code == 302
    response = coach_client.post(url, {**data, "team": "Metaal"})
    form = response.context["form"]
    assert now_is(form, "statuut", str(Statuut.ARTIKEL_60.label)) in form.non_field_errors()
    assert form_data(response)["statuut"] == "artikel_60"


def test_the_version_is_bookkeeping_not_history(worker, hr):
    from bwise.privacy.history import history_for

    worker.team = "Metaal"
    validated_save(worker)
    changed = {change[0] for entry in history_for(worker, reader=hr).entries for change in entry.changes}
    label = str(Worker._meta.get_field("version").verbose_name)
    assert changed and not {"version", label} & changed
