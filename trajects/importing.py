"""Importing a worker list from CSV or Excel: read, check every row, then save all rows or none.

A row is matched to an existing worker by its external id, so importing the same
list again updates the workers instead of duplicating them.
"""

import csv
import io
import json
import os
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bwise.accounts.models import Role, User
from bwise.core.errors import DomainError
from bwise.core.forms import LimitedTextMixin
from trajects import summaries
from trajects.models import DutchLevel, ImportJob, ImportStatus, Statuut, Worker
from trajects.services import statuut_periods_sync, teams_sync, worker_staff_check

MAX_ROWS = 5000
PROGRESS_EVERY = 50
MAX_COLUMNS = 100
MAX_FIELD = 1000  # characters in one cell; no worker field is longer
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_MB = 50
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
UPLOAD_MAX_AGE = timedelta(hours=24)

# Column headings we recognise, in English and in Dutch, mapped to the worker's fields.
COLUMNS = {
    "external_id": ("external_id", "external id", "extern id", "externe id", "personeelsnummer", "nummer"),
    "first_name": ("first_name", "first name", "voornaam"),
    "last_name": ("last_name", "last name", "achternaam", "familienaam", "naam"),
    "email": ("email", "e-mail", "e-mailadres"),
    "phone": ("phone", "telefoon", "gsm"),
    "birth_date": ("birth_date", "date of birth", "geboortedatum"),
    "statuut": ("statuut", "status"),
    "statuut_start": ("statuut_start", "start date", "startdatum", "in dienst"),
    "team": ("team", "afdeling", "department"),
    "coach": ("coach", "doorstroomcoach"),
    "languages": ("languages", "talen"),
    "dutch_level": ("dutch_level", "niveau nederlands", "taalniveau"),
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
# The columns of the import template and of the caseload export, in this order, under these
# headings: a file the product made is a file it reads, in either language.
TEMPLATE_COLUMNS = [
    ("external_id", gettext_lazy("External id")),
    ("first_name", gettext_lazy("First name")),
    ("last_name", gettext_lazy("Last name")),
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("birth_date", gettext_lazy("Date of birth")),
    ("statuut", gettext_lazy("Statuut")),
    ("statuut_start", gettext_lazy("Statuut start")),
    ("team", gettext_lazy("Team")),
    ("coach", gettext_lazy("Coach")),
    ("languages", gettext_lazy("Languages")),
    ("dutch_level", gettext_lazy("Level of Dutch")),
]


def _aliases() -> dict[str, str]:
    aliases = dict(ALIASES)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            aliases.update({str(label).lower(): name for name, label in TEMPLATE_COLUMNS})
    return aliases


def template_rows(*, by) -> tuple[list[str], list[list]]:
    """The headings of the import template and one example row (a made-up worker, coached
    by whoever downloads it if they coach)."""
    headers = [str(label) for _name, label in TEMPLATE_COLUMNS]
    example = {
        "external_id": "P-0001",
        "first_name": "Francine",
        "last_name": "Put",
        "email": "francine.put@example.org",
        "phone": "0470 12 34 56",
        "birth_date": date(1990, 5, 17),
        "statuut": Statuut.LDE.label,
        "statuut_start": date(2026, 1, 5),
        "team": "Atelier",
        "coach": by.username if by.has_role(Role.COACH) else "",
        "languages": "Nederlands, Arabisch",
        "dutch_level": DutchLevel.A2.label,
    }
    return headers, [[example[name] for name, _label in TEMPLATE_COLUMNS]]


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class ImportRowForm(LimitedTextMixin, forms.ModelForm):
    """Checks one row with the same rules as the worker form."""

    class Meta:
        model = Worker
        fields = [
            "external_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "birth_date",
            "statuut",
            "statuut_start",
            "team",
            "languages",
            "dutch_level",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("birth_date", "statuut_start"):
            self.fields[name].input_formats = DATE_FORMATS


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    existing: Worker | None = None
    cleaned: dict = field(default_factory=dict)
    coach: User | None = None

    @property
    def action(self) -> str:
        return _("update") if self.existing else _("new")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(uploaded) -> list[list[str]]:
    """The uploaded file's rows as lists of strings; refuses what it cannot read in plain words.

    Sizes are checked before anything is built from them: an .xlsx declares its
    dimension and is a zip whose parts are listed with their unpacked size, and rows are
    read one at a time, each cut at ``MAX_COLUMNS``, until one more than the limit.
    """
    uploaded.seek(0)
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DomainError(_("The file is larger than 5 MB."), field="file", code="file_too_large")
    reader = _xlsx_rows if Path(uploaded.name).suffix.lower() == ".xlsx" else _csv_rows
    rows = []
    for line, row in enumerate(reader(raw), start=1):
        if line > MAX_ROWS + 1:
            raise DomainError(
                _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS}, code="too_many_rows"
            )
        if any(len(cell) > MAX_FIELD for cell in row):
            raise DomainError(
                _("Row %(row)s has a field longer than %(max)s characters.")
                % {"row": line, "max": MAX_FIELD},
                code="field_too_long",
            )
        if any(row):
            rows.append(row)
    if not rows:
        raise DomainError(_("The file is empty."), code="empty_file")
    return rows


def _xlsx_rows(raw: bytes):
    from openpyxl import load_workbook

    unreadable = _("This Excel file cannot be read. Save it again as .xlsx and retry.")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as err:
        raise DomainError(unreadable, code="unreadable") from err
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            _("This Excel file unpacks to more than %(max)s MB.") % {"max": MAX_UNPACKED_MB},
            code="file_too_large",
        )
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same answer
        raise DomainError(unreadable, code="unreadable") from err
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension decides how far openpyxl pads every row: refuse a large
        # one before the first row is built.
        if (sheet.max_row or 0) > MAX_ROWS + 1 or (sheet.max_column or 0) > MAX_COLUMNS:
            raise DomainError(
                _("The sheet is larger than %(rows)s rows and %(columns)s columns; keep only the list.")
                % {"rows": MAX_ROWS + 1, "columns": MAX_COLUMNS},
                code="too_many_rows",
            )
        try:
            for row in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True):
                yield _trimmed([_cell(value) for value in row])
        except Exception as err:  # noqa: BLE001 - a broken sheet part, halfway through
            raise DomainError(unreadable, code="unreadable") from err
    finally:
        workbook.close()


