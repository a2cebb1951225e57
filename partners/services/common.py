from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bwise.core.errors import DomainError


def validated_save(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as err:
        field, messages = next(iter(err.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from err
    instance.save()


def require_same_organisation(organisation_id, by, what) -> None:
    if organisation_id != by.organisation_id:
        raise DomainError(_("The %(what)s must belong to your organisation.") % {"what": what})


def open_trajectory(worker):
    trajectory = worker.trajectories.current().first()
    if trajectory is None:
        raise DomainError(_("This worker has no open trajectory."))
    return trajectory
