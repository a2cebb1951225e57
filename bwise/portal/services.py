"""Sign-in cards and what the worker records on their own pages.

A card's code is the credential that the printed QR code carries: long and random, so it
is stored as a plain SHA-256 hash (as the mentor link's token is), and so is the one-time
code of the sign-in link a worker with an e-mail address may get instead; the PIN the worker
chooses is short, so it is stored with the password hasher and guarded by a lockout after
``WORKER_CARD_MAX_PIN_FAILURES`` wrong tries in a row, which only the coach lifts. Every
sign-in, allowed or refused, is written to the access log.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import smtplib

import pghistory
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bwise.access import Perm, WorkerSession, has_perm, is_worker_session
from bwise.audit.services import AccessAction, AccessOutcome, log_access
from bwise.core.errors import TEXT_MAX_LENGTH, DomainError
from bwise.documents.models import SignerRole
from bwise.documents.registry import get_kind
from bwise.documents.rendering import render_pdf
from bwise.documents.signatures import document_sign
from bwise.portal.models import PlanProgress, SignInCard
from bwise.portal.selectors import commitment_intake, for_worker, intake_open, letter_jobs
from competenties.models import Achievement, DigitalAction, Done, Plan, PlanAction
from competenties.plan_state import RUNNING_STATUSES
from competenties.services_portfolio import (
    achievement_add_by_worker,
    achievement_delete_by_worker,
    achievement_edit_by_worker,
    competencies_for,
    digital_action_record,
)
from partners.letters import FIELDS as LETTER_FIELDS
from partners.models import CV_WORKER_FIELDS, CurriculumVitae, MotivationLetter
from partners.services import (
    cv_draft_by_worker,
    cv_save_by_worker,
    letter_save_by_worker,
    letter_start_by_worker,
)
from trajects.models import INTAKE_ANSWER_FIELDS, IntakeAnswers, Trajectory, Worker

# The documents the worker prints from their own pages.
WORKER_DOCUMENTS = ("cv", "motivation_letter")
# One section of the CV or one sentence of a letter, in the worker's words.
WORKER_TEXT_MAX_LENGTH = 3000
PIN_PATTERN = re.compile(r"^[0-9]{4,6}$")
# A worker's comment on one action: a few sentences.
COMMENT_MAX_LENGTH = 1000
# One answer to an intake question: a few sentences, enough to talk about with the coach.
INTAKE_ANSWER_MAX_LENGTH = 2000


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _not_allowed() -> DomainError:
    return DomainError(_("You cannot manage this worker's sign-in card."), code="not_allowed")


def _require_manager(by, worker: Worker) -> None:
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise _not_allowed()


def _locked_card(card: SignInCard) -> SignInCard:
    return (
        SignInCard.objects.unscoped(reason="a service locks the card it changes")
        .select_for_update()
        .get(pk=card.pk)
    )


def _log(card: SignInCard, outcome: str, event: str) -> None:
    log_access(
        user=None,
        organisation_id=card.worker.organisation_id,
        action=AccessAction.SIGN_IN,
        outcome=outcome,
        record=card,
        worker_id=card.worker_id,
        detail={"card": event},
    )


# --- The coach's side ---------------------------------------------------------------------


@transaction.atomic
def card_issue(*, worker: Worker, by) -> tuple[SignInCard, str]:
    """A new card for ``worker``, replacing (revoking) the card they had. Returns the card and
    its code, which exists only in this answer: print it now."""
    _require_manager(by, worker)
    now = timezone.now()
    SignInCard.objects.of_worker(worker).active().update(revoked_at=now)
    code = secrets.token_urlsafe(32)
    card = SignInCard.objects.create(worker=worker, code_hash=_digest(code), issued_by=by)
    return card, code


@transaction.atomic
def card_revoke(*, card: SignInCard, by) -> SignInCard:
    _require_manager(by, card.worker)
    card = _locked_card(card)
    if card.revoked_at is None:
        card.revoked_at = timezone.now()
        card.save(update_fields=["revoked_at"])
    return card


@transaction.atomic
def card_unlock(*, card: SignInCard, by) -> SignInCard:
    _require_manager(by, card.worker)
    card = _locked_card(card)
    if card.revoked_at is not None:
        raise DomainError(_("This card was revoked: issue a new one."), code="card_revoked")
    card.locked_at = None
    card.failed_pins = 0
    card.save(update_fields=["locked_at", "failed_pins"])
    return card


def sign_in_link_send(*, worker: Worker, by, page_url: str) -> SignInCard:
    """E-mails ``worker`` a sign-in link: ``page_url`` (the portal's link page) with a one-time
    code after ``#`` that works for ``WORKER_SIGN_IN_LINK_HOURS`` and leads to the card's PIN
    step. The link belongs to the worker's card (a card is issued when they have none, its
    QR code unprinted); a new link ends the previous one. Only the code's hash is kept."""
    _require_manager(by, worker)
    address = (worker.email or "").strip()
    if not address:
        raise DomainError(
            _("This worker has no e-mail address. Add one on the worker's page, or print a card."),
            code="no_email",
        )
    with transaction.atomic():
        card = SignInCard.objects.of_worker(worker).active().first()
        if card is None:
            card, _code = card_issue(worker=worker, by=by)
        card = _locked_card(card)
        code = secrets.token_urlsafe(32)
        now = timezone.now()
        card.link_code_hash = _digest(code)
        card.link_sent_at = now
        card.link_expires_at = now + datetime.timedelta(hours=settings.WORKER_SIGN_IN_LINK_HOURS)
        card.link_used_at = None
        card.save(update_fields=["link_code_hash", "link_sent_at", "link_expires_at", "link_used_at"])
        # Sent inside the transaction: a mail that cannot leave keeps no link that nobody has.
        _sign_in_link_mail(card, address, f"{page_url}#{code}", by)
    return card


