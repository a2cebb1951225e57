"""Printable competency documents: POP/PDP plans, the competency report and the full
trajectory dossier of a worker (see `competenties/printing.py` for their contents)."""

from django.utils.translation import gettext_lazy as _

from bwise.documents.registry import DocumentKind, register
from competenties import printing, selectors


def _slug(*parts) -> str:
    return "-".join(str(part) for part in parts).lower().replace(" ", "-")


PLAN = register(
    DocumentKind(
        key="plan",
        label=_("Plan (POP or PDP)"),
        model="competenties.Plan",
        template="documents/print/plan.html",
        build_context=printing.plan_context,
        filename=lambda plan: _slug(
            plan.kind, plan.year or plan.pk, plan.worker.last_name, plan.worker.first_name
        ),
        bulk_records=lambda user: selectors.pop_plans_due_in_month(user),
    )
)


COMPETENCY_REPORT = register(
    DocumentKind(
        key="competency_report",
        label=_("Competency report"),
        model="trajects.Worker",
        template="documents/print/competency_report.html",
        build_context=printing.competency_report_context,
        filename=lambda worker: _slug("competencies", worker.last_name, worker.first_name),
    )
)


DOSSIER = register(
    DocumentKind(
        key="dossier",
        label=_("Full trajectory dossier"),
        model="trajects.Worker",
        template="documents/print/dossier.html",
        build_context=printing.dossier_context,
        filename=lambda worker: _slug("dossier", worker.last_name, worker.first_name),
    )
)
