from django.urls import path

from bwise.audit import views

app_name = "audit"

urlpatterns = [
    path("workers/<int:worker_pk>/access/", views.WorkerAccessLogView.as_view(), name="worker_access_log"),
]
