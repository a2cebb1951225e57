"""Reads that depend on who asks: the partner register, jobmatching and attendance lists."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Max, Prefetch
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.privacy.minimise import allowed_fields
from competenties import gap as rules
from competenties import selectors as competency_selectors
from competenties.models import Achievement, AgreedLevel, IndicatorScore, Level, RoundStatus
from partners import matching
from partners.models import Partner, Stage, Vacancy, VacancyStatus
from trajects.models import JobDefinition, Worker
from trajects.state import Phase, Status


def contact_cutoff(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - relativedelta(months=settings.PARTNER_CONTACT_WARNING_MONTHS)


def with_last_contact(partners):
    """Annotate the newest contact: a logged activity, a visit done or an event held."""
    return partners.annotate(
        last_activity=Max("activities__on"),
        last_visit=Max("visits__done_on"),
        last_event=Max("events__held_on"),
    )


def last_contact(partner) -> datetime.date | None:
    dates = [d for d in (partner.last_activity, partner.last_visit, partner.last_event) if d]
    return max(dates) if dates else None


def is_uncontacted(partner, today: datetime.date | None = None) -> bool:
    """Flagged: no contact within PARTNER_CONTACT_WARNING_MONTHS, counted from the last
    contact or, when there was none since, from the partner's registration (a partner
    registered today is not out of contact)."""
    since = max(d for d in (last_contact(partner), timezone.localtime(partner.created_at).date()) if d)
    return since < contact_cutoff(today)


def partners_for(user, kind: str = ""):
    partners = with_last_contact(Partner.objects.visible_to(user)).order_by("name", "pk")
    if kind:
        partners = partners.filter(kind=kind)
    return partners


def uncontacted(partners, today: datetime.date | None = None):
    """``is_uncontacted`` in SQL: ``last_contact`` is annotated (GREATEST skips NULLs)."""
    partners = with_last_contact(partners).annotate(
        last_contact=Greatest("last_activity", "last_visit", "last_event"),
        quiet_since=Greatest("last_contact", TruncDate("created_at")),
    )
    return partners.filter(quiet_since__lt=contact_cutoff(today))


def uncontacted_partners(organisation_id, today=None) -> list[Partner]:
    return list(
        uncontacted(
            Partner.objects.unscoped(reason="the scanner of every organisation").filter(
                organisation_id=organisation_id
            ),
            today,
        )
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    kind: str
    text: str


def partner_timeline(partner: Partner) -> list[TimelineEntry]:
    entries = [TimelineEntry(a.on, a.get_kind_display(), a.summary) for a in partner.activities.all()]
    for visit in partner.visits.all():
        label = _("company visit (done)") if visit.done_on else _("company visit (planned)")
        entries.append(TimelineEntry(visit.done_on or visit.planned_on, label, visit.notes))
    entries += [TimelineEntry(e.held_on, e.get_kind_display(), e.title) for e in partner.events.all()]
    entries += [
        TimelineEntry(v.opened_on, str(Vacancy._meta.verbose_name), v.title) for v in partner.vacancies.all()
    ]
    entries += [
        TimelineEntry(c.signed_on, str(c._meta.verbose_name), c.notes) for c in partner.commitments.all()
    ]
    return sorted(entries, key=lambda e: e.on, reverse=True)


# Jobmatching


def _levels_by_worker(user, worker_ids) -> dict[int, dict[int, int | None]]:
    """Current levels per worker (competency ids are global, so frameworks never clash),
    from one query over their scores and one over their agreed levels."""
    rows = defaultdict(list)
    scores = IndicatorScore.objects.visible_to(user).filter(assessment__worker_id__in=worker_ids)
    agreed = AgreedLevel.objects.visible_to(user).filter(
        participant__worker_id__in=worker_ids,
        participant__round__status=RoundStatus.CLOSED,
        competency__isnull=False,
    )
    for worker_id, *values in scores.values_list(
        "assessment__worker_id", *competency_selectors.SCORE_ROW_FIELDS
    ):
        rows[worker_id].append(rules.ScoreRow(*values))
    agreed_rows = defaultdict(list)
    for worker_id, *values in agreed.values_list(
        "participant__worker_id", *competency_selectors.AGREED_ROW_FIELDS
    ):
        agreed_rows[worker_id].append(competency_selectors.agreed_row(*values))
    return {
        worker_id: {
            cid: r.level
            for cid, r in rules.current_levels(
                rules.competency_results(rows.get(worker_id, [])), agreed_rows.get(worker_id, [])
            ).items()
        }
        for worker_id in set(rows) | set(agreed_rows)
    }


def _requirements(vacancy: Vacancy) -> dict[int, int]:
    return {r.competency_id: r.minimum_level for r in vacancy.job_profile.requirements.all()}


def _opening(vacancy: Vacancy) -> matching.Opening:
    partner = vacancy.partner
    return matching.Opening(
        key=vacancy.pk,
        name=vacancy.title,
        requirements=_requirements(vacancy),
        route=vacancy.route,
        needs_own_transport=vacancy.needs_own_transport,
        reachable_by_public_transport=partner.reachable_by_public_transport,
        region=partner.region,
    )


def _candidate(worker: Worker, levels) -> matching.Candidate:
    return matching.Candidate(
        key=worker.pk,
        name=worker.full_name,
        statuut=worker.statuut,
        preconditions=frozenset(worker.preconditions or ()),
        region=worker.organisation.region,
        levels=levels,
    )


def workers_in_jobmatching(user):
    return (
        Worker.objects.visible_to(user)
        .filter(trajectories__phase=Phase.JOBMATCHING, trajectories__status=Status.OPEN)
        .select_related("organisation")
    )


def matches_for_vacancy(vacancy: Vacancy, user) -> list[matching.Match]:
    workers = {w.pk: w for w in workers_in_jobmatching(user)}
    # A job profile may combine frameworks: read the levels of all of them.
    levels = _levels_by_worker(user, list(workers))
    ranked = matching.rank_candidates(
        _opening(vacancy), [_candidate(w, levels.get(pk, {})) for pk, w in workers.items()]
    )
    # A worker whose statute excludes the vacancy's route is not offered it.
    return [(workers[m.candidate.key], m) for m in ranked if not m.blockers]


def open_vacancies_for(user):
    return (
        Vacancy.objects.visible_to(user)
        .filter(status=VacancyStatus.OPEN)
        .select_related("partner", "job_profile")
        .prefetch_related("job_profile__requirements")
    )


def matches_for_worker(worker: Worker, user) -> list:
    vacancies = {v.pk: v for v in open_vacancies_for(user)}
    levels = _levels_by_worker(user, [worker.pk]).get(worker.pk, {})
    ranked = matching.rank_openings(_candidate(worker, levels), [_opening(v) for v in vacancies.values()])
    return [(vacancies[m.opening.key], m) for m in ranked if not m.blockers]


# Stages


def stages_of(worker: Worker):
    return (
        Stage.objects.of_worker(worker)
        .select_related("partner")
        .prefetch_related(Prefetch("evaluations"))
        .order_by("-start_date", "-pk")
    )


@dataclass(frozen=True)
class AttendanceDay:
    day: datetime.date
    record: object | None

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


def attendance_month(stage: Stage, year: int, month: int) -> list[AttendanceDay]:
    """The monthly attendance list: every day of the month inside the stage."""
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    start = max(first, stage.start_date or first)
    end = min(last, stage.end_date or last)
    records = {
        a.day: a for a in stage.attendance.filter(day__range=(start, end)).select_related("entered_via")
    }
    days = []
    day = start
    while day <= end:
        days.append(AttendanceDay(day, records.get(day)))
        day += datetime.timedelta(days=1)
    return days


def mentor_page(link, month: datetime.date) -> dict:
    """What the host mentor's page receives, already cut to the external-mentor audience
    of ``bwise.privacy.declaration``: the stage's attendance days, and what the mentor
    entered through this link. Records are copied field by field, so a template cannot
    reach what is not declared."""
    from bwise.privacy.declaration import EXTERNAL_MENTOR_FIELDS

    shared, own = EXTERNAL_MENTOR_FIELDS["shared"], EXTERNAL_MENTOR_FIELDS["own"]
    stage = link.stage
    days = []
    for day in attendance_month(stage, month.year, month.month):
        record = day.record
        if record is not None:
            fields = own if record.entered_via_id == link.pk else shared
            record = allowed_fields(record, fields["partners.Attendance"])
        days.append(AttendanceDay(day.day, record))
    evaluations = []
    for evaluation in stage.evaluations.filter(entered_via=link).prefetch_related("levels__competency"):
        item = allowed_fields(evaluation, own["partners.Evaluation"])
        item.levels = [
            allowed_fields(level, own["partners.EvaluationLevel"]) for level in evaluation.levels.all()
        ]
        evaluations.append(item)
    return {
        "first_name": allowed_fields(stage.worker, shared["trajects.Worker"]).first_name,
        "month": month,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
        "days": days,
        "evaluations": evaluations,
    }


def letter_hints(letter) -> dict[str, list[str]]:
    """Per sentence of the motivation letter, what the records hold to talk about with the
    worker: shown beside the sentence, never copied into it."""
    worker = letter.worker
    achievements = [
        item.text for item in Achievement.objects.of_worker(worker).confirmed().order_by("-achieved_on")[:5]
    ]
    job_targets = [
        target
        for target in JobDefinition.objects.of_worker(worker).values_list("job_target", flat=True)
        if target
    ]
    vacancy_text = (
        [letter.vacancy.description[:400]] if letter.vacancy_id and letter.vacancy.description else []
    )
    return {
        "why_this_job": vacancy_text + job_targets,
        "why_this_employer": [],
        "experience": [],
        "strengths": [line for line in strengths_of(worker).splitlines() if line],
        "example": achievements,
        "availability": [],
    }


def strengths_of(worker: Worker) -> str:
    """The competencies agreed at "good" or better in the worker's latest closed round."""
    agreed = AgreedLevel.objects.of_worker(worker).filter(participant__round__status=RoundStatus.CLOSED)
    latest = (
        agreed.order_by("-participant__round__closed_at")
        .values_list("participant__round_id", flat=True)
        .first()
    )
    if latest is None:
        return ""
    return "\n".join(
        f"{level.competency_name}: {Level(level.level).label}"
        for level in agreed.filter(participant__round_id=latest, level__gte=Level.GOOD).order_by(
            "-level", "pk"
        )
    )
