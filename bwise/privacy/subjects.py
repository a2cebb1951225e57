"""What retention and erasure need to know of the workers from the domain app that holds them.

The privacy layer sits below the domain apps and imports none of them: it finds the
workers' model through ``bwise.access.worker_model`` (``settings.WORKER_MODEL``), and the
app that holds them registers the rest here from its ``AppConfig.ready``; until it has,
asking for it raises.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DataSubjects:
    # (organisation, closed_before) -> the organisation's workers, unscoped, whose
    # retention clock (the end of employment, or a later close of their last trajectory)
    # started before that moment, with none open: retention's candidates.
    closed_before: Callable
    # (organisation_id) -> how many of the organisation's pending uploads were deleted,
    # since any of them may name a worker being erased.
    discard_uploads: Callable[[int], int]


_registered: list[DataSubjects] = []


def register(subjects: DataSubjects) -> None:
    if _registered and _registered[0] != subjects:
        raise ImproperlyConfigured("the data subjects are registered by one app only")
    _registered[:] = [subjects]


def data_subjects() -> DataSubjects:
    if not _registered:
        raise ImproperlyConfigured("no app registered the data subjects (bwise.privacy.subjects.register)")
    return _registered[0]
