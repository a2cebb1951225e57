"""Sign-in cards (issue, PIN, lockout, revoke) and what the worker records, at service level."""

import datetime

import pytest
from django.utils import timezone

from bwise.access import WorkerSession
from bwise.audit.models import AccessAction, AccessLog
from bwise.core.errors import DomainError
from bwise.portal import services
from bwise.portal.models import PlanProgress, SignInCard
from bwise.roles import Role
from competenties.models import Assessment, RaterRole
from competenties.plan_state import PlanStatus
from competenties.services import round_self_rating_submit
from tests import factories_competenties as fc
from tests.factories import UserFactory, WorkerFactory
from tests.factories_portal import PIN, make_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach)


def _session(card):
    return WorkerSession(
        worker_id=card.worker_id, organisation_id=card.worker.organisation_id, card_id=card.pk
    )


def _refused(expected, call, **kwargs):
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.code == expected


def test_a_card_keeps_only_the_hash_of_its_code_and_a_new_card_replaces_the_old(coach, worker):
    first, code = services.card_issue(worker=worker, by=coach)
    assert len(code) >= 40 and code not in first.code_hash
    assert services.card_start(code=code) == first
    second, new_code = services.card_issue(worker=worker, by=coach)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    _refused("card_revoked", services.card_start, code=code)
    assert services.card_start(code=new_code) == second
    _refused("card_unknown", services.card_start, code="not-a-card")


def test_only_a_coach_who_sees_the_worker_issues_their_card(worker, organisation):
    other_coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    for user in (other_coach, supervisor):
        _refused("not_allowed", services.card_issue, worker=worker, by=user)
    assert not SignInCard.objects.unscoped(reason="test").exists()


def test_the_worker_chooses_a_pin_at_first_use_and_each_sign_in_is_logged(worker):
    card, _code = make_card(worker, pin=None)
    _refused("pin_not_chosen", services.card_pin_check, card=card, pin="1234")
    _refused("pin_format", services.card_pin_choose, card=card, pin="12", repeat="12")
    _refused("pin_mismatch", services.card_pin_choose, card=card, pin="1234", repeat="4321")
    session = services.card_pin_choose(card=card, pin="1234", repeat="1234")
    assert (session.worker_id, session.card_id, session.roles) == (worker.pk, card.pk, ())
    _refused("pin_already_chosen", services.card_pin_choose, card=card, pin="5555", repeat="5555")
    assert services.card_pin_check(card=card, pin="1234").worker_id == worker.pk
    log = AccessLog.objects.filter(action=AccessAction.SIGN_IN, worker_id=worker.pk)
    assert log.count() == 2
    assert {row.organisation_id for row in log} == {worker.organisation_id}
    assert all(row.user_id is None and row.outcome == "allowed" for row in log)


def test_five_wrong_pins_lock_the_card_until_the_coach_unlocks_it(coach, worker, settings):
    card, code = make_card(worker)
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError) as wrong:
            services.card_pin_check(card=card, pin="0000")
        assert wrong.value.code == "pin_wrong" and str(left) in wrong.value.message
    _refused("card_locked", services.card_pin_check, card=card, pin="0000")
    # Locked: even the right PIN is refused, and the code no longer starts a sign-in.
    _refused("card_locked", services.card_pin_check, card=card, pin=PIN)
    _refused("card_locked", services.card_start, code=code)
    refused = AccessLog.objects.filter(action=AccessAction.SIGN_IN, worker_id=worker.pk, outcome="refused")
    assert refused.count() == 7
    services.card_unlock(card=card, by=coach)
    assert services.card_pin_check(card=card, pin=PIN).worker_id == worker.pk


def test_a_right_pin_resets_the_count_of_wrong_ones(worker):
    card, _code = make_card(worker)
    for _ in range(4):
        _refused("pin_wrong", services.card_pin_check, card=card, pin="0000")
    services.card_pin_check(card=card, pin=PIN)
    _refused("pin_wrong", services.card_pin_check, card=card, pin="0000")
    card.refresh_from_db()
    assert card.failed_pins == 1 and card.locked_at is None


def test_a_revoked_card_signs_in_no_more_and_cannot_be_unlocked(coach, worker):
    card, code = make_card(worker)
    services.card_revoke(card=card, by=coach)
    _refused("card_revoked", services.card_start, code=code)
    _refused("card_revoked", services.card_pin_check, card=card, pin=PIN)
    _refused("card_revoked", services.card_unlock, card=card, by=coach)
    assert services.card_in_session(card.pk) is None


def test_the_worker_ticks_their_running_plan_and_the_action_follows(worker):
    card, _code = make_card(worker)
    action = fc.PlanActionFactory(plan=fc.PlanFactory(worker=worker, status=PlanStatus.IN_PROGRESS))
    progress = services.plan_progress_record(
        session=_session(card), action=action, done="+/-", comment="Bijna!"
    )
    action.refresh_from_db()
    assert action.done == "+/-"
    assert (progress.done, progress.comment) == ("+/-", "Bijna!")
    _refused("required", services.plan_progress_record, session=_session(card), action=action, done="x")


def test_the_worker_cannot_tick_another_workers_plan_or_a_draft(worker):
    card, _code = make_card(worker)
    other = fc.PlanActionFactory(plan=fc.PlanFactory(status=PlanStatus.IN_PROGRESS))
    _refused("not_the_worker", services.plan_progress_record, session=_session(card), action=other, done="+")
    draft = fc.PlanActionFactory(plan=fc.PlanFactory(worker=worker, status=PlanStatus.DRAFT))
    _refused(
        "plan_not_running", services.plan_progress_record, session=_session(card), action=draft, done="+"
    )
    assert not PlanProgress.objects.unscoped(reason="test").exists()


@pytest.fixture
def open_round(worker):
    indicator = fc.IndicatorFactory(competency__framework__organisation=worker.organisation)
    today = timezone.localdate()
    measurement_round = fc.MeasurementRoundFactory(
        organisation=worker.organisation,
        framework=indicator.competency.framework,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=10),
    )
    fc.RoundParticipantFactory(round=measurement_round, worker=worker)
    fc.RoundRaterFactory(round=measurement_round, role=RaterRole.SELF)
    return measurement_round, indicator


def test_the_worker_sends_their_own_self_assessment_once(worker, open_round):
    measurement_round, indicator = open_round
    card, _code = make_card(worker)
    assessment = round_self_rating_submit(
        measurement_round=measurement_round, session=_session(card), levels={indicator.pk: 3}
    )
    assert (assessment.rater_role, assessment.entered_by_id, assessment.worker_id) == (
        RaterRole.SELF,
        None,
        worker.pk,
    )
    assert list(assessment.scores.values_list("level", flat=True)) == [3]
    _refused(
        "already_submitted",
        round_self_rating_submit,
        measurement_round=measurement_round,
        session=_session(card),
        levels={indicator.pk: 2},
    )


def test_a_self_assessment_is_refused_outside_the_round_and_for_staff(worker, open_round, coach):
    measurement_round, indicator = open_round
    outsider, _code = make_card(WorkerFactory(organisation=worker.organisation))
    _refused(
        "not_in_round",
        round_self_rating_submit,
        measurement_round=measurement_round,
        session=_session(outsider),
        levels={indicator.pk: 3},
    )
    _refused(
        "not_the_worker",
        round_self_rating_submit,
        measurement_round=measurement_round,
        session=coach,
        levels={},
    )
    assert not Assessment.objects.unscoped(reason="test").exists()
