"""Two-step verification with an authenticator app (TOTP, RFC 6238): optional for officials,
required for administrators; each code good once; recovery codes for a lost phone."""

import base64
import datetime as dt
import re

import pytest
from django.urls import reverse

from aduan.accounts import totp
from aduan.accounts.models import RecoveryCode, TotpDevice
from aduan.accounts.sealing import unseal
from aduan.audit.models import AuditEvent

from .conftest import (
    ADMIN_PASSWORD,
    current_code,
    enter_code,
    page_text,
    sign_in,
    signed_in_as,
)

ENROL = "/meja/akun/keamanan/autentikator/"
SECURITY = "/meja/akun/keamanan/"


@pytest.mark.parametrize(
    ("at", "expected"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_codes_match_the_rfc_6238_test_vectors(at, expected):
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_for_step(secret, totp.time_step(at)) == expected


def enrol(client, user):
    """Budi scans the QR code and types the code his app shows; returns the codes page."""
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = re.search(r'<code class="data">([A-Z2-7 ]+)</code>', page.content.decode())[1]
    secret = secret.replace(" ", "")
    from django.utils import timezone

    code = totp.code_for_step(secret, totp.time_step(timezone.now().timestamp()))
    return client.post(ENROL, {"code": code}), secret


def recovery_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode())


@pytest.fixture
def budi_enrolled(client, clock, budi):
    client.force_login(budi)
    response, _secret = enrol(client, budi)
    codes = recovery_codes(response)
    client.post("/meja/keluar/")
    clock.shift(dt.timedelta(seconds=30))  # the enrolment's code is spent
    return budi, codes


def test_budi_enrols_an_authenticator_and_sees_his_recovery_codes_once(client, clock, budi):
    client.force_login(budi)
    page = client.get(ENROL)
    assert "<svg" in page.content.decode()  # the QR code, inline
    response, secret = enrol(client, budi)
    assert response.status_code == 200
    codes = recovery_codes(response)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert "hanya ditampilkan sekali" in page_text(response)

    device = TotpDevice.objects.get(user=budi)
    assert secret not in device.secret_sealed  # encrypted at rest
    assert unseal(device.secret_sealed) == secret
    stored = list(RecoveryCode.objects.filter(user=budi).values_list("code_hash", flat=True))
    assert len(stored) == 8 and not set(stored) & {c.replace("-", "") for c in codes}
    assert AuditEvent.objects.filter(action="totp.enrolled", target_id=str(budi.pk)).exists()

    security = page_text(client.get(SECURITY))
    assert "Aktif" in security and "Tersisa 8 kode cadangan" in security
    assert not any(code in security for code in codes)


def test_a_wrong_code_does_not_enrol(client, clock, budi):
    client.force_login(budi)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert "Kode salah" in page_text(response)
    assert not TotpDevice.objects.filter(user=budi).exists()


def test_after_enrolling_budi_signs_in_with_password_then_code(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    response = sign_in(client, "budi")
    assert response.status_code == 302 and response.url == reverse("desk:login_code")
    assert signed_in_as(client) is None  # not yet
    assert client.get("/meja/").url.startswith("/meja/masuk/")

    response = enter_code(client, current_code(budi))
    assert response.status_code == 302 and response.url == "/meja/"
    assert signed_in_as(client) == str(budi.pk)
    event = AuditEvent.objects.filter(action="login.succeeded").latest("id")
    assert event.data["method"] == "totp"


def test_the_page_asked_for_is_kept_through_the_code(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    sign_in(client, "budi", next="/meja/semua/")
    assert enter_code(client, current_code(budi)).url == "/meja/semua/"


def test_a_code_cannot_be_used_twice(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    code = current_code(budi)
    sign_in(client, "budi")
    assert enter_code(client, code).status_code == 302
    client.post("/meja/keluar/")

    sign_in(client, "budi")
    response = enter_code(client, code)  # replayed, within the same 30 seconds
    assert response.status_code == 200
    assert "Kode salah, kedaluwarsa atau sudah pernah dipakai." in page_text(response)
    assert signed_in_as(client) is None
    clock.shift(dt.timedelta(seconds=30))
    assert enter_code(client, current_code(budi)).status_code == 302


def test_an_earlier_code_is_refused_once_a_later_one_was_used(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    earlier = current_code(budi)
    sign_in(client, "budi")
    assert enter_code(client, current_code(budi, offset_steps=1)).status_code == 302
    client.post("/meja/keluar/")
    sign_in(client, "budi")
    assert enter_code(client, earlier).status_code == 200


def test_a_code_from_a_minute_ago_is_refused(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    clock.shift(dt.timedelta(seconds=60))
    sign_in(client, "budi")
    assert enter_code(client, current_code(budi, offset_steps=-2)).status_code == 200
    assert enter_code(client, current_code(budi, offset_steps=-1)).status_code == 302


def test_wrong_codes_count_towards_the_pause(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    sign_in(client, "budi")
    for _ in range(4):
        response = enter_code(client, "123456")
        assert response.status_code == 200 and "Kode salah" in page_text(response)
    response = enter_code(client, "123456")
    assert response.status_code == 429
    assert "Masuk dijeda sementara" in page_text(response)
    # The pending sign-in is gone: the right code now leads back to the password.
    assert enter_code(client, current_code(budi)).status_code == 302
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(action="login.failed", data__reason="code").count() == 5


def test_a_recovery_code_signs_in_once(client, clock, budi_enrolled):
    budi, codes = budi_enrolled
    sign_in(client, "budi")
    response = enter_code(client, codes[3].upper())
    assert response.status_code == 302
    assert signed_in_as(client) == str(budi.pk)
    used = AuditEvent.objects.get(action="totp.recovery_used")
    assert used.data == {"codes_left": 7}
    client.post("/meja/keluar/")

    sign_in(client, "budi")
    assert enter_code(client, codes[3]).status_code == 200
    assert signed_in_as(client) is None


def test_the_code_step_lapses_after_ten_minutes(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    sign_in(client, "budi")
    clock.shift(dt.timedelta(minutes=11))
    response = enter_code(client, current_code(budi))
    assert response.status_code == 302 and response.url.startswith("/meja/masuk/")
    assert signed_in_as(client) is None


def test_the_code_step_needs_the_password_first(client, clock, budi_enrolled):
    response = enter_code(client, "123456")
    assert response.status_code == 302 and response.url.startswith("/meja/masuk/")


def test_budi_turns_two_step_verification_off_with_a_code(client, clock, budi_enrolled):
    budi, _codes = budi_enrolled
    sign_in(client, "budi")
    enter_code(client, current_code(budi))
    clock.shift(dt.timedelta(seconds=30))
    refused = client.post(reverse("desk:account_totp_disable"), {"code": "000000"})
    assert refused.status_code == 400 and TotpDevice.objects.filter(user=budi).exists()
    response = client.post(reverse("desk:account_totp_disable"), {"code": current_code(budi)})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=budi).exists()
    assert not RecoveryCode.objects.filter(user=budi).exists()
    assert AuditEvent.objects.get(action="totp.disabled").data == {"by_self": True}
    client.post("/meja/keluar/")
    assert sign_in(client, "budi").url == "/meja/"  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(client, clock, budi_enrolled):
    budi, old_codes = budi_enrolled
    sign_in(client, "budi")
    enter_code(client, current_code(budi))
    response = client.post(reverse("desk:account_recovery_renew"), {"code": old_codes[0]})
    new_codes = recovery_codes(response)
    assert len(new_codes) == 8 and not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action="totp.recovery_renewed").count() == 1
    client.post("/meja/keluar/")
    sign_in(client, "budi")
    assert enter_code(client, old_codes[1]).status_code == 200
    assert enter_code(client, new_codes[0]).status_code == 302


def test_an_admin_without_an_authenticator_enrols_before_anything_else(client, clock, admin):
    response = sign_in(client, "admin", ADMIN_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("desk:login_enrol")
    assert signed_in_as(client) is None
    assert client.get("/admin/").status_code == 302
    assert client.get("/meja/").url.startswith("/meja/masuk/")

    page = client.get(reverse("desk:login_enrol"))
    assert "Akun administrator wajib memakai verifikasi dua langkah" in page_text(page)
    secret = re.search(r'<code class="data">([A-Z2-7 ]+)</code>', page.content.decode())[1]
    code = totp.code_for_step(secret.replace(" ", ""), totp.time_step(clock_now()))
    response = client.post(reverse("desk:login_enrol"), {"code": code})
    assert response.status_code == 200 and len(recovery_codes(response)) == 8
    assert signed_in_as(client) == str(admin.pk)
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="login.succeeded").latest("id").data["method"] == (
        "enrolled"
    )


def clock_now() -> float:
    from django.utils import timezone

    return timezone.now().timestamp()


def test_an_enrolled_admin_signs_in_with_the_code(client, clock, admin):
    client.force_login(admin)
    enrol(client, admin)
    client.post("/meja/keluar/")
    clock.shift(dt.timedelta(seconds=30))
    assert sign_in(client, "admin", ADMIN_PASSWORD).url == reverse("desk:login_code")
    assert enter_code(client, current_code(admin)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_admin_cannot_turn_it_off(client, clock, admin):
    client.force_login(admin)
    enrol(client, admin)
    clock.shift(dt.timedelta(seconds=30))
    assert "tidak dapat dimatikan" in page_text(client.get(SECURITY))
    client.post(reverse("desk:account_totp_disable"), {"code": current_code(admin)})
    assert TotpDevice.objects.filter(user=admin).exists()


def test_a_staff_account_with_admin_permissions_must_enrol_too(client, clock, budi):
    from django.contrib.auth.models import Permission

    budi.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert sign_in(client, "budi").url == reverse("desk:login_enrol")


def test_the_admin_login_page_sends_to_the_officials_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/meja/masuk/?next=/admin/"
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_an_official_made_admin_during_a_password_session_signs_in_again(client, clock, budi):
    sign_in(client, "budi")
    assert client.get("/meja/").status_code == 200
    budi.is_superuser = True
    budi.save()
    response = client.get("/meja/")
    assert response.status_code == 302 and response.url.startswith("/meja/masuk/")
    assert signed_in_as(client) is None
    assert "wajib memakai verifikasi dua langkah" in page_text(client.get(response.url))


def test_an_administrator_removes_the_authenticator_of_an_official_who_lost_the_phone(
    client, clock, budi_enrolled, admin
):
    budi, _codes = budi_enrolled
    device = TotpDevice.objects.get(user=budi)
    client.force_login(admin)
    client.post(f"/admin/accounts/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TotpDevice.objects.filter(user=budi).exists()
    event = AuditEvent.objects.get(action="totp.disabled")
    assert event.actor_id == admin.pk and event.data == {"by_self": False}


def test_the_api_token_is_unaffected_by_two_step_verification(client, clock, budi_enrolled):
    from aduan.api.tokens import token_create

    budi, _codes = budi_enrolled
    secret = token_create(user=budi, name="tes", actor=budi).secret
    response = client.get("/api/v1/inbox", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
