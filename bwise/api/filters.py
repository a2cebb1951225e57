"""Filters of the API's list endpoints (``filterset_fields``) read through the access layer."""

from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

from bwise.access import ScopedQuerySet


class ScopedFilterSet(FilterSet):
    """A filter on a related record offers only the records the caller may see: the
    generated filters would otherwise look ids up in every organisation."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            choices = getattr(filter_, "queryset", None)
            if isinstance(filter_, ModelChoiceFilter | ModelMultipleChoiceFilter) and isinstance(
                choices, ScopedQuerySet
            ):
                filter_.queryset = choices.model.objects.visible_to(user)


class ScopedFilterBackend(DjangoFilterBackend):
    filterset_base = ScopedFilterSet
