"""Where each role lands after logging in, the favicon, the health probe's HEAD, and the
language a browser gets before the user chooses one."""

import pytest
from django.conf import settings
from django.urls import reverse

from bwise.accounts.models import Role
from tests.factories import PlatformStaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "roles, landing",
    [
        ([Role.COACH], "trajects:caseload"),
        ([Role.HR], "competenties:pops_due"),
        ([Role.DIRECTIE], "dashboard:dashboard"),
        ([Role.BEGELEIDER], "competenties:observation_quick"),
        ([Role.BEHEERDER], "accounts:user_list"),
        # Several roles: the daily work comes before oversight, oversight before administration.
        ([Role.BEHEERDER, Role.DIRECTIE, Role.HR], "competenties:pops_due"),
        ([Role.BEHEERDER, Role.DIRECTIE], "dashboard:dashboard"),
        ([Role.BEGELEIDER, Role.COACH], "trajects:caseload"),
    ],
)
def test_each_role_lands_on_its_own_page(client, make_user, roles, landing):
    client.force_login(make_user(*roles))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


def test_a_user_without_a_role_gets_the_welcome_page(client, organisation):
    client.force_login(UserFactory(organisation=organisation, roles=[]))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "core/home.html"


def test_the_login_leads_home_and_so_to_the_roles_page(client, make_user):
    make_user(Role.DIRECTIE, username="koen")
    response = client.post(reverse("account_login"), {"login": "koen", "password": "secret-password-1"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("dashboard:dashboard")


def test_platform_staff_get_the_welcome_page_not_an_organisations_page(client):
    client.force_login(PlatformStaffFactory())
    response = client.get(reverse("home"))
    assert response.status_code in (200, 302)
    assert response.get("Location") not in (reverse("trajects:caseload"), reverse("accounts:user_list"))


def test_pages_link_a_favicon_and_favicon_ico_leads_to_it(client, coach):
    client.force_login(coach)
    page = client.get(reverse("trajects:caseload")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.png"


def test_health_answers_head_like_get(client):
    get = client.get("/health/")
    head = client.head("/health/")
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""
    assert client.post("/health/").status_code == 405


def test_an_english_browser_gets_dutch_until_the_user_chooses_english(client, coach):
    client.force_login(coach)
    caseload = reverse("trajects:caseload")
    page = client.get(caseload, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="nl-be">' in page.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": caseload})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(caseload, HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_dutch(client, coach):
    client.force_login(coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    page = client.get(reverse("trajects:caseload"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl-be">' in page.content.decode()