def _sign_in_link_mail(card: SignInCard, address: str, url: str, by) -> None:
    worker = card.worker
    # The worker reads this mail: what it says of them comes from their audience's fields.
    context = {
        "first_name": for_worker(worker).first_name,
        "url": url,
        "until": timezone.localtime(card.link_expires_at),
        "coach": by.get_full_name() or by.get_username(),
        "organisation": worker.organisation.name,
    }
    # The worker reads their own pages in Dutch (easy language), so the mail that leads
    # there is Dutch too, whatever the language the coach works in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your link to B-WISE")
        text = render_to_string("portal/email/sign_in_link.txt", context)
    try:
        EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address]).send()
    except (OSError, smtplib.SMTPException) as error:
        raise DomainError(
            _("The e-mail could not be sent. Try again later, or print a card."), code="mail_failed"
        ) from error


# --- The worker's side --------------------------------------------------------------------


def card_start(*, code: str) -> SignInCard:
    """The card whose QR code says ``code``, if it may still sign in; the PIN comes next."""
    card = None
    if code and len(code) <= 200:
        card = (
            SignInCard.objects.unscoped(reason="the card's code is the worker's credential")
            .select_related("worker")
            .filter(code_hash=_digest(code))
            .first()
        )
    if card is None:
        raise DomainError(
            _("We do not know this card. Scan it again or ask your coach."), code="card_unknown"
        )
    try:
        _usable(card)
    except DomainError as error:
        _log(card, AccessOutcome.REFUSED, error.code)
        raise
    return card


def link_start(*, code: str) -> SignInCard:
    """The card whose e-mailed link says ``code``, if the link is still unused and in time
    and the card may still sign in; the link is used up here, and the PIN comes next."""
    card = refusal = None
    if code and len(code) <= 200:
        with transaction.atomic():
            card = (
                SignInCard.objects.unscoped(reason="the link's code is the worker's credential")
                .select_for_update(of=("self",))
                .select_related("worker")
                .filter(link_code_hash=_digest(code))
                .first()
            )
            if card is not None:
                try:
                    _usable(card)
                    _link_usable(card)
                except DomainError as error:
                    refusal = error
                else:
                    card.link_used_at = timezone.now()
                    card.save(update_fields=["link_used_at"])
    if card is None:
        raise DomainError(_("We do not know this link. Ask your coach for a new link."), code="link_unknown")
    if refusal is not None:
        # Logged after the block, as every refused card is.
        _log(card, AccessOutcome.REFUSED, refusal.code)
        raise refusal
    return card


class LinkStatus:
    NONE = ""
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


