"""Reads that depend on who asks. Every list of workers starts from the access layer."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.accounts.models import User
from bwise.core.params import Cursor
from bwise.privacy.history import EVERY_ID, changes_of
from trajects.filters import CaseloadFilter
from trajects.models import (
    INTAKE_QUESTIONS,
    CoachingMoment,
    Intake,
    IntakeAnswers,
    JobDefinition,
    KickOffParticipant,
    StarrNote,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.sensitive import hidden_everywhere
from trajects.state import START


def caseload_for(user, params):
    """The caseload with each worker's current phase, time in it and next due date, in one query."""
    current = Trajectory.objects.current().filter(worker=OuterRef("pk"))
    # The latest coaching moment's agreement supersedes earlier ones.
    latest_moment = CoachingMoment.objects.filter(worker=OuterRef("pk")).order_by("-held_on", "-pk")
    workers = (
        Worker.objects.visible_to(user)
        .select_related("coach", "supervisor")
        .annotate(
            current_phase=Subquery(current.values("phase")[:1]),
            current_status=Subquery(current.values("status")[:1]),
            phase_since=Subquery(current.values("phase_since")[:1]),
            next_due=Subquery(latest_moment.values("next_steps_due")[:1]),
            next_due_what=Subquery(latest_moment.values("next_steps")[:1]),
        )
    )
    return CaseloadFilter(params, queryset=workers, user=user)


def current_trajectory(worker) -> Trajectory | None:
    return worker.trajectories.current().select_related("job_definition").first()


@dataclass
class WorkerIntakeAnswers:
    """What the worker answered to the intake questions on their own pages, as sent."""

    sent_at: datetime
    # (part, question, answer) in the order asked.
    answers: list[tuple[str, str, str]]


def sent_intake_answers(trajectory, reader) -> WorkerIntakeAnswers | None:
    """The worker's own answers for ``trajectory`` once the worker sent them (before that
    they are the worker's draft); None otherwise or outside ``reader``'s scope."""
    record = (
        IntakeAnswers.objects.visible_to(reader).filter(trajectory=trajectory, sent_at__isnull=False).first()
    )
    if record is None:
        return None
    return WorkerIntakeAnswers(
        record.sent_at,
        [(part, str(question), getattr(record, name)) for name, part, question in INTAKE_QUESTIONS],
    )


# The coach's intake fields that the worker's answers may start, by the parts of the
# questions: the second intake's screening holds the past, the first's motivation the
# present and the future.
INTAKE_STARTING_TEXT = {
    "education_and_work_history": ("past",),
    "motivation": ("now", "later"),
}


def intake_starting_text(answers: WorkerIntakeAnswers, intake: Intake | None) -> dict[str, str]:
    """The coach's intake fields with the worker's answers added after what the coach wrote,
    question by question, for the coach to edit before saving; a field that already holds
    them is left as it is."""
    texts = {}
    for name, parts in INTAKE_STARTING_TEXT.items():
        added = "\n\n".join(
            f"{question}\n{answer.strip()}"
            for part, question, answer in answers.answers
            if part in parts and answer.strip()
        )
        existing = (getattr(intake, name, "") or "").strip()
        if added and added not in existing:
            texts[name] = f"{existing}\n\n{added}" if existing else added
    return texts


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    by: object = None
    lines: list[tuple[str, str]] = field(default_factory=list)
    # The record's id: orders the entries of one instant.
    ref: object = None


def _lines(obj, names) -> list[tuple[str, str]]:
    lines = []
    for name in names:
        value = getattr(obj, name)
        if value in ("", None):
            continue
        model_field = obj._meta.get_field(name)
        if model_field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(value, date):
            value = date_format(value)
        lines.append((str(model_field.verbose_name), str(value)))
    return lines


# Entries per page of the worker page's timeline.
TIMELINE_PAGE = 50


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    # Where the next, older page starts; None on the oldest page.
    older: Cursor | None


def _key(entry: TimelineEntry) -> tuple:
    return (entry.at, entry.kind, entry.ref)


