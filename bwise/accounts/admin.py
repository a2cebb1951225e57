from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bwise.accounts.models import Organisation, User


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
