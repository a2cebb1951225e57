from django.urls import path, reverse

from bwise.documents.views_signing import SignDocumentView
from trajects import views

app_name = "trajects"

urlpatterns = [
    path("", views.CaseloadView.as_view(), name="caseload"),
    path("coaches/", views.CoachChoicesView.as_view(), name="coach_choices"),
    path("new/", views.WorkerCreateView.as_view(), name="worker_create"),
    path("settings/lde/", views.LdeSettingsView.as_view(), name="lde_settings"),
    path("import/", views.WorkerImportView.as_view(), name="worker_import"),
    path("import/template/", views.WorkerImportTemplateView.as_view(), name="worker_import_template"),
    path("import/<int:importjob_pk>/", views.ImportJobView.as_view(), name="worker_import_job"),
    path("import/preview/", views.WorkerImportPreviewView.as_view(), name="worker_import_preview"),
    path("<int:worker_pk>/", views.WorkerDetailView.as_view(), name="worker_detail"),
    path("<int:worker_pk>/edit/", views.WorkerEditView.as_view(), name="worker_edit"),
    path("<int:worker_pk>/sensitive/", views.WorkerSensitiveEditView.as_view(), name="worker_sensitive"),
    path("<int:worker_pk>/history/", views.WorkerHistoryView.as_view(), name="worker_history"),
    path("<int:worker_pk>/employment-end/", views.EmploymentEndView.as_view(), name="employment_end"),
    path("<int:worker_pk>/trajectory/new/", views.TrajectoryStartView.as_view(), name="trajectory_start"),
    path(
        "<int:worker_pk>/coaching/new/",
        views.CoachingMomentCreateView.as_view(),
        name="coaching_moment_create",
    ),
    path(
        "trajectories/<int:trajectory_pk>/transition/",
        views.TrajectoryTransitionView.as_view(),
        name="trajectory_transition",
    ),
    path(
        "trajectories/<int:trajectory_pk>/commitment-statement/sign/",
        SignDocumentView.as_view(
            kind_key="commitment_statement",
            back=lambda trajectory: reverse(
                "trajects:worker_detail", kwargs={"worker_pk": trajectory.worker_id}
            ),
        ),
        name="commitment_statement_sign",
    ),
    path("trajectories/<int:trajectory_pk>/intake/", views.IntakeCreateView.as_view(), name="intake_create"),
    path(
        "trajectories/<int:trajectory_pk>/job-definition/",
        views.JobDefinitionEditView.as_view(),
        name="job_definition_edit",
    ),
    path("intakes/<int:intake_pk>/", views.IntakeEditView.as_view(), name="intake_edit"),
    path("intakes/<int:intake_pk>/starr/new/", views.StarrNoteCreateView.as_view(), name="starr_note_create"),
    path(
        "intakes/<int:intake_pk>/questionnaire/",
        views.IntakeQuestionnaireView.as_view(),
        name="intake_questionnaire",
    ),
    path("kick-offs/new/", views.KickOffCreateView.as_view(), name="kick_off_create"),
]
