"""Signing documents on screen: the worker and the coach sign the commitment statement and
the POP with a finger or a mouse, and the printed document shows their signatures.

A document kind is signable when it names its ``signed_content`` (``registry.DocumentKind``):
the part of the record that the parties agree to. Its canonical serialisation (sorted
keys, normalised text, ISO dates) is hashed with SHA-256 and kept with each signature. A
signature counts only while the document's content still has that hash: change a POP
action and the POP shows as unsigned until both sign again. Older signatures stay, as
the record of what was signed when.

For the worker's own pages (issue 17), the functions to call are:

* ``signature_state(kind_key, record)``: per role (worker, coach), the signature that
  counts now, and the one that no longer counts because the document changed;
* ``document_sign(kind_key=..., record=..., role=SignerRole.WORKER, image=..., by=None)``:
  the worker signs; ``by`` is None when the worker signs in their own session (the caller
  has read ``record`` through the worker's own scope) and the coach's user when the coach
  hands over the tablet;
* ``signature_data_uri(signature)``: the image to show.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError
from bwise.documents import registry
from bwise.documents.models import Signature, SignerRole
from bwise.roles import Role

# A line drawing of a few hundred pixels compresses to a few kilobytes; anything near the
# limit is not a signature drawn on the pad.
MAX_IMAGE_BYTES = 200 * 1024
MAX_WIDTH, MAX_HEIGHT = 1600, 800
MIN_WIDTH, MIN_HEIGHT = 100, 40
DATA_URI_PREFIX = "data:image/png;base64,"
# Bumped when the serialisation changes, so that an old hash never matches by accident.
CANONICAL_VERSION = 1


def _normalised(value):
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if isinstance(value, dict):
        return {str(key): _normalised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def canonical_content(kind: registry.DocumentKind, record) -> str:
    """The exact document version as text: what the kind says the signatures bind, with
    line endings, trailing spaces and Unicode forms normalised (a form saved again with
    the same words is the same document)."""
    content = {
        "version": CANONICAL_VERSION,
        "kind": kind.key,
        "record": record.pk,
        "content": _normalised(kind.signed_content(record)),
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(kind: registry.DocumentKind, record) -> str:
    return hashlib.sha256(canonical_content(kind, record).encode()).hexdigest()


def _signable_kind(key: str) -> registry.DocumentKind:
    kind = registry.get_kind(key)
    if kind is None or not kind.signable:
        raise DomainError(_("This document cannot be signed on screen."), code="not_signable")
    return kind


def signature_image(data) -> bytes:
    """The PNG the pad sent (a ``data:image/png;base64,`` URI or bytes), checked and
    written again: a PNG of sensible size that holds a drawing, with nothing else in it
    (no text chunks, no other format behind a PNG header)."""
    if isinstance(data, str):
        if not data.startswith(DATA_URI_PREFIX):
            raise DomainError(_("Sign in the box first."), field="image", code="signature_missing")
        if len(data) > MAX_IMAGE_BYTES * 4 // 3 + len(DATA_URI_PREFIX) + 4:
            raise DomainError(_("The signature is too large."), field="image", code="signature_too_large")
        try:
            data = base64.b64decode(data[len(DATA_URI_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as err:
            raise DomainError(
                _("The signature could not be read."), field="image", code="signature_invalid"
            ) from err
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(_("The signature is too large."), field="image", code="signature_too_large")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data), formats=["PNG"]) as opened:
            if not (MIN_WIDTH <= opened.width <= MAX_WIDTH and MIN_HEIGHT <= opened.height <= MAX_HEIGHT):
                raise DomainError(
                    _("The signature has an unexpected size."), field="image", code="signature_size"
                )
            image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise DomainError(
            _("The signature could not be read."), field="image", code="signature_invalid"
        ) from err
    # Ink is whatever is neither transparent nor white.
    alpha = image.getchannel("A").point(lambda value: 255 if value > 16 else 0)
    ink = Image.eval(image.convert("L"), lambda value: 255 if value < 200 else 0)
    drawn = Image.composite(ink, Image.new("L", image.size), alpha)
    if drawn.getbbox() is None:
        raise DomainError(_("Sign in the box first."), field="image", code="signature_empty")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@dataclass
class SignatureState:
    """Who signed this version of a document, and whose signature an earlier version has."""

    content_hash: str
    current: dict[str, Signature] = field(default_factory=dict)
    outdated: dict[str, Signature] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(role in self.current for role in SignerRole.values)

    @property
    def missing(self) -> list[str]:
        return [role for role in SignerRole.values if role not in self.current]

    def rows(self) -> list[dict]:
        """One row per role, for a page: label, the counting signature, the outdated one."""
        return [
            {
                "role": role,
                "label": SignerRole(role).label,
                "signature": self.current.get(role),
                "outdated": None if role in self.current else self.outdated.get(role),
            }
            for role in SignerRole.values
        ]


def signature_state(kind_key: str, record) -> SignatureState:
    kind = _signable_kind(kind_key)
    current_hash = content_hash(kind, record)
    state = SignatureState(content_hash=current_hash)
    worker = registry.worker_of(record)
    signatures = Signature.objects.of_worker(worker).filter(kind=kind.key, record_id=record.pk)
    for signature in signatures.select_related("signed_by"):  # newest first
        if signature.content_hash == current_hash:
            state.current.setdefault(signature.role, signature)
        else:
            state.outdated.setdefault(signature.role, signature)
    return state


def _signer_name(role: str, worker, by) -> str:
    if role == SignerRole.WORKER:
        return worker.full_name
    return by.get_full_name() or by.get_username()


def _check_signer(role: str, kind, record, worker, by) -> None:
    if by is not None:
        if by.organisation_id != worker.organisation_id or not kind.can_read(by, record.pk):
            raise DomainError(_("You cannot sign this document."), code="other_organisation")
        if not has_perm(by, Perm.EDIT_WORKERS):
            raise DomainError(_("You cannot sign this document."), code="not_allowed")
    if role == SignerRole.COACH and (by is None or not by.has_role(Role.COACH)):
        raise DomainError(_("Only a transition coach signs as the coach."), code="not_a_coach")
    if role not in SignerRole.values:
        raise DomainError(_("Choose who signs."), field="role", code="invalid_role")


def document_sign(*, kind_key: str, record, role: str, image, by=None) -> Signature:
    """``role`` signs the current version of ``record``'s document of ``kind_key``.

    ``by`` is the user whose session holds the pad: the coach who signs, or who hands the
    tablet to the worker; None when the worker signs in their own session. A role that
    already signed this version is refused (``already_signed``)."""
    kind = _signable_kind(kind_key)
    worker = registry.worker_of(record)
    _check_signer(role, kind, record, worker, by)
    png = signature_image(image)
    with transaction.atomic():
        # The record is locked, so that what is hashed is what stands when the row is written.
        type(record)._base_manager.select_for_update().filter(pk=record.pk).first()
        record.refresh_from_db()
        state = signature_state(kind.key, record)
        if role in state.current:
            raise DomainError(_("This version is already signed."), code="already_signed")
        signature = Signature(
            organisation_id=worker.organisation_id,
            worker=worker,
            kind=kind.key,
            record_id=record.pk,
            role=role,
            signed_by=by if role == SignerRole.COACH else None,
            signer_name=_signer_name(role, worker, by),
            recorded_by=by,
            content_hash=state.content_hash,
        )
        signature.image.save("signature.png", ContentFile(png), save=False)
        signature.save()
    return signature


def signature_data_uri(signature: Signature) -> str:
    try:
        with signature.image.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    return DATA_URI_PREFIX + base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class SignedMark:
    """A signature as a printed document shows it: who, when, and the image inline."""

    name: str
    signed_at: object
    image: str


def signed_marks(kind_key: str, record) -> dict[str, SignedMark]:
    """Per role, the signature that counts for the current version, ready to print."""
    return {
        role: SignedMark(signature.signer_name, signature.signed_at, signature_data_uri(signature))
        for role, signature in signature_state(kind_key, record).current.items()
    }
