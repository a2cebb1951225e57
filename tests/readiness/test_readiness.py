"""The doorstroomklaar checklist: self-assessments over time, the action plan and its reminders."""

import datetime
import importlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.readiness import scanners, selectors, services
from bwise.readiness.models import ActionItem, ActionStatus
from bwise.readiness.statements import STATEMENT_KEYS, STATEMENTS
from bwise.reminders.models import Reminder
from bwise.reminders.services import reminders_scan
from tests.factories import OrganisationFactory, UserFactory
from tests.factories_readiness import ActionItemFactory, SelfAssessmentFactory

pytestmark = pytest.mark.django_db


def test_eleven_statements():
    assert len(STATEMENTS) == 11 and len(set(STATEMENT_KEYS)) == 11


def test_score_and_change_since_the_last_one(directie, organisation):
    SelfAssessmentFactory(organisation=organisation, assessed_on=datetime.date(2025, 1, 1), scores=[0] * 11)
    SelfAssessmentFactory(organisation=organisation, assessed_on=datetime.date(2025, 7, 1), scores=[1] * 11)
    SelfAssessmentFactory(
        organisation=organisation, assessed_on=datetime.date(2026, 1, 1), scores=[1] * 5 + [0] * 6
    )
    SelfAssessmentFactory(assessed_on=datetime.date(2026, 2, 1), scores=[1] * 11)  # another organisation
    scored = selectors.scored_assessments(directie)
    assert [(s.assessment.assessed_on.year, s.score, s.change) for s in scored] == [
        (2026, 5, -6),
        (2025, 11, 11),
        (2025, 0, None),
    ]
    assert (scored[0].percent, scored[1].percent) == (45, 100)


def test_director_records_a_self_assessment_through_the_form(client, directie):
    client.force_login(directie)
    data = {"assessed_on": "2026-03-01", "note": "Eerste meting"}
    for index, key in enumerate(STATEMENT_KEYS):
        data[f"score_{key}"] = str(index % 2)
        data[f"note_{key}"] = "toelichting" if index == 0 else ""
    response = client.post(reverse("readiness:assessment_create"), data)
    assert response.status_code == 302
    page = client.get(reverse("readiness:overview"))
    assert page.context["scored"][0].score == sum(i % 2 for i in range(11))
    assert page.context["rows"][0].answer.note == "toelichting"


def test_incomplete_assessment_is_refused(directie):
    with pytest.raises(DomainError) as refused:
        services.self_assessment_create(
            assessed_on=datetime.date(2026, 1, 1), answers={"vision": (1, "")}, by=directie
        )
    assert refused.value.code == "required"


@pytest.mark.parametrize(("score", "allowed"), [(0, True), (1, True), (2, False), (-1, False)])
def test_a_statement_is_agreed_or_not(directie, score, allowed):
    answers = dict.fromkeys(STATEMENT_KEYS, (0, ""))
    answers["vision"] = (score, "")
    if allowed:
        services.self_assessment_create(assessed_on=datetime.date(2026, 1, 1), answers=answers, by=directie)
    else:
        with pytest.raises(DomainError) as refused:
            services.self_assessment_create(
                assessed_on=datetime.date(2026, 1, 1), answers=answers, by=directie
            )
        assert refused.value.code == "invalid_score"


def test_earlier_three_step_answers_become_agree_or_not(organisation):
    from django.apps import apps

    migration = importlib.import_module("bwise.readiness.migrations.0002_agree_or_not_scoring")
    assessment = SelfAssessmentFactory(organisation=organisation, scores=[0, 1, 2] + [0] * 8)
    migration.agree_or_not(apps, None)
    scores = dict(assessment.answers.values_list("statement", "score"))
    # yes stays agreed, partly is not (yet) agreement.
    assert [scores[key] for key in STATEMENT_KEYS[:3]] == [0, 0, 1]


def test_statement_change_per_row(directie, organisation):
    first = SelfAssessmentFactory(
        organisation=organisation, assessed_on=datetime.date(2025, 1, 1), scores=[0] * 11
    )
    second = SelfAssessmentFactory(
        organisation=organisation, assessed_on=datetime.date(2026, 1, 1), scores=[1] + [0] * 10
    )
    assert selectors.previous_assessment(second) == first
    rows = selectors.statement_rows(second, first)
    assert rows[0].change == 1 and rows[1].change == 0


@pytest.mark.parametrize("role", [Role.COACH, Role.BEGELEIDER, Role.BEHEERDER])
def test_checklist_is_for_management(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("readiness:overview")).status_code == 403


def test_action_owner_must_be_of_the_organisation(directie):
    outsider = UserFactory(organisation=OrganisationFactory())
    item = ActionItem(title="x", owner=outsider, deadline=datetime.date(2026, 5, 1))
    with pytest.raises(DomainError) as refused:
        services.action_item_save(item=item, by=directie)
    assert (refused.value.code, refused.value.field) == ("other_organisation", "owner")


def test_action_whose_creator_was_deleted_can_still_be_edited(directie, organisation):
    item = ActionItemFactory(organisation=organisation, owner=directie, created_by=None)
    item.title = "Doorstroom in de jaarplanning"
    services.action_item_save(item=item, by=directie)
    assert ActionItem.objects.get(pk=item.pk).title == "Doorstroom in de jaarplanning"


def test_owner_sees_and_updates_own_action_only(client, organisation, directie):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    other = UserFactory(organisation=organisation, roles=[Role.COACH])
    item = ActionItemFactory(organisation=organisation, owner=coach)
    client.force_login(other)
    assert (
        client.get(reverse("readiness:action_detail", kwargs={"actionitem_pk": item.pk})).status_code == 404
    )
    client.force_login(coach)
    assert (
        client.get(reverse("readiness:action_detail", kwargs={"actionitem_pk": item.pk})).status_code == 200
    )
    client.post(reverse("readiness:action_status", kwargs={"actionitem_pk": item.pk}), {"status": "done"})
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert client.get(reverse("readiness:action_edit", kwargs={"actionitem_pk": item.pk})).status_code == 403


def test_action_plan_export(client, directie, organisation):
    ActionItemFactory(organisation=organisation, title="Netwerkontbijt organiseren")
    ActionItemFactory(title="Van een ander")
    client.force_login(directie)
    response = client.get(reverse("readiness:overview"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Netwerkontbijt organiseren"]


def test_due_actions_reach_the_owner_once(organisation):
    owner = UserFactory(organisation=organisation, roles=[Role.HR])
    due = ActionItemFactory(organisation=organisation, owner=owner, deadline=datetime.date(2026, 3, 10))
    ActionItemFactory(organisation=organisation, owner=owner, deadline=datetime.date(2026, 6, 1))  # later
    ActionItemFactory(
        organisation=organisation, owner=owner, deadline=datetime.date(2026, 3, 1), status=ActionStatus.DONE
    )
    today = datetime.date(2026, 3, 1)
    (declared,) = scanners.readiness_actions_due(today)
    rows = declared.rows()
    assert [(row["reminder_record"], row["reminder_recipient"]) for row in rows] == [(due.pk, owner.pk)]
    reminders_scan(today=today, kinds=["readiness_action_due"])
    reminders_scan(today=today, kinds=["readiness_action_due"])
    assert Reminder.objects.filter(recipient=owner).count() == 1
