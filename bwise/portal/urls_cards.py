from django.urls import path

from bwise.portal import views_cards

app_name = "cards"

urlpatterns = [
    path("<int:worker_pk>/", views_cards.CardView.as_view(), name="card"),
]
