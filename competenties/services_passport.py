"""Competency passports: the worker shares chosen items with an employer through a
read-only link for a limited time; the worker or the coach revokes it; every opening is
logged and shown to them.

For the worker's own pages (issue 17), the functions to call are:

* ``competenties.passport.passport_choices(worker)``: what may be shared, per kind;
* ``passport_create(worker=..., recipient=..., days=..., items=[(kind, ref), ...], by=None)``:
  returns the passport and its token (shown once: build the link with
  ``reverse("competenties:passport_public", kwargs={"token": token})``);
* ``passports_of(worker)``: the worker's passports, newest first, with their openings;
* ``passport_revoke(passport=..., by=None)``.

``by`` is the user who acts, or None when the worker acts in their own session (the
caller has read ``worker`` or ``passport`` through the worker's own scope).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules
from competenties.models import Passport, PassportItem, PassportOpening, PassportView
from competenties.passport import get_item_kind
from trajects.models import Worker

MAX_DAYS = 90
DEFAULT_DAYS = 30


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_user(worker, by) -> None:
    if by is None:
        return
    if by.organisation_id != worker.organisation_id:
        raise DomainError(_("The worker must belong to your organisation."), code="other_organisation")
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise DomainError(_("You cannot share this worker's passport."), code="not_allowed")


def passport_create(*, worker, recipient: str, days: int, items, by=None) -> tuple[Passport, str]:
    """A passport of ``items`` (``(kind, ref)`` pairs) for ``recipient``, valid ``days``
    days. Returns it with its token, which is never stored: only its hash is."""
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
    with transaction.atomic():
        try:
            passport = Passport.objects.create(
                worker=worker,
                recipient=recipient,
                token_hash=_hash(token),
                expires_at=timezone.now() + datetime.timedelta(days=days),
                created_by=by,
            )
        except IntegrityError as err:  # pragma: no cover - a 256-bit collision
            raise DomainError(_("Try again."), code="token_collision") from err
        PassportItem.objects.bulk_create(PassportItem(passport=passport, kind=k, ref=r) for k, r in chosen)
    return passport, token


def passport_revoke(*, passport: Passport, by=None) -> Passport:
    """The link stops working at once; revoking twice changes nothing."""
    _check_user(passport.worker, by)
    if passport.revoked_at is None:
        passport.revoked_at = timezone.now()
        passport.revoked_by = by
        passport.revoked_by_worker = by is None
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
