"""Fixtures for officials' sign-in: an administrator, a frozen clock, and helpers that sign
in as a person does, from a given address.

Personas (STYLE.md): staff Budi, kasi Wati; here also Admin, the office's administrator
(a superuser), who must use an authenticator.
"""

import html
import re

import pytest
from django.urls import reverse

from aduan.accounts import totp
from aduan.accounts.models import TotpDevice, User
from aduan.accounts.sealing import unseal

PASSWORD = "correct horse battery"
ADMIN_PASSWORD = "admin horse battery staple"
OFFICE = "10.20.0.1"  # the office's one public address (NAT)
ELSEWHERE = "198.51.100.7"


@pytest.fixture
def clock(time_machine):
    """The office's clock, frozen on a working morning; tests move it on."""
    time_machine.move_to("2026-03-10 09:00:00 +0700", tick=False)
    return time_machine


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("admin", "admin@example.test", ADMIN_PASSWORD)


def sign_in(client, username, password=PASSWORD, address=OFFICE, **extra):
    return client.post(
        reverse("desk:login"),
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def enter_code(client, code, address=OFFICE):
    return client.post(reverse("desk:login_code"), {"code": code}, REMOTE_ADDR=address)


def current_code(user, offset_steps: int = 0) -> str:
    """The code the official's authenticator app shows now."""
    from django.utils import timezone

    secret = unseal(TotpDevice.objects.get(user=user).secret_sealed)
    return totp.code_for_step(secret, totp.time_step(timezone.now().timestamp()) + offset_steps)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
