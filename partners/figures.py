"""The dashboard's partner figures: stages and their conversion, partners by activity, nazorg due.

See ``bwise.dashboard.registry`` for how figures and their worker lists are registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bwise.dashboard.period import Period
from bwise.dashboard.registry import Figure, WorkerList, register_figure, register_list
from partners.models import FollowUp, Hire, Partner, PartnerEvent, Stage, StageKind, Vacancy, Visit


def _worker_ids(workers):
    return workers.order_by().values("pk")


# --- Stages by type and their conversion into hires -----------------------------------------

CONVERSION_DEFINITION = _(
    "Stages that started within the period, by type. A stage is converted into a hire when the "
    "same worker was hired with a start date on or after the stage's start date (of the same "
    "trajectory when the stage belongs to one), whenever that hire was recorded. The lists show "
    "each worker once. An enclave is not a stage: it has a line of its own, without conversion."
)


def _converted() -> Q:
    hires = Hire.objects.filter(worker=OuterRef("worker_id"), start_date__gte=OuterRef("start_date"))
    same_trajectory = Exists(hires.filter(trajectory_id=OuterRef("trajectory_id")))
    return Q(same_trajectory) | (Q(trajectory__isnull=True) & Q(Exists(hires)))


def _stages_started(period: Period, workers=None):
    # Without workers: a subquery that the (scoped) worker list narrows.
    stages = Stage.objects.of_worker(workers) if workers is not None else Stage.objects.all()
    return stages.filter(start_date__gte=period.start, start_date__lte=period.end)


@dataclass
class StageRow:
    kind: str
    label: str
    started: int
    workers: int
    # None for the enclave: it is not a stage, so no hire is expected from it.
    hired: int | None
    hired_workers: int | None

    @property
    def rate(self) -> float | None:
        return round(100 * self.hired / self.started, 1) if self.started and self.hired is not None else None


# The stages proper, whose conversion into hires is measured; the enclave has its own line.
STAGE_KINDS = (StageKind.TBS, StageKind.BVS)


def stages_by_kind(workers, period: Period) -> list[StageRow]:
    """Stages started in the period per type and how many led to a hire, the stages proper
    together, and the enclaves on a line of their own. One query: each stage's conversion
    is looked up once, and GROUPING SETS count per type and for the stages proper at once."""
    started = (
        _stages_started(period, workers)
        .order_by()
        .annotate(converted=ExpressionWrapper(_converted(), output_field=BooleanField()))
        .values("worker_id", "kind", "converted")
    )
    inner, params = started.query.sql_with_params()
    sql = f"""
        SELECT GROUPING(kind), kind, proper, COUNT(*), COUNT(DISTINCT worker_id),
               COUNT(*) FILTER (WHERE converted), COUNT(DISTINCT worker_id) FILTER (WHERE converted)
        FROM (SELECT *, kind IN %s AS proper FROM ({inner}) AS started) AS stage
        GROUP BY GROUPING SETS ((kind), (proper))
    """  # noqa: S608 - the inner SQL is Django's, every value a parameter
    found, together = {}, (0, 0, 0, 0)
    with connection.cursor() as cursor:
        cursor.execute(sql, [tuple(kind.value for kind in STAGE_KINDS), *params])
        for per_proper, kind, proper, *counts in cursor.fetchall():
            if not per_proper:
                found[kind] = counts
            elif proper:
                together = counts
    rows = []
    for kind in STAGE_KINDS:
        started_n, workers_n, hired, hired_workers = found.get(kind.value, (0, 0, 0, 0))
        rows.append(StageRow(kind.value, kind.label, started_n, workers_n, hired, hired_workers))
    rows.append(StageRow("together", str(_("TBS and BVS together")), *together))
    enclave = found.get(StageKind.ENCLAVE.value, (0, 0, 0, 0))
    rows.append(
        StageRow(StageKind.ENCLAVE.value, StageKind.ENCLAVE.label, enclave[0], enclave[1], None, None)
    )
    return rows


def _stage_list(kind: str, *, hired: bool):
    def members(workers, period):
        stages = _stages_started(period).filter(kind=kind)
        if hired:
            stages = stages.filter(_converted())
        return workers.filter(pk__in=stages.values("worker_id"))

    return members


register_list(
    WorkerList(
        f"stage_{StageKind.ENCLAVE.value}",
        StageKind.ENCLAVE.label,
        _stage_list(StageKind.ENCLAVE, hired=False),
    )
)
for _kind in STAGE_KINDS:
    register_list(WorkerList(f"stage_{_kind.value}", _kind.label, _stage_list(_kind.value, hired=False)))
    register_list(
        WorkerList(
            f"stage_{_kind.value}_hired",
            format_lazy(_("{kind}, hired afterwards"), kind=_kind.label),
            _stage_list(_kind.value, hired=True),
        )
    )

register_figure(
    Figure(
        key="stages",
        title=_("Stages by type and their conversion into hires"),
        compute=stages_by_kind,
        template="partners/figures/stages.html",
        wide=True,
        table=lambda value: (
            [
                str(_("Type")),
                str(_("Stages started")),
                str(_("Workers")),
                str(_("Converted into a hire")),
                str(_("Workers hired")),
                str(_("Conversion (%)")),
            ],
            [[str(r.label), r.started, r.workers, r.hired, r.hired_workers, r.rate] for r in value],
        ),
        order=70,
        explanation=CONVERSION_DEFINITION,
    )
)


# --- Partners by activity and the hires each brought ------------------------------------------


ACTIVITY_COLUMNS = ["visits", "events", "vacancies", "stages", "hires"]


def partner_activity(workers, period: Period) -> list[dict]:
    """Per partner of the workers' organisation: visits done, events held, vacancies opened,
    stages started (of these workers) and hires starting (of these workers) in the period.
    Partners with none of these are left out. Each kind of activity is counted per partner
    over the period's rows, and only the partners found are read, all in one query."""
    within = (period.start, period.end)
    partners = Partner.objects.of_organisation(workers)
    sources = {
        "visits": (Visit.objects.of_organisation(workers).filter(done_on__range=within), "partner"),
        "events": (PartnerEvent.objects.of_organisation(workers).filter(held_on__range=within), "partner"),
        "vacancies": (Vacancy.objects.of_organisation(workers).filter(opened_on__range=within), "partner"),
        "stages": (_stages_started(period, workers), "partner"),
        "hires": (Hire.objects.of_worker(workers).filter(start_date__range=within), "employer"),
    }
    parts, params = [], []
    for column, (rows, partner_field) in sources.items():
        grouped = (
            rows.filter(**{f"{partner_field}__isnull": False})
            .order_by()
            .values_list(partner_field)
            .annotate(n=Count("pk"))
        )
        sql, part_params = grouped.query.sql_with_params()
        parts.append(f"SELECT %s AS kind, * FROM ({sql}) AS part")  # noqa: S608 - Django's SQL
        params += [column, *part_params]
    names_sql, names_params = partners.order_by().values_list("pk", "name").query.sql_with_params()
    sums = ", ".join(
        f"COALESCE(SUM(counted.n) FILTER (WHERE counted.kind = '{column}'), 0)::int"
        for column in ACTIVITY_COLUMNS
    )
    # One query for the five kinds and the partners' names; only partners with activity are
    # read. Sorted there: most hires first, then most other activity, then by name as Python
    # compares strings (the "C" collation).
    sql = f"""
        SELECT partner.*, {sums}
        FROM ({" UNION ALL ".join(parts)}) AS counted (kind, partner_id, n)
        JOIN ({names_sql}) AS partner (pk, name) ON partner.pk = counted.partner_id
        GROUP BY partner.pk, partner.name
        ORDER BY SUM(counted.n) FILTER (WHERE counted.kind = 'hires') DESC NULLS LAST,
                 SUM(counted.n) FILTER (WHERE counted.kind <> 'hires') DESC NULLS LAST,
                 partner.name COLLATE "C"
    """  # noqa: S608 - the inner SQL is Django's, every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *names_params])
        columns = ["pk", "name", *ACTIVITY_COLUMNS]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


