"""One way to hand a table to the user as a file: CSV or XLSX.

Every list and dashboard table calls :func:`export_response` with its headers and rows,
so exports look alike everywhere and formula injection is neutralised in one place; lists
of records make their rows with :func:`export_rows`, which hands each row the record as
the privacy declaration lets the reader see it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.http import HttpResponse
from django.utils.text import slugify

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_export_format(value) -> bool:
    return value in FORMATS


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_rows(records: Iterable, row: Callable[[object], Sequence], *, reader) -> Iterator[Sequence]:
    """The rows of an export, each made by ``row`` from a record as ``reader`` may see it
    (``bwise.privacy.minimise``): a column that reads a declared special-category field
    outside the reader's audience finds no such field, rather than fill the file with it."""
    from bwise.privacy.minimise import Minimiser

    minimiser = Minimiser(reader)
    return (row(minimiser.wrap(record)) for record in records)


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, fmt: str
) -> HttpResponse:
    """The table as a download; ``filename`` without extension, ``fmt`` "csv" or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([_cell(h) for h in headers])
        writer.writerows([_cell(v) for v in row] for row in rows)
        # The byte-order mark makes Excel read the file as UTF-8.
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        content = _xlsx(headers, rows)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(headers, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    bold = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_cell(header))
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ExportListMixin:
    """A ListView that also answers ``?format=csv|xlsx`` with its whole (unpaginated) list.

    Declare ``export_filename``, ``export_headers()`` and ``export_row(obj)``. Lists of
    workers set ``export_logs_access`` so that each export writes one access-log row.
    """

    export_filename = "export"
    export_logs_access = False

    def export_headers(self) -> list[str]:  # pragma: no cover - declared by each list
        raise NotImplementedError

    def export_row(self, obj) -> Sequence:  # pragma: no cover - declared by each list
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if not is_export_format(fmt):
            return super().get(request, *args, **kwargs)
        queryset = self.get_queryset()
        if self.export_logs_access:
            from bwise.audit.services import AccessAction, log_access

            log_access(
                user=request.user,
                action=AccessAction.EXPORT,
                record=(queryset.model._meta.label, self.export_filename),
                detail={"export": self.export_filename, "format": fmt},
                filters=request.GET,
            )
        return export_response(
            headers=self.export_headers(),
            rows=export_rows(queryset, self.export_row, reader=request.user),
            filename=self.export_filename,
            fmt=fmt,
        )
