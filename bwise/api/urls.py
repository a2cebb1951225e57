"""The JSON API, version 1. Each app contributes its resources in ``<app>/api.py``; the
project URLconf hands their ``register`` functions in, so that the platform imports no app."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bwise.api import views


def api_urlpatterns(*registers):
    """The caller's own endpoints and, on one router (one API root), every app's resources;
    a register may also return paths of its own, for an endpoint that is no resource."""
    router = DefaultRouter()
    extra = []
    for register in registers:
        extra += register(router) or []
    return [
        path("me/", views.CurrentUserView.as_view(), name="api_me"),
        path("organisation/", views.CurrentOrganisationView.as_view(), name="api_organisation"),
        *extra,
        path("", include(router.urls)),
    ]
