"""Placement and partner reminders: who gets what, when, and only once."""

import datetime

import pytest
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.reminders import services
from bwise.reminders.models import Reminder
from partners import selectors
from partners.models import Partner
from partners.scanners import attendance_lists_due
from tests.factories import WorkerFactory
from tests.factories_partners import (
    EvaluationFactory,
    FollowUpFactory,
    PartnerActivityFactory,
    PartnerFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 4, 28)


def _kinds(**kwargs):
    return set(Reminder.objects.filter(**kwargs).values_list("kind", flat=True))


def test_follow_up_due_goes_to_the_coach_once(coach):
    follow_up = FollowUpFactory(
        hire__worker__organisation=coach.organisation,
        hire__worker__coach=coach,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    FollowUpFactory(hire=follow_up.hire, due_on=TODAY + datetime.timedelta(days=8))  # not yet
    assert services.reminders_scan(today=TODAY, kinds=["nazorg_follow_up_due"]) == {"nazorg_follow_up_due": 1}
    services.reminders_scan(today=TODAY, kinds=["nazorg_follow_up_due"])
    assert Reminder.objects.get().recipient == coach


def test_stage_reminders(coach):
    stage = StageFactory(
        worker__organisation=coach.organisation,
        worker__coach=coach,
        kind="tbs",
        start_date=TODAY - datetime.timedelta(days=20),
        end_date=TODAY + datetime.timedelta(days=2),
    )
    services.reminders_scan(today=TODAY)
    assert {"stage_evaluation_due", "stage_ending", "attendance_list_due"} <= _kinds(recipient=coach)
    EvaluationFactory(stage=stage, kind="final", method="on_site", held_on=TODAY)
    Reminder.objects.all().delete()
    services.reminders_scan(today=TODAY)
    assert "stage_evaluation_due" not in _kinds(recipient=coach)


def test_attendance_list_due_at_month_or_stage_end(coach):
    stage = StageFactory(start_date=datetime.date(2026, 4, 1), end_date=datetime.date(2026, 6, 10))

    def due_on(today):
        (due,) = attendance_lists_due(today)
        return list(due.records.filter(pk=stage.pk).values_list("list_due_on", flat=True))

    assert due_on(datetime.date(2026, 4, 28)) == [datetime.date(2026, 4, 30)]
    assert due_on(datetime.date(2026, 6, 8)) == [datetime.date(2026, 6, 10)]
    # Further off than the lead: not yet due.
    assert due_on(datetime.date(2026, 4, 15)) == []


@pytest.mark.parametrize(
    ("today", "end_date", "due"),
    [
        # 31 May 2026 is a Sunday: the list is due on Friday 29 May, three days ahead.
        (datetime.date(2026, 5, 26), None, [datetime.date(2026, 5, 29)]),
        (datetime.date(2026, 5, 25), None, []),
        # Ending on Pentecost Monday (a public holiday): due on the Friday before.
        (datetime.date(2026, 5, 19), datetime.date(2026, 5, 25), [datetime.date(2026, 5, 22)]),
        (datetime.date(2026, 5, 18), datetime.date(2026, 5, 25), []),
    ],
)
def test_attendance_list_due_on_the_last_working_day(coach, today, end_date, due):
    stage = StageFactory(start_date=datetime.date(2026, 5, 4), end_date=end_date)
    (declared,) = attendance_lists_due(today)
    assert list(declared.records.filter(pk=stage.pk).values_list("list_due_on", flat=True)) == due


def test_an_enclave_gets_no_attendance_list_reminder(coach):
    stage = StageFactory(kind="enclave", start_date=datetime.date(2026, 5, 4), end_date=None)
    (declared,) = attendance_lists_due(datetime.date(2026, 5, 28))
    assert not declared.records.filter(pk=stage.pk).exists()


def test_enclave_notices_are_reminders_until_given(coach):
    stage = StageFactory(
        worker__organisation=coach.organisation,
        worker__coach=coach,
        kind="enclave",
        start_date=TODAY + datetime.timedelta(days=20),
        end_date=None,
        works_council_meeting_on=TODAY + datetime.timedelta(days=9),
    )
    services.reminders_scan(today=TODAY, kinds=["enclave_notice_due"])
    due = dict(Reminder.objects.values_list("key", "due_date"))
    assert due == {
        f"enclave-notice:union:{stage.pk}:user:{coach.pk}": stage.created_at.date(),
        f"enclave-notice:works_council:{stage.pk}:user:{coach.pk}": TODAY + datetime.timedelta(days=9),
        f"enclave-notice:prevention_committee:{stage.pk}:user:{coach.pk}": stage.start_date,
    }
    Reminder.objects.all().delete()
    stage.union_informed_on = stage.works_council_informed_on = TODAY
    stage.save()
    services.reminders_scan(today=TODAY, kinds=["enclave_notice_due"])
    assert [r.key.split(":")[1] for r in Reminder.objects.all()] == ["prevention_committee"]


def test_an_unsigned_bvs_agreement_is_a_reminder_a_week_ahead(coach):
    def scan(start):
        stage = StageFactory(
            worker__organisation=coach.organisation,
            worker__coach=coach,
            agreement_signed_on=None,
            start_date=start,
            end_date=start + datetime.timedelta(days=7),
        )
        services.reminders_scan(today=TODAY, kinds=["bvs_agreement_unsigned"])
        return Reminder.objects.filter(record_id=stage.pk).count()

    assert scan(TODAY + datetime.timedelta(days=7)) == 1
    assert scan(TODAY + datetime.timedelta(days=8)) == 0


@pytest.mark.parametrize(
    ("last_day", "reminded"), [(TODAY, True), (TODAY - datetime.timedelta(days=1), False)]
)
def test_no_enclave_notice_or_bvs_agreement_reminder_concerns_someone_who_left(coach, last_day, reminded):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, employment_end=last_day)
    start = TODAY + datetime.timedelta(days=5)
    enclave = StageFactory(worker=worker, kind="enclave", start_date=start, end_date=None)
    StageFactory(
        worker=worker,
        trajectory=enclave.trajectory,
        agreement_signed_on=None,
        start_date=start,
        end_date=start + datetime.timedelta(days=3),
    )
    kinds = ["enclave_notice_due", "bvs_agreement_unsigned"]
    counts = services.reminders_scan(today=TODAY, kinds=kinds)
    assert [bool(counts.get(kind)) for kind in kinds] == [reminded, reminded]


