from django.urls import path, reverse

from bwise.documents.views_signing import SignDocumentView
from competenties import (
    views,
    views_offline,
    views_passport,
    views_plans,
    views_rounds,
    views_stoefboek,
    views_worker,
)

app_name = "competenties"

urlpatterns = [
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/copy/", views.FrameworkCopyView.as_view(), name="framework_copy"),
    path("frameworks/new/", views.FrameworkCreateView.as_view(), name="framework_create"),
    path("frameworks/<int:framework_pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("frameworks/<int:framework_pk>/edit/", views.FrameworkUpdateView.as_view(), name="framework_edit"),
    path(
        "frameworks/<int:framework_pk>/competencies/new/",
        views.CompetencyCreateView.as_view(),
        name="competency_create",
    ),
    path(
        "competencies/<int:competency_pk>/edit/", views.CompetencyUpdateView.as_view(), name="competency_edit"
    ),
    path(
        "competencies/<int:competency_pk>/delete/",
        views.CompetencyDeleteView.as_view(),
        name="competency_delete",
    ),
    path(
        "competencies/<int:competency_pk>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:indicator_pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:indicator_pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"
    ),
    path("job-profiles/", views.JobProfileListView.as_view(), name="jobprofile_list"),
    path("job-profiles/new/", views.JobProfileEditView.as_view(), name="jobprofile_create"),
    path("job-profiles/<int:jobprofile_pk>/", views.JobProfileEditView.as_view(), name="jobprofile_edit"),
    path("observe/", views_worker.QuickObservationView.as_view(), name="observation_quick"),
    path("observe/sync/", views_offline.ObservationSyncView.as_view(), name="observation_sync"),
    path("pops-due/", views.PopsDueView.as_view(), name="pops_due"),
    path("workers/<int:worker_pk>/", views_worker.WorkerCompetenciesView.as_view(), name="worker"),
    path(
        "workers/<int:worker_pk>/assessments/new/<int:framework_pk>/",
        views_worker.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path(
        "assessments/<int:assessment_pk>/",
        views_worker.AssessmentDetailView.as_view(),
        name="assessment_detail",
    ),
    path("workers/<int:worker_pk>/gap/", views_worker.GapView.as_view(), name="gap"),
    path("workers/<int:worker_pk>/stoefboek/", views_stoefboek.StoefboekView.as_view(), name="stoefboek"),
    path(
        "workers/<int:worker_pk>/stoefboek/new/",
        views_stoefboek.AchievementCreateView.as_view(),
        name="achievement_create",
    ),
    path(
        "stoefboek/<int:achievement_pk>/edit/",
        views_stoefboek.AchievementEditView.as_view(),
        name="achievement_edit",
    ),
    path(
        "stoefboek/<int:achievement_pk>/action/",
        views_stoefboek.AchievementActionView.as_view(),
        name="achievement_action",
    ),
    path(
        "stoefboek/<int:achievement_pk>/photo/",
        views_stoefboek.AchievementPhotoView.as_view(),
        name="achievement_photo",
    ),
    path(
        "starr-notes/<int:starrnote_pk>/share/",
        views_stoefboek.StarrNoteShareView.as_view(),
        name="starr_note_share",
    ),
    path(
        "workers/<int:worker_pk>/digital-skills/consent/",
        views_stoefboek.DigitalConsentView.as_view(),
        name="digital_consent",
    ),
    path(
        "digital-skills/<int:digitalskillevidence_pk>/review/",
        views_stoefboek.DigitalEvidenceReviewView.as_view(),
        name="digital_evidence_review",
    ),
    path(
        "workers/<int:worker_pk>/gap/<int:jobprofile_pk>/plan/",
        views_worker.PlanFromGapView.as_view(),
        name="plan_from_gap",
    ),
    path(
        "workers/<int:worker_pk>/observations/",
        views_worker.ObservationListView.as_view(),
        name="observations",
    ),
    path(
        "observations/<int:observation_pk>/classify/",
        views_worker.ObservationClassifyView.as_view(),
        name="observation_classify",
    ),
    path(
        "workers/<int:worker_pk>/passports/", views_passport.WorkerPassportsView.as_view(), name="passports"
    ),
    path(
        "passports/<int:passport_pk>/revoke/",
        views_passport.PassportRevokeView.as_view(),
        name="passport_revoke",
    ),
    path("passport/<str:token>/", views_passport.PassportPublicView.as_view(), name="passport_public"),
    path("rounds/", views_rounds.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views_rounds.RoundOpenView.as_view(), name="round_open"),
    path("rounds/<int:measurementround_pk>/", views_rounds.RoundDetailView.as_view(), name="round_detail"),
    path(
        "rounds/<int:measurementround_pk>/close/", views_rounds.RoundCloseView.as_view(), name="round_close"
    ),
    path(
        "rounds/<int:measurementround_pk>/workers/<int:worker_pk>/",
        views_rounds.RoundSheetView.as_view(),
        name="round_sheet",
    ),
    path(
        "rounds/<int:measurementround_pk>/workers/<int:worker_pk>/rate/<int:roundrater_pk>/",
        views_rounds.RoundRateView.as_view(),
        name="round_rate",
    ),
    path("calibration/", views_rounds.CalibrationListView.as_view(), name="calibration_list"),
    path("calibration/new/", views_rounds.CalibrationCreateView.as_view(), name="calibration_create"),
    path(
        "calibration/<int:calibrationcase_pk>/",
        views_rounds.CalibrationDetailView.as_view(),
        name="calibration_detail",
    ),
    path("workers/<int:worker_pk>/plans/new/", views_plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:plan_pk>/", views_plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:plan_pk>/edit/", views_plans.PlanUpdateView.as_view(), name="plan_edit"),
    path("plans/<int:plan_pk>/status/", views_plans.PlanStatusView.as_view(), name="plan_status"),
    path(
        "plans/<int:plan_pk>/sign/",
        SignDocumentView.as_view(
            kind_key="plan",
            back=lambda plan: reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk}),
        ),
        name="plan_sign",
    ),
    path(
        "plan-actions/<int:planaction_pk>/edit/",
        views_plans.PlanActionUpdateView.as_view(),
        name="planaction_edit",
    ),
    path(
        "plan-actions/<int:planaction_pk>/delete/",
        views_plans.PlanActionDeleteView.as_view(),
        name="planaction_delete",
    ),
]
