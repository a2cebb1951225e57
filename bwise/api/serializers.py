from rest_framework import serializers

from bwise.accounts.models import Organisation, User


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
