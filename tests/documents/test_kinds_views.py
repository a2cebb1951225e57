"""Print buttons where the records are shown, and HR's bulk print of this month's POPs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.documents import registry, services
from bwise.documents.models import BulkDocumentJob, JobStatus
from competenties.models import PlanStatus
from competenties.selectors import one_year_before, pop_plans_due_in_month
from tests.documents_helpers import pdf_page_count, pdf_text, run_bulk
from tests.factories import WorkerFactory
from tests.factories_competenties import PlanFactory
from tests.factories_documents import rich_history

pytestmark = pytest.mark.django_db


def agreed_pop(worker, agreed_on, **kwargs):
    return PlanFactory(
        worker=worker, year=agreed_on.year, status=PlanStatus.AGREED, agreed_on=agreed_on, **kwargs
    )


def test_the_month_selection_takes_each_workers_last_pop_falling_due_this_month(hr):
    today = datetime.date(2027, 3, 15)
    organisation = hr.organisation
    due_early = agreed_pop(WorkerFactory(organisation=organisation), datetime.date(2026, 3, 1))
    due_late = agreed_pop(WorkerFactory(organisation=organisation), datetime.date(2026, 3, 31))
    renewed = WorkerFactory(organisation=organisation)
    agreed_pop(renewed, datetime.date(2025, 3, 10))  # followed by a newer POP: not due
    agreed_pop(renewed, datetime.date(2026, 9, 1))
    agreed_pop(WorkerFactory(organisation=organisation), datetime.date(2026, 2, 28))  # due last month
    agreed_pop(WorkerFactory(organisation=organisation), datetime.date(2026, 4, 1))  # due next month
    PlanFactory(worker=WorkerFactory(organisation=organisation), year=2026, status=PlanStatus.DRAFT)
    agreed_pop(WorkerFactory(), datetime.date(2026, 3, 10))  # another organisation
    # Who leaves today still has a POP due; who left yesterday has none any more.
    leaves_today = WorkerFactory(organisation=organisation, employment_end=today)
    leaves_today = agreed_pop(leaves_today, datetime.date(2026, 3, 5))
    left = WorkerFactory(organisation=organisation, employment_end=today - datetime.timedelta(days=1))
    agreed_pop(left, datetime.date(2026, 3, 5))
    assert set(pop_plans_due_in_month(hr, today)) == {due_early, due_late, leaves_today}
    overdue = set(pop_plans_due_in_month(hr, today, overdue=True)) - {due_early, due_late, leaves_today}
    assert [plan.agreed_on for plan in overdue] == [datetime.date(2026, 2, 28)]


def test_hr_prints_this_months_pops_in_one_merged_pdf_from_the_pops_due_page(client, hr):
    this_month = one_year_before(timezone.localdate())
    due = [
        agreed_pop(WorkerFactory(organisation=hr.organisation, last_name=f"Due{n}"), this_month)
        for n in range(3)
    ]
    agreed_pop(WorkerFactory(organisation=hr.organisation, last_name="NotDue"), timezone.localdate())
    agreed_pop(WorkerFactory(last_name="Foreign"), this_month)
    client.force_login(hr)
    page = client.get(reverse("competenties:pops_due")).content.decode()
    assert 'id="print-month-pops"' in page and '<option value="overdue">' in page

    response = client.post(reverse("documents:bulk_request"), {"kind": "plan", "output_format": "pdf"})
    job = BulkDocumentJob.objects.get()
    assert response.url == reverse("documents:bulk_detail", kwargs={"bulkdocumentjob_pk": job.pk})
    assert sorted(job.record_ids) == sorted(plan.pk for plan in due)
    run_bulk(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    content = job.file.read()
    assert pdf_page_count(content) == 3
    text = pdf_text(content)
    assert all(f"Due{n}" in text for n in range(3)) and "NotDue" not in text and "Foreign" not in text


def test_who_may_not_print_sees_no_bulk_button(client, directie):
    client.force_login(directie)
    assert 'id="print-month-pops"' not in client.get(reverse("competenties:pops_due")).content.decode()


def test_print_buttons_sit_on_the_pages_of_their_records(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory, plan = rich_history(worker)
    client.force_login(coach)
    pages = {
        reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}): [
            ("dossier", worker),
            ("intake_report", trajectory),
            ("commitment_statement", trajectory),
        ],
        reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk}): [("plan", plan)],
        reverse("competenties:worker", kwargs={"worker_pk": worker.pk}): [("competency_report", worker)],
        reverse("competenties:gap", kwargs={"worker_pk": worker.pk}): [("competency_report", worker)],
    }
    for url, buttons in pages.items():
        html = client.get(url).content.decode()
        for kind, record in buttons:
            assert f'name="kind" value="{kind}"' in html, (url, kind)
            assert f'name="record" value="{record.pk}"' in html, (url, kind)


def test_a_supervisor_sees_no_print_button(client, make_user):
    supervisor = make_user(Role.BEGELEIDER)
    worker = WorkerFactory(organisation=supervisor.organisation, supervisor=supervisor)
    _trajectory, plan = rich_history(worker)
    client.force_login(supervisor)
    html = client.get(reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk})).content.decode()
    assert 'value="plan"' not in html


def test_hr_prints_the_overdue_pops_with_this_months(client, hr):
    this_month = one_year_before(timezone.localdate())
    due = agreed_pop(WorkerFactory(organisation=hr.organisation), this_month)
    late = agreed_pop(WorkerFactory(organisation=hr.organisation), one_year_before(this_month))
    client.force_login(hr)
    response = client.get(reverse("competenties:pops_due"))
    assert (response.context["month_pop_count"], response.context["overdue_pop_count"]) == (1, 2)
    form = {"kind": "plan", "output_format": "pdf", "selection": "overdue"}
    client.post(reverse("documents:bulk_request"), form)
    assert sorted(BulkDocumentJob.objects.get().record_ids) == sorted([due.pk, late.pk])


def test_with_nothing_due_the_refusal_says_so_and_not_that_it_is_forbidden(client, hr):
    agreed_pop(WorkerFactory(organisation=hr.organisation), timezone.localdate())
    client.force_login(hr)
    form = {"kind": "plan", "output_format": "pdf"}
    response = client.post(reverse("documents:bulk_request"), form, follow=True)
    assert response.status_code == 200 and not BulkDocumentJob.objects.exists()
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [str(registry.get_kind("plan").nothing_to_print)]
    with pytest.raises(DomainError) as refused:
        services.bulk_document_request(kind="worker_sheet", record_ids=[], output_format="pdf", by=hr)
    assert refused.value.code == "nothing_to_print"


def test_with_none_due_this_month_the_print_form_offers_the_overdue_ones_first(client, hr):
    this_month = one_year_before(timezone.localdate())
    agreed_pop(WorkerFactory(organisation=hr.organisation), one_year_before(this_month))
    client.force_login(hr)
    html = client.get(reverse("competenties:pops_due")).content.decode()
    assert '<option value="overdue" selected>' in html
    agreed_pop(WorkerFactory(organisation=hr.organisation), this_month)
    html = client.get(reverse("competenties:pops_due")).content.decode()
    assert '<option value="overdue">' in html  # this month's come first again