class _Window:
    """Keyset paging over the timeline's sources, each read newest first, ``size`` + 1 rows
    at most. Entries are ordered by (instant, kind, id), so that rows saved in one
    transaction (one instant) still have one order. A source cut at its last row is whole
    only down to that row: the page never reaches below it."""

    def __init__(self, before: Cursor | None, size: int):
        self.before, self.size = before, size
        self.whole_down_to: tuple | None = None
        if before is not None:
            kind, _sep, ref = before.key.partition(":")
            self.before_kind, self.before_ref = kind, int(ref) if ref.isdigit() else None

    def newest(self, queryset, field: str, kind: str, ref: str = "pk") -> list:
        if self.before is not None:
            at, below = self.bound(kind)
            older = Q(**{f"{field}__lt": at})
            if below is not None:
                older |= Q(**{field: at, f"{ref}__lt": below})
            queryset = queryset.filter(older)
        return self._kept(list(queryset.order_by(f"-{field}", f"-{ref}")[: self.size + 1]), field, kind, ref)

    def newest_events(self, fetch, kind: str) -> list:
        """The same for the change history, read by ``fetch(older, limit)`` (its ``older``
        as ``bound`` gives it, None for the first page)."""
        rows = fetch(self.bound(kind) if self.before is not None else None, self.size + 1)
        return self._kept(rows, "at", kind, "id")

    def bound(self, kind: str) -> tuple:
        """Where a source of ``kind`` continues: before the cursor's instant, and at that
        instant the kinds after the cursor's in the order (every id) and the cursor's own
        kind's lower ids; (instant, ids below or None for none at that instant)."""
        if kind < self.before_kind:
            return self.before.at, EVERY_ID
        if kind == self.before_kind and self.before_ref is not None:
            return self.before.at, self.before_ref
        return self.before.at, None

    def _kept(self, rows: list, field: str, kind: str, ref: str) -> list:
        if len(rows) > self.size:
            last = (getattr(rows[-1], field), kind, getattr(rows[-1], ref))
            self.whole_down_to = last if self.whole_down_to is None else max(self.whole_down_to, last)
        return rows

    def page(self, entries: list[TimelineEntry]) -> TimelinePage:
        entries = sorted(entries, key=_key, reverse=True)
        if self.whole_down_to is not None:
            entries = [entry for entry in entries if _key(entry) >= self.whole_down_to]
        if len(entries) > self.size:
            entries = entries[: self.size]
            last = _key(entries[-1])
        elif self.whole_down_to is not None:
            last = self.whole_down_to
        else:
            return TimelinePage(entries, None)
        return TimelinePage(entries, Cursor(last[0], f"{last[1]}:{last[2]}"))


def _worker_changes(worker, reader, window: _Window) -> list[TimelineEntry]:
    """Edits of the worker's record as the reader may see them (``bwise.privacy.history``)."""
    # One event table tracks workers, so its ids order the events of one instant.
    changes = changes_of(
        worker,
        reader=reader,
        worker=worker,
        page=lambda fetch: window.newest_events(fetch, "change"),
    )
    # Coach and supervisor changes are stored as ids: name them with one query.
    people = {
        str(user.pk): str(user)
        for user in User.objects.unscoped(reason="names the people in a worker's own history").filter(
            organisation_id=worker.organisation_id,
            pk__in={
                value
                for change in changes
                for name in ("coach_id", "supervisor_id")
                for value in change.fields.get(name, ())
                if value
            },
        )
    }
    entries = []
    for change in changes:
        lines = []
        for name, (old, new) in sorted(change.fields.items()):
            model_field = Worker._meta.get_field(name)
            choices = (
                people
                if model_field.is_relation
                else dict(getattr(model_field, "base_field", model_field).flatchoices)
            )
            lines.append((str(model_field.verbose_name), f"{_plain(old, choices)} → {_plain(new, choices)}"))
        entries.append(
            TimelineEntry(change.at, "change", _("Details changed"), change.user, lines, change.id)
        )
    return entries


def _plain(value, choices: dict) -> str:
    if value in (None, "", []):
        return "—"
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(choices.get(v, choices.get(str(v), v))) for v in values)


# Sources of entries that apps above trajects add (``bwise.portal``: what the worker did on
# their own pages). Each is called as ``source(worker, reader, window)`` and reads its rows
# through ``window.newest(queryset, field, kind)``, so that paging stays exact.
_TIMELINE_SOURCES: list = []


def register_timeline_source(source) -> None:
    if source not in _TIMELINE_SOURCES:
        _TIMELINE_SOURCES.append(source)


