"""Officials' sessions: a new key at sign-in, ended at sign-out, when the official is
disabled, after 30 idle minutes and 12 hours after sign-in; cookies the page's scripts
cannot read."""

import datetime as dt

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session

from .conftest import PASSWORD, page_text, sign_in, signed_in_as

INBOX = "/meja/"


def test_signing_in_gives_a_new_session_key(client, clock, budi):
    before = client.session.session_key  # a session from before signing in (e.g. a planted one)
    assert Session.objects.filter(session_key=before).exists()
    sign_in(client, "budi")
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert signed_in_as(client) == str(budi.pk)


def test_the_session_cookie_is_http_only_and_same_site(client, clock, budi):
    response = sign_in(client, "budi")
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_signing_out_is_a_post_and_ends_the_session(client, clock, budi):
    sign_in(client, "budi")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get("/meja/keluar/").status_code == 405
    assert client.get(INBOX).status_code == 200
    client.post("/meja/keluar/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(INBOX).url == "/meja/masuk/?next=/meja/"


def test_a_disabled_official_is_sent_to_sign_in_at_the_next_request(client, clock, budi):
    sign_in(client, "budi")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    budi.is_active = False
    budi.save()
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url == "/meja/masuk/?next=/meja/"
    assert not Session.objects.filter(session_key=key).exists()
    assert signed_in_as(client) is None


def test_an_official_disabled_in_the_admin_is_sent_to_sign_in(client, clock, budi, admin):
    from django.test import Client

    sign_in(client, "budi")
    assert client.get(INBOX).status_code == 200

    office = Client()
    office.force_login(admin)
    response = office.post(
        f"/admin/accounts/user/{budi.pk}/change/",
        {
            "username": "budi",
            "first_name": "Budi",
            "last_name": "",
            "email": "",
            "is_staff": "on",  # is_active left unticked: disabled
            "date_joined_0": "2026-01-05",
            "date_joined_1": "08:00:00",
            "nip": "",
            "position": "",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0",
            "role_grants-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    budi.refresh_from_db()
    assert budi.is_active is False

    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith("/meja/masuk/")
    assert signed_in_as(client) is None
    # Signing in again is refused like any wrong password.
    assert sign_in(client, "budi").status_code == 200


def test_an_idle_session_ends_after_thirty_minutes(client, clock, budi):
    sign_in(client, "budi")
    for _ in range(3):  # busy: a page every 29 minutes keeps the session
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(INBOX).status_code == 200
    clock.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url == "/meja/masuk/?next=/meja/"
    assert signed_in_as(client) is None
    assert "Sesi Anda berakhir karena lama tidak ada kegiatan" in page_text(
        client.get(response.url)
    )


def test_the_idle_limit_is_a_setting(client, clock, budi, settings):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, "budi")
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert client.get(INBOX).status_code == 302


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, clock, budi):
    sign_in(client, "budi")
    for _ in range(28):  # 11 h 40 min of work, a page every 25 minutes
        clock.shift(dt.timedelta(minutes=25))
        assert client.get(INBOX).status_code == 200
    clock.shift(dt.timedelta(minutes=25))  # 12 h 05 min after signing in
    response = client.get(INBOX)
    assert response.status_code == 302
    assert "terlalu lama berjalan" in page_text(client.get(response.url))


def test_the_last_seen_stamp_is_not_written_on_every_request(client, clock, budi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, "budi")
    client.get(INBOX)
    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)
    assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries)
    clock.shift(dt.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)
    assert any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries)


def test_a_citizen_session_is_left_alone(client, clock, db):
    session = client.session
    session["tracking"] = "ADU-1"
    session.save()
    clock.shift(dt.timedelta(hours=13))
    client.get("/sop/")
    assert client.session.get("tracking") == "ADU-1"


def test_the_wrong_password_for_a_disabled_account_reads_as_any_wrong_password(client, budi):
    budi.is_active = False
    budi.save()
    response = sign_in(client, "budi", PASSWORD)
    assert response.status_code == 200
    assert "Ada yang perlu diperbaiki" in page_text(response)
