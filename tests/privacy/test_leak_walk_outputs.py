"""The leak walk over what leaves the pages: list exports, digest e-mails and the iCal feed.

The same readers and planted markers as ``test_privacy_leak_walk_readers``. Each reader
downloads every list export as CSV and as XLSX (the workbook opened with openpyxl, every
cell of every sheet read), every dashboard list and figure export, gets the daily digest
(run by its Celery task; text and HTML parts read) and opens their calendar feed (parsed
with icalendar, every property of every component read). No marker may reach a reader
outside the fields' audience.

The competency passport's token link is walked once, by an anonymous employer: it shows
the declaration's employer allow-list of what was shared, and no other text of the worker.

Export views are found from the resolver: a view that subclasses ``ExportMixin`` or
asks ``requested_format``, so an export added later is walked without editing this file.
"""

import csv
import inspect
import io
import secrets

import pytest
from django.core import mail
from django.db import models
from django.urls import get_resolver, reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from bwise.access import WorkerSession
from bwise.dashboard import registry
from bwise.privacy.declaration import NOT_PERSONAL, PASSPORT_EMPLOYER_FIELDS, all_sensitive_fields
from bwise.privacy.exports import FORMATS, ExportMixin
from bwise.privacy.records import records_of
from bwise.reminders import tasks
from bwise.reminders.services import preference_for
from competenties.models import AgreedLevel, MeasurementRound, RoundStatus
from competenties.passport import passport_choices
from competenties.services_passport import passport_create
from tests.access.test_urls import OUR_MODULES, _kwargs_of, _walk
from tests.factories_documents import ReminderFactory
from tests.privacy.test_leak_walk_readers import READERS, _in_audience, _make_reader, _reader_id
from tests.privacy.test_leak_walk_readers import world as readers_world

world = readers_world  # the same universe and markers as the history and documents walk

pytestmark = pytest.mark.django_db


def _is_export_view(callback) -> bool:
    view = getattr(callback, "view_class", None)
    if view is None:
        return False
    return issubclass(view, ExportMixin) or "requested_format(" in inspect.getsource(view)


def export_urls(universe) -> list[str]:
    """Every export the product offers, with the parameters that make it answer a file."""
    urls = []
    for route, pattern, namespace in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        if not module.startswith(OUR_MODULES) or not pattern.name or not _is_export_view(pattern.callback):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kwargs = {kwarg: universe.pk_for(kwarg[: -len("_pk")]) for kwarg in _kwargs_of(route)}
        urls.append(reverse(name, kwargs=kwargs) + "?")
    lists = reverse("dashboard:workers")
    for key, worker_list in sorted(registry._lists.items()):
        extra = f"&{worker_list.param}={universe.pk_for(worker_list.param)}" if worker_list.param else ""
        urls.append(f"{lists}?list={key}{extra}&")
    figures = reverse("dashboard:export")
    urls += [f"{figures}?figure={figure.key}&" for figure in registry.figures()]
    return sorted(set(urls))


def _cells(response, fmt: str) -> str:
    content = response.content
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
        return "\n".join(";".join(row) for row in rows)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "" if value is None else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


def _exports(client, universe) -> tuple[str, int]:
    texts, files = [], 0
    for url in export_urls(universe):
        for fmt in FORMATS:
            response = client.get(f"{url}format={fmt}")
            assert response.status_code < 500, f"{url}format={fmt}"
            if response.status_code == 200 and response["Content-Type"] == FORMATS[fmt]:
                texts.append(_cells(response, fmt))
                files += 1
    return "\n".join(texts), files


def _digest(user) -> str:
    mail.outbox = []
    tasks.send_digests.apply()
    mine = [message for message in mail.outbox if message.to == [user.email]]
    assert len(mine) == 1, "the reader gets a digest, or the walk proves nothing"
    [message] = mine
    return "\n".join([message.subject, message.body, *(content for content, _type in message.alternatives)])


def _feed(client, user) -> tuple[str, int]:
    response = client.get(reverse("reminders:feed", kwargs={"token": preference_for(user).feed_token}))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    texts, events = [], 0
    for component in calendar.walk():
        events += component.name == "VEVENT"
        for name, value in component.property_items(recursive=False):
            texts.append(f"{name}:{value.to_ical().decode() if hasattr(value, 'to_ical') else value}")
    return "\n".join(texts), events