def link_status(card: SignInCard | None) -> str:
    """Where the card's e-mailed link stands: never sent, still open, used, or too old."""
    if card is None or not card.link_code_hash:
        return LinkStatus.NONE
    if card.link_used_at is not None:
        return LinkStatus.USED
    if card.link_expires_at is None or card.link_expires_at <= timezone.now():
        return LinkStatus.EXPIRED
    return LinkStatus.OPEN


def _link_usable(card: SignInCard) -> None:
    status = link_status(card)
    if status == LinkStatus.USED:
        raise DomainError(_("This link was already used. Ask your coach for a new link."), code="link_used")
    if status != LinkStatus.OPEN:
        raise DomainError(_("This link is too old. Ask your coach for a new link."), code="link_expired")


def card_in_session(card_id) -> SignInCard | None:
    """The card a worker's session was opened with, while it is still usable."""
    return (
        SignInCard.objects.unscoped(reason="the worker's session names its own card")
        .select_related("worker")
        .filter(pk=card_id, revoked_at__isnull=True, locked_at__isnull=True)
        .first()
    )


def _usable(card: SignInCard) -> None:
    if card.revoked_at is not None:
        raise DomainError(_("This card no longer works. Ask your coach for a new card."), code="card_revoked")
    if card.locked_at is not None:
        raise DomainError(_("Your card is locked. Ask your coach to unlock it."), code="card_locked")


def _session_for(card: SignInCard) -> WorkerSession:
    card.last_sign_in_at = timezone.now()
    card.save(update_fields=["last_sign_in_at"])
    _log(card, AccessOutcome.ALLOWED, "signed_in")
    # Signing in with one's own card and PIN is practice of a digital skill (B-WISE's goal).
    digital_action_record(worker=card.worker, action=DigitalAction.SIGN_IN_ALONE)
    return WorkerSession(
        worker_id=card.worker_id, organisation_id=card.worker.organisation_id, card_id=card.pk
    )


def card_pin_choose(*, card: SignInCard, pin: str, repeat: str) -> WorkerSession:
    """The first sign-in with a new card: the worker chooses the PIN that goes with it."""
    with transaction.atomic():
        card = _locked_card(card)
        _usable(card)
        if card.pin_hash:
            raise DomainError(_("You already chose a PIN. Type it in."), code="pin_already_chosen")
        if not PIN_PATTERN.match(pin or ""):
            raise DomainError(_("Choose 4 to 6 digits."), field="pin", code="pin_format")
        if pin != repeat:
            raise DomainError(
                _("The two PINs are not the same. Try again."), field="repeat", code="pin_mismatch"
            )
        card.pin_hash = make_password(pin)
        card.save(update_fields=["pin_hash"])
        return _session_for(card)


def card_pin_check(*, card: SignInCard, pin: str) -> WorkerSession:
    """A sign-in with the card's PIN. Every refusal is logged, and a wrong PIN counts even
    though the sign-in is refused: the last allowed try locks the card."""
    with transaction.atomic():
        card = _locked_card(card)
        try:
            _usable(card)
        except DomainError as error:
            refusal = error
        else:
            if not card.pin_hash:
                raise DomainError(_("Choose your PIN first."), code="pin_not_chosen")
            if check_password(pin or "", card.pin_hash):
                card.failed_pins = 0
                card.save(update_fields=["failed_pins"])
                return _session_for(card)
            card.failed_pins += 1
            left = settings.WORKER_CARD_MAX_PIN_FAILURES - card.failed_pins
            if left <= 0:
                card.locked_at = timezone.now()
                refusal = DomainError(
                    _("Your card is locked. Ask your coach to unlock it."), code="card_locked"
                )
            else:
                refusal = DomainError(
                    _("That PIN is not right. You can try %(left)s more times.") % {"left": left},
                    field="pin",
                    code="pin_wrong",
                )
            card.save(update_fields=["failed_pins", "locked_at"])
        _log(card, AccessOutcome.REFUSED, refusal.code)
    # Raised after the block, so that the count of wrong PINs and the log row are kept.
    raise refusal


@transaction.atomic
def feed_link_create(*, session: WorkerSession) -> str:
    """A new secret link to the worker's calendar feed; the previous link stops working."""
    card = _locked_card(SignInCard(pk=session.card_id))
    _usable(card)
    token = secrets.token_urlsafe(32)
    card.feed_token_hash = _digest(token)
    card.save(update_fields=["feed_token_hash"])
    return token


