"""The guide's start rules (``trajects.services.trajectory_start`` and the LDE scanner):
the LDE obligation only for LDE workers, an organisation's proposal never as a pretext,
an explicit yes for workers far from the labour market, and a reminder when an LDE worker
has no trajectory some months after the LDE start."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.reminders.models import Reminder
from bwise.reminders.services import reminders_scan
from tests.factories import WorkerFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.forms import PRETEXT_WARNING, TrajectoryStartForm
from trajects.models import IcfDistance, Persona, Statuut
from trajects.selectors import timeline_for
from trajects.services import employment_end_record, lde_reminder_months_set, trajectory_start
from trajects.state import Status, Trigger

pytestmark = pytest.mark.django_db

PROPOSAL = {"trigger": Trigger.ORGANISATION_PROPOSAL, "trigger_reason": "Drie jaar in dienst"}


def test_the_lde_obligation_is_refused_for_a_worker_without_the_lde_statuut(coach):
    other = WorkerFactory(organisation=coach.organisation, coach=coach, statuut=Statuut.MAATWERK)
    with pytest.raises(DomainError) as refused:
        trajectory_start(worker=other, trigger=Trigger.LDE_OBLIGATION, by=coach)
    assert refused.value.code == "not_lde"
    lde = WorkerFactory(organisation=coach.organisation, coach=coach, statuut=Statuut.LDE)
    assert trajectory_start(worker=lde, trigger=Trigger.LDE_OBLIGATION, by=coach).trigger == "lde_obligation"


def test_a_worker_who_left_gets_no_new_trajectory(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    worker = employment_end_record(
        worker=worker, on=datetime.date(2025, 1, 31), reason="retirement", by=coach
    )
    with pytest.raises(DomainError) as refused:
        trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=coach)
    assert refused.value.code == "not_employed"


def test_an_organisation_proposal_asks_to_rule_out_a_pretext(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    with pytest.raises(DomainError) as refused:
        trajectory_start(worker=worker, by=coach, **PROPOSAL)
    assert refused.value.code == "pretext_not_ruled_out"
    assert trajectory_start(worker=worker, by=coach, pretext_ruled_out=True, **PROPOSAL)


@pytest.mark.parametrize(
    ("fields", "asked"),
    [
        ({"persona": Persona.VEILIG_HIER}, True),
        ({"icf_distance": IcfDistance.LARGE}, True),
        ({"icf_distance": IcfDistance.MEDIUM, "persona": Persona.OP_GROEI}, False),
    ],
)
def test_far_from_the_labour_market_asks_an_explicit_yes_with_its_reason(coach, fields, asked):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, **fields)
    assert ("distance_reason" in TrajectoryStartForm(worker=worker).fields) is asked
    if asked:
        for confirmed, why in ((False, "Wil het graag"), (True, " ")):
            with pytest.raises(DomainError) as refused:
                trajectory_start(
                    worker=worker,
                    by=coach,
                    pretext_ruled_out=True,
                    distance_confirmed=confirmed,
                    distance_reason=why,
                    **PROPOSAL,
                )
            assert refused.value.code == "distance_not_confirmed"
    trajectory_start(
        worker=worker,
        by=coach,
        pretext_ruled_out=True,
        distance_confirmed=asked,
        distance_reason="Wil het graag" if asked else "",
        **PROPOSAL,
    )
    reasons = [value for entry in timeline_for(worker, reader=coach).entries for _label, value in entry.lines]
    assert any("Drie jaar in dienst" in value for value in reasons)
    assert any("Wil het graag" in value for value in reasons) is asked


def test_the_start_form_shows_the_warning_in_full(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    client.force_login(coach)
    page = client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).content.decode()
    with translation.override("nl-be"):
        warning = str(PRETEXT_WARNING)
    assert warning in page or escape(warning) in page


# --- The reminder for an LDE worker without a trajectory ------------------------------------


def _lde_reminders():
    return set(Reminder.objects.filter(kind="lde_without_trajectory").values_list("record_id", flat=True))


def test_the_coach_is_reminded_on_the_day_the_months_after_the_lde_start_are_reached(coach):
    today = datetime.date(2026, 6, 15)
    start = today - relativedelta(months=3)
    reached = WorkerFactory(
        organisation=coach.organisation, coach=coach, statuut=Statuut.LDE, statuut_start=start
    )
    not_yet = WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        statuut=Statuut.LDE,
        statuut_start=start + datetime.timedelta(days=1),
    )
    with_one = WorkerFactory(
        organisation=coach.organisation, coach=coach, statuut=Statuut.LDE, statuut_start=start
    )
    TrajectoryFactory(worker=with_one, status=Status.PAUSED)
    maatwerk = WorkerFactory(
        organisation=coach.organisation, coach=coach, statuut=Statuut.MAATWERK, statuut_start=start
    )
    reminders_scan(today=today, kinds={"lde_without_trajectory"})
    assert _lde_reminders() == {reached.pk}
    assert not _lde_reminders() & {not_yet.pk, with_one.pk, maatwerk.pk}
    reminders_scan(today=today, kinds={"lde_without_trajectory"})
    assert Reminder.objects.filter(kind="lde_without_trajectory").count() == 1


def test_each_organisation_sets_its_months(coach, make_user):
    beheerder = make_user(Role.BEHEERDER)
    organisation = coach.organisation
    for months in (0, 61):
        with pytest.raises(DomainError) as refused:
            lde_reminder_months_set(organisation=organisation, months=months, by=beheerder)
        assert refused.value.code == "out_of_range"
    with pytest.raises(DomainError):
        lde_reminder_months_set(organisation=organisation, months=1, by=coach)
    assert lde_reminder_months_set(organisation=organisation, months=60, by=beheerder)
    lde_reminder_months_set(organisation=organisation, months=1, by=beheerder)
    today = datetime.date(2026, 6, 15)
    worker = WorkerFactory(
        organisation=organisation,
        coach=coach,
        statuut=Statuut.LDE,
        statuut_start=today - relativedelta(months=1),
    )
    reminders_scan(today=today, kinds={"lde_without_trajectory"})
    assert _lde_reminders() == {worker.pk}
