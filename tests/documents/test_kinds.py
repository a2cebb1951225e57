"""Each document kind prints its record's key fields, for those who may read the record only."""

import io

import pytest
from pypdf import PdfReader

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.documents import registry, services
from bwise.documents.models import DocumentJob
from bwise.documents.rendering import render_pdf
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import PlanActionFactory, PlanFactory
from tests.factories_documents import rich_history

pytestmark = pytest.mark.django_db

MARKER = "HEALTH-MARKER-7731"


def pages_text(pdf: bytes) -> list[str]:
    # Whitespace collapsed: narrow table columns wrap words onto several lines.
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def render(kind, record, reader=None, language="en") -> str:
    pdf = render_pdf(
        registry.get_kind(kind), record, organisation=record_org(record), language=language, reader=reader
    )
    return "\n".join(pages_text(pdf))


def record_org(record):
    return getattr(record, "organisation", None) or record.worker.organisation


@pytest.fixture
def coach(organisation):
    return UserFactory(organisation=organisation, first_name="Lotte", last_name="Peeters", roles=[Role.COACH])


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        first_name="Yasmina",
        last_name="El Amrani",
        external_id="DB-0042",
        health_notes=MARKER,
    )


@pytest.fixture
def history(worker):
    return rich_history(worker)


def test_pop_holds_the_plan_its_actions_and_signatures(worker, history):
    _trajectory, plan = history
    text = render("plan", plan)
    for expected in (
        "Personal development plan (POP) 2026",
        "Yasmina El Amrani",
        "Lotte Peeters",
        "Towards the warehouse",
        "Action number 0",
        "Action number 7",
        "Who can help",
        "Date and signature",
        "Printed on",
    ):
        assert expected in text, expected


def test_pdp_has_its_own_columns(worker):
    plan = PlanFactory(worker=worker, kind="pdp", year=None, title="Towards the city council")
    PlanActionFactory(plan=plan, action="Apply for the vacancy", time_span="two months", done="+/-")
    text = render("plan", plan)
    for expected in (
        "Personal transition plan (PDP)",
        "Towards the city council",
        "Time span",
        "two months",
        "+/-",
    ):
        assert expected in text, expected
    assert "Who can help" not in text


def test_a_long_pop_breaks_over_pages_and_repeats_the_table_header(worker):
    plan = PlanFactory(worker=worker, year=2027)
    for n in range(80):
        PlanActionFactory(plan=plan, order=n, action=f"Long action {n}", expected_result="Measured " * 6)
    pages = pages_text(
        render_pdf(registry.get_kind("plan"), plan, organisation=worker.organisation, language="en")
    )
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
    for text in pages[1:-1]:
        assert "Who can help" in text
        assert text.index("Who can help") < text.index("Long action")
    assert "Long action 79" in "".join(pages)


def test_intake_report_holds_both_intakes_and_their_starr_notes(worker, history):
    trajectory, _plan = history
    text = render("intake_report", trajectory)
    for expected in (
        "Intake report",
        "Yasmina El Amrani",
        "First intake",
        "Wants to work in a warehouse",
        "Second intake",
        "Secondary school, three years in logistics",
        "Late for the first meeting",
        "Plans the bus better",
        "Led the stock count",
        "Second coach",
    ):
        assert expected in text, expected


def test_commitment_statement_is_signed_by_worker_and_coach(worker, history):
    trajectory, _plan = history
    text = render("commitment_statement", trajectory)
    for expected in (
        "Commitment statement",
        "We meet every two weeks",
        "Forklift certificate by June",
        "Yasmina El Amrani",
        "Lotte Peeters",
        "Date and signature",
    ):
        assert expected in text, expected


def test_competency_report_compares_raters_and_shows_the_gap_chart(worker, history):
    text = render("competency_report", worker)
    for expected in (
        "Competency report",
        "SW/LDE attitudes",
        "Teamwork",
        "raters disagree",  # self 4, coach 2
        "Fair",  # the coach's level counts as the current level
        "Very good",
        "Warehouse clerk",
        "3 competencies fall short",
        "0 1 2 3 4 Teamwork Accuracy Initiative",  # the SVG chart's axis and labels
    ):
        assert expected in text, expected


def test_dossier_holds_the_whole_history(worker, history, coach):
    text = render("dossier", worker, reader=coach)
    for expected in (
        "Trajectory dossier",
        "Yasmina El Amrani",
        "DB-0042",
        "Trajectory started",
        "Own wish",
        "Late for the first meeting",
        "Warehouse clerk",
        "Coaching conversation 5",
        "SW/LDE attitudes",
        "POP 2026",
        "Action number 3",
        MARKER,  # the worker's own coach sees special-category data
    ):
        assert expected in text, expected


def test_dossier_leaves_out_special_category_data_for_a_reader_without_access(worker, history, make_user):
    colleague = make_user(Role.COACH)
    worker.shared_with.add(colleague)  # reads the worker, but is not their coach
    text = render("dossier", worker, reader=colleague)
    assert "Yasmina El Amrani" in text
    assert MARKER not in text and "Special-category data" not in text
    assert MARKER in render("dossier", worker, reader=make_user(Role.HR))


def test_directie_cannot_print_the_dossier(worker, directie):
    with pytest.raises(DomainError):
        services.document_request(kind="dossier", record=worker, by=directie)


KINDS = ["plan", "intake_report", "commitment_statement", "competency_report", "dossier"]


@pytest.mark.parametrize("kind", KINDS)
def test_nobody_prints_a_record_of_a_worker_they_cannot_read(
    worker, history, make_user, other_organisation, kind
):
    trajectory, plan = history
    record = {"plan": plan, "intake_report": trajectory, "commitment_statement": trajectory}.get(kind, worker)
    outsiders = [
        make_user(Role.COACH),
        make_user(Role.BEGELEIDER),
        make_user(Role.DIRECTIE),
        UserFactory(organisation=other_organisation, roles=[Role.HR]),
    ]
    for user in outsiders:
        with pytest.raises(DomainError):
            services.document_request(kind=kind, record=record, by=user)
    assert not DocumentJob.objects.exists()
    assert services.document_request(kind=kind, record=record, by=worker.coach).kind == kind


@pytest.mark.parametrize("kind", KINDS)
def test_nobody_else_downloads_a_made_document_by_guessing_its_url(
    client, worker, history, make_user, other_organisation, kind
):
    from django.urls import reverse

    from bwise.documents import tasks

    trajectory, plan = history
    record = {"plan": plan, "intake_report": trajectory, "commitment_statement": trajectory}.get(kind, worker)
    job = services.document_request(kind=kind, record=record, by=worker.coach)
    tasks.render_document.apply(args=(job.pk,))
    url = reverse("documents:job_download", kwargs={"documentjob_pk": job.pk})
    others = [
        make_user(Role.COACH),
        make_user(Role.HR),  # may read the worker, but did not ask for this file
        make_user(Role.DIRECTIE),
        make_user(Role.BEGELEIDER),
        UserFactory(organisation=other_organisation, roles=[Role.HR]),
    ]
    for user in others:
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user.roles
    client.force_login(worker.coach)
    response = client.get(url)
    assert response.status_code == 200
    assert "Yasmina" in "".join(pages_text(b"".join(response.streaming_content)))


def test_competency_report_without_a_plan_measures_against_the_job_target(worker, history):
    from competenties.models import Plan

    Plan.objects.filter(worker=worker).update(source_job_profile=None)
    assert "3 competencies fall short" in render("competency_report", worker)  # job target "Warehouse clerk"
    worker.trajectories.get().job_definition.delete()
    assert "No job profile to measure against yet" in render("competency_report", worker)
