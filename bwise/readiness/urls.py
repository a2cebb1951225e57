from django.urls import path

from bwise.readiness import views

app_name = "readiness"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path(
        "assessments/<int:selfassessment_pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"
    ),
    path("actions/new/", views.ActionItemFormView.as_view(), name="action_create"),
    path("actions/<int:actionitem_pk>/", views.ActionItemDetailView.as_view(), name="action_detail"),
    path("actions/<int:actionitem_pk>/edit/", views.ActionItemFormView.as_view(), name="action_edit"),
    path("actions/<int:actionitem_pk>/status/", views.ActionItemStatusView.as_view(), name="action_status"),
]
