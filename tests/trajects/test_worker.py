import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from bwise.audit.models import AccessLog
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _years_ago(years, days=0):
    return timezone.localdate() - relativedelta(years=years) + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("statuut", "start", "warning", "passed"),
    [
        ("lde", lambda: _years_ago(1), False, False),
        ("lde", lambda: _years_ago(4, days=-2), True, False),  # inside the last twelve months
        ("lde", lambda: _years_ago(5), True, True),
        ("maatwerk", lambda: _years_ago(6), False, False),
    ],
)
def test_lde_limit_and_warning(settings, statuut, start, warning, passed):
    settings.LDE_WARNING_MONTHS = 12
    worker = WorkerFactory.build(statuut=statuut, statuut_start=start())
    assert worker.lde_warning is warning
    assert worker.lde_limit_passed is passed
    assert (worker.lde_limit_date is None) is (statuut != "lde")


def test_the_warning_window_is_configurable(settings):
    worker = WorkerFactory.build(statuut="lde", statuut_start=_years_ago(4, days=-100))
    settings.LDE_WARNING_MONTHS = 12
    assert worker.lde_warning
    settings.LDE_WARNING_MONTHS = 2
    assert not worker.lde_warning


def test_worker_page_shows_the_lde_limit(client, coach):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, statuut="lde", statuut_start=_years_ago(4, -30)
    )
    client.force_login(coach)
    page = client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).content.decode()
    assert "LDE-termijn" in page and "alert-warning" in page


def test_coach_edits_special_category_data_and_the_view_is_logged(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    client.force_login(coach)
    url = reverse("trajects:worker_sensitive", kwargs={"worker_pk": worker.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"icf_indication": "Grote afstand", "health_notes": "Diabetes"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.icf_indication, worker.health_notes) == ("Grote afstand", "Diabetes")
    assert (
        AccessLog.objects.filter(user=coach, worker_id=worker.pk, detail={"fields": "sensitive"}).count() == 2
    )


def test_the_edit_form_never_carries_special_category_data(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, justice_notes="Detentieverleden")
    client.force_login(coach)
    page = client.get(reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})).content.decode()
    assert "Detentieverleden" not in page and "justice_notes" not in page