register_list(
    WorkerList(
        "partner_hires",
        _("Workers hired by the partner in the period"),
        lambda workers, period, partner: workers.filter(
            pk__in=Hire.objects.filter(
                employer_id=partner, start_date__range=(period.start, period.end)
            ).values("worker_id")
        ),
        param="partner",
    )
)
register_list(
    WorkerList(
        "partner_stages",
        _("Workers who started a stage at the partner in the period"),
        lambda workers, period, partner: workers.filter(
            pk__in=_stages_started(period).filter(partner_id=partner).values("worker_id")
        ),
        param="partner",
    )
)

register_figure(
    Figure(
        key="partners",
        title=_("Partners by activity and the hires each brought"),
        compute=partner_activity,
        template="partners/figures/partners.html",
        wide=True,
        table=lambda value: (
            [
                str(_("Partner")),
                str(_("Visits")),
                str(_("Events")),
                str(_("Vacancies")),
                str(_("Stages")),
                str(_("Hires")),
            ],
            [[r["name"], *(r[c] for c in ACTIVITY_COLUMNS)] for r in value],
        ),
        order=72,
        explanation=_(
            "Within the period: company visits done, partner events held, vacancies opened, stages "
            "started and hires starting with the partner as employer."
        ),
        # Names partners: not for a view across organisations.
        federation=False,
    )
)