def card_for_feed(token: str) -> SignInCard | None:
    if not token or len(token) > 200:
        return None
    return (
        SignInCard.objects.unscoped(reason="the feed's token is the calendar app's credential")
        .select_related("worker")
        .filter(feed_token_hash=_digest(token), revoked_at__isnull=True)
        .first()
    )


def feed_session(card: SignInCard) -> WorkerSession:
    """The reader a calendar app is, for the feed of the card's worker only."""
    return WorkerSession(
        worker_id=card.worker_id, organisation_id=card.worker.organisation_id, card_id=card.pk
    )


@transaction.atomic
def plan_progress_record(
    *, session: WorkerSession, action: PlanAction, done: str, comment: str = ""
) -> PlanProgress:
    """The worker ticks how far an action of their running plan is, with a comment if they
    like. The action's ``done`` follows; the coach sees the row in the timeline."""
    if not is_worker_session(session):
        raise DomainError(_("Only the worker can tick their own plan."), code="not_the_worker")
    action = (
        PlanAction.objects.visible_to(session)
        .select_for_update(of=("self",))
        .select_related("plan")
        .filter(pk=action.pk)
    ).first()
    if action is None:
        raise DomainError(_("Only the worker can tick their own plan."), code="not_the_worker")
    if action.plan.status not in RUNNING_STATUSES:
        raise DomainError(_("This plan is not running now."), code="plan_not_running")
    if done not in (Done.NOT, Done.PARTLY, Done.DONE):
        raise DomainError(_("Choose how far you are."), field="done", code="required")
    comment = (comment or "").strip()
    if len(comment) > min(COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH):
        raise DomainError(_("Write a shorter comment."), field="comment", code="too_long")
    with pghistory.context(worker_session=session.worker_id):
        if action.done != done:
            action.done = done
            action.save(update_fields=["done"])
        return PlanProgress.objects.create(action=action, done=done, comment=comment)


# --- Mijn stoefboek -----------------------------------------------------------------------


def _own_worker(session) -> Worker:
    """The signed-in worker; anyone else (staff, no session) is refused."""
    worker = Worker.objects.visible_to(session).first() if is_worker_session(session) else None
    if worker is None:
        raise DomainError(_("You cannot do this here."), code="not_allowed")
    return worker


