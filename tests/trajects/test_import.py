import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from bwise.accounts.models import Role
from trajects.models import Worker

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "personeelsnummer;voornaam;achternaam;statuut;startdatum;team;coach\n"
    "P-001;Ann;Peeters;LDE;01/09/2022;Groen;{coach}\n"
    "P-002;Omar;El Idrissi;maatwerk;2019-04-15;Keuken;\n"
)
BAD_CSV = (
    "personeelsnummer;voornaam;achternaam;statuut;startdatum;coach\n"
    "P-001;Ann;Peeters;LDE;01/09/2022;\n"
    "P-002;;El Idrissi;maatwerk;2019-04-15;\n"
    "P-003;Jan;Smet;astronaut;31/02/2020;\n"
    ";Eva;Claes;;;niemand\n"
    "P-001;Ann;Dubbel;;;\n"
)


@pytest.fixture
def settings_private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


def _upload(client, name, content):
    return client.post(reverse("trajects:worker_import"), {"file": SimpleUploadedFile(name, content)})


def _preview_and_confirm(client):
    preview = client.get(reverse("trajects:worker_import_preview"))
    confirm = client.post(reverse("trajects:worker_import_preview"), follow=True)
    return preview, confirm


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_bad_row(client, coach, settings_private):
    client.force_login(coach)
    assert _upload(client, "lijst.csv", BAD_CSV.encode()).status_code == 302
    preview, confirm = _preview_and_confirm(client)
    rows = {row.line: row.errors for row in preview.context["rows"]}
    assert rows[2] == []
    # Field errors come in the reader's language, named after the field.
    assert len(rows[3]) == 1 and rows[3][0].startswith("Voornaam: ")
    assert len(rows[4]) == 2 and rows[4][0].startswith("Statuut: ") and "astronaut" in rows[4][0]
    assert rows[4][1].startswith("Startdatum statuut: ") or rows[4][1].startswith("Statuut start date: ")
    assert any("personeelsnummer" in e for e in rows[5]) and any("niemand" in e for e in rows[5])
    assert any("rij 2" in e for e in rows[6])
    assert "4 rijen bevatten fouten" in confirm.content.decode()
    assert not Worker.objects.exists()


def test_a_good_csv_imports_and_a_reimport_updates(client, coach, settings_private):
    client.force_login(coach)
    _upload(client, "lijst.csv", GOOD_CSV.format(coach=coach.username).encode())
    preview, confirm = _preview_and_confirm(client)
    assert not preview.context["bad"]
    assert "2 nieuwe doelgroepmedewerkers" in confirm.content.decode()
    ann = Worker.objects.get(external_id="P-001")
    assert (ann.statuut, ann.statuut_start.isoformat(), ann.coach, ann.team) == (
        "lde",
        "2022-09-01",
        coach,
        "Groen",
    )
    assert Worker.objects.get(external_id="P-002").coach == coach  # the importing coach by default
    assert not list(settings_private.glob("imports/*")), "the upload is discarded after import"

    _upload(client, "lijst.csv", GOOD_CSV.replace("Groen", "Logistiek").format(coach=coach.username).encode())
    _preview, confirm = _preview_and_confirm(client)
    assert "0 nieuwe doelgroepmedewerkers, 2 bijgewerkt" in confirm.content.decode()
    assert Worker.objects.count() == 2
    assert Worker.objects.get(external_id="P-001").team == "Logistiek"


