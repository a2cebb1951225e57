"""Writes on the worker's own evidence: the stoefboek (achievements with a photo and the
competencies they show) and the digital skills the worker practises by using the product.

Two kinds of caller. Staff pass ``by`` and are checked against their capabilities and
caseload here. The worker's own pages call the ``*_by_worker`` functions with the worker
their session signed in; that session is the check, and the worker never holds a staff
role (``by`` would be wrong there: nobody of the staff did it).
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from competenties.framework_presets import DIGITAL
from competenties.models import (
    Achievement,
    Competency,
    DigitalAction,
    DigitalSkillEvidence,
    DigitalSkillsConsent,
    EvidenceStatus,
    Indicator,
)
from trajects.models import Worker

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Larger photos are scaled down: a phone's 12 megapixels add nothing to a stoefboek.
PHOTO_MAX_SIDE = 2048
# A PNG of a few kilobytes can unpack to gigabytes; refused before it is decoded.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _require_staff(by, worker: Worker) -> None:
    if not has_perm(by, Perm.EDIT_WORKERS) or not Worker.objects.visible_to(by).filter(pk=worker.pk).exists():
        raise DomainError(_("This worker is not in your caseload."), code="not_in_caseload")


# --- Photos -----------------------------------------------------------------------------


def clean_photo(upload) -> ContentFile:
    """The uploaded photo re-encoded from its pixels alone: EXIF (with the place it was taken),
    comments and colour profiles stay behind, and the orientation the camera noted is applied
    first so the photo still stands upright. JPEG and PNG only, at most 5 MB."""
    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(
            _("The photo is larger than %(mb)s MB.") % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            field="photo",
            code="file_too_large",
        )
    refused = DomainError(_("Add the photo as a JPEG or PNG file."), field="photo", code="file_type")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in PHOTO_FORMATS or image.width * image.height > PHOTO_MAX_PIXELS:
                raise refused
            kind = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise refused from error
    upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    # Only the pixels travel: a new image has no info, EXIF or ICC profile to carry over.
    mode = (
        "RGB" if kind == "JPEG" else ("RGBA" if "A" in upright.getbands() or upright.mode == "P" else "RGB")
    )
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"photo.{PHOTO_FORMATS[kind]}")


# --- Stoefboek --------------------------------------------------------------------------


def _check(worker: Worker, text: str, competencies, achieved_on, rules: Rules) -> None:
    if not text.strip():
        rules.refuse(_("Write what you did."), field="text", code="required")
    if achieved_on is not None and achieved_on > timezone.localdate():
        rules.refuse(_("The date cannot be in the future."), field="achieved_on", code="future")
    if any(c.framework.organisation_id != worker.organisation_id for c in competencies):
        rules.refuse(
            _("Link only competencies of your organisation's frameworks."),
            field="competencies",
            code="other_organisation",
        )


def _write(achievement: Achievement, *, text, competencies, achieved_on, photo) -> Achievement:
    competencies = list(competencies or ())
    rules = Rules()
    _check(achievement.worker, text, competencies, achieved_on, rules)
    with rules.check():
        cleaned = clean_photo(photo) if photo else None
    rules.raise_any()
    achievement.text = text.strip()
    if achieved_on is not None:
        achievement.achieved_on = achieved_on
    replaced = achievement.photo.name if cleaned is not None and achievement.photo else ""
    with transaction.atomic():
        if cleaned is not None:
            achievement.photo.save(cleaned.name, cleaned, save=False)
        validated_save(achievement, exclude=["worker", "created_by", "confirmed_by"])
        achievement.competencies.set(competencies)
        if replaced:
            storage = achievement.photo.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    return achievement


def achievement_add(
    *, worker: Worker, text: str, by, competencies=(), photo=None, achieved_on=None
) -> Achievement:
    """A coach writes an item in the worker's stoefboek, with the worker."""
    _require_staff(by, worker)
    achievement = Achievement(worker=worker, created_by=by)
    return _write(achievement, text=text, competencies=competencies, achieved_on=achieved_on, photo=photo)