def _csv_rows(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096].replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    # newline="" splits lines on CR, LF and CRLF alike and leaves line breaks inside
    # quoted fields to the csv module.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            # Raised for a field over the csv module's limit or a broken quote, on the
            # line where reading stopped.
            raise DomainError(
                _("Row %(row)s cannot be read: a field is too long or a quote is not closed.")
                % {"row": reader.line_num},
                code="unreadable",
            ) from err
        yield _trimmed([cell.strip() for cell in row[:MAX_COLUMNS]])


def _trimmed(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row.pop()
    return row


def _choice(value: str, choices) -> str:
    wanted = value.strip().lower().replace("-", " ").replace("_", " ")
    for code, label in choices:
        if wanted in (code.lower().replace("_", " "), str(label).lower()) or str(label).lower().startswith(
            wanted + " "
        ):
            return code
    return value


def check_rows(table: list[list[str]], *, by, progress=None) -> list[ImportRow]:
    """Every row with its problems; ``progress(rows_checked)`` is told every
    ``PROGRESS_EVERY`` rows."""
    aliases = _aliases()
    header = []
    for heading in table[0]:
        name = aliases.get(heading.strip().lower())
        # The first column of a field counts ("Statuut" before the export's "Status").
        header.append(name if name not in header else None)
    missing = [name for name in ("external_id", "first_name", "last_name") if name not in header]
    if missing:
        names = ", ".join(
            COLUMNS[name][-1] if name != "external_id" else "personeelsnummer" for name in missing
        )
        raise DomainError(
            _("The first row must name the columns; missing: %(names)s.") % {"names": names},
            code="missing_columns",
        )
    staff = list(
        User.objects.filter(organisation_id=by.organisation_id, roles__overlap=[Role.COACH, Role.HR])
    )
    # A coach by user name or e-mail, or by name as the caseload export writes it (when no
    # colleague shares it).
    names = [str(user).lower() for user in staff]
    coaches = {str(user).lower(): user for user in staff if names.count(str(user).lower()) == 1}
    coaches.update({key.lower(): user for user in staff for key in (user.username, user.email) if key})
    existing = {
        w.external_id: w
        for w in Worker.objects.unscoped(
            reason="matches imported rows to the organisation's personnel numbers"
        )
        .filter(organisation_id=by.organisation_id)
        .exclude(external_id="")
        .select_related("supervisor")
    }
    visible = set(Worker.objects.visible_to(by).values_list("pk", flat=True))
    seen: dict[str, int] = {}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if progress is not None and (number - 2) % PROGRESS_EVERY == 0:
            progress(number - 2)
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}
        row = ImportRow(line=number, values=values)
        rows.append(row)
        data = dict(values)
        data["statuut"] = _choice(data.get("statuut", ""), Statuut.choices) if data.get("statuut") else ""
        if data.get("dutch_level"):
            data["dutch_level"] = _choice(data["dutch_level"], DutchLevel.choices)
        external_id = data.get("external_id", "")
        if not external_id:
            row.errors.append(
                _("The personnel number (external id) is missing; it is needed to update later.")
            )
        elif external_id in seen:
            row.errors.append(
                _("The same personnel number is also on row %(line)s.") % {"line": seen[external_id]}
            )
        else:
            seen[external_id] = number
        row.existing = existing.get(external_id)
        if row.existing is not None and row.existing.pk not in visible:
            row.errors.append(_("A worker with this personnel number exists but is not in your caseload."))
        form = ImportRowForm(data, instance=None)
        form.instance.organisation_id = by.organisation_id
        form.validate_unique = lambda: None  # a re-import updates; uniqueness is handled above
        if form.is_valid():
            row.cleaned = form.cleaned_data
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            row.errors += [f"{label}: {error}" if label else str(error) for error in errors]
        coach_key = data.get("coach", "").lower()
        if coach_key:
            row.coach = coaches.get(coach_key)
            if row.coach is None:
                row.errors.append(
                    _("No coach “%(coach)s” in your organisation (use the user name or e-mail).")
                    % {"coach": data["coach"]}
                )
            else:
                target = row.existing or Worker(organisation_id=by.organisation_id)
                try:
                    worker_staff_check(worker=target, by=by, coach=row.coach, supervisor=target.supervisor)
                except DomainError as err:
                    row.errors.append(err.message)
    return rows


