from django.urls import path

from bwise.accounts import views, views_organisation, views_security

app_name = "accounts"

urlpatterns = [
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/invite/", views.UserInviteView.as_view(), name="user_invite"),
    path("users/<int:user_pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path("users/<int:user_pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path("users/<int:user_pk>/history/", views.UserHistoryView.as_view(), name="user_history"),
    path("security/", views_security.OrganisationSecurityView.as_view(), name="organisation_security"),
    path("logo/", views_organisation.OrganisationLogoView.as_view(), name="organisation_logo"),
]