def achievement_add_by_worker(
    *, worker: Worker, text: str, competencies=(), photo=None, achieved_on=None
) -> Achievement:
    """The worker's own item, from the worker's pages. A photo they took and added is practice
    of a digital skill, recorded as such when they agreed to that."""
    achievement = Achievement(worker=worker, added_by_worker=True)
    achievement = _write(
        achievement, text=text, competencies=competencies, achieved_on=achieved_on, photo=photo
    )
    if photo:
        digital_action_record(worker=worker, action=DigitalAction.PHOTO)
    return achievement


def _edit(achievement: Achievement, **changes) -> Achievement:
    # What the coach confirmed is what was written then: a changed item is confirmed again.
    achievement.confirmed_at = None
    achievement.confirmed_by = None
    return _write(achievement, **changes)


def achievement_edit(
    *, achievement: Achievement, text: str, by, competencies=(), photo=None, achieved_on=None
):
    _require_staff(by, achievement.worker)
    return _edit(achievement, text=text, competencies=competencies, achieved_on=achieved_on, photo=photo)


def achievement_edit_by_worker(
    *, achievement: Achievement, worker: Worker, text: str, competencies=(), photo=None
):
    if achievement.worker_id != worker.pk:
        raise DomainError(_("This is not in your stoefboek."), code="not_own")
    return _edit(achievement, text=text, competencies=competencies, achieved_on=None, photo=photo)


def _delete(achievement: Achievement) -> None:
    with transaction.atomic():
        if achievement.photo:
            photo = achievement.photo
            transaction.on_commit(lambda: photo.storage.delete(photo.name))
        achievement.delete()


def achievement_delete(*, achievement: Achievement, by) -> None:
    _require_staff(by, achievement.worker)
    _delete(achievement)


def achievement_delete_by_worker(*, achievement: Achievement, worker: Worker) -> None:
    """The worker removes an item of their own that nobody confirmed yet; a confirmed item is
    evidence in a measurement round, which the coach removes if it must go."""
    if achievement.worker_id != worker.pk:
        raise DomainError(_("This is not in your stoefboek."), code="not_own")
    if achievement.is_confirmed:
        raise DomainError(_("Your coach confirmed this. Ask your coach to remove it."), code="confirmed")
    _delete(achievement)


def achievement_confirm(*, achievement: Achievement, by, confirmed: bool = True) -> Achievement:
    """The coach confirms the item (or withdraws the confirmation): confirmed, it counts as
    evidence for its competencies in the worker's measurement rounds."""
    _require_staff(by, achievement.worker)
    if confirmed and not achievement.competencies.exists():
        raise DomainError(
            _("Link the competencies it shows first: the confirmation makes it evidence for them."),
            field="competencies",
            code="no_competency",
        )
    achievement.confirmed_at = timezone.now() if confirmed else None
    achievement.confirmed_by = by if confirmed else None
    achievement.save(update_fields=["confirmed_at", "confirmed_by"])
    return achievement


# --- Digital skills ---------------------------------------------------------------------

# The behaviour of the shipped digital-skills framework each action of the worker shows; the
# organisation's copy of that framework (``Framework.template_key``) is searched for it.
ACTION_INDICATORS: dict[str, str] = {
    DigitalAction.SIGN_IN_ALONE: "Meldt zich aan op een toestel",
    DigitalAction.PHOTO: "Neemt een foto met een toestel en voegt ze toe",
    DigitalAction.SIGNATURE: "Tekent een document op een scherm",
    DigitalAction.PASSPORT_SHARE: "Deelt eigen gegevens bewust met anderen",
    DigitalAction.ONLINE_FORM: "Vult een online formulier in",
}


def template_indicator(action: str) -> tuple[str, str]:
    """(competency name, behaviour) of the shipped framework for ``action``."""
    text = ACTION_INDICATORS[action]
    for competency in DIGITAL.competencies:
        if any(indicator[0] == text for indicator in competency.indicators):
            return competency.name, text
    raise LookupError(f"the digital-skills framework has no behaviour {text!r}")


