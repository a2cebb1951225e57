"""Reminders for placements (to the worker's coach) and for partners gone quiet (to the
partner's owner and the organisation's beheerders)."""

import calendar
import datetime

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Left, TruncDate
from django.utils.translation import gettext_noop as _  # rendered in the reader's language when shown

from bwise.accounts.models import Role, User
from bwise.reminders.registry import Due, link, message, register_scanner, shifted, text
from partners.models import Evaluation, EvaluationKind, FollowUp, Partner, Stage, StageKind
from partners.models.hires import FollowUpWith
from partners.selectors import uncontacted
from partners.workdays import last_working_day_on_or_before
from trajects.models import Worker
from trajects.scanners import full_name

SOON = datetime.timedelta(days=7)
# An intermediate evaluation is expected once a stage has run this long.
INTERMEDIATE_AFTER = datetime.timedelta(days=14)
ATTENDANCE_LEAD = datetime.timedelta(days=3)


def _stage_url():
    return link("partners:stage_detail", stage_pk=F("pk"))


def _running_stages(today):
    return Stage.objects.filter(
        worker__coach__isnull=False,
        start_date__lte=today,
        worker__in=Worker.objects.employed_ids_on(today),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today - SOON))


@register_scanner("nazorg_follow_up_due")
def follow_ups_due(today):
    """Follow-up contacts due soon, for the coach. Nazorg follows a worker who has moved on
    to the regular economy, so these reminders alone do not ask whether the worker is still
    employed here: they stop when the trajectory is closed."""
    due = FollowUp.objects.open().filter(
        due_on__lte=today + SOON,
        hire__worker__coach__isnull=False,
        hire__trajectory__closed_at__isnull=True,
    )
    whom = Case(*(When(with_whom=value, then=Value(str(label))) for value, label in FollowUpWith.choices))
    return [
        Due(
            kind="nazorg_follow_up_due",
            records=due,
            key=text("nazorg:", F("pk"), ":", F("due_on")),
            title=message(
                _("Aftercare contact with %(whom)s for %(worker)s"),
                whom=whom,
                worker=full_name("hire__worker__"),
            ),
            due_date=F("due_on"),
            url=link("partners:follow_up_log", followup_pk=F("pk")),
            recipient=F("hire__worker__coach_id"),
        )
    ]


@register_scanner("stage_evaluation_due")
def evaluations_due(today):
    """A final evaluation once the end is near and none was held; before that, an
    intermediate one once the stage has run a while without any evaluation. An enclave is not
    evaluated as a stage."""
    stages = _running_stages(today).exclude(kind=StageKind.ENCLAVE)
    evaluations = Evaluation.objects.filter(stage=OuterRef("pk"))
    final = stages.filter(end_date__lte=today + SOON).exclude(
        Exists(evaluations.filter(kind=EvaluationKind.FINAL))
    )
    intermediate = (
        stages.filter(start_date__lte=today - INTERMEDIATE_AFTER)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today + SOON))
        .exclude(Exists(evaluations))
    )

    def due(records, kind, title, due_date):
        return Due(
            kind="stage_evaluation_due",
            records=records,
            key=text("stage-evaluation:", F("pk"), f":{kind}"),
            title=message(title, worker=full_name("worker__")),
            due_date=due_date,
            url=_stage_url(),
            recipient=F("worker__coach_id"),
        )

    return [
        due(final, "final", _("Final evaluation of the stage of %(worker)s"), F("end_date")),
        due(
            intermediate,
            "intermediate",
            _("Intermediate evaluation of the stage of %(worker)s"),
            shifted(F("start_date"), days=INTERMEDIATE_AFTER.days),
        ),
    ]


@register_scanner("stage_ending")
def stages_ending(today):
    return [
        Due(
            kind="stage_ending",
            records=_running_stages(today).filter(end_date__gte=today, end_date__lte=today + SOON),
            key=text("stage-ending:", F("pk"), ":", F("end_date")),
            title=message(
                _("The stage of %(worker)s at %(host)s ends on %(end)s"),
                worker=full_name("worker__"),
                host=F("partner__name"),
                end=F("end_date"),
            ),
            due_date=F("end_date"),
            url=_stage_url(),
            recipient=F("worker__coach_id"),
        )
    ]


def _month_end(today) -> datetime.date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def attendance_list_due_on(end_date: datetime.date | None, today: datetime.date) -> datetime.date:
    """The list of this month is due on its last working day, or on the stage's last working
    day when the stage ends sooner."""
    last = _month_end(today)
    if end_date is not None and end_date < last:
        last = end_date
    return last_working_day_on_or_before(last)


