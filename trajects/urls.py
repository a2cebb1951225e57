from django.urls import path

from trajects import views

app_name = "trajects"

urlpatterns = [
    path("", views.CaseloadView.as_view(), name="caseload"),
    path("<int:worker_pk>/", views.WorkerDetailView.as_view(), name="worker_detail"),
    path("<int:worker_pk>/history/", views.WorkerHistoryView.as_view(), name="worker_history"),
]