def save_upload(uploaded, *, by) -> str:
    """Read the upload once and keep its rows privately until the user confirms; return
    their token. A file that cannot be read is refused here, on the upload form, so no
    later step parses it again.

    The rows are readable by the application's user only (0600), carry the organisation in
    the file name so that erasing one of its workers can discard them, and are purged after
    ``UPLOAD_MAX_AGE`` if never confirmed (``purge_stale_uploads``, run by beat)."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise DomainError(_("Upload a .csv or .xlsx file."), field="file", code="file_type")
    if uploaded.size > MAX_BYTES:
        raise DomainError(_("The file is larger than 5 MB."), field="file", code="file_too_large")
    try:
        table = read_table(uploaded)
    except DomainError as err:
        raise DomainError(err.message, field="file", code=err.code) from err
    token = f"{by.organisation_id}-{secrets.token_urlsafe(24)}.json"
    descriptor = os.open(_folder() / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(table, out)
    return token


def _folder() -> Path:
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def upload_path(token: str) -> Path:
    path = _folder() / Path(token).name  # the token comes from the session; never a path
    if not path.exists():
        raise DomainError(_("The uploaded file is no longer available; upload it again."), code="upload_gone")
    return path


def load_table(token: str) -> list[list[str]]:
    """The rows kept by ``save_upload``."""
    try:
        with open(upload_path(token), encoding="utf-8") as kept:
            return json.load(kept)
    except ValueError as err:  # a token from before rows were kept instead of files
        raise DomainError(
            _("The uploaded file is no longer available; upload it again."), code="upload_gone"
        ) from err


def discard_upload(token: str) -> None:
    (_folder() / Path(token).name).unlink(missing_ok=True)


def purge_stale_uploads(*, now: datetime | None = None) -> int:
    """Delete the uploads nobody confirmed within ``UPLOAD_MAX_AGE``; return how many."""
    cutoff = (now or datetime.now(tz=UTC)) - UPLOAD_MAX_AGE
    purged = 0
    for path in _folder().iterdir():
        if path.is_file() and datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < cutoff:
            path.unlink(missing_ok=True)
            purged += 1
    return purged


def discard_uploads_of(organisation_id) -> int:
    """Delete every pending upload of an organisation (erasure: any of them may name the worker)."""
    purged = 0
    for path in _folder().glob(f"{int(organisation_id)}-*"):
        path.unlink(missing_ok=True)
        purged += 1
    return purged


def workers_import(*, table: list[list[str]], by, progress=None) -> tuple[int, int]:
    """Save every row or none. Returns (created, updated)."""
    rows = check_rows(table, by=by, progress=progress)
    bad = [row for row in rows if row.errors]
    if bad:
        raise DomainError(
            _("%(count)s rows have errors; nothing was imported. Correct the file and upload it again.")
            % {"count": len(bad)},
            code="rows_with_errors",
        )
    created = updated = 0
    teams, left = set(), set()
    existing = [row.existing.pk for row in rows if row.existing]
    with summaries.tracking(by.organisation_id, existing) as tracked:
        for row in rows:
            worker = row.existing or Worker(organisation_id=by.organisation_id)
            left.add(worker.team)
            for name, value in row.cleaned.items():
                if name in row.values:
                    setattr(worker, name, value)
            if row.coach is not None:
                worker.coach = row.coach
            elif worker.pk is None and by.has_role(Role.COACH):
                worker.coach = by
            created += worker.pk is None
            updated += worker.pk is not None
            worker.save()
            tracked.add(worker.pk)
            statuut_periods_sync(worker=worker, by=by)
            teams.add(worker.team)
        teams_sync(organisation_id=by.organisation_id, names=teams, left=left)
    return created, updated


# Imports in the background


def runs_in_background(table: list[list[str]]) -> bool:
    return len(table) - 1 > settings.IMPORT_BACKGROUND_ROWS


def import_job_start(*, token: str, by) -> ImportJob:
    """Hand a checked upload to a Celery worker; the upload now belongs to the job."""
    from bwise.documents.dispatch import publish
    from trajects import tasks

    table = load_table(token)
    job = ImportJob.objects.create(
        organisation_id=by.organisation_id, requested_by=by, upload=token, total=len(table) - 1
    )
    # The job row is the outbox: if the broker is down now, ``import_jobs_dispatch`` sends it later.
    transaction.on_commit(lambda: publish(tasks.import_workers, [job]))
    return job


def import_jobs_dispatch(*, now: datetime | None = None) -> int:
    """Send every import the broker never took (or lost): the periodic sweep of the outbox.
    A message sent twice is harmless, as the worker claims the job once."""
    from bwise.documents.dispatch import publish, unsent_q
    from trajects import tasks

    waiting = (
        ImportJob.objects.unscoped(reason="the outbox sweep sends every organisation's imports")
        .filter(unsent_q(now or timezone.now()))
        .order_by("created_at")
    )
    return publish(tasks.import_workers, list(waiting[:100]))


def import_job_run(*, job_pk: int) -> None:
    """The worker's side: claim the job once, check every row (telling how far), save all
    rows or none, and forget the upload."""
    claimed = (
        ImportJob.objects.unscoped(reason="the worker claims the import it was handed")
        .filter(pk=job_pk, status=ImportStatus.QUEUED)
        .update(status=ImportStatus.RUNNING)
    )
    if not claimed:
        return
    jobs = ImportJob.objects.unscoped(reason="the worker runs the import it claimed")
    job = jobs.select_related("requested_by").get(pk=job_pk)

    def progress(checked):
        jobs.filter(pk=job_pk).update(checked=checked)

    try:
        created, updated = workers_import(
            table=load_table(job.upload), by=job.requested_by, progress=progress
        )
    except DomainError as refused:
        jobs.filter(pk=job_pk).update(
            status=ImportStatus.FAILED, error=str(refused.message)[:500], finished_at=timezone.now()
        )
    else:
        jobs.filter(pk=job_pk).update(
            status=ImportStatus.DONE,
            checked=job.total,
            created_count=created,
            updated_count=updated,
            finished_at=timezone.now(),
        )
    discard_upload(job.upload)
