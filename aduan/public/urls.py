
app_name = "public"
urlpatterns: list = [
    # The citizen's pages: complaint form, check answers, confirmation, tracking.
]
