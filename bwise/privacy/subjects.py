"""The data subjects: the worker records a domain app holds, as the privacy layer reaches them.

The privacy layer sits below the domain apps and imports none of them. The app that holds
the workers registers them here from its ``AppConfig.ready``, with what retention and
erasure need to know of them; until it has, asking for them raises.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DataSubjects:
    # The worker model: a scoped model whose worker path is "" (the worker itself).
    model: type
    # (organisation, closed_before) -> the organisation's workers, unscoped, whose last
    # trajectory closed before that moment with none open: retention's candidates.
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
