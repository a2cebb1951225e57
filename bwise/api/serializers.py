from rest_framework import serializers

from bwise.accounts.models import Organisation, User
from bwise.api.fields import STRICT, ScopedRelatedField, StrictChoiceField


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
    and input of the type the schema states (``bwise.api.fields.STRICT``)."""

    serializer_related_field = ScopedRelatedField
    serializer_choice_field = StrictChoiceField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return STRICT.get(field_class, field_class), kwargs
