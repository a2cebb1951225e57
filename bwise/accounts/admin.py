from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bwise.accounts.models import Organisation, User
from bwise.accounts.services import roles_changed_notify


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "wise_type", "region"]
    list_filter = ["wise_type", "region"]
    search_fields = ["name"]


@admin.register(User)
class BwiseUserAdmin(UserAdmin):
    """Platform staff manage organisations and their administrators here."""

    list_display = ["username", "first_name", "last_name", "organisation", "roles", "is_active"]
    list_filter = ["organisation", "is_active", "is_superuser"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (None, {"fields": ("organisation", "roles")}),
    )

    def save_model(self, request, obj, form, change):
        before = form.initial.get("roles") or [] if change else []
        super().save_model(request, obj, form, change)
        # The organisation's administrators hear of it as when one of them changes roles.
        roles_changed_notify(user=obj, before=list(before), by=request.user)
