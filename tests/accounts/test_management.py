import pytest
from django.core import mail

from bwise.accounts.models import Role, User
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_beheerder_invites_a_user_who_gets_a_password_link(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        "/organisation/users/invite/",
        {
            "username": "nieuwe-coach",
            "first_name": "Nele",
            "last_name": "Maes",
            "email": "nele@example.be",
            "roles": [Role.COACH, Role.HR],
        },
    )
    assert response.status_code == 302
    invited = User.objects.get(username="nieuwe-coach")
    assert invited.organisation == beheerder.organisation
    assert invited.roles == [Role.HR, Role.COACH]
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line)
    assert client.get(link.strip().replace("http://testserver", "")).status_code in (200, 302)


def test_invite_with_a_taken_username_shows_a_message_and_creates_nothing(client, beheerder):
    UserFactory(username="bezet")
    client.force_login(beheerder)
    response = client.post(
        "/organisation/users/invite/",
        {
            "username": "bezet",
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.be",
            "roles": [Role.COACH],
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(username="bezet").count() == 1
    assert "bezet" in response.content.decode()


def test_beheerder_changes_roles_and_deactivates(client, beheerder, make_user):
    colleague = make_user(Role.COACH)
    client.force_login(beheerder)
    client.post(
        f"/organisation/users/{colleague.pk}/edit/",
        {"first_name": "X", "last_name": "Y", "email": "x@example.be", "roles": [Role.HR]},
    )
    colleague.refresh_from_db()
    assert colleague.roles == [Role.HR]
    client.post(f"/organisation/users/{colleague.pk}/active/", {"active": "0"})
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_beheerder_cannot_deactivate_themself(client, beheerder):
    client.force_login(beheerder)
    client.post(f"/organisation/users/{beheerder.pk}/active/", {"active": "0"})
    beheerder.refresh_from_db()
    assert beheerder.is_active


def test_deactivated_user_cannot_log_in(client, organisation):
    UserFactory(username="weg", organisation=organisation, is_active=False)
    response = client.post("/accounts/login/", {"login": "weg", "password": "secret-password-1"})
    assert response.status_code != 302 or "inactive" in response.headers.get("Location", "")
    assert client.get("/workers/").status_code == 302


@pytest.mark.parametrize("role", [Role.COACH, Role.HR, Role.DIRECTIE, Role.BEGELEIDER])
def test_only_beheerder_manages_users(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/organisation/users/").status_code == 403
    assert client.get("/organisation/users/invite/").status_code == 403


def test_user_list_shows_only_own_organisation(client, beheerder, other_organisation):
    UserFactory(organisation=other_organisation, last_name="Buitenstaander")
    client.force_login(beheerder)
    assert "Buitenstaander" not in client.get("/organisation/users/").content.decode()


def test_hr_reads_the_history_of_a_worker_with_who_changed_what(client, hr, coach):
    worker = WorkerFactory(organisation=hr.organisation, coach=coach, last_name="Oud")
    client.force_login(coach)
    worker.last_name = "Nieuw"
    worker.save()
    client.force_login(hr)
    page = client.get(f"/workers/{worker.pk}/history/").content.decode()
    assert "Oud" in page and "Nieuw" in page


def test_coach_cannot_read_history(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    client.force_login(coach)
    assert client.get(f"/workers/{worker.pk}/history/").status_code == 403


def test_history_records_the_user_who_made_a_change_through_a_request(client, beheerder, make_user):
    colleague = make_user(Role.COACH, last_name="Voor")
    client.force_login(beheerder)
    client.post(
        f"/organisation/users/{colleague.pk}/edit/",
        {"first_name": "X", "last_name": "Na", "email": "x@example.be", "roles": [Role.COACH]},
    )
    page = client.get(f"/organisation/users/{colleague.pk}/history/").content.decode()
    assert str(beheerder) in page
    assert "Na" in page