@register_scanner("attendance_list_due")
def attendance_lists_due(today):
    """A reminder for the stages whose attendance list is due within the lead. An enclave
    keeps no host's list: its own supervisor leads the team."""
    month_end = _month_end(today)
    # The due date per end date, worked out here (the holidays are not in the database):
    # only the end dates from today to the month's end can move it before the month's own.
    ends = [today + datetime.timedelta(days=n) for n in range((month_end - today).days + 1)]
    due_on = Case(
        *(When(end_date=day, then=Value(attendance_list_due_on(day, today))) for day in ends),
        default=Value(attendance_list_due_on(None, today)),
        output_field=DateField(),
    )
    stages = (
        _running_stages(today)
        .exclude(kind=StageKind.ENCLAVE)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(list_due_on=due_on)
        .filter(list_due_on__lte=today + ATTENDANCE_LEAD)
    )
    return [
        Due(
            kind="attendance_list_due",
            records=stages,
            key=text("attendance:", F("pk"), ":", Left(Cast("list_due_on", TextField()), 7)),
            title=message(
                _("Collect the attendance list of %(worker)s from %(host)s"),
                worker=full_name("worker__"),
                host=F("partner__name"),
            ),
            due_date=F("list_due_on"),
            url=_stage_url(),
            recipient=F("worker__coach_id"),
        )
    ]


# The notices of an enclave: the union delegation as soon as possible (due when the enclave
# is planned), the works council and the prevention committee at their next meeting (due on
# that meeting, or on the start while its date is not known).
ENCLAVE_NOTICES = (
    ("union", "union_informed_on", None, _("Inform the union delegation about the enclave at %(host)s")),
    (
        "works_council",
        "works_council_informed_on",
        "works_council_meeting_on",
        _("Inform the works council about the enclave at %(host)s"),
    ),
    (
        "prevention_committee",
        "prevention_committee_informed_on",
        "prevention_committee_meeting_on",
        _("Inform the prevention committee about the enclave at %(host)s"),
    ),
)


@register_scanner("enclave_notice_due")
def enclave_notices_due(today):
    enclaves = Stage.objects.filter(
        kind=StageKind.ENCLAVE,
        worker__coach__isnull=False,
        worker__in=Worker.objects.employed_ids_on(today),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    dues = []
    for body, informed, meeting, title in ENCLAVE_NOTICES:
        planned = TruncDate("created_at")
        due_date = planned if meeting is None else Coalesce(F(meeting), F("start_date"), planned)
        dues.append(
            Due(
                kind="enclave_notice_due",
                records=enclaves.filter(**{f"{informed}__isnull": True}),
                key=text(f"enclave-notice:{body}:", F("pk")),
                title=message(title, host=F("partner__name")),
                due_date=due_date,
                url=_stage_url(),
                recipient=F("worker__coach_id"),
            )
        )
    return dues


BVS_AGREEMENT_LEAD = datetime.timedelta(days=7)


@register_scanner("bvs_agreement_unsigned")
def bvs_agreements_unsigned(today):
    """A BVS planned without a signed agreement: the signatures are due before it starts."""
    return [
        Due(
            kind="bvs_agreement_unsigned",
            records=Stage.objects.filter(
                kind=StageKind.BVS,
                agreement_signed_on__isnull=True,
                worker__coach__isnull=False,
                worker__in=Worker.objects.employed_ids_on(today),
                start_date__lte=today + BVS_AGREEMENT_LEAD,
                start_date__gte=today - SOON,
            ),
            key=text("bvs-agreement:", F("pk")),
            title=message(
                _("Have the BVS agreement of %(worker)s at %(host)s signed"),
                worker=full_name("worker__"),
                host=F("partner__name"),
            ),
            due_date=F("start_date"),
            url=_stage_url(),
            recipient=F("worker__coach_id"),
        )
    ]


@register_scanner("partner_not_contacted")
def partners_not_contacted(today):
    """Partners without any contact, or none for a long time: for the coach who keeps the
    contact (the partner's owner) and for every beheerder of the organisation."""
    quiet = uncontacted(Partner.objects.all(), today)
    key = text("partner-quiet:", F("pk"), ":", Coalesce(Cast("last_contact", TextField()), Value("never")))
    title = message(_("No contact with %(partner)s for a long time"), partner=F("name"))
    due = Value(today, output_field=DateField())
    url = link("partners:partner_detail", partner_pk=F("pk"))
    return [
        Due(
            kind="partner_not_contacted",
            records=quiet.filter(owner__isnull=False, owner__is_active=True),
            key=key,
            title=title,
            due_date=due,
            url=url,
            recipient=F("owner_id"),
        ),
        Due(
            kind="partner_not_contacted",
            records=quiet,
            key=key,
            title=title,
            due_date=due,
            url=url,
            recipients=User.objects.with_role(Role.BEHEERDER).filter(
                is_active=True, organisation__isnull=False
            ),
        ),
    ]
