import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from bwise.accounts.models import Role
from bwise.core.pdf import BASE_URL, StaticOnlyFetcher, html_to_pdf
from bwise.documents import registry
from bwise.documents.registry import DocumentKind
from bwise.documents.rendering import render_pdf
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def worker(organisation):
    coach = UserFactory(organisation=organisation, first_name="Lotte", last_name="Peeters")
    supervisor = UserFactory(
        organisation=organisation, first_name="Marc", last_name="Janssens", roles=[Role.BEGELEIDER]
    )
    return WorkerFactory(
        organisation=organisation,
        first_name="Yasmina",
        last_name="El Amrani",
        external_id="DB-0042",
        coach=coach,
        supervisor=supervisor,
    )


def test_worker_sheet_holds_the_key_fields(worker):
    pdf = render_pdf(
        registry.get_kind("worker_sheet"), worker, organisation=worker.organisation, language="en"
    )
    text = "\n".join(pages_text(pdf))
    for expected in (
        "Yasmina El Amrani",
        "DB-0042",
        "Lotte Peeters",
        "Marc Janssens",
        worker.organisation.name,
        "Worker summary sheet",
        "Printed on",
        "page 1 of 1",
        "Date and signature",
    ):
        assert expected in text


def test_organisation_logo_is_printed_from_private_storage(worker):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, format="PNG")
    worker.organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))
    kind = registry.get_kind("worker_sheet")
    with_logo = PdfReader(
        io.BytesIO(render_pdf(kind, worker, organisation=worker.organisation, language="en"))
    )
    assert len(with_logo.pages[0].images) == 1


def long_table_kind(rows: int) -> DocumentKind:
    return DocumentKind(
        key="test_long_table",
        label="Long table",
        model="trajects.Worker",
        template="documents/print/worker_sheet.html",
        build_context=lambda worker, reader: {
            "worker": worker,
            "rows": [
                {"date": f"2027-01-{n % 28 + 1:02d}", "text": f"Observation number {n}"} for n in range(rows)
            ],
            "signers": [],
        },
    )


def test_a_long_table_breaks_over_pages_and_repeats_its_header(worker):
    pdf = render_pdf(long_table_kind(150), worker, organisation=worker.organisation, language="en")
    pages = pages_text(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
    # The header row is printed again at the top of each continued table.
    for text in pages[1:]:
        assert "Date" in text and "Note" in text
        assert text.index("Note") < text.index("Observation number")
    assert "Observation number 149" in pages[-1]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/tracker.png",
        "file:///etc/passwd",
        BASE_URL + "static/../../bwise/settings.py",
        BASE_URL + "media/documents/1/secret.pdf",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_data_uris():
    css = StaticOnlyFetcher().fetch(BASE_URL + "static/css/print.css")
    assert b"table-header-group" in css.read()
    assert StaticOnlyFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_remote_images_in_user_text_are_not_fetched(monkeypatch):
    fetched = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    pdf = html_to_pdf('<p>hello</p><img src="http://127.0.0.1:9/x.png">')
    assert "hello" in pages_text(pdf)[0]
    assert fetched == ["http://127.0.0.1:9/x.png"]  # asked, refused, rendering went on
