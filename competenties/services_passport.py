"""Competency passports: the worker shares chosen items with an employer through a
read-only link for a limited time; the worker or the coach revokes it; every opening is
logged and shown to them.

One service for both sides: ``by`` is the coach (a user, checked against their
capabilities and caseload) or the worker's own ``WorkerSession`` (``bwise.portal``), which
may act on that worker only. The functions to call are:

* ``competenties.passport.passport_choices(worker)``: what may be shared, per kind;
* ``passport_create(worker=..., recipient=..., days=..., items=[(kind, ref), ...], by=...)``:
  returns the passport and its token (shown once: build the link with
  ``reverse("competenties:passport_public", kwargs={"token": token})``);
* ``passports_of(worker)``: the worker's passports, newest first, with their openings;
* ``passport_revoke(passport=..., by=...)``.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import secrets
from dataclasses import dataclass

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm, is_worker_session
from bwise.core.errors import DomainError, Rules
from competenties.models import DigitalAction, Passport, PassportItem, PassportOpening, PassportView
from competenties.passport import get_item_kind
from competenties.services_portfolio import digital_action_record
from trajects.models import Worker

MAX_DAYS = 90
DEFAULT_DAYS = 30


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_user(worker, by) -> None:
    if is_worker_session(by):
        if by.worker_id != worker.pk or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
            raise DomainError(_("You cannot do this here."), code="not_allowed")
        return
    if by is None:
        raise DomainError(_("You cannot share this worker's passport."), code="not_allowed")
    if by.organisation_id != worker.organisation_id:
        raise DomainError(_("The worker must belong to your organisation."), code="other_organisation")
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise DomainError(_("You cannot share this worker's passport."), code="not_allowed")


def _user(by):
    """The user recorded as having acted: nobody when the worker acted themselves."""
    return None if is_worker_session(by) else by


def _history(by):
    """What the worker changes in their own session is named so in the history, as on their
    other pages."""
    return (
        pghistory.context(worker_session=by.worker_id) if is_worker_session(by) else contextlib.nullcontext()
    )


def passport_create(*, worker, recipient: str, days: int, items, by) -> tuple[Passport, str]:
    """A passport of ``items`` (``(kind, ref)`` pairs) for ``recipient``, valid ``days``
    days. Returns it with its token, which is never stored: only its hash is. The worker
    sharing their own passport practises a digital skill (recorded with their consent)."""
    _check_user(worker, by)
    rules = Rules()
    recipient = (recipient or "").strip()
    if not recipient:
        rules.refuse(_("Say with whom you share the passport."), field="recipient", code="recipient_required")
    elif len(recipient) > 200:
        rules.refuse(_("Keep this under 200 characters."), field="recipient", code="recipient_too_long")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        rules.refuse(
            _("A passport is shared for 1 to %(max)s days.") % {"max": MAX_DAYS},
            field="days",
            code="passport_duration",
        )
    chosen = sorted({(str(kind), int(ref)) for kind, ref in items})
    if not chosen:
        rules.refuse(_("Choose at least one thing to share."), field="items", code="passport_empty")
    for kind_key in {kind for kind, _ref in chosen}:
        kind = get_item_kind(kind_key)
        allowed = {choice.ref for choice in kind.choices(worker)} if kind else set()
        if any(ref not in allowed for key, ref in chosen if key == kind_key):
            rules.refuse(
                _("Something you chose cannot be shared (any more)."),
                field="items",
                code="passport_item_unavailable",
            )
            break
    rules.raise_any()
    token = secrets.token_urlsafe(32)
    with transaction.atomic(), _history(by):
        try:
            passport = Passport.objects.create(
                worker=worker,
                recipient=recipient,
                token_hash=_hash(token),
                expires_at=timezone.now() + datetime.timedelta(days=days),
                created_by=_user(by),
            )
        except IntegrityError as err:  # pragma: no cover - a 256-bit collision
            raise DomainError(_("Try again."), code="token_collision") from err
        PassportItem.objects.bulk_create(PassportItem(passport=passport, kind=k, ref=r) for k, r in chosen)
        if is_worker_session(by):
            digital_action_record(worker=worker, action=DigitalAction.PASSPORT_SHARE)
    return passport, token


def passport_revoke(*, passport: Passport, by) -> Passport:
    """The link stops working at once; revoking twice changes nothing."""
    _check_user(passport.worker, by)
    if passport.revoked_at is None:
        passport.revoked_at = timezone.now()
        passport.revoked_by = _user(by)
        passport.revoked_by_worker = is_worker_session(by)
        passport.save(update_fields=["revoked_at", "revoked_by", "revoked_by_worker"])
    return passport


@dataclass(frozen=True)
class PassportAccess:
    """What opening a link found: ``shown``, ``revoked``, ``expired``, or ``unknown`` (no
    such token: nothing is said about it, and there is nothing to log it against)."""

    outcome: str
    passport: Passport | None = None

    @property
    def shown(self) -> bool:
        return self.outcome == PassportOpening.SHOWN


def passport_open(token: str) -> PassportAccess:
    """The passport of a token, each opening logged for the worker to see."""
    if not token or len(token) > 100:
        return PassportAccess("unknown")
    passport = (
        Passport.objects.unscoped(reason="the passport's token is the credential")
        .select_related("worker")
        .filter(token_hash=_hash(token))
        .first()
    )
    if passport is None:
        return PassportAccess("unknown")
    if passport.is_revoked:
        outcome = PassportOpening.REVOKED
    elif passport.is_expired():
        outcome = PassportOpening.EXPIRED
    else:
        outcome = PassportOpening.SHOWN
    PassportView.objects.create(passport=passport, outcome=outcome)
    return PassportAccess(outcome, passport)


def passports_of(worker):
    """The worker's passports, newest first, each with its items, openings and the count
    and moment of the last opening that showed it."""
    return (
        Passport.objects.of_worker(worker)
        .select_related("created_by", "revoked_by")
        .prefetch_related("items", Prefetch("views", queryset=PassportView.objects.order_by("-viewed_at")))
        .annotate(
            shown_count=Count("views", filter=Q(views__outcome=PassportOpening.SHOWN)),
            last_shown_at=Max("views__viewed_at", filter=Q(views__outcome=PassportOpening.SHOWN)),
        )
    )
