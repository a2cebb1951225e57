"""The caseload as a file: the same selector and filters as the page, one access-log row per export."""

from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.audit.services import AccessAction, log_access
from bwise.exports import export_response, export_rows
from trajects.state import Phase, Status


def caseload_export(workers, *, user, params, fmt: str):
    log_access(
        user=user,
        action=AccessAction.EXPORT,
        record=("trajects.Worker", "caseload"),
        detail={"export": "caseload", "format": fmt},
        filters=params,
    )
    rows = export_rows(
        workers.iterator(chunk_size=2000),
        lambda worker: [
            worker.external_id,
            worker.full_name,
            worker.get_statuut_display(),
            Phase(worker.current_phase).label if worker.current_phase else "",
            _("paused") if worker.current_status == Status.PAUSED else "",
            timezone.localtime(worker.phase_since).date() if worker.phase_since else None,
            worker.next_due,
            worker.lde_limit_date,
            str(worker.coach or ""),
            worker.team,
        ],
        reader=user,
    )
    return export_response(
        headers=[
            _("External id"),
            _("Name"),
            _("Statuut"),
            _("Phase"),
            _("Status"),
            _("In this phase since"),
            _("Next due"),
            _("LDE limit"),
            _("Coach"),
            _("Team"),
        ],
        rows=rows,
        filename="caseload",
        fmt=fmt,
    )