@pytest.mark.parametrize("reader", READERS, ids=_reader_id)
def test_exports_digests_and_the_feed_carry_no_declared_field_outside_its_audience(
    client, world, reader, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    universe, markers = world["universe"], world["markers"]
    user = _make_reader(world, reader)
    user.email = f"{user.username}@example.be"
    user.save()
    # Something due about the worker, so that the digest and the feed have an entry.
    ReminderFactory(
        recipient=user, title=f"Follow up {world['worker']}", url=f"/workers/{world['worker'].pk}/"
    )
    client.force_login(user)

    exports, files = _exports(client, universe)
    digest = _digest(user)
    feed, events = _feed(client, user)

    found = {
        where: sorted(markers[marker] for marker in markers if marker in text)
        for where, text in (("exports", exports), ("digest", digest), ("feed", feed))
    }
    if not _in_audience(world, user):
        assert found == {"exports": [], "digest": [], "feed": []}
    assert events >= 1
    print(f"output walk {_reader_id(reader)}: {files} export files, 1 digest, {events} feed events")


def test_the_output_walk_can_see_a_marker_where_one_is_written(client, world, settings):
    """The counterpart: a marker that does reach a reader's export, digest or feed is found."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = world["universe"].coach
    marker = next(iter(world["markers"]))
    world["worker"].__class__.objects.unscoped(reason="test").filter(pk=world["worker"].pk).update(
        first_name=marker[:30]
    )
    ReminderFactory(recipient=user, title=f"About {marker}")
    client.force_login(user)
    exports, files = _exports(client, world["universe"])
    assert files > 0 and marker[:30] in exports
    assert marker in _digest(user)
    assert marker in _feed(client, user)[0]


def _worker_session(worker) -> WorkerSession:
    return WorkerSession(worker_id=worker.pk, organisation_id=worker.organisation_id, card_id=None)


def test_the_passport_link_carries_only_what_the_worker_shared(client, world):
    """The token output: a competency passport that shares everything there is to share,
    opened without an account, shows the declaration's employer allow-list and nothing
    else: no declared field, no other text of any of the worker's records."""
    universe, worker = world["universe"], world["worker"]
    participant = universe.objects["measurementround"].participants.get(worker=worker)
    MeasurementRound.objects.unscoped(reason="test").filter(pk=participant.round_id).update(
        status=RoundStatus.CLOSED, closed_at=timezone.now()
    )
    AgreedLevel.objects.create(
        participant=participant, competency=universe.objects["competency"], competency_name="x", level=3
    )
    allowed = {(label, name) for label, names in PASSPORT_EMPLOYER_FIELDS.items() for name in names}
    sensitive = set(all_sensitive_fields())
    planted = {}
    for model, queryset in records_of(worker).records.items():
        for field in model._meta.concrete_fields:
            key = (model._meta.label, field.name)
            if key in sensitive or key in NOT_PERSONAL or field.choices or field.primary_key:
                continue
            if isinstance(field, models.CharField | models.TextField):
                marker = f"PII{secrets.token_hex(5).upper()}"[: field.max_length or 100]
                if queryset.update(**{field.name: marker}):
                    planted[marker] = key
    worker.refresh_from_db()
    items = [(kind.key, choice.ref) for kind, choices in passport_choices(worker) for choice in choices]
    assert items, "the passport shares something, or the walk proves nothing"
    _passport, token = passport_create(
        worker=worker, recipient="Werkgever", days=7, items=items, by=_worker_session(worker)
    )

    client.logout()
    page = client.get(reverse("competenties:passport_public", kwargs={"token": token})).content.decode()

    assert not [world["markers"][marker] for marker in world["markers"] if marker in page]
    shown = {planted[marker] for marker in planted if marker in page}
    assert shown <= allowed, shown - allowed
    # The counterpart: what the allow-list names does reach the page.
    assert {("trajects.Worker", "first_name"), ("competenties.AgreedLevel", "competency_name")} <= shown