def _organisation_indicator(worker: Worker, text: str) -> Indicator | None:
    return (
        Indicator.objects.unscoped(
            reason="a service finds the worker's organisation's digital-skills behaviour"
        )
        .filter(
            competency__framework__organisation_id=worker.organisation_id,
            competency__framework__template_key=DIGITAL.key,
            description=text,
        )
        .select_related("competency")
        .order_by("pk")
        .first()
    )


def consent_given(worker: Worker) -> bool:
    consent = (
        DigitalSkillsConsent.objects.unscoped(reason="a service reads the worker's consent")
        .filter(worker=worker)
        .first()
    )
    return bool(consent and consent.given)


def digital_action_record(*, worker: Worker, action: str, at=None) -> DigitalSkillEvidence | None:
    """Record that the worker did ``action`` in the product, as observed evidence for the
    matching behaviour of the digital-skills framework, for the coach to confirm. Nothing is
    recorded without the worker's consent (None then). Called by the worker's own pages when
    the worker signs in alone, adds a photo, signs, shares the passport or sends a form."""
    if action not in DigitalAction.values:
        raise DomainError(_("Unknown action."), code="unknown_action")
    if not consent_given(worker):
        return None
    at = at or timezone.now()
    competency_name, text = template_indicator(action)
    indicator = _organisation_indicator(worker, text)
    if indicator is not None:
        competency_name, text = indicator.competency.name, indicator.description
    rows = DigitalSkillEvidence.objects.unscoped(reason="a service records the worker's own action")
    open_row = rows.filter(worker=worker, action=action, status=EvidenceStatus.OBSERVED)
    with transaction.atomic():
        if open_row.update(times=F("times") + 1, last_at=at):
            return open_row.get()
        try:
            with transaction.atomic():
                return rows.create(
                    worker=worker,
                    action=action,
                    indicator=indicator,
                    competency_name=competency_name,
                    indicator_text=text,
                    first_at=at,
                    last_at=at,
                )
        except IntegrityError:
            # The same action at the same moment from a second device: count it on that row.
            open_row.update(times=F("times") + 1, last_at=at)
            return open_row.get()


def _consent_set(worker: Worker, given: bool, by) -> DigitalSkillsConsent:
    consent, _created = DigitalSkillsConsent.objects.unscoped(
        reason="a service writes the worker's consent"
    ).update_or_create(
        worker=worker, defaults={"given": given, "changed_at": timezone.now(), "recorded_by": by}
    )
    return consent


def digital_skills_consent_set(*, worker: Worker, given: bool, by) -> DigitalSkillsConsent:
    """The coach records the worker's answer, asked in person."""
    _require_staff(by, worker)
    return _consent_set(worker, given, by)


def digital_skills_consent_set_by_worker(*, worker: Worker, given: bool) -> DigitalSkillsConsent:
    return _consent_set(worker, given, None)


def digital_evidence_review(*, evidence: DigitalSkillEvidence, confirm: bool, by) -> DigitalSkillEvidence:
    """The coach confirms an observed action as evidence for its behaviour, or not."""
    _require_staff(by, evidence.worker)
    if not has_perm(by, Perm.ASSESS):
        raise DomainError(_("You are not allowed to do this."), code="not_allowed")
    with transaction.atomic():
        locked = (
            DigitalSkillEvidence.objects.unscoped(reason="a service locks the evidence it reviews")
            .select_for_update()
            .get(pk=evidence.pk)
        )
        if locked.status != EvidenceStatus.OBSERVED:
            raise DomainError(_("This was reviewed already."), code="already_reviewed")
        locked.status = EvidenceStatus.CONFIRMED if confirm else EvidenceStatus.REJECTED
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return locked


def competencies_for(worker: Worker):
    """The competencies an item of ``worker``'s stoefboek can show: those of the organisation."""
    return (
        Competency.objects.unscoped(reason="the worker's own organisation's frameworks")
        .filter(framework__organisation_id=worker.organisation_id)
        .select_related("framework")
        .order_by("framework__name", "order", "name")
    )
