"""Printable competency documents: POP/PDP plans, the competency report and the full
trajectory dossier of a worker (see `competenties/printing.py` for their contents)."""

from django.utils.translation import gettext_lazy as _

from bwise.documents.registry import BulkSelection, DocumentKind, register
from competenties import printing, selectors
from competenties.models import PlanKind


def _plan_name(plan) -> str:
    kind = plan.get_kind_display() if plan.kind != PlanKind.POP else "POP"
    return f"{kind} {plan.year}" if plan.year else kind


PLAN = register(
    DocumentKind(
        key="plan",
        label=_("Plan (POP or PDP)"),
        model="competenties.Plan",
        template="documents/print/plan.html",
        build_context=printing.plan_context,
        name=_plan_name,
        bulk_records=lambda user: selectors.pop_plans_due_in_month(user),
        bulk_selections=(
            BulkSelection(
                key="overdue",
                label=_("Overdue or due this month"),
                records=lambda user: selectors.pop_plans_due_in_month(user, overdue=True),
            ),
        ),
        nothing_to_print=_("Nothing to do this month: no POP is due this month."),
        signed_content=printing.plan_signed_content,
    )
)


COMPETENCY_REPORT = register(
    DocumentKind(
        key="competency_report",
        label=_("Competency report"),
        model="trajects.Worker",
        template="documents/print/competency_report.html",
        build_context=printing.competency_report_context,
        name=lambda worker: _("Competencies"),
    )
)


DOSSIER = register(
    DocumentKind(
        key="dossier",
        label=_("Full trajectory dossier"),
        model="trajects.Worker",
        template="documents/print/dossier.html",
        build_context=printing.dossier_context,
        name=lambda worker: _("Dossier"),
    )
)
