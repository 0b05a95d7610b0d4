from django.urls import path

from aduan.papers import letter_views

app_name = "letters"
urlpatterns = [
    # The public verification page printed as a QR code on every answer letter.
    path("periksa/<str:token>/", letter_views.verify, name="verify"),
    # An answer letter's PDF for officials (AnswerLetter pk).
    path("<int:pk>/pdf/", letter_views.desk_pdf, name="desk_pdf"),
]
