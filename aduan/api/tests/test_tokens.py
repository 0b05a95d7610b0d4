"""Officials' tokens: created on the desk (shown once), listed, revoked; kept as hashes;
audited. A wrong, absent or revoked token gets a 401 in the one error shape."""

import hashlib

import pytest

from aduan.api.models import ApiToken
from aduan.api.tests.conftest import error_of, token_of
from aduan.api.tokens import token_create
from aduan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_budi_creates_a_token_on_the_desk_and_sees_it_once(client, budi):
    client.force_login(budi)
    page = client.post("/meja/token/", {"name": "Aplikasi loket"})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret in page.content.decode()
    token = ApiToken.objects.get(user=budi)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    again = client.get("/meja/token/").content.decode()
    assert secret not in again and "Aplikasi loket" in again and token.prefix in again
    assert AuditEvent.objects.filter(action="api_token.created", actor=budi).exists()


def test_a_token_needs_a_name(client, budi):
    client.force_login(budi)
    page = client.post("/meja/token/", {"name": "  "})
    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert "Tuliskan nama token" in page.content.decode()


def test_budi_revokes_his_token_and_it_stops_working(client, api, budi):
    secret = token_of(budi)
    assert api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    client.force_login(budi)
    token = ApiToken.objects.get(user=budi)
    response = client.post(f"/meja/token/{token.pk}/cabut/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=budi).exists()
    refused = api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401 and error_of(refused)["code"] == "unauthorized"


def test_wati_cannot_revoke_budis_token(client, budi, wati):
    token_of(budi)
    token = ApiToken.objects.get(user=budi)
    client.force_login(wati)
    client.post(f"/meja/token/{token.pk}/cabut/")
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer nope", "Basic YnVkaTp4", "Bearer " + "x" * 500]
)
def test_a_missing_or_wrong_token_gets_401_in_the_one_shape(api, budi, header):
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = api.get("/inbox", **headers)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_inactive_official_or_one_without_roles_gets_401(api, budi, joko):
    budi_secret = token_of(budi)
    # A token made while Joko still held a role, say: his roles are gone now.
    joko_secret = "adu_joko-secret"
    ApiToken.objects.create(
        user=joko,
        name="x",
        key_hash=hashlib.sha256(joko_secret.encode()).hexdigest(),
        prefix="joko-sec",
        created_at=budi.date_joined,
    )
    budi.is_active = False
    budi.save()
    for secret in (budi_secret, joko_secret):
        response = api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401


def test_an_official_without_roles_is_not_given_a_token(joko):
    new = token_create(user=joko, name="x", actor=joko)
    assert not new and "peran" in new.message


def test_last_used_is_written_at_most_once_a_minute(api, budi):
    secret = token_of(budi)
    api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}")
    first = ApiToken.objects.get(user=budi).last_used_at
    assert first is not None
    api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ApiToken.objects.get(user=budi).last_used_at == first


def test_the_admin_lists_and_revokes_tokens(admin_client, budi):
    token_of(budi)
    token = ApiToken.objects.get(user=budi)
    listing = admin_client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_the_admin_creates_a_token_for_an_official_and_sees_it_once(admin_client, api, budi):
    import re

    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": budi.pk, "name": "Integrasi SP4N"}, follow=True
    )
    page = response.content.decode()
    secret = re.search(r"(adu_[A-Za-z0-9_-]{20,})", page).group(1)
    token = ApiToken.objects.get(user=budi, name="Integrasi SP4N")
    assert token.key_hash != secret and secret not in token.key_hash
    assert api.get("/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor_id != budi.pk and event.data["user"] == budi.pk
    # Shown once: the token's own page does not show it again.
    again = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert secret not in again


def test_the_admin_cannot_give_a_token_to_someone_without_a_role(admin_client, joko):
    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": joko.pk, "name": "x"}, follow=True
    )
    assert "hanya untuk petugas yang memegang peran" in response.content.decode()
    assert not ApiToken.objects.filter(user=joko).exists()
