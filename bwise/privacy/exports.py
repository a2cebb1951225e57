"""One way to hand a table to the user as a file: CSV or XLSX.

Every list exports through :class:`ExportMixin` (a dashboard figure, which is only a file,
through :func:`requested_format` and :func:`export_response`), so exports look alike
everywhere, an unknown ``?format=`` gets the same 404 everywhere and formula injection is
neutralised in one place; every CSV of the product, exports or not, is written by
:func:`csv_content` (``;``, UTF-8 with BOM, decimal comma, day-month-year), every XLSX by
:func:`xlsx_content`. The rows are made with :func:`export_rows`, which hands each row the
record as the privacy declaration lets the reader see it.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from bwise.audit.services import AccessAction, log_access
from bwise.privacy.minimise import Minimiser

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_export_format(value) -> bool:
    return value in FORMATS


def _cell(value):
    """A value as an XLSX cell holds it: numbers and dates stay numbers and dates."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return str(value)


def csv_cell(value) -> str:
    """A value as a Belgian spreadsheet reads it from CSV: decimal comma, day-month-year,
    and a formula-looking text behind an apostrophe (a CSV cell has no type to say "text")."""
    value = _cell(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_content(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The one CSV writer of the product: ``;`` between fields, UTF-8 with a byte-order mark
    (which makes Excel read it as UTF-8), values through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_rows(records: Iterable, row: Callable[[object], Sequence], *, reader) -> Iterator[Sequence]:
    """The rows of an export, each made by ``row`` from a record as ``reader`` may see it
    (``bwise.privacy.minimise``): a column that reads a declared special-category field
    outside the reader's audience finds no such field, rather than fill the file with it."""
    minimiser = Minimiser(reader)
    return (row(minimiser.wrap(record)) for record in records)


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, fmt: str, sheet: str = ""
) -> HttpResponse:
    """The table as a download; ``filename`` without extension, ``fmt`` "csv" or "xlsx";
    ``sheet`` names the XLSX sheet (the file name when not given)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "csv":
        content = csv_content(headers, rows)
    else:
        content = xlsx_content(headers, rows, sheet=sheet or filename)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Characters a sheet name may not hold, and Excel's longest sheet name.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_SHEET_MAX = 31
_WIDTH_MIN, _WIDTH_MAX, _WIDTH_SAMPLE = 8, 60, 500


def xlsx_content(headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str) -> bytes:
    """A workbook with one named sheet: bold frozen header with an autofilter, columns as
    wide as their first rows need, dates as dates, and formula-looking text as text cells
    (typed as text, so no apostrophe shows and nothing runs)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet.translate(_SHEET_FORBIDDEN).strip()[:_SHEET_MAX] or "Export"
    widths = [len(str(header)) for header in headers]
    worksheet.append([str(header) for header in headers])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for count, row in enumerate(rows, start=1):
        values = [_cell(value) for value in row]
        worksheet.append(values)
        for index, value in enumerate(values):
            cell = worksheet.cell(row=count + 1, column=index + 1)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.value, cell.data_type = value, "s"
            elif isinstance(value, datetime.datetime):
                cell.number_format = "DD-MM-YYYY HH:MM"
            elif isinstance(value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
            if count <= _WIDTH_SAMPLE and index < len(widths):
                widths[index] = max(widths[index], len(_shown(value)))
    columns = max(len(headers), 1)
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{count + 1}"
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(
            max(width + 2, _WIDTH_MIN), _WIDTH_MAX
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _shown(value) -> str:
    if isinstance(value, datetime.datetime):
        return "00-00-0000 00:00"
    if isinstance(value, datetime.date):
        return "00-00-0000"
    return max(str(value).splitlines() or [""], key=len)


def requested_format(request, *, required: bool = False) -> str | None:
    """The export format a request asks for with ``?format=``.

    ``None`` when it asks for the page itself (a page that is only an export says
    ``required``); an unknown format is a 404, as for any address that does not exist.
    """
    fmt = request.GET.get("format")
    if fmt is None and not required:
        return None
    if not is_export_format(fmt):
        raise Http404
    return fmt


class ExportMixin:
    """A page that also answers ``?format=csv|xlsx`` with its whole (unpaginated) table.

    Declare ``export_filename`` (or ``get_export_filename()``), ``export_headers()`` and
    ``export_row(obj)`` for each object of ``export_queryset()``, by default the list's
    ``get_queryset()``. Lists of workers set ``export_logs_access`` so that each export
    writes one access-log row naming the list and the filters.
    """

    export_filename = "export"
    export_logs_access = False

    def export_headers(self) -> list[str]:  # pragma: no cover - declared by each list
        raise NotImplementedError

    def export_row(self, obj) -> Sequence:  # pragma: no cover - declared by each list
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        fmt = requested_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        queryset = self.export_queryset()
        if self.export_logs_access:
            log_access(
                user=request.user,
                action=AccessAction.EXPORT,
                record=self.export_log_record(queryset),
                detail={**self.export_log_detail(), "format": fmt},
                filters=request.GET,
            )
        return export_response(
            headers=self.export_headers(),
            rows=export_rows(queryset.iterator(chunk_size=2000), self.export_row, reader=self.request.user),
            filename=self.get_export_filename(),
            fmt=fmt,
        )

    def export_queryset(self):
        return self.get_queryset()

    def get_export_filename(self) -> str:
        return self.export_filename

    def export_log_record(self, queryset) -> tuple[str, str]:
        return (queryset.model._meta.label, self.get_export_filename())

    def export_log_detail(self) -> dict:
        return {"export": self.get_export_filename()}