# --- Nazorg contacts due --------------------------------------------------------------------


def _follow_ups_q(key: str, period: Period) -> Q:
    """Open follow-ups due by the end of the period; overdue ones were due before today."""
    due = Q(done_on__isnull=True, due_on__lte=period.end)
    if key == "overdue":
        return due & Q(due_on__lt=timezone.localdate())
    return due


def nazorg_due(workers, period: Period) -> dict[str, int]:
    """Nazorg contacts not yet done, due by the end of the period, and how many are overdue (one query)."""
    # Every count below is of open follow-ups due by the end: only those are read.
    follow_ups = FollowUp.objects.of_worker(workers).filter(_follow_ups_q("due", period))
    return follow_ups.aggregate(
        due=Count("pk", filter=_follow_ups_q("due", period)),
        due_workers=Count("hire__worker_id", distinct=True, filter=_follow_ups_q("due", period)),
        overdue=Count("pk", filter=_follow_ups_q("overdue", period)),
        overdue_workers=Count("hire__worker_id", distinct=True, filter=_follow_ups_q("overdue", period)),
    )


def _nazorg_list(key):
    def members(workers, period):
        return workers.filter(
            pk__in=FollowUp.objects.filter(_follow_ups_q(key, period)).values("hire__worker_id")
        )

    return members


register_list(WorkerList("nazorg_due", _("Workers with nazorg contacts due"), _nazorg_list("due")))
register_list(
    WorkerList("nazorg_overdue", _("Workers with nazorg contacts overdue"), _nazorg_list("overdue"))
)

NAZORG_ROWS = [("due", _("Nazorg contacts due")), ("overdue", _("of which overdue"))]

register_figure(
    Figure(
        key="nazorg",
        title=_("Nazorg contacts due"),
        compute=nazorg_due,
        template="partners/figures/nazorg.html",
        table=lambda value: (
            [str(_("Figure")), str(_("Contacts")), str(_("Workers"))],
            [[str(label), value[key], value[f"{key}_workers"]] for key, label in NAZORG_ROWS],
        ),
        order=74,
        explanation=_(
            "Follow-up contacts after a hire, not yet done, planned on or before the end of the "
            "period; overdue when planned before today."
        ),
    )
)
