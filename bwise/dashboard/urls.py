from django.urls import path

from bwise.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/", views.FigureExportView.as_view(), name="export"),
    path("workers/", views.WorkerListView.as_view(), name="workers"),
    path("federation/", views.FederationView.as_view(), name="federation"),
]
