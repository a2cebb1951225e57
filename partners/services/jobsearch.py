"""The jobmatching toolkit: how the worker searches and the VDAB step, the job-search log, the
CV drafted from the records and the motivation letters.

Staff pass ``by`` (capability and caseload checked here); the worker's own pages call the
``*_by_worker`` functions with the worker their session signed in.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from competenties.models import Achievement
from partners.letters import FIELDS as LETTER_FIELDS
from partners.models import (
    CurriculumVitae,
    Hire,
    JobmatchingSetup,
    JobSearchEntry,
    JobSearchOutcome,
    MotivationLetter,
    SearchMode,
    Stage,
    TrainingOnTheJob,
    TrainingParticipant,
    Vacancy,
)
from partners.selectors import strengths_of
from partners.services.common import open_trajectory, require_same_organisation
from trajects.models import Intake, IntakeKind, Worker
from trajects.state import Phase


def _require_staff(by, worker: Worker) -> None:
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise DomainError(_("This worker is not in your caseload."), code="not_in_caseload")


def _require_own(record, worker: Worker) -> None:
    if record.worker_id != worker.pk:
        raise DomainError(_("This is not yours."), code="not_own")


# --- How the worker searches, and the VDAB step -------------------------------------------


def jobmatching_setup_save(
    *, worker: Worker, search_mode: str, by, vdab_job_seeker_on=None
) -> JobmatchingSetup:
    """Record how the worker searches (alone, or with the coach who presents them) and the day
    VDAB's status became "werkend en werkzoekend", a step of the jobmatching phase."""
    _require_staff(by, worker)
    trajectory = open_trajectory(worker)
    rules = Rules()
    if search_mode not in SearchMode.values:
        rules.refuse(_("Choose how the worker searches."), field="search_mode", code="required")
    if vdab_job_seeker_on is not None:
        if trajectory.phase == Phase.VOORTRAJECT:
            rules.refuse(
                _(
                    "VDAB changes the status when jobmatching starts: move the trajectory to "
                    "jobmatching first."
                ),
                field="vdab_job_seeker_on",
                code="not_jobmatching",
            )
        elif vdab_job_seeker_on > timezone.localdate():
            rules.refuse(_("The date cannot be in the future."), field="vdab_job_seeker_on", code="future")
        elif vdab_job_seeker_on < timezone.localdate(trajectory.started_at):
            rules.refuse(
                _("The date lies before the trajectory started."),
                field="vdab_job_seeker_on",
                code="before_start",
            )
    rules.raise_any()
    setup, _created = JobmatchingSetup.objects.unscoped(
        reason="a service writes the trajectory's jobmatching set-up"
    ).update_or_create(
        trajectory=trajectory,
        defaults={
            "search_mode": search_mode,
            "vdab_job_seeker_on": vdab_job_seeker_on,
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    return setup


def vdab_step_missing(trajectory) -> bool:
    """Whether the trajectory is past the voortraject without the VDAB status change on record."""
    if trajectory is None or trajectory.is_closed or trajectory.phase == Phase.VOORTRAJECT:
        return False
    try:
        return trajectory.jobmatching_setup.vdab_job_seeker_on is None
    except ObjectDoesNotExist:
        return True


# --- The job-search log -----------------------------------------------------------------


def job_search_entry_save(*, entry: JobSearchEntry, by) -> JobSearchEntry:
    _require_staff(by, entry.worker)
    rules = Rules()
    if entry.vacancy_id is not None:
        require_same_organisation(entry.vacancy.partner.organisation_id, by, _("vacancy"))
        entry.job_title = entry.job_title or entry.vacancy.title
        entry.employer = entry.employer or entry.vacancy.partner.name
    if not entry.job_title.strip():
        rules.refuse(_("Name the job, or choose a partner vacancy."), field="job_title", code="required")
    if entry.found_on and entry.found_on > timezone.localdate():
        rules.refuse(_("The date cannot be in the future."), field="found_on", code="future")
    if entry.application_id is not None:
        if entry.application.worker_id != entry.worker_id:
            rules.refuse(
                _("Choose one of this worker's applications."), field="application", code="other_worker"
            )
        # The application is the proof that the worker applied.
        entry.outcome = JobSearchOutcome.APPLIED
    if entry.pk is None:
        entry.created_by = by
    with transaction.atomic():
        validated_save(entry, exclude=["worker", "vacancy", "application", "created_by"], rules=rules)
    return entry


# --- The CV -----------------------------------------------------------------------------


def _period(start, end) -> str:
    if start is None:
        return ""
    until = date_format(end, "SHORT_DATE_FORMAT") if end else _("today")
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {until}"


def _line(*parts) -> str:
    return ": ".join(str(part) for part in parts if part)


def _work_experience(worker: Worker) -> str:
    lines = [
        _line(
            _period(hire.start_date, None),
            _("%(contract)s at %(employer)s")
            % {"contract": hire.get_contract_type_display(), "employer": hire.employer.name},
        )
        for hire in Hire.objects.of_worker(worker).select_related("employer").order_by("-start_date")
    ]
    lines += [
        _line(
            _period(stage.start_date, stage.end_date),
            _("%(kind)s at %(host)s") % {"kind": stage.get_kind_display(), "host": stage.partner.name},
            stage.post,
        )
        for stage in Stage.objects.of_worker(worker).select_related("partner").order_by("-start_date")
    ]
    lines.append(
        _line(_period(worker.employment_start, worker.employment_end), worker.organisation.name, worker.team)
    )
    # What the second intake noted of the years before, as the coach wrote it down.
    earlier = [
        text.strip()
        for text in Intake.objects.of_worker(worker)
        .filter(kind=IntakeKind.SECOND)
        .values_list("education_and_work_history", flat=True)
        if text.strip()
    ]
    return "\n".join(line for line in lines if line) + ("\n\n" + "\n".join(earlier) if earlier else "")


def _education(worker: Worker) -> str:
    lines = [
        _line(date_format(p.session.held_on, "SHORT_DATE_FORMAT"), p.session.topic)
        for p in TrainingParticipant.objects.of_worker(worker)
        .select_related("session")
        .order_by("-session__held_on")
    ]
    lines += [
        _line(date_format(t.given_on, "SHORT_DATE_FORMAT"), t.topic, t.stage.partner.name)
        for t in TrainingOnTheJob.objects.of_worker(worker)
        .select_related("stage__partner")
        .order_by("-given_on")
    ]
    return "\n".join(lines)


def _achievements(worker: Worker) -> str:
    return "\n".join(
        _line(date_format(item.achieved_on, "SHORT_DATE_FORMAT"), item.text.replace("\n", " "))
        for item in Achievement.objects.of_worker(worker).confirmed().order_by("-achieved_on")
    )


def _languages(worker: Worker) -> str:
    lines = [worker.languages] if worker.languages else []
    if worker.dutch_level:
        lines.append(_line(_("Dutch"), worker.get_dutch_level_display()))
    return "\n".join(lines)


def cv_draft_texts(worker: Worker) -> dict[str, str]:
    """The CV's sections as the records tell them: work history (hires, stages, the employment
    here and what the second intake noted), training, the competencies agreed at good or
    better, confirmed stoefboek items and languages. "About me" is left to the worker."""
    return {
        "profile": "",
        "work_experience": _work_experience(worker),
        "education": _education(worker),
        "strengths": strengths_of(worker),
        "achievements": _achievements(worker),
        "languages": _languages(worker),
    }


def cv_draft(*, worker: Worker, by) -> CurriculumVitae:
    """Draft the CV from the records, or draft it again: every section but "about me" is
    written anew from the records (the edit form shows what it replaces)."""
    _require_staff(by, worker)
    return _cv_draft(worker, by)


def cv_draft_by_worker(*, worker: Worker) -> CurriculumVitae:
    """The worker starts their CV from the same draft; once there is a CV, drafting it again
    is the coach's (it writes over what they wrote together)."""
    existing = CurriculumVitae.objects.unscoped(reason="a service looks for the worker's CV").filter(
        worker=worker
    )
    if existing.exists():
        raise DomainError(_("You already have a CV."), code="cv_exists")
    return _cv_draft(worker, None)


def _cv_draft(worker: Worker, by) -> CurriculumVitae:
    texts = cv_draft_texts(worker)
    with transaction.atomic():
        cv = CurriculumVitae.objects.unscoped(
            reason="a service drafts the worker's CV"
        ).select_for_update().filter(worker=worker).first() or CurriculumVitae(worker=worker)
        for name, text in texts.items():
            if name != "profile" or cv.pk is None:
                setattr(cv, name, text)
        cv.drafted_at = cv.updated_at = timezone.now()
        cv.updated_by = by
        cv.save()
    return cv


def _cv_save(cv: CurriculumVitae, by) -> CurriculumVitae:
    cv.updated_at = timezone.now()
    cv.updated_by = by
    with transaction.atomic():
        validated_save(cv, exclude=["worker", "updated_by"])
    return cv


def cv_save(*, cv: CurriculumVitae, by) -> CurriculumVitae:
    _require_staff(by, cv.worker)
    return _cv_save(cv, by)


def cv_save_by_worker(*, cv: CurriculumVitae, worker: Worker) -> CurriculumVitae:
    _require_own(cv, worker)
    return _cv_save(cv, None)


# --- Motivation letters -----------------------------------------------------------------


def letter_start(
    *, worker: Worker, by, vacancy: Vacancy | None = None, job_title="", employer=""
) -> MotivationLetter:
    """A new letter for a partner vacancy or a job found elsewhere; its sentences are empty
    until the worker completes them."""
    _require_staff(by, worker)
    if vacancy is not None:
        require_same_organisation(vacancy.partner.organisation_id, by, _("vacancy"))
    return _letter_start(worker, by, vacancy, job_title, employer)


def letter_start_by_worker(
    *, worker: Worker, vacancy: Vacancy | None = None, job_title="", employer=""
) -> MotivationLetter:
    """The worker starts a letter for a job their coach put on their job-search log or
    applied for with them (the caller offers only those); a letter already started for the
    same job and employer is opened again rather than started twice."""
    if vacancy is not None and vacancy.partner.organisation_id != worker.organisation_id:
        raise DomainError(_("Choose a job from the list."), field="job", code="other_organisation")
    existing = (
        MotivationLetter.objects.unscoped(reason="a service looks for the worker's own letter")
        .filter(worker=worker, job_title=job_title.strip(), employer=employer.strip())
        .first()
    )
    return existing or _letter_start(worker, None, vacancy, job_title, employer)


def _letter_start(worker: Worker, by, vacancy, job_title: str, employer: str) -> MotivationLetter:
    rules = Rules()
    if vacancy is not None:
        job_title = job_title or vacancy.title
        employer = employer or vacancy.partner.name
    if not job_title.strip():
        rules.refuse(_("Name the job, or choose a partner vacancy."), field="job_title", code="required")
    if not employer.strip():
        rules.refuse(_("Name the employer."), field="employer", code="required")
    letter = MotivationLetter(
        worker=worker, vacancy=vacancy, job_title=job_title.strip(), employer=employer.strip(), created_by=by
    )
    with transaction.atomic():
        validated_save(letter, exclude=["worker", "vacancy", "created_by"], rules=rules)
    return letter


def _letter_save(letter: MotivationLetter) -> MotivationLetter:
    for name in LETTER_FIELDS:
        setattr(letter, name, getattr(letter, name).strip())
    letter.updated_at = timezone.now()
    with transaction.atomic():
        validated_save(letter, exclude=["worker", "vacancy", "created_by"])
    return letter


def letter_save(*, letter: MotivationLetter, by) -> MotivationLetter:
    """The coach types what the worker says, sitting together."""
    _require_staff(by, letter.worker)
    return _letter_save(letter)


def letter_save_by_worker(*, letter: MotivationLetter, worker: Worker) -> MotivationLetter:
    _require_own(letter, worker)
    return _letter_save(letter)
