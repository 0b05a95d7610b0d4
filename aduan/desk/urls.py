
app_name = "desk"
urlpatterns: list = [
    # The officials' desk: login, inbox, complaint page, decisions, offline registration.
]
