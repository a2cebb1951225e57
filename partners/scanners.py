"""Reminders for placements (to the worker's coach) and for partners gone quiet (to the
organisation's beheerders)."""

import calendar
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bwise.accounts.models import Role, User
from bwise.reminders.registry import ReminderSpec, register_scanner
from partners.models import EvaluationKind, FollowUp, Stage
from partners.selectors import last_contact, uncontacted_partners

SOON = datetime.timedelta(days=7)
# An intermediate evaluation is expected once a stage has run this long.
INTERMEDIATE_AFTER = datetime.timedelta(days=14)
ATTENDANCE_LEAD = datetime.timedelta(days=3)


def _stage_url(stage):
    return reverse("partners:stage_detail", kwargs={"stage_pk": stage.pk})


def _running_stages(today):
    return (
        Stage.objects.filter(worker__coach__isnull=False, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today - SOON))
        .select_related("worker__coach", "partner")
    )


@register_scanner("nazorg_follow_up_due")
def follow_ups_due(today):
    due = FollowUp.objects.open().filter(due_on__lte=today + SOON, hire__worker__coach__isnull=False)
    for follow_up in due.select_related("hire__worker__coach").iterator():
        worker = follow_up.hire.worker
        yield ReminderSpec(
            key=f"nazorg:{follow_up.pk}:{follow_up.due_on.isoformat()}:user:{worker.coach_id}",
            recipient=worker.coach,
            kind="nazorg_follow_up_due",
            title=_("Aftercare contact with %(whom)s for %(worker)s")
            % {"whom": follow_up.get_with_whom_display(), "worker": worker.full_name},
            due_date=follow_up.due_on,
            url=reverse("partners:follow_up_log", kwargs={"followup_pk": follow_up.pk}),
            record=follow_up,
        )


@register_scanner("stage_evaluation_due")
def evaluations_due(today):
    for stage in _running_stages(today).prefetch_related("evaluations"):
        kinds = {e.kind for e in stage.evaluations.all()}
        if stage.end_date and stage.end_date <= today + SOON and EvaluationKind.FINAL not in kinds:
            kind, due, label = "final", stage.end_date, _("Final evaluation of the stage of %(worker)s")
        elif not kinds and stage.start_date + INTERMEDIATE_AFTER <= today:
            kind, due, label = (
                "intermediate",
                stage.start_date + INTERMEDIATE_AFTER,
                _("Intermediate evaluation of the stage of %(worker)s"),
            )
        else:
            continue
        yield ReminderSpec(
            key=f"stage-evaluation:{stage.pk}:{kind}:user:{stage.worker.coach_id}",
            recipient=stage.worker.coach,
            kind="stage_evaluation_due",
            title=label % {"worker": stage.worker.full_name},
            due_date=due,
            url=_stage_url(stage),
            record=stage,
        )


@register_scanner("stage_ending")
def stages_ending(today):
    for stage in _running_stages(today).filter(end_date__gte=today, end_date__lte=today + SOON):
        yield ReminderSpec(
            key=f"stage-ending:{stage.pk}:{stage.end_date.isoformat()}:user:{stage.worker.coach_id}",
            recipient=stage.worker.coach,
            kind="stage_ending",
            title=_("The stage of %(worker)s at %(host)s ends on %(end)s")
            % {"worker": stage.worker.full_name, "host": stage.partner, "end": stage.end_date},
            due_date=stage.end_date,
            url=_stage_url(stage),
            record=stage,
        )


def attendance_due_date(stage, today) -> datetime.date:
    """The host returns the list on the last day of the month, or of the stage if sooner."""
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return min(month_end, stage.end_date) if stage.end_date else month_end


@register_scanner("attendance_list_due")
def attendance_lists_due(today):
    for stage in _running_stages(today).filter(Q(end_date__isnull=True) | Q(end_date__gte=today)):
        due = attendance_due_date(stage, today)
        if today < due - ATTENDANCE_LEAD:
            continue
        yield ReminderSpec(
            key=f"attendance:{stage.pk}:{due:%Y-%m}:user:{stage.worker.coach_id}",
            recipient=stage.worker.coach,
            kind="attendance_list_due",
            title=_("Collect the attendance list of %(worker)s from %(host)s")
            % {"worker": stage.worker.full_name, "host": stage.partner},
            due_date=due,
            url=_stage_url(stage),
            record=stage,
        )


@register_scanner("partner_not_contacted")
def partners_not_contacted(today):
    managers: dict[int, list[User]] = {}
    for user in User.objects.with_role(Role.BEHEERDER).filter(is_active=True, organisation__isnull=False):
        managers.setdefault(user.organisation_id, []).append(user)
    for organisation_id, recipients in managers.items():
        for partner in uncontacted_partners(organisation_id, today):
            last = last_contact(partner)
            for recipient in recipients:
                yield ReminderSpec(
                    key=f"partner-quiet:{partner.pk}:{last or 'never'}:user:{recipient.pk}",
                    recipient=recipient,
                    kind="partner_not_contacted",
                    title=_("No contact with %(partner)s for a long time") % {"partner": partner},
                    due_date=today,
                    url=reverse("partners:partner_detail", kwargs={"partner_pk": partner.pk}),
                    record=partner,
                )
