from django.urls import path

from aduan.papers import agenda_views

app_name = "agenda"
urlpatterns = [
    path("", agenda_views.agenda_book, name="book"),
]
