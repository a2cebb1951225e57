from rest_framework import serializers

from bwise.accounts.models import Organisation, User
from bwise.api.fields import STRICT, ScopedRelatedField, StrictChoiceField
from bwise.privacy.declaration import sensitive_fields_of
from bwise.privacy.minimise import absent_fields, worker_of


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "wise_type", "region"]


class CurrentUserSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "organisation",
            "permissions",
        ]

    def get_permissions(self, user) -> list[str]:
        from bwise.access import permissions_of

        return sorted(permissions_of(user))


class StrictModelSerializer(serializers.ModelSerializer):
    """The base of the API's model serializers: relations scoped to what the caller may see,
    input of the type the schema states (``bwise.api.fields.STRICT``), and only the fields
    the privacy declaration gives the caller on the record's worker."""

    serializer_related_field = ScopedRelatedField
    serializer_choice_field = StrictChoiceField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return STRICT.get(field_class, field_class), kwargs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sensitive_fields_of(instance._meta.label):
            return data
        # Here, not per serializer, so that a new serializer of a declared model cannot leak;
        # without a request there is no reader, and every declared field stays out.
        request = self.context.get("request")
        reader = getattr(request, "user", None)
        if reader is None:
            absent = sensitive_fields_of(instance._meta.label)
        else:
            absent = absent_fields(reader, instance._meta.label, worker_of(instance))
        for name in absent:
            data.pop(name, None)
        return data
