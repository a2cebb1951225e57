from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

from bwise.access import scoped_choices
from bwise.core.filters import log_refused_ids, related_id_filters


class ScopedFilterBackend(DjangoFilterBackend):
    """``filterset_fields`` build their id choices from the related model's default
    manager: every record of every organisation, so another organisation's id filtered
    to an empty list while a missing one was refused. Here the choices are what the user
    may see, and a refused id is logged."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for filter_ in related_id_filters(filterset).values():
                filter_.queryset = scoped_choices(_related_model(filterset, filter_), request.user)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            log_refused_ids(filterset, request.user)
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


def _related_model(filterset, filter_):
    if hasattr(filter_.queryset, "model"):
        return filter_.queryset.model
    return get_model_field(filterset._meta.model, filter_.field_name).related_model
