from django.urls import path

from bwise.privacy import views_access_log

# The page reads the access log that bwise.audit writes; it keeps the log's URL and name.
app_name = "audit"

urlpatterns = [
    path(
        "workers/<int:worker_pk>/access/",
        views_access_log.WorkerAccessLogView.as_view(),
        name="worker_access_log",
    ),
]
