"""The JSON API, version 1. Each app contributes its router in ``<app>/api.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bwise.api import views
from competenties.api import register as register_competenties
from partners.api import register as register_partners
from trajects.api import register as register_trajects

router = DefaultRouter()
register_trajects(router)
register_competenties(router)
register_partners(router)

urlpatterns = [
    path("me/", views.CurrentUserView.as_view(), name="api_me"),
    path("organisation/", views.CurrentOrganisationView.as_view(), name="api_organisation"),
    path("", include(router.urls)),
]
