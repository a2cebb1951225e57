"""One way to hand a table to the user as a file: CSV or XLSX.

Every list exports through :class:`ExportMixin` (a dashboard figure, which is only a file,
through :func:`requested_format` and :func:`export_response`), so exports look alike
everywhere, an unknown ``?format=`` gets the same 404 everywhere and formula injection is
neutralised in one place; the rows are made with :func:`export_rows`, which hands each row
the record as the privacy declaration lets the reader see it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.http import Http404, HttpResponse
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
