"""The SQL expressions scanners build their keys, messages and links from give what
Python gave: ``date_format``, ``%`` formatting and ``reverse``; a message is rendered
when shown, in the reader's language."""

import datetime

import pytest
from django.db.models import DateField, F, Value
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from bwise.reminders.registry import link, message, render, shifted, short_date
from tests.factories import WorkerFactory
from trajects.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return WorkerFactory(last_name="Peeters")


def sql(worker, expression):
    return (
        Worker.objects.filter(pk=worker.pk).annotate(result=expression).values_list("result", flat=True).get()
    )


@pytest.mark.parametrize("language", ["nl-be", "en"])
@pytest.mark.parametrize("day", [datetime.date(2027, 3, 5), datetime.date(2027, 12, 25)])
def test_a_message_is_rendered_in_the_readers_language_and_date_format(worker, language, day):
    template = "%(worker)s (%(pk)s) is 100%% done on %(date)s"
    stored = message(
        template, worker=F("last_name"), pk=F("pk"), date=short_date(Value(day, output_field=DateField()))
    )
    params = sql(worker, stored.params())
    with translation.override(language):
        assert render(stored.template, params) == template % {
            "worker": worker.last_name,
            "pk": worker.pk,
            "date": date_format(day, "SHORT_DATE_FORMAT"),
        }


def test_a_message_is_translated_when_shown_not_when_stored(worker):
    template = "%(worker)s has no transition coach"
    params = sql(worker, message(template, worker=F("last_name")).params())
    with translation.override("nl-be"):
        assert render(template, params) == f"{worker.last_name} heeft geen doorstroomcoach"
    with translation.override("en"):
        assert render(template, params) == f"{worker.last_name} has no transition coach"


def test_a_link_is_the_reversed_url_of_each_row(worker):
    assert sql(worker, link("trajects:worker_detail", worker_pk=F("pk"))) == reverse(
        "trajects:worker_detail", kwargs={"worker_pk": worker.pk}
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 2, 29), 60, datetime.date(2029, 2, 28)),
        (datetime.date(2027, 3, 31), -1, datetime.date(2027, 2, 28)),
    ],
)
def test_shifting_a_date_by_months_clamps_to_the_month_end_as_relativedelta_does(
    worker, day, months, expected
):
    assert sql(worker, shifted(Value(day, output_field=DateField()), months=months)) == expected
