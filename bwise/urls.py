from allauth.account.views import logout
from django.contrib import admin
from django.urls import include, path

from bwise.accounts import views_login
from bwise.api import views as api_views
from bwise.api.urls import api_urlpatterns
from bwise.core import offline
from bwise.core import views as core_views
from bwise.dashboard import api as dashboard_api
from bwise.documents import api as documents_api
from bwise.reminders import api as reminders_api
from bwise.reminders import views as reminders_views
from competenties import api as competenties_api
from partners import api as partners_api
from trajects import api as trajects_api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon),
    path("i18n/setlang/", reminders_views.language_switch, name="set_language"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="web_manifest"),
    path("offline/session/", offline.device_session, name="offline_session"),
    path("accounts/email/", views_login.email_addresses),
    path("accounts/logout/", offline.clearing_device(logout), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("organisation/", include("bwise.accounts.urls")),
    path("workers/", include("trajects.urls")),
    path("audit/", include("bwise.privacy.urls_access_log")),
    path("privacy/", include("bwise.privacy.urls")),
    path("competencies/", include("competenties.urls")),
    path("partners/", include("partners.urls")),
    path("documents/", include("bwise.documents.urls")),
    path("reminders/", include("bwise.reminders.urls")),
    path("dashboard/", include("bwise.dashboard.urls")),
    path("readiness/", include("bwise.readiness.urls")),
    # The worker's own pages, and the coach's page of a worker's sign-in card.
    path("me/", include("bwise.portal.urls")),
    path("cards/", include("bwise.portal.urls_cards")),
    path(
        "api/v1/",
        include(
            api_urlpatterns(
                trajects_api.register,
                competenties_api.register,
                partners_api.register,
                reminders_api.register,
                documents_api.register,
                dashboard_api.register,
            )
        ),
    ),
    path("tokens/", include("bwise.api.urls_tokens")),
    path("api/schema/", api_views.SchemaView.as_view(), name="api_schema"),
    path("platform/", admin.site.urls),
]

# 403, 404 and 500 use Django's handlers with the product's templates (templates/4xx.html),
# 404 and 500 under /api/ the API's problem shape; 400 also shows which parameter was refused.
handler400 = "bwise.core.views.bad_request"
handler404 = "bwise.api.views.not_found"
handler500 = "bwise.api.views.server_error"