def _own_competencies(worker: Worker, competency_pks) -> list:
    wanted = {int(pk) for pk in competency_pks}
    found = list(competencies_for(worker).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise DomainError(
            _("Choose only competencies from the list."), field="competencies", code="other_organisation"
        )
    return found


def _own_achievement(session, worker: Worker, pk) -> Achievement:
    achievement = Achievement.objects.visible_to(session).filter(pk=pk, worker=worker).first()
    if achievement is None:
        raise DomainError(_("This is not in your stoefboek."), code="not_own")
    return achievement


def stoefboek_add(*, session: WorkerSession, text: str, competency_pks=(), photo=None) -> Achievement:
    """The worker adds an item to their own stoefboek (a photo taken with the camera counts
    as digital-skills practice in ``achievement_add_by_worker``)."""
    worker = _own_worker(session)
    with pghistory.context(worker_session=session.worker_id):
        return achievement_add_by_worker(
            worker=worker, text=text, competencies=_own_competencies(worker, competency_pks), photo=photo
        )


def stoefboek_edit(
    *, session: WorkerSession, achievement_pk: int, text: str, competency_pks=()
) -> Achievement:
    """The worker changes an item nobody confirmed yet: what the coach confirmed is evidence
    in a measurement round, and only the coach changes that."""
    worker = _own_worker(session)
    achievement = _own_achievement(session, worker, achievement_pk)
    if achievement.is_confirmed:
        raise DomainError(_("Your coach confirmed this. Ask your coach to change it."), code="confirmed")
    with pghistory.context(worker_session=session.worker_id):
        return achievement_edit_by_worker(
            achievement=achievement,
            worker=worker,
            text=text,
            competencies=_own_competencies(worker, competency_pks),
        )


def stoefboek_delete(*, session: WorkerSession, achievement_pk: int) -> None:
    worker = _own_worker(session)
    achievement = _own_achievement(session, worker, achievement_pk)
    with pghistory.context(worker_session=session.worker_id):
        achievement_delete_by_worker(achievement=achievement, worker=worker)


# --- Tekenen ------------------------------------------------------------------------------


def _worker_signs(session: WorkerSession, worker: Worker, kind_key: str, record, image: str):
    """The worker signs ``record`` (read through their own session) on screen; signing on a
    screen is practice of a digital skill."""
    with pghistory.context(worker_session=session.worker_id):
        signature = document_sign(
            kind_key=kind_key, record=record, role=SignerRole.WORKER, image=image, by=None
        )
        digital_action_record(worker=worker, action=DigitalAction.SIGNATURE)
    return signature


def plan_sign(*, session: WorkerSession, plan_pk: int, image: str):
    """The worker signs their own running plan."""
    worker = _own_worker(session)
    plan = Plan.objects.visible_to(session).filter(pk=plan_pk, worker=worker).first()
    if plan is None:
        raise DomainError(_("This is not your plan."), code="not_own")
    # A draft is not agreed yet, and a closed plan is the record of what was agreed then.
    if plan.status not in RUNNING_STATUSES:
        raise DomainError(_("You can only sign the plan you are working on now."), code="not_running")
    return _worker_signs(session, worker, "plan", plan, image)


def commitment_sign(*, session: WorkerSession, trajectory_pk: int, image: str):
    """The worker signs the commitment statement of their own current trajectory, once the
    coach has written it down in the first intake."""
    worker = _own_worker(session)
    if not Trajectory.objects.visible_to(session).filter(pk=trajectory_pk, worker=worker).exists():
        raise DomainError(_("This is not your commitment statement."), code="not_own")
    intake = commitment_intake(session, trajectory_pk)
    if intake is None:
        # A closed trajectory's statement is the record of what was agreed then; without a
        # statement there is nothing to agree to yet.
        raise DomainError(_("There is no commitment statement to sign now."), code="no_statement")
    return _worker_signs(session, worker, "commitment_statement", intake.trajectory, image)


# --- Vragen over mij ----------------------------------------------------------------------


def _open_intake_answers(session: WorkerSession, worker: Worker) -> IntakeAnswers:
    """The answers of the worker's current trajectory, locked, made at the first answer;
    refused once they were sent, or when the coach completed the first intake or the
    trajectory left its voortraject."""
    trajectory = (
        Trajectory.objects.visible_to(session)
        .current()
        .filter(worker=worker)
        .select_for_update(of=("self",))
        .first()
    )
    if trajectory is None:
        raise DomainError(_("There are no questions for you now."), code="no_trajectory")
    answers = (
        IntakeAnswers.objects.visible_to(session)
        .select_for_update(of=("self",))
        .filter(trajectory=trajectory)
        .first()
    )
    if not intake_open(session, trajectory, answers):
        raise DomainError(_("You cannot change your answers any more."), code="closed")
    if answers is None:
        answers = IntakeAnswers.objects.create(trajectory=trajectory)
    return answers


@transaction.atomic
def intake_answer_save(*, session: WorkerSession, name: str, text: str) -> IntakeAnswers:
    """The worker answers one intake question (``INTAKE_QUESTIONS``) in their own words; an
    answer may stay empty. Only the worker's own record is written, never the coach's intake."""
    if name not in INTAKE_ANSWER_FIELDS:
        raise DomainError(_("We do not know this question."), code="unknown_question")
    text = (text or "").strip()
    if "\x00" in text:
        raise DomainError(
            _("Your text has a sign we cannot save. Type it again."), field="answer", code="invalid"
        )
    if len(text) > INTAKE_ANSWER_MAX_LENGTH:
        raise DomainError(
            _("Your text is too long. Write at most %(limit_value)s characters.")
            % {"limit_value": INTAKE_ANSWER_MAX_LENGTH},
            field="answer",
            code="too_long",
        )
    worker = _own_worker(session)
    with pghistory.context(worker_session=session.worker_id):
        answers = _open_intake_answers(session, worker)
        if getattr(answers, name) != text:
            setattr(answers, name, text)
            answers.save(update_fields=[name, "updated_at"])
    return answers


@transaction.atomic
def intake_answers_send(*, session: WorkerSession) -> IntakeAnswers:
    """The worker sends their answers to the coach: from now on they are read-only, and the
    coach sees them with the first intake. Filling in a form on screen is digital-skills
    practice."""
    worker = _own_worker(session)
    with pghistory.context(worker_session=session.worker_id):
        answers = _open_intake_answers(session, worker)
        if not any(getattr(answers, name).strip() for name in INTAKE_ANSWER_FIELDS):
            raise DomainError(_("Answer at least one question first."), code="empty")
        answers.sent_at = timezone.now()
        answers.save(update_fields=["sent_at", "updated_at"])
        digital_action_record(worker=worker, action=DigitalAction.ONLINE_FORM)
    return answers


# --- Mijn cv en brief ---------------------------------------------------------------------


def cv_start(*, session: WorkerSession) -> CurriculumVitae:
    """The worker starts their CV from the draft the coach's page makes from the records."""
    worker = _own_worker(session)
    with pghistory.context(worker_session=session.worker_id):
        return cv_draft_by_worker(worker=worker)


def _write_texts(record, texts: dict, names, version: int) -> None:
    """Put the worker's texts (only ``names``) on ``record`` as the version the page showed:
    the save is refused when someone saved in between (``bwise.core.versioning``)."""
    for name in names:
        if name not in texts:
            continue
        text = (texts[name] or "").strip()
        if len(text) > WORKER_TEXT_MAX_LENGTH:
            raise DomainError(_("Write a shorter text."), field=name, code="too_long")
        setattr(record, name, text)
    record.version = version


def cv_write(*, session: WorkerSession, texts: dict, version: int) -> CurriculumVitae:
    """The worker writes the sections of the CV that are theirs (``CV_WORKER_FIELDS``) in the
    same CV the coach edits. ``version`` is the one the page showed: a save by the coach in
    between is not written over (the page keeps the worker's text and says so)."""
    worker = _own_worker(session)
    cv = CurriculumVitae.objects.visible_to(session).filter(worker=worker).first()
    if cv is None:
        raise DomainError(_("You have no CV yet."), code="no_cv")
    _write_texts(cv, texts, CV_WORKER_FIELDS, version)
    with pghistory.context(worker_session=session.worker_id):
        return cv_save_by_worker(cv=cv, worker=worker)


def letter_begin(*, session: WorkerSession, job_key: str) -> MotivationLetter:
    """The worker starts a letter for one of the jobs their coach put on their list
    (``selectors.letter_jobs``), or opens the one they already started for it."""
    worker = _own_worker(session)
    job = {job.key: job for job in letter_jobs(session)}.get(job_key)
    if job is None:
        raise DomainError(_("Choose a job from the list."), field="job", code="not_in_list")
    with pghistory.context(worker_session=session.worker_id):
        return letter_start_by_worker(
            worker=worker, vacancy=job.vacancy, job_title=job.job_title, employer=job.employer
        )


def letter_write(*, session: WorkerSession, letter_pk: int, texts: dict, version: int) -> MotivationLetter:
    """The worker completes the sentences of their own letter; the sentence starts are fixed."""
    worker = _own_worker(session)
    letter = MotivationLetter.objects.visible_to(session).filter(pk=letter_pk, worker=worker).first()
    if letter is None:
        raise DomainError(_("This is not your letter."), code="not_own")
    _write_texts(letter, texts, LETTER_FIELDS, version)
    with pghistory.context(worker_session=session.worker_id):
        return letter_save_by_worker(letter=letter, worker=worker)


def own_document_pdf(*, session: WorkerSession, kind_key: str, record) -> bytes:
    """The PDF of the worker's own CV or letter, as the coach prints it but with only what the
    declaration gives the worker; made at once (it is one page or two), and logged."""
    worker = _own_worker(session)
    kind = get_kind(kind_key)
    if kind is None or kind_key not in WORKER_DOCUMENTS or record._meta.label != kind.model:
        raise DomainError(_("You cannot do this here."), code="not_allowed")
    if not kind.model_class.objects.visible_to(session).filter(pk=record.pk).exists():
        raise DomainError(_("This is not yours."), code="not_own")
    log_access(
        user=None,
        organisation_id=worker.organisation_id,
        action=AccessAction.PRINT,
        record=record,
        worker_id=worker.pk,
        detail={"by": "worker"},
    )
    return render_pdf(kind, record, organisation=worker.organisation, language=get_language(), reader=session)
