from django.urls import path

from bwise.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("<int:reminder_pk>/open/", views.ReminderOpenView.as_view(), name="open"),
    path("<int:reminder_pk>/done/", views.ReminderDoneView.as_view(), name="done"),
    path("<int:reminder_pk>/snooze/", views.ReminderSnoozeView.as_view(), name="snooze"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("feed/<str:token>/", views.CalendarFeedView.as_view(), name="feed"),
]
