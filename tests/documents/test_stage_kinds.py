"""The stage documents print the stage's key fields, for those who may read the stage only."""

import datetime

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.documents import services
from partners.documents import attendance_month
from tests.documents.test_kinds import render
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import CompetencyFactory
from tests.factories_partners import AttendanceFactory, EvaluationFactory, PartnerFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(organisation):
    return UserFactory(organisation=organisation, first_name="Lotte", last_name="Peeters", roles=[Role.COACH])


@pytest.fixture
def stage(coach):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Yasmina", last_name="El Amrani"
    )
    return StageFactory(
        worker=worker,
        partner=PartnerFactory(organisation=coach.organisation, name="Logistiek Noord"),
        mentor_name="Peter Mentor",
        goal="Explore warehouse work",
        programme="Day 1: tour of the warehouse\nDay 2: order picking with a colleague",
        start_date=datetime.date(2026, 4, 6),
        end_date=datetime.date(2026, 4, 10),
    )


def test_bvs_agreement_holds_the_parties_programme_and_signatures(stage):
    text = render("bvs_agreement", stage)
    for expected in (
        "Three-party agreement",
        "Yasmina El Amrani",
        "Logistiek Noord",
        "Peter Mentor",
        stage.worker.organisation.name,
        "Lotte Peeters",
        "Explore warehouse work",
        "Day 2: order picking with a colleague",
        "observation only",
        "no productive work",
        "Date and signature",
    ):
        assert expected in text, expected
    assert text.count("Date and signature") == 3


def test_an_unsigned_bvs_agreement_prints_as_a_draft_with_the_fourth_party(stage):
    assert "DRAFT" not in render("bvs_agreement", stage)
    stage.agreement_signed_on = None
    stage.coaching_organisation = "Jobcoaching vzw"
    text = render("bvs_agreement", stage)
    assert "DRAFT to sign" in text and "not signed yet" in text
    assert "Jobcoaching vzw" in text
    assert text.count("Date and signature") == 4


def test_tbs_agreement_holds_who_pays_the_payroll_and_the_return(stage, coach):
    stage.kind = "tbs"
    stage.tbs_paid_by = "The user pays back the wage cost"
    stage.tbs_return_arrangement = "Back to the packing team"
    stage.save()
    text = render("tbs_agreement", stage)
    for expected in (
        "(TBS)",
        "Yasmina El Amrani",
        "Logistiek Noord",
        "The user pays back the wage cost",
        "on the payroll of " + stage.worker.organisation.name,
        "Back to the packing team",
    ):
        assert expected in text, expected
    assert text.count("Date and signature") == 3
    stage.kind = "bvs"
    stage.save()
    with pytest.raises(DomainError):
        services.document_request(kind="tbs_agreement", record=stage, by=coach)


def test_the_agreement_is_not_offered_for_another_kind_of_stage(stage, coach, client):
    stage.kind = "tbs"
    stage.save()
    with pytest.raises(DomainError):
        services.document_request(kind="bvs_agreement", record=stage, by=coach)
    client.force_login(coach)
    response = client.post(reverse("documents:request"), {"kind": "bvs_agreement", "record": stage.pk})
    assert response.status_code == 404
    assert (
        b"three-party agreement"
        not in client.get(reverse("partners:stage_detail", kwargs={"stage_pk": stage.pk})).content
    )
    # The other stage documents stay open to it.
    assert services.document_request(kind="attendance_list", record=stage, by=coach).kind == "attendance_list"


def test_attendance_list_has_a_row_per_day_absence_reasons_and_totals(stage):
    AttendanceFactory(stage=stage, day=datetime.date(2026, 4, 6), status="present")
    AttendanceFactory(stage=stage, day=datetime.date(2026, 4, 7), status="present")
    AttendanceFactory(
        stage=stage,
        day=datetime.date(2026, 4, 8),
        status="absent_reported",
        absence_reason="Doctor's appointment",
    )
    text = render("attendance_list", stage)
    for expected in (
        "Attendance list, April 2026",
        "Yasmina El Amrani",
        "Logistiek Noord",
        "Doctor's appointment",
        "absent, reported",
        "Totals",
        "present 2",
        "absent, reported 1",
        "Peter Mentor",
        "Date and signature",
    ):
        assert expected in text, expected
    # Every stage day of the month gets a row, also those with nothing recorded yet.
    assert text.count("-04-2026 —") == 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 4, 8), datetime.date(2026, 4, 1)),  # under way: this month
        (datetime.date(2026, 7, 15), datetime.date(2026, 4, 1)),  # ended: its last month
        (datetime.date(2026, 2, 3), datetime.date(2026, 4, 1)),  # not started: its first month
    ],
)
def test_the_attendance_list_covers_the_month_chosen_by_rule(stage, today, expected):
    assert attendance_month(stage, today) == expected


def test_stage_evaluation_holds_incidents_levels_and_signatures(stage):
    intermediate = EvaluationFactory(
        stage=stage, kind="intermediate", critical_incidents="Left the site without telling the mentor"
    )
    intermediate.levels.create(competency=CompetencyFactory(name="Punctuality"), level=2)
    EvaluationFactory(
        stage=stage,
        kind="final",
        method="on_site",
        held_on=datetime.date(2026, 4, 10),
        critical_incidents="Helped a colleague after an accident",
        contract_in_prospect=True,
    )
    text = render("stage_evaluation", stage)
    for expected in (
        "Stage evaluation",
        "Yasmina El Amrani",
        "Logistiek Noord",
        "intermediate",
        "final",
        "Left the site without telling the mentor",
        "Helped a colleague after an accident",
        "Punctuality Fair",
        "Contract in prospect yes",
        "Peter Mentor",
        "Lotte Peeters",
    ):
        assert expected in text, expected
    assert text.count("Date and signature") == 3


@pytest.mark.parametrize("kind", ["bvs_agreement", "attendance_list", "stage_evaluation"])
def test_a_coach_of_another_caseload_cannot_request_them(stage, make_user, client, kind):
    client.force_login(make_user(Role.COACH))
    response = client.post(reverse("documents:request"), {"kind": kind, "record": stage.pk})
    assert response.status_code == 404
    client.force_login(stage.worker.coach)
    response = client.post(reverse("documents:request"), {"kind": kind, "record": stage.pk})
    assert response.status_code == 302


def test_the_stage_page_offers_the_print_buttons(stage, client):
    client.force_login(stage.worker.coach)
    content = client.get(reverse("partners:stage_detail", kwargs={"stage_pk": stage.pk})).content.decode()
    for kind in ("bvs_agreement", "attendance_list", "stage_evaluation"):
        assert f'value="{kind}"' in content, kind
