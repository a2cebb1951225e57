"""Bad import files never cost more than a clear message (issue 11, finding 11).

Files are generated here; the oversized ones declare their size rather than have it, so
the tests stay fast (the old reader padded every row to the declared size first).
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from trajects import importing
from trajects.models import Worker

pytestmark = pytest.mark.django_db

HEADER = "personeelsnummer;voornaam;achternaam"
ONE_WORKER = [["External id", "First name", "Last name"], ["X-1", "Lies", "Wouters"]]


def _xlsx(rows, *, dimension: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    # Rewrite the sheet's declared dimension, as a hostile or broken writer would.
    patched = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                data = (text[:start] + dimension + text[end:]).encode()
            target.writestr(item, data)
    return patched.getvalue()


def _upload(client, name, content):
    return client.post(reverse("trajects:worker_import"), {"file": SimpleUploadedFile(name, content)})


def _form_errors(response) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get("file", [])]


def test_a_sheet_declaring_a_huge_dimension_is_refused_before_it_is_built(client, hr, monkeypatch):
    content = _xlsx(ONE_WORKER, dimension="A1:XFD2000")
    assert len(content) < 10_000
    built = []
    original = ReadOnlyWorksheet._get_row
    monkeypatch.setattr(
        ReadOnlyWorksheet, "_get_row", lambda *args, **kwargs: built.append(1) or original(*args, **kwargs)
    )
    client.force_login(hr)
    response = _upload(client, "lijst.xlsx", content)
    assert response.status_code == 200
    assert _form_errors(response), "refused on the upload form"
    assert str(importing.MAX_COLUMNS) in _form_errors(response)[0]
    assert not built, "no row of the declared size was built"


def test_a_sheet_with_more_real_rows_than_it_declares_is_refused(client, hr, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    rows = [["External id", "First name", "Last name"], *([f"X-{i}", "A", "B"] for i in range(20))]
    client.force_login(hr)
    response = _upload(client, "lijst.xlsx", _xlsx(rows, dimension="A1:C3"))
    assert response.status_code == 200
    assert any("10" in error for error in _form_errors(response))
    assert not Worker.objects.exists()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(client, hr, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1024)
    rows = [["External id", "First name", "Last name"], *([f"X-{i}", "A" * 50, "B"] for i in range(100))]
    client.force_login(hr)
    response = _upload(client, "lijst.xlsx", _xlsx(rows))
    assert response.status_code == 200 and _form_errors(response)


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_csv_line_endings_cr_crlf_and_lf_all_import(client, hr, newline):
    text = newline.join([HEADER, "P-1;Ann;Peeters", 'P-2;"Omar";"El Idrissi"', ""])
    client.force_login(hr)
    assert _upload(client, "lijst.csv", text.encode()).status_code == 302
    preview = client.get(reverse("trajects:worker_import_preview"))
    assert preview.status_code == 200
    assert [row.values["last_name"] for row in preview.context["rows"]] == ["Peeters", "El Idrissi"]
    assert not preview.context["bad"]
    client.post(reverse("trajects:worker_import_preview"))
    assert Worker.objects.count() == 2


@pytest.mark.parametrize("length", [importing.MAX_FIELD + 1, 200 * 1024])
def test_an_over_long_field_gets_a_message_naming_the_row_and_the_next_step_works(client, hr, length):
    text = "\n".join([HEADER, "P-1;Ann;Peeters", f"P-2;{'x' * length};Vos", ""])
    client.force_login(hr)
    response = _upload(client, "lijst.csv", text.encode())
    assert response.status_code == 200
    errors = _form_errors(response)
    assert errors and "3" in errors[0]
    # Nothing was kept: the preview sends back to the upload instead of failing again.
    assert client.get(reverse("trajects:worker_import_preview")).status_code == 302


def test_an_unclosed_quote_over_the_csv_limit_names_the_row(client, hr):
    text = "\n".join([HEADER, "P-1;Ann;Peeters", 'P-2;"' + "x" * (200 * 1024), ""])
    client.force_login(hr)
    response = _upload(client, "lijst.csv", text.encode())
    assert response.status_code == 200
    assert "3" in _form_errors(response)[0]


def test_the_preview_does_not_parse_the_file_again(client, hr, monkeypatch, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    client.force_login(hr)
    _upload(
        client, "lijst.xlsx", _xlsx([["External id", "First name", "Last name"], ["X-1", "Lies", "Wouters"]])
    )

    def parse_again(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(importing, "read_table", parse_again)
    for _refresh in range(2):
        preview = client.get(reverse("trajects:worker_import_preview"))
        assert preview.status_code == 200 and len(preview.context["rows"]) == 1
    # What is kept is the rows, not the uploaded workbook.
    kept = list((tmp_path / "imports").iterdir())
    assert [path.suffix for path in kept] == [".json"]
    client.post(reverse("trajects:worker_import_preview"))
    assert Worker.objects.get(external_id="X-1").last_name == "Wouters"
