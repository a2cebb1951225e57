"""Roles cannot be combined into escalation (issue 11, finding 8).

Choosing a worker's coach or supervisor decides who reads the worker's data, so it is
HR's decision on someone else, through one service rule that the form, the API and the
import share.
"""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from bwise.access import ROLE_PERMISSIONS, SENSITIVE_ROLES, TWO_FACTOR_ROLES, Perm
from bwise.accounts import services as account_services
from bwise.accounts.admin import BwiseUserAdmin
from bwise.accounts.mfa import must_activate_2fa
from bwise.accounts.models import Role, User
from bwise.core.errors import DomainError
from tests.factories import PlatformStaffFactory, WorkerFactory
from trajects import services
from trajects.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach, begeleider):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        supervisor=begeleider,
        external_id="P-001",
        health_notes="MARKER-HEALTH",
    )


@pytest.fixture
def coach_directie(make_user):
    return make_user(Role.COACH, Role.DIRECTIE)


def _form_data(worker, **changes):
    data = {
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "coach": worker.coach_id or "",
        "supervisor": worker.supervisor_id or "",
    }
    return {**data, **changes}


def test_coach_and_directie_cannot_make_themselves_coach_through_the_api(worker, coach, coach_directie):
    api = APIClient()
    api.force_authenticate(coach_directie)
    response = api.patch(f"/api/v1/workers/{worker.pk}/", {"coach": coach_directie.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "coach"
    worker.refresh_from_db()
    assert worker.coach_id == coach.pk
    body = api.get(f"/api/v1/workers/{worker.pk}/").json()
    assert "health_notes" not in body
    assert "MARKER-HEALTH" not in str(body)


def test_coach_and_directie_cannot_make_themselves_coach_through_the_form(
    client, worker, coach, coach_directie
):
    client.force_login(coach_directie)
    url = reverse("trajects:worker_edit", kwargs={"worker_pk": worker.pk})
    client.post(url, _form_data(worker, coach=coach_directie.pk, supervisor=""))
    worker.refresh_from_db()
    assert (worker.coach_id, worker.supervisor_id) != (coach_directie.pk, None)
    assert worker.coach_id == coach.pk
    page = client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}))
    assert "MARKER-HEALTH" not in page.content.decode()


def test_the_service_refuses_a_coach_change_by_anyone_but_hr(worker, coach, coach_directie, make_user):
    colleague = make_user(Role.COACH)
    for by, new_coach in ((coach_directie, coach_directie), (coach, colleague), (coach_directie, colleague)):
        worker.coach = new_coach
        with pytest.raises(DomainError) as refused:
            services.worker_save(worker=worker, by=by)
        assert (refused.value.code, refused.value.field) == ("not_allowed", "coach")
        worker.refresh_from_db()
        assert worker.coach_id == coach.pk


def test_hr_assigns_a_colleague_but_never_themselves(worker, make_user):
    hr_coach = make_user(Role.HR, Role.COACH)
    colleague = make_user(Role.COACH)
    other_supervisor = make_user(Role.BEGELEIDER)
    hr_begeleider = make_user(Role.HR, Role.BEGELEIDER)
    worker.coach, worker.supervisor = colleague, other_supervisor
    services.worker_save(worker=worker, by=hr_coach)
    worker.refresh_from_db()
    assert (worker.coach_id, worker.supervisor_id) == (colleague.pk, other_supervisor.pk)
    worker.coach = hr_coach
    with pytest.raises(DomainError) as refused:
        services.worker_save(worker=worker, by=hr_coach)
    assert (refused.value.code, refused.value.field) == ("self_assignment", "coach")
    worker.refresh_from_db()
    worker.supervisor = hr_begeleider
    with pytest.raises(DomainError) as refused:
        services.worker_save(worker=worker, by=hr_begeleider)
    assert (refused.value.code, refused.value.field) == ("self_assignment", "supervisor")
    worker.refresh_from_db()
    assert (worker.coach_id, worker.supervisor_id) == (colleague.pk, other_supervisor.pk)


def test_hr_cannot_make_a_user_without_the_role_the_coach(worker, hr, directie):
    worker.coach = directie
    with pytest.raises(DomainError) as refused:
        services.worker_save(worker=worker, by=hr)
    assert (refused.value.code, refused.value.field) == ("missing_role", "coach")


def test_saving_other_fields_keeps_the_assignment_without_hr(worker, coach):
    worker.team = "Atelier"
    services.worker_save(worker=worker, by=coach)
    worker.refresh_from_db()
    assert worker.team == "Atelier"


