from django.utils.translation import gettext as _

from bwise.core.errors import DomainError


def require_same_organisation(organisation_id, by, what) -> None:
    if organisation_id != by.organisation_id:
        raise DomainError(
            _("The %(what)s must belong to your organisation.") % {"what": what}, code="other_organisation"
        )


def open_trajectory(worker):
    trajectory = worker.trajectories.current().first()
    if trajectory is None:
        raise DomainError(_("This worker has no open trajectory."), code="no_open_trajectory")
    return trajectory
