"""Relation fields whose choices are what the caller may see, so that a foreign id reads as
'does not exist', exactly like a missing one."""

from rest_framework import serializers

from bwise.access import colleagues_of


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a record of ``model`` the caller may see (``visible_to``).

    Declare it on a serializer, or make it a ``ModelSerializer``'s ``serializer_related_field``
    so that every relation the serializer builds from the model is scoped, with the model
    field's label, nullability and requiredness."""

    def __init__(self, model=None, **kwargs):
        # A ModelSerializer hands over the related model's default manager, every organisation's rows.
        queryset = kwargs.pop("queryset", None)
        self.model = model or getattr(queryset, "model", None)
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


class OrganisationUserField(serializers.PrimaryKeyRelatedField):
    """A colleague of the caller's organisation with one of ``roles``."""

    def __init__(self, *roles, **kwargs):
        self.roles = list(roles)
        super().__init__(**kwargs)

    def get_queryset(self):
        return colleagues_of(self.context["request"].user, self.roles, active_only=False)
