"""Sign-in pauses after repeated failures, per username and address: an attacker elsewhere
cannot lock Budi out of the office, Budi's typing does not lock out his colleagues behind
the same office address, and spraying passwords across usernames pauses the address."""

import datetime as dt
import logging

import pytest

from aduan.accounts.models import LoginFailure, LoginLockout
from aduan.audit.models import AuditEvent

from .conftest import ELSEWHERE, OFFICE, PASSWORD, page_text, sign_in, signed_in_as

PAUSED = "Masuk dijeda sementara"


def fail(client, username, times, address=OFFICE):
    return [sign_in(client, username, "salah", address) for _ in range(times)][-1]


def test_five_wrong_passwords_pause_budi_from_that_address_and_say_until_when(client, clock, budi):
    for _ in range(4):
        assert sign_in(client, "budi", "salah").status_code == 200
    response = sign_in(client, "budi", "salah")
    assert response.status_code == 429
    text = page_text(response)
    assert PAUSED in text
    assert "dijeda sampai pukul 09.15 (10 Maret 2026)" in text

    # Even the right password is not tried while the pause lasts.
    response = sign_in(client, "budi", PASSWORD)
    assert response.status_code == 429 and PAUSED in page_text(response)
    assert signed_in_as(client) is None


def test_the_limit_and_the_pause_are_settings(client, clock, budi, settings):
    settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_MINUTES = 3, 60
    fail(client, "budi", 2)
    response = sign_in(client, "budi", "salah")
    assert response.status_code == 429
    assert "sampai pukul 10.00" in page_text(response)


def test_budi_still_signs_in_from_another_address(client, clock, budi):
    fail(client, "budi", 5, address=ELSEWHERE)  # someone else, elsewhere, guessing
    response = sign_in(client, "budi", PASSWORD, address=OFFICE)
    assert response.status_code == 302 and response.url == "/meja/"
    assert signed_in_as(client) == str(budi.pk)


def test_a_colleague_behind_the_same_office_address_still_signs_in(client, clock, budi, wati):
    fail(client, "budi", 5)
    response = sign_in(client, "wati", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(wati.pk)


def test_an_unknown_username_is_paused_the_same_way(client, clock, budi):
    known = page_text(fail(client, "budi", 5)).replace("budi", "X")
    unknown = fail(client, "siapa", 5)
    assert unknown.status_code == 429
    assert page_text(unknown).replace("siapa", "X") == known


def test_sign_in_works_again_when_the_pause_is_over(client, clock, budi):
    fail(client, "budi", 5)
    clock.shift(dt.timedelta(minutes=14))
    assert sign_in(client, "budi", PASSWORD).status_code == 429
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    response = sign_in(client, "budi", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(budi.pk)


def test_usernames_are_counted_whatever_their_case(client, clock, budi):
    for name in ("Budi", "BUDI", "budi ", "bUdi", "budi"):
        response = sign_in(client, name, "salah")
    assert response.status_code == 429


def test_signing_in_forgets_the_earlier_failures(client, clock, budi):
    fail(client, "budi", 4)
    assert sign_in(client, "budi", PASSWORD).status_code == 302
    client.post("/meja/keluar/")
    assert fail(client, "budi", 4).status_code == 200
    assert sign_in(client, "budi", PASSWORD).status_code == 302


def test_spraying_one_password_across_usernames_pauses_the_address(
    client, clock, budi, wati, settings
):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 8
    responses = [sign_in(client, f"pegawai{i}", "Rahasia123", ELSEWHERE) for i in range(8)]
    assert [r.status_code for r in responses] == [200] * 7 + [429]
    # Every username from that address is paused, the real ones too...
    assert sign_in(client, "wati", PASSWORD, ELSEWHERE).status_code == 429
    # ...but not from the office.
    assert sign_in(client, "wati", PASSWORD, OFFICE).status_code == 302


def test_each_failure_and_the_pause_are_audited_and_logged(client, clock, budi, caplog):
    with caplog.at_level(logging.WARNING, logger="aduan.accounts.login"):
        fail(client, "budi", 5)
    failed = AuditEvent.objects.filter(action="login.failed")
    assert failed.count() == 5
    assert failed.first().data == {"username": "budi", "address": OFFICE, "reason": "password"}
    assert failed.first().target_id == str(budi.pk)
    locked = AuditEvent.objects.get(action="login.locked")
    assert locked.data["scope"] == "user" and locked.data["address"] == OFFICE
    assert locked.data["until"].startswith("2026-03-10 02:15")  # stored in UTC
    messages = [r.getMessage() for r in caplog.records]
    assert sum("sign-in failed (password) for 'budi' from 10.20.0.1" in m for m in messages) == 5
    assert any("sign-in paused until" in m and "'budi'" in m for m in messages)
    # The password typed is in neither.
    assert "salah" not in " ".join(messages)
    assert "salah" not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_old_failures_are_deleted_as_new_ones_are_written(client, clock, budi):
    fail(client, "budi", 5)
    clock.shift(dt.timedelta(minutes=31))
    fail(client, "wati", 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["wati"]
    assert not LoginLockout.objects.exists()


def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(client, clock, budi):
    fail(client, "budi", 5)
    response = client.post(
        "/meja/masuk/",
        {"username": "budi", "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_trusted_proxies_the_forwarded_address_counts(
    client, clock, budi, settings, proxies
):
    settings.TRUSTED_PROXIES = proxies
    chain = {1: "{client}", 2: "{client}, 10.9.9.9"}[proxies]

    def through_proxy(client_address, password):
        return client.post(
            "/meja/masuk/",
            {"username": "budi", "password": password},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="1.1.1.1, " + chain.format(client=client_address),
        )

    for _ in range(5):
        response = through_proxy("203.0.113.7", "salah")
    assert response.status_code == 429
    assert LoginLockout.objects.get().address == "203.0.113.7"
    assert through_proxy("203.0.113.8", PASSWORD).status_code == 302


def test_ipv6_clients_are_counted_by_their_network(client, clock, budi):
    for i in range(5):
        response = sign_in(client, "budi", "salah", address=f"2001:db8:1:2::{i + 1}")
    assert response.status_code == 429
    assert sign_in(client, "budi", PASSWORD, address="2001:db8:1:2::99").status_code == 429
    assert sign_in(client, "budi", PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_an_administrator_lifts_a_pause_in_the_admin(client, clock, budi, admin):
    fail(client, "budi", 5)
    lockout = LoginLockout.objects.get()
    client.force_login(admin)
    response = client.post(f"/admin/accounts/loginlockout/{lockout.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login.unlocked", actor=admin).exists()
    client.post("/meja/keluar/")
    assert sign_in(client, "budi", PASSWORD).status_code == 302
