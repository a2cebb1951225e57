from django.urls import path

from partners import views, views_jobsearch, views_mentor
from partners import views_offline as offline
from partners import views_placements as placements

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="partner_list"),
    path("new/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("<int:partner_pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("<int:partner_pk>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path("<int:partner_pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("<int:partner_pk>/commitments/new/", views.CommitmentCreateView.as_view(), name="commitment_create"),
    path("<int:partner_pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:partner_pk>/visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("<int:partner_pk>/vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy_create"),
    path("visits/<int:visit_pk>/", views.VisitEditView.as_view(), name="visit_edit"),
    path("visit-checklist/", views.VisitChecklistView.as_view(), name="visit_checklist"),
    path("vacancies/<int:vacancy_pk>/", views.VacancyDetailView.as_view(), name="vacancy_detail"),
    path("vacancies/<int:vacancy_pk>/edit/", views.VacancyEditView.as_view(), name="vacancy_edit"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventFormView.as_view(), name="event_create"),
    path("events/<int:partnerevent_pk>/", views.EventFormView.as_view(), name="event_edit"),
    path("training/new/", views.TrainingFormView.as_view(), name="training_create"),
    path("training/<int:trainingsession_pk>/", views.TrainingFormView.as_view(), name="training_edit"),
    path("workers/<int:worker_pk>/", placements.WorkerPlacementsView.as_view(), name="worker_placements"),
    path(
        "workers/<int:worker_pk>/applications/new/",
        placements.ApplicationCreateView.as_view(),
        name="application_create",
    ),
    path(
        "applications/<int:application_pk>/",
        placements.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "workers/<int:worker_pk>/jobmatching/",
        views_jobsearch.JobmatchingSetupView.as_view(),
        name="jobmatching_setup",
    ),
    path(
        "workers/<int:worker_pk>/job-search/new/",
        views_jobsearch.JobSearchEntryCreateView.as_view(),
        name="job_search_create",
    ),
    path(
        "job-search/<int:jobsearchentry_pk>/",
        views_jobsearch.JobSearchEntryEditView.as_view(),
        name="job_search_edit",
    ),
    path("workers/<int:worker_pk>/cv/", views_jobsearch.CvView.as_view(), name="cv"),
    path("workers/<int:worker_pk>/cv/draft/", views_jobsearch.CvDraftView.as_view(), name="cv_draft"),
    path(
        "workers/<int:worker_pk>/letters/new/", views_jobsearch.LetterStartView.as_view(), name="letter_start"
    ),
    path(
        "letters/<int:motivationletter_pk>/",
        views_jobsearch.LetterEditView.as_view(),
        name="letter_edit",
    ),
    path("workers/<int:worker_pk>/stages/new/", placements.StageCreateView.as_view(), name="stage_create"),
    path("workers/<int:worker_pk>/hire/", placements.HireCreateView.as_view(), name="hire_create"),
    path("stages/<int:stage_pk>/", placements.StageDetailView.as_view(), name="stage_detail"),
    path("stages/<int:stage_pk>/edit/", placements.StageEditView.as_view(), name="stage_edit"),
    path(
        "stages/<int:stage_pk>/attendance/",
        placements.AttendanceRecordView.as_view(),
        name="attendance_record",
    ),
    path(
        "stages/<int:stage_pk>/attendance/quick/",
        offline.AttendanceQuickView.as_view(),
        name="attendance_quick",
    ),
    path(
        "stages/<int:stage_pk>/attendance/sync/",
        offline.AttendanceSyncView.as_view(),
        name="attendance_sync",
    ),
    path(
        "stages/<int:stage_pk>/evaluations/",
        placements.EvaluationRecordView.as_view(),
        name="evaluation_record",
    ),
    path(
        "stages/<int:stage_pk>/training/",
        placements.TrainingRecordView.as_view(),
        name="training_on_the_job_record",
    ),
    path(
        "stages/<int:stage_pk>/mentor-link/",
        placements.MentorLinkCreateView.as_view(),
        name="mentor_link_create",
    ),
    path(
        "stages/<int:stage_pk>/mentor-link/revoke/",
        placements.MentorLinkRevokeView.as_view(),
        name="mentor_link_revoke",
    ),
    path("follow-ups/<int:followup_pk>/", placements.FollowUpLogView.as_view(), name="follow_up_log"),
    path("follow-ups/<int:followup_pk>/skip/", placements.FollowUpSkipView.as_view(), name="follow_up_skip"),
    path(
        "follow-ups/<int:followup_pk>/reschedule/",
        placements.FollowUpRescheduleView.as_view(),
        name="follow_up_reschedule",
    ),
    path("hires/<int:hire_pk>/activa/", placements.ActivaView.as_view(), name="hire_activa"),
    path("hires/<int:hire_pk>/follow-ups/new/", placements.FollowUpAddView.as_view(), name="follow_up_add"),
    path("mentor/<str:token>/", views_mentor.MentorView.as_view(), name="mentor"),
]
