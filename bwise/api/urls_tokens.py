from django.urls import path

from bwise.api import views_tokens

app_name = "tokens"

urlpatterns = [
    path("", views_tokens.TokenListView.as_view(), name="list"),
    path("docs/", views_tokens.ApiDocsView.as_view(), name="docs"),
    path("organisation/", views_tokens.OrganisationTokenListView.as_view(), name="organisation"),
    path("<int:personalaccesstoken_pk>/revoke/", views_tokens.TokenRevokeView.as_view(), name="revoke"),
]
