from django.urls import path

from bwise.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("link/", views.link_sign_in, name="link"),
    path("pin/", views.pin, name="pin"),
    path("stop/", views.logout, name="logout"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:planaction_pk>/", views.plan_progress, name="plan_progress"),
    path("self-assessment/", views.self_assessments, name="self_assessments"),
    path("self-assessment/<int:measurementround_pk>/", views.self_assessment, name="self_assessment"),
    path("about-me/", views.intake, name="intake"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/calendar-link/", views.feed_link, name="feed_link"),
    path("stoefboek/", views.stoefboek, name="stoefboek"),
    path("stoefboek/<int:achievement_pk>/", views.stoefboek_edit, name="stoefboek_edit"),
    path("stoefboek/<int:achievement_pk>/delete/", views.stoefboek_delete, name="stoefboek_delete"),
    path("sign/", views.sign, name="sign"),
    path("sign/plan/<int:plan_pk>/", views.plan_sign, name="plan_sign"),
    path("passport/", views.passport, name="passport"),
    path("passport/<int:passport_pk>/stop/", views.passport_revoke, name="passport_revoke"),
    path("cv/", views.cv, name="cv"),
    path("cv/start/", views.cv_start, name="cv_start"),
    path("cv/pdf/", views.cv_pdf, name="cv_pdf"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:motivationletter_pk>/", views.letter, name="letter"),
    path("letters/<int:motivationletter_pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("sign/commitment/<int:trajectory_pk>/", views.commitment_sign, name="commitment_sign"),
    path("calendar/<str:token>/", views.feed, name="feed"),
]
