"""The one base of the API's resources: reads through the access layer, writes through services.

A resource lists and shows what the caller may see. It accepts POST by adding
``CreateWithService`` and PUT/PATCH by adding ``UpdateWithService``; the serializer only
validates and renders, a service function does the write. A ``DomainError`` a service
raises becomes a 400 with its message and field in ``bwise.api.exceptions``, for every
write alike.

A resource that may delete adds ``DestroyWithService``.

A versioned record (``bwise.core.versioning``) is sent with its version as ``ETag``; a
PUT, PATCH or DELETE with an ``If-Match`` that names another version answers 412, as does a save
that lost the race to another one. Without ``If-Match`` the update goes through as before.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets

from bwise.api.exceptions import PreconditionFailed
from bwise.core.versioning import Versioned


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

    def get_object(self):
        obj = super().get_object()
        if isinstance(obj, Versioned):
            self.versioned_object = obj
            if self.request.method in ("PUT", "PATCH", "DELETE"):
                require_match(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "versioned_object", None)
        detail = self.action in ("retrieve", "update", "partial_update")
        if obj is not None and detail and response.status_code < 300:
            # Read after the save: an update answers with the version it wrote.
            response["ETag"] = etag(obj)
        return response

    def object_and_payload(self, payload_class):
        """The object of a detail action and its validated input: the object first, so that
        outsiders get 404 before their input is looked at."""
        obj = self.get_object()
        payload = payload_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return obj, payload.validated_data


class CreateWithService(mixins.CreateModelMixin):
    def perform_create(self, serializer):
        serializer.instance = self.create_with_service(dict(serializer.validated_data))

    def create_with_service(self, data: dict):
        """A new ``model`` from ``data``, saved by ``save_with_service``; a resource whose
        service takes its input otherwise calls it here."""
        return self.save_with_service(self.model(**data))


def etag(obj) -> str:
    return f'"{obj.version}"'


def require_match(request, obj) -> None:
    """Refuse a write that started from another version than the stored one."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in tags and etag(obj) not in tags:
        raise PreconditionFailed


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the record as read (`"<version>"`). When it is no longer the stored '
    "version, because someone else saved the record in between, the update is refused with "
    "412 Precondition Failed and code `stale`: read the record again and reapply the change. "
    "Without this header the update overwrites whatever is stored.",
)


class UpdateWithService(mixins.UpdateModelMixin):
    @extend_schema(parameters=[IF_MATCH])
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = self.update_with_service(serializer.instance, dict(serializer.validated_data))

    def update_with_service(self, instance, data: dict):
        return self.save_with_service(assign(instance, data))


class DestroyWithService(mixins.DestroyModelMixin):
    @extend_schema(parameters=[IF_MATCH])
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        self.destroy_with_service(instance)

    def destroy_with_service(self, instance) -> None:
        raise NotImplementedError