def test_a_good_xlsx_imports(client, hr, settings_private):
    book = Workbook()
    sheet = book.active
    sheet.append(["External id", "First name", "Last name", "Statuut", "Start date", "Team"])
    import datetime

    sheet.append(["X-9", "Lies", "Wouters", "Artikel 60", datetime.datetime(2024, 2, 1), "Atelier"])
    sheet.append([1234, "Tom", "Vos", "leerwerknemer", None, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(hr)
    _upload(client, "lijst.xlsx", buffer.getvalue())
    preview, confirm = _preview_and_confirm(client)
    assert not preview.context["bad"], [r.errors for r in preview.context["rows"]]
    assert Worker.objects.get(external_id="X-9").statuut == "artikel_60"
    assert Worker.objects.get(external_id="1234").statuut == "leerwerknemer"


def test_reimport_cannot_touch_a_worker_outside_the_caseload(client, coach, make_user, settings_private):
    other = make_user(Role.COACH)
    Worker.objects.create(
        organisation=coach.organisation, external_id="P-001", first_name="A", last_name="B", coach=other
    )
    client.force_login(coach)
    _upload(client, "lijst.csv", GOOD_CSV.format(coach="").encode())
    preview, _confirm = _preview_and_confirm(client)
    assert any("niet in jouw caseload" in e for e in preview.context["rows"][0].errors)
    assert Worker.objects.get(external_id="P-001").last_name == "B"


def test_unreadable_or_wrong_files_are_refused_in_plain_words(client, coach, settings_private):
    client.force_login(coach)
    response = _upload(client, "lijst.pdf", b"%PDF")
    assert "Laad een .csv- of .xlsx-bestand op." in response.content.decode()
    response = _upload(client, "lijst.xlsx", b"not a zip")
    assert response.status_code == 200
    assert "kan niet gelezen worden" in response.content.decode()
    assert not list(settings_private.glob("imports/*"))


def test_begeleider_and_directie_cannot_import(client, begeleider, directie):
    for user in (begeleider, directie):
        client.force_login(user)
        assert client.get(reverse("trajects:worker_import")).status_code == 403


FIELDS = ("external_id", "first_name", "last_name", "statuut", "statuut_start", "team", "coach_id", "email")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_caseload_export_imports_back_unchanged(client, coach, settings_private, fmt):
    import datetime

    from tests.factories import WorkerFactory

    for number, (first, statuut) in enumerate(
        [("Francine", "lde"), ("Omar", "maatwerk"), ("Els", "")], start=1
    ):
        WorkerFactory(
            organisation=coach.organisation,
            coach=coach,
            external_id=f"P-{number:03}",
            first_name=first,
            statuut=statuut,
            statuut_start=datetime.date(2024, 11, 30) if statuut else None,
            team="Atelier",
        )
    before = list(Worker.objects.order_by("external_id").values_list(*FIELDS))
    client.force_login(coach)
    exported = client.get(reverse("trajects:caseload"), {"format": fmt})
    assert _upload(client, f"caseload.{fmt}", exported.content).status_code == 302
    preview, confirm = _preview_and_confirm(client)
    assert [row.errors for row in preview.context["rows"]] == [[], [], []]
    assert confirm.status_code == 200
    assert list(Worker.objects.order_by("external_id").values_list(*FIELDS)) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_import_template_names_the_columns_and_its_example_imports(client, coach, settings_private, fmt):
    client.force_login(coach)
    template = client.get(reverse("trajects:worker_import_template"), {"format": fmt})
    assert template.status_code == 200
    assert template["Content-Disposition"].endswith(f'.{fmt}"')
    assert _upload(client, f"template.{fmt}", template.content).status_code == 302
    preview, _confirm = _preview_and_confirm(client)
    assert [row.errors for row in preview.context["rows"]] == [[]]
    francine = Worker.objects.get(external_id="P-0001")
    assert (francine.first_name, francine.statuut, francine.coach, francine.dutch_level) == (
        "Francine",
        "lde",
        coach,
        "A2",
    )


HEADER = "personeelsnummer;voornaam;achternaam;statuut;startdatum;team;coach\n"


def _many(count):
    return HEADER + "".join(f"P-{n:03};Naam{n};Achter{n};LDE;01/09/2022;Groen;\n" for n in range(count))


def test_a_large_import_runs_in_the_background_and_shows_how_far_it_is(
    client, coach, settings_private, settings, tasks_on_commit
):
    from trajects.models import ImportJob

    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(coach)
    _upload(client, "groot.csv", _many(120).encode())
    assert len(client.get(reverse("trajects:worker_import_preview")).context["rows"]) == 120
    with tasks_on_commit():
        started = client.post(reverse("trajects:worker_import_preview"))
        job = ImportJob.objects.unscoped(reason="the test reads the job it started").get()
        url = reverse("trajects:worker_import_job", kwargs={"importjob_pk": job.pk})
        assert started["Location"] == url
        assert not Worker.objects.exists(), "nothing is saved while the page answers"
        waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 2s"' in waiting and "0 van 120" in waiting
    assert Worker.objects.count() == 120
    job.refresh_from_db()
    assert (job.status, job.checked, job.created_count) == ("done", 120, 120)
    done = client.get(url).content.decode()
    assert "every 2s" not in done and "120" in done


def test_an_import_of_the_limit_is_saved_at_once(client, coach, settings_private, settings):
    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(coach)
    _upload(client, "klein.csv", _many(100).encode())
    _preview, confirm = _preview_and_confirm(client)
    assert Worker.objects.count() == 100


def test_the_check_tells_its_progress_every_50_rows(coach):
    from trajects import importing

    told = []
    table = [row.split(";") for row in _many(120).splitlines()]
    importing.check_rows(table, by=coach, progress=told.append)
    assert told == [0, 50, 100]


def test_a_background_import_with_a_bad_row_imports_nothing_and_says_why(coach, settings_private):
    from trajects import importing
    from trajects.models import ImportJob

    table = [row.split(";") for row in (_many(3) + "P-999;;Leeg;LDE;01/09/2022;Groen;\n").splitlines()]
    token = f"{coach.organisation_id}-test.json"
    (importing._folder() / token).write_text(__import__("json").dumps(table))
    job = ImportJob.objects.create(organisation=coach.organisation, requested_by=coach, upload=token, total=4)
    importing.import_job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "1" in job.error
    assert not Worker.objects.exists()
    assert not (importing._folder() / token).exists(), "the upload is forgotten either way"


def test_a_background_import_waits_while_the_broker_is_down_and_runs_once_it_is_back(
    client, coach, settings_private, settings, django_capture_on_commit_callbacks
):
    from tests.documents_helpers import CLOSED_BROKER, broker, eager_tasks
    from trajects import tasks
    from trajects.models import ImportJob

    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(coach)
    _upload(client, "groot.csv", _many(3).encode())
    client.get(reverse("trajects:worker_import_preview"))
    with broker(CLOSED_BROKER):
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("trajects:worker_import_preview"))
        job = ImportJob.objects.unscoped(reason="the test reads the job it started").get()
        assert started["Location"] == reverse("trajects:worker_import_job", kwargs={"importjob_pk": job.pk})
        waiting = client.get(started["Location"], headers={"HX-Request": "true"}).content.decode()
        assert "Het importeren wacht" in waiting and 'hx-trigger="every 2s"' in waiting
        assert tasks.dispatch_pending_imports() == 0, "the sweep finds the broker still down"
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == ("queued", None)
    assert not Worker.objects.exists()

    # The broker is back: the beat's sweep sends what waited, and the worker imports it once.
    with eager_tasks():
        assert tasks.dispatch_pending_imports() == 1
        assert tasks.dispatch_pending_imports() == 0, "a job sent is not sent again"
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 3) and job.dispatched_at is not None
    assert Worker.objects.count() == 3
    assert "Het importeren wacht" not in client.get(started["Location"]).content.decode()