def test_quiet_partner_goes_to_the_beheerder(make_user, settings):
    settings.PARTNER_CONTACT_WARNING_MONTHS = 6
    beheerder = make_user(Role.BEHEERDER)
    registered = timezone.make_aware(datetime.datetime(2025, 1, 6, 9))
    quiet = PartnerFactory(organisation=beheerder.organisation, name="Stil", created_at=registered)
    PartnerActivityFactory(partner=quiet, on=TODAY - datetime.timedelta(days=190))
    fresh = PartnerFactory(organisation=beheerder.organisation, name="Actief")
    PartnerActivityFactory(partner=fresh, on=TODAY - datetime.timedelta(days=170))
    PartnerFactory(name="Andere organisatie")
    services.reminders_scan(today=TODAY, kinds=["partner_not_contacted"])
    reminders = list(Reminder.objects.all())
    assert [(r.recipient, r.text) for r in reminders] == [(beheerder, "Al lang geen contact met Stil")]


def test_a_partner_is_out_of_contact_only_once_the_time_since_its_registration_has_passed(
    make_user, settings
):
    """No contact yet counts from the day the partner was registered: a new partner is
    not quiet, one registered just over the warning period ago is."""
    settings.PARTNER_CONTACT_WARNING_MONTHS = 6
    beheerder = make_user(Role.BEHEERDER)
    cutoff = selectors.contact_cutoff(TODAY)

    def registered(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    new = PartnerFactory(organisation=beheerder.organisation, name="Nieuw", created_at=registered(TODAY))
    at_limit = PartnerFactory(
        organisation=beheerder.organisation, name="Grens", created_at=registered(cutoff)
    )
    past = PartnerFactory(
        organisation=beheerder.organisation,
        name="Vergeten",
        created_at=registered(cutoff - datetime.timedelta(days=1)),
    )
    quiet = selectors.uncontacted(Partner.objects.filter(organisation=beheerder.organisation), TODAY)
    assert list(quiet.values_list("name", flat=True)) == ["Vergeten"]
    flagged = {
        p.name: selectors.is_uncontacted(p, TODAY)
        for p in selectors.with_last_contact(Partner.objects.filter(pk__in=[new.pk, at_limit.pk, past.pk]))
    }
    assert flagged == {"Nieuw": False, "Grens": False, "Vergeten": True}
