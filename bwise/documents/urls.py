from django.urls import path

from bwise.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("request/", views.DocumentRequestView.as_view(), name="request"),
    path("<int:documentjob_pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("<int:documentjob_pk>/status/", views.JobStatusView.as_view(), name="job_status"),
    path("<int:documentjob_pk>/retry/", views.JobRetryView.as_view(), name="job_retry"),
    path("<int:documentjob_pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("bulk/", views.BulkRequestView.as_view(), name="bulk_request"),
    path("bulk/<int:bulkdocumentjob_pk>/", views.BulkDetailView.as_view(), name="bulk_detail"),
    path("bulk/<int:bulkdocumentjob_pk>/status/", views.BulkStatusView.as_view(), name="bulk_status"),
    path("bulk/<int:bulkdocumentjob_pk>/download/", views.BulkDownloadView.as_view(), name="bulk_download"),
]
