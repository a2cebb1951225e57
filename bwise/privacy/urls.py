from django.urls import path

from bwise.privacy import views

app_name = "privacy"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register.csv", views.RegisterCsvView.as_view(), name="register_csv"),
    path("retention/", views.RetentionView.as_view(), name="retention"),
    path("workers/<int:worker_pk>/", views.WorkerRightsView.as_view(), name="worker_rights"),
    path(
        "workers/<int:worker_pk>/export.json", views.WorkerExportJsonView.as_view(), name="worker_export_json"
    ),
    path("workers/<int:worker_pk>/export.pdf", views.WorkerExportPdfView.as_view(), name="worker_export_pdf"),
    path("workers/<int:worker_pk>/hold/", views.LegalHoldView.as_view(), name="legal_hold"),
    path("workers/<int:worker_pk>/erase/", views.ErasureView.as_view(), name="erasure"),
]
