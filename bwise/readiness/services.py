from django.db import transaction
from django.utils.translation import gettext as _

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError, Rules, validated_save
from bwise.readiness.models import ActionItem, ActionStatus, Answer, Score, SelfAssessment
from bwise.readiness.statements import STATEMENT_KEYS


def self_assessment_create(
    *, assessed_on, answers: dict[str, tuple[int, str]], note: str = "", by
) -> SelfAssessment:
    """Record a self-assessment of ``by``'s organisation; every statement needs a score."""
    if not has_perm(by, Perm.VIEW_DASHBOARD):
        raise DomainError(_("Only the management can assess the organisation."), code="not_allowed")
    missing = [key for key in STATEMENT_KEYS if key not in answers]
    if missing:
        raise DomainError(_("Score every statement of the checklist."), code="required")
    if any(score not in Score.values for score, _note in answers.values()):
        raise DomainError(_("Say for each statement whether you agree."), code="invalid_score")
    with transaction.atomic():
        assessment = SelfAssessment(
            organisation_id=by.organisation_id, assessed_on=assessed_on, note=note, created_by=by
        )
        validated_save(assessment)
        Answer.objects.bulk_create(
            Answer(assessment=assessment, statement=key, score=answers[key][0], note=answers[key][1])
            for key in STATEMENT_KEYS
        )
    return assessment


def action_item_save(*, item: ActionItem, by) -> ActionItem:
    """Create or edit an action of the plan (management only); the owner works in the organisation."""
    if not has_perm(by, Perm.VIEW_DASHBOARD):
        raise DomainError(_("Only the management can change the action plan."), code="not_allowed")
    if item.pk is None:
        item.organisation_id = by.organisation_id
        item.created_by = by
    elif item.organisation_id != by.organisation_id:  # pragma: no cover - views fetch through the scope
        raise DomainError(_("This action belongs to another organisation."), code="other_organisation")
    rules = Rules()
    if item.owner_id is None or item.owner.organisation_id != by.organisation_id or not item.owner.is_active:
        rules.refuse(_("Choose an owner from your organisation."), field="owner", code="other_organisation")
    with transaction.atomic():
        # The creator may since have been deleted (SET_NULL): that must not block editing the action.
        validated_save(item, exclude=["created_by"], rules=rules)
    return item


def action_item_set_status(*, item: ActionItem, status: str, by) -> ActionItem:
    """The owner, or the management, moves an action along."""
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."), field="status", code="unknown_status")
    if item.owner_id != by.pk and not has_perm(by, Perm.VIEW_DASHBOARD):
        raise DomainError(_("Only the owner or the management can update this action."), code="not_allowed")
    with transaction.atomic():
        locked = (
            ActionItem.objects.unscoped(reason="a service locks the action it changes")
            .select_for_update()
            .get(pk=item.pk)
        )
        locked.status = status
        locked.save(update_fields=["status"])
    return locked
