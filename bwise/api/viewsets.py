"""The one base of the API's resources: reads through the access layer, writes through services.

A resource lists and shows what the caller may see. It accepts POST by adding
``CreateWithService`` and PUT/PATCH by adding ``UpdateWithService``; the serializer only
validates and renders, a service function does the write. A ``DomainError`` a service
raises becomes a 400 with its message and field in ``bwise.api.exceptions``, for every
write alike.
"""

from rest_framework import mixins, viewsets


def assign(instance, data: dict):
    """``instance`` with the validated ``data`` set on it, not yet saved."""
    for name, value in data.items():
        setattr(instance, name, value)
    return instance


# No docstrings on these bases: the schema would show them as every resource's description.
# ``model``'s records the caller may see, in ``ordering``; a resource that needs related rows or
# another order overrides ``get_queryset``, still starting from ``visible_to``.
class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    model = None
    ordering = ("-pk",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by(*self.ordering)

    def save_with_service(self, instance):
        """Save a new or changed ``instance`` through its service and return it."""
        raise NotImplementedError

    def object_and_payload(self, payload_class):
        """The object of a detail action and its validated input: the object first, so that
        outsiders get 404 before their input is looked at."""
        obj = self.get_object()
        payload = payload_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return obj, payload.validated_data


class CreateWithService(mixins.CreateModelMixin):
    def perform_create(self, serializer):
        serializer.instance = self.create_with_service(dict(serializer.validated_data))

    def create_with_service(self, data: dict):
        """A new ``model`` from ``data``, saved by ``save_with_service``; a resource whose
        service takes its input otherwise calls it here."""
        return self.save_with_service(self.model(**data))


class UpdateWithService(mixins.UpdateModelMixin):
    def perform_update(self, serializer):
        serializer.instance = self.update_with_service(serializer.instance, dict(serializer.validated_data))

    def update_with_service(self, instance, data: dict):
        return self.save_with_service(assign(instance, data))
