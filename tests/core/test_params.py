"""Bad query parameters answer the form's message, never a 500; error pages carry no
personal data, DEBUG or not (issue 11, finding 12)."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone

from bwise import urls as product_urls
from partners.services import mentor_link_create
from tests.factories_partners import StageFactory
from tests.factories_trajects import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(coach):
    today = timezone.localdate()
    return StageFactory(
        worker__organisation=coach.organisation,
        worker__coach=coach,
        start_date=today,
        end_date=today + datetime.timedelta(days=5),
    )


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "abc"])
def test_a_stage_page_with_a_bad_month_answers_the_message(client, coach, stage, month):
    client.force_login(coach)
    response = client.get(reverse("partners:stage_detail", args=[stage.pk]), {"month": month})
    assert response.status_code == 400
    assert response.templates[0].name == "400.html"
    assert response.context["errors"]


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_the_mentor_page_with_a_bad_month_answers_the_message_unauthenticated(client, coach, stage, month):
    token = mentor_link_create(stage=stage, by=coach)
    response = client.get(reverse("partners:mentor", args=[token]), {"month": month})
    assert response.status_code == 400
    assert response.context["errors"]


def test_a_month_inside_the_bounds_still_shows(client, coach, stage):
    client.force_login(coach)
    month = stage.start_date.strftime("%Y-%m")
    response = client.get(reverse("partners:stage_detail", args=[stage.pk]), {"month": month})
    assert response.status_code == 200


@pytest.mark.parametrize("view", ["dashboard:dashboard", "dashboard:export", "dashboard:workers"])
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "9999-12-31"},
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "0001-12-31"},
        {"date_from": "1900-01-01"},
        {"team": "a team nobody has"},
        {"statuut": "zzz"},
        {"coach": "999999"},
        {"coach": "abc"},
    ],
)
def test_dashboard_parameters_out_of_bounds_answer_the_message(client, directie, view, params):
    client.force_login(directie)
    query = dict(params)
    if view == "dashboard:export":
        query |= {"figure": "durations", "format": "csv"}
    if view == "dashboard:workers":
        query |= {"list": "movement_started"}
    response = client.get(reverse(view), query)
    assert response.status_code == 400
    assert response.context["errors"]


def test_a_non_coach_is_not_a_coach_filter_value(client, directie, make_user):
    client.force_login(directie)
    response = client.get(reverse("dashboard:dashboard"), {"coach": directie.pk})
    assert response.status_code == 400
    assert any("Coach" in line for line in response.context["errors"])


def test_good_dashboard_parameters_still_show(client, directie, coach):
    WorkerFactory(organisation=directie.organisation, coach=coach, team="Atelier")
    client.force_login(directie)
    params = {"date_from": "2026-01-01", "date_to": "2026-12-31", "team": "Atelier", "coach": coach.pk}
    assert client.get(reverse("dashboard:dashboard"), params).status_code == 200


# --- error pages --------------------------------------------------------------------

MARKER = "".join(["Verst", "raete"])  # built at run time: source lines in a traceback never hold it


def _boom(request):
    worker_name = MARKER  # noqa: F841 - a local the technical page would print
    raise RuntimeError("failed for " + MARKER)


def _denied(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("denied/", _denied),
    path("ok/", lambda request: HttpResponse("ok")),
    *product_urls.urlpatterns,
]
handler400 = product_urls.handler400


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_forced_exception_shows_the_product_page_without_personal_data(
    client, settings, debug, accept, caplog
):
    settings.DEBUG = debug
    with override_settings(ROOT_URLCONF=__name__):
        client.raise_request_exception = False
        response = client.get("/boom/?q=" + MARKER, HTTP_ACCEPT=accept)
    assert response.status_code == 500
    body = response.content.decode()
    assert MARKER not in body
    assert "Traceback" not in body and "SECRET_KEY" not in body
    if accept == "text/html":
        assert "B-WISE Doorstroom" in body  # the product's layout
    # The traceback still reaches the log.
    assert any(record.exc_info for record in caplog.records if record.name == "django.request")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_403_404_and_500_pages_in_the_products_layout_in_both_languages(client, coach, settings, language):
    settings.DEBUG = False
    client.force_login(coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        responses = {
            403: client.get("/denied/"),
            404: client.get("/no-such-page/"),
            500: client.get("/boom/"),
        }
    titles = {403: "No access", 404: "Page not found", 500: "Something went wrong"}
    for status, response in responses.items():
        assert response.status_code == status
        body = response.content.decode()
        assert "B-WISE Doorstroom" in body and f'<html lang="{language}' in body
        if language == "en":
            assert titles[status] in body
