"""Printable documents about workers and their trajectories.

The full trajectory dossier also holds competencies and plans, so it is registered in
``competenties/documents.py``, the app that knows both.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from bwise.documents.models import SignerRole
from bwise.documents.registry import DocumentKind, register
from bwise.documents.signatures import signed_marks
from trajects.models import IntakeKind, StarrNote


def worker_sheet_context(worker, reader) -> dict:
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
        name=lambda worker: _("Summary sheet"),
    )
)


def intakes_of(trajectory) -> dict:
    """Intake 1 and 2 of a trajectory with their STARR notes, by kind."""
    intakes = trajectory.intakes.select_related("second_coach", "created_by").prefetch_related(
        Prefetch("starr_notes", queryset=StarrNote.objects.select_related("created_by"))
    )
    return {intake.kind: intake for intake in intakes}


def intake_report_context(trajectory, reader) -> dict:
    worker = trajectory.worker
    intakes = intakes_of(trajectory)
    second = intakes.get(IntakeKind.SECOND)
    signers = [(_("Worker"), worker.full_name), (_("Transition coach"), worker.coach or "")]
    if second is not None and second.second_coach is not None:
        signers.append((_("Second coach"), second.second_coach))
    return {
        "worker": worker,
        "trajectory": trajectory,
        "first": intakes.get(IntakeKind.FIRST),
        "second": second,
        "signers": signers,
    }


INTAKE_REPORT = register(
    DocumentKind(
        key="intake_report",
        label=_("Intake report"),
        model="trajects.Trajectory",
        template="documents/print/intake_report.html",
        build_context=intake_report_context,
        name=lambda trajectory: _("Intake report"),
    )
)


def _first_intake(trajectory):
    return trajectory.intakes.filter(kind=IntakeKind.FIRST).first()


def commitment_statement_content(trajectory) -> dict:
    """What the worker and the coach sign: the parties and the commitments of the first
    intake. The intake's other answers (motivation, information given) are not in the
    statement and may change without a new signature."""
    worker = trajectory.worker
    intake = _first_intake(trajectory)
    return {
        "worker": worker.full_name,
        "coach_id": worker.coach_id,
        "held_on": intake.held_on if intake else None,
        "commitment_statement": intake.commitment_statement if intake else "",
        "mutual_expectations": intake.mutual_expectations if intake else "",
        "milestones": intake.milestones if intake else "",
    }


def commitment_statement_context(trajectory, reader) -> dict:
    worker = trajectory.worker
    intake = _first_intake(trajectory)
    signed = signed_marks(COMMITMENT_STATEMENT.key, trajectory)
    return {
        "worker": worker,
        "trajectory": trajectory,
        "intake": intake,
        "signers": [
            (
                _("Worker"),
                worker.full_name,
                intake.agreed_by_worker_on if intake else None,
                signed.get(SignerRole.WORKER),
            ),
            (
                _("Transition coach"),
                worker.coach or "",
                intake.agreed_by_coach_on if intake else None,
                signed.get(SignerRole.COACH),
            ),
        ],
    }


COMMITMENT_STATEMENT = register(
    DocumentKind(
        key="commitment_statement",
        label=_("Commitment statement (engagementsverklaring)"),
        model="trajects.Trajectory",
        template="documents/print/commitment_statement.html",
        build_context=commitment_statement_context,
        name=lambda trajectory: _("Commitment statement"),
        agreement=True,
        signed_content=commitment_statement_content,
    )
)
