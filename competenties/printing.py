"""What the competency documents show: context builders for `competenties/documents.py`.

The full trajectory dossier holds trajectories, intakes, competencies and plans, so it
is built here, in the app that knows both trajects and competenties. Special-category
fields appear in it only for a reader who may see them (``trajects.sensitive``); for
anyone else they are not in the file at all.
"""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from bwise.documents.models import SignerRole
from bwise.documents.signatures import signed_marks
from competenties import selectors
from competenties.charts import gap_chart_svg
from competenties.forms import PDP_FIELDS, POP_FIELDS
from competenties.models import (
    Assessment,
    Framework,
    JobProfile,
    Level,
    Plan,
    PlanAction,
    PlanKind,
    RaterRole,
)
from trajects.documents import intakes_of
from trajects.models import (
    CoachingMoment,
    JobDefinition,
    Precondition,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.sensitive import SENSITIVE_WORKER_FIELDS, sensitive_fields_for


def _cell(action, name):
    if name == "done":
        return action.get_done_display()
    value = getattr(action, name)
    return value if value not in (None, "") else "—"


def plan_table(plan) -> dict:
    """The action table with the columns of the plan's kind (see DOMAIN.md)."""
    columns = POP_FIELDS if plan.kind == PlanKind.POP else PDP_FIELDS
    return {
        "headers": [PlanAction._meta.get_field(name).verbose_name for name in columns],
        "rows": [[_cell(action, name) for name in columns] for action in plan.actions.all()],
    }


# The columns of an action that the worker and the coach agree to; ``done`` and
# ``remarks`` are the follow-up (the worker ticks "Gelukt?") and need no new signature.
SIGNED_ACTION_FIELDS = (
    "order",
    "action",
    "who_helps",
    "due_date",
    "expected_result",
    "technical_competencies",
    "generic_competencies",
    "time_span",
    "who",
    "competency_id",
)


def plan_signed_content(plan) -> dict:
    """What the worker and the coach sign on a POP or PDP: the plan's goals and its SMART
    actions. The status, the agreement dates and the evaluation at the end are not in it."""
    return {
        "worker": plan.worker.full_name,
        "kind": plan.kind,
        "year": plan.year,
        "title": plan.title,
        "reflection": plan.reflection,
        "job_profile_id": plan.source_job_profile_id,
        "actions": [
            {"id": action["id"], **{name: action[name] for name in SIGNED_ACTION_FIELDS}}
            for action in plan.actions.order_by("order", "pk").values("id", *SIGNED_ACTION_FIELDS)
        ],
    }


def plan_context(plan, reader) -> dict:
    worker = plan.worker
    signed = signed_marks("plan", plan)
    return {
        "plan": plan,
        "worker": worker,
        **plan_table(plan),
        "signers": [
            (_("Worker"), worker.full_name, plan.agreed_by_worker_on, signed.get(SignerRole.WORKER)),
            (
                _("Transition coach"),
                worker.coach or "",
                plan.agreed_by_coach_on,
                signed.get(SignerRole.COACH),
            ),
        ],
    }


def _level_label(level) -> str:
    return Level(level).label if level else "—"


def _report_job_profile(worker) -> JobProfile | None:
    """The job target the report measures against: the profile the newest plan started
    from, else the organisation's profile named like the newest trajectory's job target."""
    plan = (
        Plan.objects.of_worker(worker)
        .filter(source_job_profile__isnull=False)
        .select_related("source_job_profile__framework")
        .first()
    )
    if plan is not None:
        return plan.source_job_profile
    target = (
        JobDefinition.objects.of_worker(worker)
        .exclude(job_target="")
        .order_by("-trajectory__started_at")
        .values_list("job_target", flat=True)
        .first()
    )
    if not target:
        return None
    return (
        JobProfile.objects.of_organisation(worker)
        .filter(name__iexact=target.strip())
        .select_related("framework")
        .first()
    )


def competency_report_context(worker, reader) -> dict:
    """Per framework the worker was assessed on: current level and each rater's newest
    level per competency; then the gap against the job profile their latest plan
    started from (the job target the coach chose on the gap page)."""
    frameworks = (
        Framework.objects.of_organisation(worker)
        .filter(assessments__worker=worker)
        .distinct()
        .order_by("name", "pk")
    )
    sections = []
    for framework in frameworks:
        overview = selectors.competency_overview(worker, framework)
        rows = []
        for row in overview.rows:
            current = overview.current.get(row.competency.pk)
            rows.append(
                {
                    "competency": row.competency,
                    "current": _level_label(current.level if current else None),
                    "by_role": [_level_label(level) for level in row.role_levels],
                    "disagreement": row.disagreement,
                }
            )
        sections.append({"framework": framework, "assessments": overview.assessments, "rows": rows})
    profile = _report_job_profile(worker)
    measurement = selectors.gap_measurement(worker, profile) if profile else None
    return {
        "worker": worker,
        "sections": sections,
        "roles": [RaterRole(role).label for role in selectors.COMPARED_ROLES],
        "measurement": measurement,
        "gap_rows": [
            {
                "competency": competency,
                "required": _level_label(row.required),
                "current": _level_label(row.current),
                "met": row.met,
            }
            for competency, row, _result in (measurement.rows if measurement else [])
        ],
        "chart": gap_chart_svg(measurement) if measurement else "",
        "signers": [(_("Transition coach"), worker.coach or ""), (_("Worker"), worker.full_name)],
    }


def dossier_context(worker, reader) -> dict:
    sensitive = sensitive_fields_for(reader, worker)
    trajectories = (
        Trajectory.objects.of_worker(worker)
        .select_related("job_definition", "started_by")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=TrajectoryTransition.objects.select_related("by").order_by("at", "pk"),
            )
        )
    )
    plans = Plan.objects.of_worker(worker).prefetch_related("actions").order_by("created_at", "pk")
    return {
        "worker": worker,
        "preconditions": ", ".join(str(label) for label in _precondition_labels(worker)),
        "sensitive": [
            (Worker._meta.get_field(name).verbose_name, sensitive[name]) for name in SENSITIVE_WORKER_FIELDS
        ]
        if sensitive is not None
        else None,
        "trajectories": [
            {"trajectory": trajectory, "intakes": intakes_of(trajectory)} for trajectory in trajectories
        ],
        "coaching_moments": CoachingMoment.objects.of_worker(worker)
        .select_related("created_by")
        .order_by("held_on", "pk"),
        "assessments": Assessment.objects.of_worker(worker)
        .select_related("framework", "rater", "worker")
        .annotate(score_count=Count("scores"))
        .order_by("date", "pk"),
        "plans": [{"plan": plan, **plan_table(plan)} for plan in plans],
    }


def _precondition_labels(worker):
    labels = dict(Precondition.choices)
    return [labels.get(value, value) for value in worker.preconditions]
