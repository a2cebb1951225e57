"""Printable documents about workers."""

from django.utils.translation import gettext_lazy as _

from bwise.documents.registry import DocumentKind, register


def worker_sheet_context(worker) -> dict:
    return {
        "worker": worker,
        "shared_with": [str(user) for user in worker.shared_with.all()],
        "rows": [],
        "signers": [(_("Worker"), worker.full_name), (_("Transition coach"), worker.coach or "")],
    }


WORKER_SHEET = register(
    DocumentKind(
        key="worker_sheet",
        label=_("Worker summary sheet"),
        model="trajects.Worker",
        template="documents/print/worker_sheet.html",
        build_context=worker_sheet_context,
        filename=lambda worker: f"worker-{worker.last_name}-{worker.first_name}".lower().replace(" ", "-"),
    )
)