def test_a_coach_registers_a_new_worker_as_its_coach(coach_directie):
    worker = Worker(first_name="Nieuw", last_name="Werknemer", coach=coach_directie)
    services.worker_save(worker=worker, by=coach_directie)
    assert Worker.objects.get(pk=worker.pk).coach_id == coach_directie.pk


def test_coach_and_directie_cannot_make_themselves_coach_through_the_import(
    client, worker, coach, coach_directie, settings, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    client.force_login(coach_directie)
    csv = f"personeelsnummer;voornaam;achternaam;coach\nP-001;Ann;X;{coach_directie.username}\n"
    client.post(reverse("trajects:worker_import"), {"file": SimpleUploadedFile("lijst.csv", csv.encode())})
    preview = client.get(reverse("trajects:worker_import_preview"))
    assert preview.context["rows"][0].errors
    client.post(reverse("trajects:worker_import_preview"))
    worker.refresh_from_db()
    assert worker.coach_id == coach.pk
    assert worker.last_name != "X"


# Granting roles


def _edit(client, user, roles):
    return client.post(
        f"/organisation/users/{user.pk}/edit/",
        {"first_name": "A", "last_name": "B", "email": user.email or "a@example.be", "roles": roles},
    )


def test_beheerder_cannot_grant_themselves_hr(client, beheerder, make_user):
    other = make_user(Role.BEHEERDER, email="other-admin@example.be")
    client.force_login(beheerder)
    response = _edit(client, beheerder, [Role.BEHEERDER, Role.HR])
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    beheerder.refresh_from_db()
    assert beheerder.roles == [Role.BEHEERDER]
    assert other.roles == [Role.BEHEERDER]
    with pytest.raises(DomainError) as refused:
        account_services.user_update(
            by=beheerder,
            user=beheerder,
            first_name="A",
            last_name="B",
            email="a@example.be",
            roles=[Role.BEHEERDER, Role.COACH],
        )
    assert (refused.value.code, refused.value.field) == ("own_roles", "roles")


def test_another_beheerder_changes_a_beheerders_roles_and_the_others_hear_of_it(
    client, beheerder, make_user, django_capture_on_commit_callbacks
):
    changer = make_user(Role.BEHEERDER, email="changer@example.be")
    third = make_user(Role.BEHEERDER, email="third@example.be")
    make_user(Role.BEHEERDER, email="gone@example.be", is_active=False)
    beheerder.email = "subject@example.be"
    beheerder.save()
    client.force_login(changer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, beheerder, [Role.BEHEERDER, Role.HR])
    assert response.status_code == 302
    beheerder.refresh_from_db()
    assert beheerder.roles == [Role.BEHEERDER, Role.HR]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["subject@example.be", third.email])
    assert all(beheerder.username in message.body for message in mail.outbox)


def test_granting_a_sensitive_role_to_someone_else_is_notified(
    client, beheerder, make_user, django_capture_on_commit_callbacks
):
    other_admin = make_user(Role.BEHEERDER, email="other-admin@example.be")
    colleague = make_user(Role.BEGELEIDER)
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, colleague, [Role.BEGELEIDER, Role.COACH])
    colleague.refresh_from_db()
    assert colleague.roles == [Role.COACH, Role.BEGELEIDER]
    assert [message.to for message in mail.outbox] == [[other_admin.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, colleague, [Role.COACH])
    assert mail.outbox == []


# The organisation's two-factor requirement


def test_two_factor_covers_every_role_that_reaches_sensitive_data_or_manages_users():
    for role, perms in ROLE_PERMISSIONS.items():
        if perms & {Perm.VIEW_SENSITIVE, Perm.MANAGE_USERS, Perm.ASSIGN_STAFF}:
            assert role in TWO_FACTOR_ROLES, role
    assert {Role.BEHEERDER, Role.DIRECTIE, Role.HR, Role.COACH} <= TWO_FACTOR_ROLES
    assert SENSITIVE_ROLES <= TWO_FACTOR_ROLES


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.DIRECTIE])
def test_two_factor_requirement_applies_to_beheerder_and_directie(client, organisation, make_user, role):
    organisation.require_2fa_for_sensitive_roles = True
    organisation.save()
    user = make_user(role)
    assert must_activate_2fa(user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_platform_staff_changing_a_beheerders_roles_in_the_admin_is_notified(rf, beheerder, make_user):
    other = make_user(Role.BEHEERDER, email="other-admin@example.be")
    staff = PlatformStaffFactory()
    request = rf.post("/")
    request.user = staff
    form = SimpleNamespace(initial={"roles": list(beheerder.roles)})
    beheerder.roles = [Role.BEHEERDER, Role.HR]
    BwiseUserAdmin(User, admin.site).save_model(request, beheerder, form, change=True)
    assert other.email in [address for message in mail.outbox for address in message.to]
