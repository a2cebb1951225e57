"""Lists beyond the caseload and the dashboard export as CSV and XLSX, within the same scope."""

import csv
import datetime
import decimal
import io

import pytest
from openpyxl import load_workbook

from bwise.accounts.models import Role
from bwise.audit.models import AccessAction, AccessLog
from bwise.privacy.exports import csv_content, xlsx_content
from tests.factories import UserFactory, WorkerFactory
from tests.factories_partners import PartnerFactory

pytestmark = pytest.mark.django_db


def _csv_rows(response):
    return [line.split(";") for line in response.content.decode("utf-8-sig").strip().splitlines()]


def test_pops_due_export_lists_the_same_workers_and_logs_the_export(client, organisation, other_organisation):
    hr = UserFactory(organisation=organisation, roles=[Role.HR])
    WorkerFactory(organisation=organisation, first_name="Nora", last_name="Zonderpop")
    WorkerFactory(organisation=other_organisation, first_name="Elders", last_name="Buiten")
    client.force_login(hr)
    response = client.get("/competencies/pops-due/?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pops-due.csv"'
    rows = _csv_rows(response)
    assert rows[0][0] == "Doelgroepmedewerker"
    assert [row[0] for row in rows[1:]] == ["Nora Zonderpop"]
    assert rows[1][4] == "Te laat"
    assert AccessLog.objects.filter(user=hr, action=AccessAction.EXPORT).count() == 1


def test_partner_list_exports_to_xlsx_with_the_type_filter(client, organisation, other_organisation):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    PartnerFactory(organisation=organisation, name="Bakkerij Peeters", kind="nec_company")
    PartnerFactory(organisation=organisation, name="Stad Gent", kind="local_government")
    PartnerFactory(organisation=other_organisation, name="Elders NV", kind="nec_company")
    client.force_login(coach)
    response = client.get("/partners/?kind=nec_company&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Bakkerij Peeters"]


def _export_urls():
    """Every page that answers ``?format=``: found from the URL conf, so a new export is covered."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    from bwise.dashboard.views import FigureExportView
    from bwise.privacy.exports import ExportMixin

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from walk(pattern.url_patterns, namespace)
            elif pattern.name:
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and issubclass(view, ExportMixin | FigureExportView):
                    yield f"{prefix}{pattern.name}"

    return sorted(walk(get_resolver().url_patterns, ""))


# What a page needs besides the format to be itself (a list of the dashboard, a figure).
EXPORT_PARAMS = {"dashboard:workers": {"list": "all"}, "dashboard:export": {"figure": "movements"}}


def test_every_export_is_known():
    assert _export_urls() == [
        "competenties:pops_due",
        "dashboard:export",
        "dashboard:workers",
        "partners:partner_list",
        "readiness:overview",
        "trajects:caseload",
    ]


@pytest.mark.parametrize("name", _export_urls())
def test_an_unknown_format_is_404_on_every_export(client, organisation, name):
    from django.urls import reverse

    user = UserFactory(organisation=organisation, roles=[Role.HR, Role.DIRECTIE, Role.COACH])
    WorkerFactory(organisation=organisation)
    client.force_login(user)
    params = EXPORT_PARAMS.get(name, {})
    assert client.get(reverse(name), {**params, "format": "csv"}).status_code == 200
    exports_logged = AccessLog.objects.filter(action=AccessAction.EXPORT).count()
    for unknown in ("pdfx", "", "CSV"):
        assert client.get(reverse(name), {**params, "format": unknown}).status_code == 404
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == exports_logged


# The one writer of each format (bwise.privacy.exports)

TABLE_HEADERS = ["Naam", "Uren", "Start", "Opmerking"]
TABLE_ROWS = [
    ["Francine Put", 12.5, datetime.date(2026, 11, 30), '=HYPERLINK("x")'],
    ["Jan Peeters", decimal.Decimal("7.25"), None, "-tegen de regel"],
]


def test_a_csv_is_belgian_semicolons_bom_decimal_comma_and_day_month_year():
    content = csv_content(TABLE_HEADERS, TABLE_ROWS)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        TABLE_HEADERS,
        ["Francine Put", "12,5", "30-11-2026", '\'=HYPERLINK("x")'],
        ["Jan Peeters", "7,25", "", "'-tegen de regel"],
    ]


def test_an_xlsx_has_a_named_sheet_frozen_header_filter_widths_and_text_for_formulas():
    content = xlsx_content(TABLE_HEADERS, TABLE_ROWS, sheet="Caseload: team/Hout")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Caseload  team Hout"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == len("Francine Put") + 2
    assert sheet.column_dimensions["B"].width == 8, "at least the minimum"
    formula = sheet["D2"]
    assert (formula.value, formula.data_type) == ('=HYPERLINK("x")', "s")
    assert sheet["C2"].value == datetime.datetime(2026, 11, 30)
    assert sheet["C2"].number_format == "DD-MM-YYYY"
    assert sheet["B3"].value == 7.25


def test_a_long_sheet_name_is_cut_to_what_excel_takes():
    content = xlsx_content(["a"], [], sheet="x" * 40)
    assert load_workbook(io.BytesIO(content)).active.title == "x" * 31


def test_the_privacy_register_goes_through_the_same_csv_writer(client, organisation):
    client.force_login(UserFactory(organisation=organisation, roles=[Role.BEHEERDER, Role.DIRECTIE, Role.HR]))
    response = client.get("/privacy/register.csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    assert ";" in response.content.decode("utf-8-sig").splitlines()[0]
