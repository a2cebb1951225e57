"""Competency passports (``competenties.services_passport``, ``competenties.passport``): the
employer's link shows only what was chosen, through the declaration's allow-list, and
refuses once revoked, expired, altered; the coach's pages stay inside the organisation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bwise.access import WorkerSession
from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from competenties.models import AgreedLevel, Passport, PassportOpening, RoundStatus
from competenties.passport import passport_choices
from competenties.services_passport import passport_create, passport_open, passport_revoke
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import CompetencyFactory, MeasurementRoundFactory, RoundParticipantFactory

pytestmark = pytest.mark.django_db


def closed_round_levels(worker, names_levels, *, closed_days_ago=1):
    measurement_round = MeasurementRoundFactory(
        organisation=worker.organisation,
        status=RoundStatus.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=closed_days_ago),
    )
    participant = RoundParticipantFactory(round=measurement_round, worker=worker)
    return [
        AgreedLevel.objects.create(
            participant=participant,
            competency=CompetencyFactory(framework=measurement_round.framework, name=name),
            competency_name=name,
            level=level,
            justification=f"JUSTIFICATIONMARKER{name}",
        )
        for name, level in names_levels
    ]


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        first_name="Lieve",
        last_name="Verstraete",
        email="lieve.marker@example.be",
        health_notes="HEALTHMARKER",
    )


@pytest.fixture
def levels(worker):
    return closed_round_levels(worker, [("Samenwerken", 3), ("Stiptheid", 2)])


def _share(worker, levels, by, days=30):
    return passport_create(
        worker=worker, recipient="Colruyt", days=days, items=[("agreed_level", levels[0].pk)], by=by
    )


def _open(client, token):
    return client.get(reverse("competenties:passport_public", kwargs={"token": token}))


def test_the_employer_sees_only_what_was_chosen_and_each_opening_is_logged(client, worker, levels, coach):
    passport, token = _share(worker, levels, coach)
    response = _open(client, token)
    page = response.content.decode()
    assert response.status_code == 200
    assert all(shown in page for shown in ("Lieve Verstraete", "Samenwerken", "Goed"))
    for absent in ("Stiptheid", "JUSTIFICATIONMARKER", "HEALTHMARKER", "lieve.marker", "Colruyt"):
        assert absent not in page, absent
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"] and response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in page
    assert list(passport.views.values_list("outcome", flat=True)) == [PassportOpening.SHOWN]
    # Only the hash of the token is stored.
    assert token not in Passport.objects.of_worker(worker).values_list("token_hash", flat=True)[0]


def test_revoked_expired_and_altered_links_refuse(client, worker, levels, coach):
    revoked, revoked_token = _share(worker, levels, coach)
    passport_revoke(passport=revoked, by=coach)
    expired, expired_token = _share(worker, levels, coach, days=1)
    Passport.objects.of_worker(worker).filter(pk=expired.pk).update(expires_at=timezone.now())
    _valid, valid_token = _share(worker, levels, coach)
    altered = valid_token[:-1] + ("A" if valid_token[-1] != "A" else "B")

    answers = {
        name: _open(client, token)
        for name, token in (("revoked", revoked_token), ("expired", expired_token), ("altered", altered))
    }
    assert {name: response.status_code for name, response in answers.items()} == {
        "revoked": 410,
        "expired": 410,
        "altered": 404,
    }
    for name, reason in (("revoked", "revoked"), ("expired", "expired"), ("altered", "unknown")):
        page = answers[name].content.decode()
        assert f'data-reason="{reason}"' in page and "Samenwerken" not in page
    assert [v.outcome for v in revoked.views.all()] == [PassportOpening.REVOKED]
    assert [v.outcome for v in expired.views.all()] == [PassportOpening.EXPIRED]
    assert passport_open("").outcome == "unknown"


def test_only_the_latest_closed_rounds_levels_within_90_days_can_be_shared(worker, levels, coach):
    older = closed_round_levels(worker, [("Initiatief", 4)], closed_days_ago=200)
    [(kind, choices)] = passport_choices(worker)
    assert kind.key == "agreed_level"
    assert {choice.ref for choice in choices} == {level.pk for level in levels}
    refusals = {
        "older round": {"items": [("agreed_level", older[0].pk)]},
        "nothing": {"items": []},
        "too long": {"items": [("agreed_level", levels[0].pk)], "days": 91},
        "no employer": {"items": [("agreed_level", levels[0].pk)], "recipient": " "},
        "unknown kind": {"items": [("cv", 1)]},
    }
    codes = {}
    for name, change in refusals.items():
        arguments = {"worker": worker, "recipient": "Colruyt", "days": 30, "by": coach, **change}
        with pytest.raises(DomainError) as error:
            passport_create(**arguments)
        codes[name] = error.value.code
    assert codes == {
        "older round": "passport_item_unavailable",
        "nothing": "passport_empty",
        "too long": "passport_duration",
        "no employer": "recipient_required",
        "unknown kind": "passport_item_unavailable",
    }


def test_the_worker_shares_and_revokes_in_their_own_session(client, worker, levels):
    session = WorkerSession(worker_id=worker.pk, organisation_id=worker.organisation_id, card_id=None)
    passport, token = _share(worker, levels, session)
    assert passport.created_by is None
    passport_revoke(passport=passport, by=session)
    passport.refresh_from_db()
    assert passport.revoked_by_worker and passport.revoked_at is not None
    assert _open(client, token).status_code == 410


def test_another_organisation_reaches_no_passport(client, worker, levels, coach, other_organisation):
    outsider = UserFactory(organisation=other_organisation, roles=[Role.COACH, Role.HR])
    passport, token = _share(worker, levels, coach)
    client.force_login(outsider)
    revoke = reverse("competenties:passport_revoke", kwargs={"passport_pk": passport.pk})
    page = reverse("competenties:passports", kwargs={"worker_pk": worker.pk})
    assert (client.post(revoke).status_code, client.get(page).status_code) == (404, 404)
    for call in (
        lambda: passport_revoke(passport=passport, by=outsider),
        lambda: _share(worker, levels, outsider),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "other_organisation"
    passport.refresh_from_db()
    assert passport.revoked_at is None
    client.logout()
    assert _open(client, token).status_code == 200


def test_the_coach_shares_from_the_page_and_sees_the_openings(client, worker, levels, coach):
    client.force_login(coach)
    url = reverse("competenties:passports", kwargs={"worker_pk": worker.pk})
    response = client.post(
        url, {"recipient": "Delhaize", "days": 14, "items": [f"agreed_level:{levels[1].pk}"]}, follow=True
    )
    link = response.context["new_link"]["link"]
    assert "/competencies/passport/" in link
    passport = Passport.objects.of_worker(worker).get()
    assert [(item.kind, item.ref) for item in passport.items.all()] == [("agreed_level", levels[1].pk)]
    client.logout()
    assert "Stiptheid" in client.get(link).content.decode()
    client.force_login(coach)
    page = client.get(url)
    assert page.context["new_link"] is None  # shown once
    listed = page.content.decode()
    assert "Delhaize" in listed and "passport-views" in listed
    assert [p.shown_count for p in page.context["passports"]] == [1]