def timeline_for(worker, *, reader, before: Cursor | None = None, size: int = TIMELINE_PAGE) -> TimelinePage:
    """A page of everything that happened to the worker and in their trajectories, newest
    first, from ``before`` on, as ``reader`` may see it (six queries and one per registered
    source, however long the history)."""
    hidden = hidden_everywhere(reader, worker)
    window = _Window(before, size)
    entries: list[TimelineEntry] = _worker_changes(worker, reader, window)
    steps = TrajectoryTransition.objects.of_worker(worker).select_related("by", "trajectory")
    for step in window.newest(steps, "at", "transition"):
        lines = []
        if step.from_phase and step.from_phase != step.to_phase:
            lines.append((_("phase"), f"{step.get_from_phase_display()} → {step.get_to_phase_display()}"))
        elif step.name == START.name:
            lines.append((_("started on"), step.trajectory.get_trigger_display()))
        if step.from_status and step.from_status != step.to_status:
            lines.append((_("status"), f"{step.get_from_status_display()} → {step.get_to_status_display()}"))
        lines += _lines(step, ["outcome", "reason"])
        entries.append(TimelineEntry(step.at, "transition", str(step.label), step.by, lines, step.pk))
    intakes = Intake.objects.of_worker(worker).select_related("created_by", "second_coach")
    for intake in window.newest(intakes, "created_at", "intake"):
        fields = [
            f.name
            for f in intake._meta.get_fields()
            if f.concrete and f.get_internal_type() == "TextField" and f.name not in hidden
        ]
        lines = _lines(intake, ["held_on", "second_coach", *fields, "completed_on"])
        if intake.questionnaire_scan and "questionnaire_scan" not in hidden:
            lines.append(
                (
                    str(Intake._meta.get_field("questionnaire_scan").verbose_name),
                    intake.questionnaire_scan.name,
                )
            )
        entries.append(
            TimelineEntry(
                intake.created_at, "intake", intake.get_kind_display(), intake.created_by, lines, intake.pk
            )
        )
    notes = (
        StarrNote.objects.of_worker(worker)
        .select_related("created_by", "intake")
        .prefetch_related("competencies")
    )
    for note in window.newest(notes, "created_at", "starr"):
        lines = _lines(note, ["situation", "task", "activities", "result", "reflection"])
        shown = ", ".join(competency.name for competency in note.competencies.all())
        if shown:
            lines.append((_("competencies it shows"), shown))
        entries.append(
            TimelineEntry(note.created_at, "starr", _("STARR note"), note.created_by, lines, note.pk)
        )
    jobs = JobDefinition.objects.of_worker(worker).select_related("updated_by")
    for job in window.newest(jobs, "updated_at", "job"):
        lines = _lines(job, ["job_target", "dreams_and_interests", "intermediate_steps"])
        entries.append(
            TimelineEntry(job.updated_at, "job", _("Job definition"), job.updated_by, lines, job.pk)
        )
    kick_offs = (
        KickOffParticipant.objects.of_worker(worker)
        .select_related("kick_off__created_by")
        .annotate(
            kick_off_at=F("kick_off__created_at"),
            fellows=Count("kick_off__attendances", distinct=True) - 1,
        )
    )
    for attendance in window.newest(kick_offs, "kick_off_at", "kickoff"):
        kick_off = attendance.kick_off
        lines = _lines(kick_off, ["held_on", "notes"])
        # How many, not who: the reader may not see the other candidates.
        lines.append((_("fellow candidates"), str(attendance.fellows)))
        entries.append(
            TimelineEntry(
                attendance.kick_off_at,
                "kickoff",
                _("Kick-off meeting with fellow candidates"),
                kick_off.created_by,
                lines,
                attendance.pk,
            )
        )
    moments = CoachingMoment.objects.of_worker(worker).select_related("created_by")
    for moment in window.newest(moments, "created_at", "coaching"):
        lines = _lines(moment, ["held_on", "notes", "next_steps", "next_steps_due"])
        title = _("Coaching moment (%(kind)s)") % {"kind": moment.get_kind_display()}
        entries.append(
            TimelineEntry(moment.created_at, "coaching", title, moment.created_by, lines, moment.pk)
        )
    for source in _TIMELINE_SOURCES:
        entries += source(worker, reader, window)
    return window.page(entries)
