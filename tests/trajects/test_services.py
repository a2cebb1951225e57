"""Writes on workers (``trajects.services``): the organisation's team list follows its workers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bwise.access import scoping_enforced, teams_of
from bwise.accounts.models import Role
from tests.factories import WorkerFactory
from trajects.importing import workers_import
from trajects.models import Team, Worker
from trajects.services import worker_save

pytestmark = pytest.mark.django_db


def _teams(organisation) -> list[str]:
    return list(Team.objects.filter(organisation=organisation).values_list("name", flat=True))


def test_a_saved_worker_joins_the_team_list_and_the_last_one_out_takes_the_team_along(hr, organisation):
    first = worker_save(worker=Worker(first_name="A", last_name="B", team="Groen"), by=hr)
    second = worker_save(worker=Worker(first_name="C", last_name="D", team="Groen"), by=hr)
    assert _teams(organisation) == ["Groen"]
    first.team = "Keuken"
    worker_save(worker=first, by=hr)
    assert _teams(organisation) == ["Groen", "Keuken"]
    second.team = ""
    worker_save(worker=second, by=hr)
    assert _teams(organisation) == ["Keuken"]


def test_an_import_fills_the_team_list(hr, organisation):
    table = [
        ["personeelsnummer", "voornaam", "achternaam", "team"],
        ["P-1", "Ann", "Peeters", "Atelier"],
        ["P-2", "Omar", "El Idrissi", "Keuken"],
    ]
    assert workers_import(table=table, by=hr) == (2, 0)
    assert _teams(organisation) == ["Atelier", "Keuken"]
    assert workers_import(table=[table[0], ["P-1", "Ann", "Peeters", "Keuken"]], by=hr) == (0, 1)
    assert _teams(organisation) == ["Keuken"]


def test_the_team_choices_of_the_whole_organisation_come_from_the_team_list(
    make_user, organisation, other_organisation
):
    hr, coach = make_user(Role.HR), make_user(Role.COACH)
    WorkerFactory(organisation=organisation, coach=coach, team="Groen")
    WorkerFactory(organisation=organisation, team="Atelier")
    WorkerFactory(organisation=other_organisation, team="Elders")
    with scoping_enforced(), CaptureQueriesContext(connection) as captured:
        assert teams_of(hr) == ["Atelier", "Groen"]
    assert "trajects_worker" not in captured.captured_queries[-1]["sql"]
    with scoping_enforced():
        assert teams_of(coach) == ["Groen"]
