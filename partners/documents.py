"""Printable partner and stage documents: the employer sheet, the BVS three-party agreement
(a draft until signed), the TBS agreement, the monthly attendance list and the evaluations,
each read through its record's own scope."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bwise.access import is_worker_session
from bwise.core.errors import DomainError
from bwise.documents.registry import DocumentKind, register
from bwise.privacy.declaration import WORKER_FIELDS
from bwise.privacy.minimise import allowed_fields
from partners import letters
from partners.models import CV_FIELDS, AttendanceStatus, CurriculumVitae, EvaluationLevel, StageKind


def _stage_name(label):
    """What a stage document is called, with the year the stage starts in."""
    return lambda stage: f"{label} {stage.start_date.year}" if stage.start_date else str(label)


@dataclass(frozen=True)
class OneStageKind(DocumentKind):
    """An agreement exists for one kind of stage only: other stages are not offered, so asking
    for one answers as for a record the reader cannot see."""

    stage_kind: str = ""

    def visible_records(self, user) -> models.QuerySet:
        return super().visible_records(user).filter(kind=self.stage_kind)


def bvs_agreement_context(stage, reader) -> dict:
    if stage.kind != StageKind.BVS:
        raise DomainError(_("Only a BVS has a three-party agreement."), code="not_bvs")
    worker = stage.worker
    organisation = worker.organisation
    host = stage.partner.name
    signers = [
        (_("Worker"), worker.full_name),
        (_("Host company (mentor)"), f"{host} · {stage.mentor_name}"),
        (_("Current employer"), f"{organisation.name} · {worker.coach or ''}".rstrip(" ·")),
    ]
    if stage.coaching_organisation:
        signers.append((_("Coaching organisation"), stage.coaching_organisation))
    return {
        "stage": stage,
        "worker": worker,
        "employer": organisation,
        # Until the signing date is recorded the agreement is a draft, to be signed.
        "draft": stage.agreement_signed_on is None,
        "programme_lines": [line for line in stage.programme.splitlines() if line.strip()],
        "signers": signers,
        "drawn_up_on": stage.agreement_signed_on,
    }


def tbs_agreement_context(stage, reader) -> dict:
    if stage.kind != StageKind.TBS:
        raise DomainError(_("Only a TBS has this agreement."), code="not_tbs")
    worker = stage.worker
    organisation = worker.organisation
    return {
        "stage": stage,
        "worker": worker,
        "employer": organisation,
        "signers": [
            (_("Worker"), worker.full_name),
            (_("Host company (user)"), f"{stage.partner.name} · {stage.mentor_name}"),
            (_("Employer"), f"{organisation.name} · {worker.coach or ''}".rstrip(" ·")),
        ],
        "drawn_up_on": stage.agreement_signed_on,
    }


def attendance_month(stage, today: datetime.date | None = None) -> datetime.date:
    """The first day of the month the list covers: the current month, or the stage's last
    month once it has ended (or its first month while it has not started)."""
    today = today or timezone.localdate()
    day = today
    if stage.end_date and stage.end_date < today:
        day = stage.end_date
    elif stage.start_date and today < stage.start_date:
        day = stage.start_date
    return day.replace(day=1)


def attendance_list_context(stage, reader, today: datetime.date | None = None) -> dict:
    month = attendance_month(stage, today)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    first_day = max(month, stage.start_date) if stage.start_date else month
    last_day = min(last, stage.end_date) if stage.end_date else last
    by_day = {row.day: row for row in stage.attendance.filter(day__gte=month, day__lte=last)}
    rows = []
    day = first_day
    while day <= last_day:
        rows.append({"day": day, "record": by_day.get(day)})
        day += datetime.timedelta(days=1)
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for record in by_day.values():
        counts[record.status] += 1
    return {
        "stage": stage,
        "worker": stage.worker,
        "month": month,
        "rows": rows,
        "totals": [(AttendanceStatus(status).label, count) for status, count in counts.items()],
        "signers": [(_("Mentor at the host"), f"{stage.mentor_name} · {stage.partner.name}")],
    }


def stage_evaluation_context(stage, reader) -> dict:
    levels = models.Prefetch(
        "levels", queryset=EvaluationLevel.objects.select_related("competency").order_by("competency__name")
    )
    evaluations = stage.evaluations.prefetch_related(levels).order_by("held_on", "pk")
    worker = stage.worker
    return {
        "stage": stage,
        "worker": worker,
        "evaluations": evaluations,
        "signers": [
            (_("Mentor at the host"), f"{stage.mentor_name} · {stage.partner.name}"),
            (_("Worker"), worker.full_name),
            (_("Transition coach"), str(worker.coach or "")),
        ],
    }


BVS_AGREEMENT = register(
    OneStageKind(
        stage_kind=StageKind.BVS,
        key="bvs_agreement",
        label=gettext_lazy("BVS three-party agreement"),
        model="partners.Stage",
        template="documents/print/bvs_agreement.html",
        build_context=bvs_agreement_context,
        name=_stage_name(gettext_lazy("BVS agreement")),
        agreement=True,
    )
)

TBS_AGREEMENT = register(
    OneStageKind(
        stage_kind=StageKind.TBS,
        key="tbs_agreement",
        label=gettext_lazy("TBS agreement"),
        model="partners.Stage",
        template="documents/print/tbs_agreement.html",
        build_context=tbs_agreement_context,
        name=_stage_name(gettext_lazy("TBS agreement")),
    )
)


def employer_sheet_context(partner, reader) -> dict:
    return {
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "visits": list(partner.visits.filter(done_on__isnull=False).order_by("-done_on")[:3]),
    }


EMPLOYER_SHEET = register(
    DocumentKind(
        key="employer_sheet",
        label=gettext_lazy("Employer sheet (werkgeversfiche)"),
        model="partners.Partner",
        template="documents/print/employer_sheet.html",
        build_context=employer_sheet_context,
        name=lambda partner: f"{_('Employer sheet')} {partner.name}",
    )
)

ATTENDANCE_LIST = register(
    DocumentKind(
        key="attendance_list",
        label=gettext_lazy("Monthly attendance list"),
        model="partners.Stage",
        template="documents/print/attendance_list.html",
        build_context=attendance_list_context,
        name=_stage_name(gettext_lazy("Attendance list")),
    )
)

STAGE_EVALUATION = register(
    DocumentKind(
        key="stage_evaluation",
        label=gettext_lazy("Stage evaluation"),
        model="partners.Stage",
        template="documents/print/stage_evaluation.html",
        build_context=stage_evaluation_context,
        name=_stage_name(gettext_lazy("Stage evaluation")),
    )
)


# --- What the worker applies with -------------------------------------------------------


def _as_read_by(record, reader):
    """The worker printing their own CV or letter gets only the fields the declaration gives
    them (``WORKER_FIELDS``), as on their pages; staff get the record."""
    if is_worker_session(reader):
        return allowed_fields(record, WORKER_FIELDS[record._meta.label])
    return record


def cv_context(cv, reader) -> dict:
    worker = _as_read_by(cv.worker, reader)
    cv = _as_read_by(cv, reader)
    sections = [
        (capfirst(CurriculumVitae._meta.get_field(name).verbose_name), getattr(cv, name).strip())
        for name in CV_FIELDS
    ]
    return {"cv": cv, "worker": worker, "sections": [(title, text) for title, text in sections if text]}


CV = register(
    DocumentKind(
        key="cv",
        label=gettext_lazy("CV"),
        model="partners.CurriculumVitae",
        template="documents/print/cv.html",
        build_context=cv_context,
        name=lambda cv: "CV",
    )
)


def motivation_letter_context(letter, reader) -> dict:
    worker = _as_read_by(letter.worker, reader)
    letter = _as_read_by(letter, reader)
    return {"letter": letter, "worker": worker, "sentences": letters.sentences(letter)}


MOTIVATION_LETTER = register(
    DocumentKind(
        key="motivation_letter",
        label=gettext_lazy("Motivation letter"),
        model="partners.MotivationLetter",
        template="documents/print/motivation_letter.html",
        build_context=motivation_letter_context,
        name=lambda letter: _("Letter"),
    )
)
