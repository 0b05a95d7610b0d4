"""The outbox delivers each message once: retried while the provider is down, given up
after the configured tries, never twice with two workers or after a crash."""

import datetime as dt
import email
import json
import urllib.parse

import pytest
from django.utils import timezone

from aduan.notify.delivery import LEASE, UNCERTAIN, backoff, deliveries_send
from aduan.notify.models import Delivery
from aduan.notify.services import delivery_enqueue
from aduan.notify.tests.conftest import free_port
from conftest import run_at_once

pytestmark = pytest.mark.django_db


def whatsapp_message(key="received:1:sari", **more):
    return delivery_enqueue(
        event_key=key,
        kind="received",
        channel="whatsapp",
        to="0812-3456-7890",
        subject="Pengaduan diterima",
        body="Pengaduan Anda ADU-7K3M-Q9TX diterima.",
        params=["ADU-7K3M-Q9TX", "http://localhost:8000/lacak/ADU-7K3M-Q9TX/"],
        **more,
    )


def test_the_same_event_queued_twice_is_one_message():
    first = whatsapp_message()
    again = whatsapp_message()
    assert first.pk == again.pk
    assert Delivery.objects.count() == 1


def test_whatsapp_sends_the_approved_template_with_its_parameters(whatsapp):
    message = whatsapp_message()
    assert deliveries_send().sent == 1
    [request] = whatsapp.requests
    assert request["path"] == "/v21.0/1234567890/messages"
    assert request["headers"]["Authorization"] == "Bearer token-uji"
    payload = json.loads(request["body"])
    assert payload["to"] == "6281234567890"
    assert payload["template"]["name"] == "aduan_diterima"
    assert [p["text"] for p in payload["template"]["components"][0]["parameters"]] == [
        "ADU-7K3M-Q9TX",
        "http://localhost:8000/lacak/ADU-7K3M-Q9TX/",
    ]
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == "wamid.1"


def test_a_provider_that_is_down_is_retried_later_and_the_message_arrives_once(whatsapp):
    message = whatsapp_message()
    whatsapp.fail_next(2)
    now = timezone.now()
    assert deliveries_send(now=now).retrying == 1
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 1
    assert "HTTP 503" in message.last_error
    assert message.next_attempt_at == now + backoff(1)

    # Not yet due: nothing is tried.
    assert deliveries_send(now=now + dt.timedelta(seconds=30)).retrying == 0
    assert len(whatsapp.requests) == 1

    later = message.next_attempt_at
    assert deliveries_send(now=later).retrying == 1
    message.refresh_from_db()
    assert deliveries_send(now=message.next_attempt_at).sent == 1
    assert len(whatsapp.requests) == 3
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3
    # Sent messages are not sent again.
    assert deliveries_send(now=later + dt.timedelta(days=1)).sent == 0
    assert len(whatsapp.requests) == 3


def test_a_message_is_given_up_after_the_configured_tries_with_the_reason(whatsapp, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    message = whatsapp_message()
    whatsapp.fail_next(10)
    now = timezone.now()
    for _ in range(3):
        deliveries_send(now=now)
        message.refresh_from_db()
        now = message.next_attempt_at
    assert message.status == "failed"
    assert message.attempts == 3
    assert "menyerah setelah 3 kali" in message.last_error
    assert len(whatsapp.requests) == 3


def test_a_refused_number_fails_at_once(whatsapp):
    message = whatsapp_message()
    whatsapp.answers.append((400, {"error": {"message": "Invalid parameter: to"}}))
    assert deliveries_send().failed == 1
    message.refresh_from_db()
    assert message.status == "failed" and "HTTP 400" in message.last_error
    assert "Invalid parameter" in message.last_error


def test_a_kind_without_an_approved_template_fails_plainly(whatsapp):
    delivery_enqueue(
        event_key="x", kind="answered", channel="whatsapp", to="081234567890", body="…"
    )
    assert deliveries_send().failed == 1
    assert "tidak ada templat WhatsApp" in Delivery.objects.get().last_error
    assert whatsapp.requests == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_message_once(whatsapp):
    for n in range(6):
        whatsapp_message(key=f"received:{n}")
    run_at_once(deliveries_send, deliveries_send)
    assert len(whatsapp.requests) == 6
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_message_left_mid_send_by_a_vanished_worker_is_not_sent_twice(whatsapp):
    """WhatsApp takes no idempotency key: a message whose sender vanished is marked
    failed (it may have arrived) rather than sent a second time."""
    message = whatsapp_message()
    now = timezone.now()
    Delivery.objects.filter(pk=message.pk).update(
        status="sending", claim="gone", claimed_until=now - dt.timedelta(seconds=1), attempts=1
    )
    assert deliveries_send(now=now).failed == 1
    message.refresh_from_db()
    assert message.status == "failed" and message.last_error == UNCERTAIN
    assert whatsapp.requests == []


def test_a_claim_still_held_by_a_live_worker_is_left_alone(whatsapp):
    message = whatsapp_message()
    now = timezone.now()
    Delivery.objects.filter(pk=message.pk).update(
        status="sending", claim="alive", claimed_until=now + LEASE
    )
    assert deliveries_send(now=now).sent == 0
    assert whatsapp.requests == []


def sms_settings(settings, provider, *, header=""):
    settings.SMS_URL = provider.url + "/kirim"
    settings.SMS_PARAMS = "api_key=RAHASIA&tujuan={to}&pesan={text}&ref={key}"
    settings.SMS_IDEMPOTENCY_HEADER = header


def test_sms_fills_the_gateways_parameters_and_keeps_the_text_whole(settings, provider):
    sms_settings(settings, provider)
    message = delivery_enqueue(
        event_key="sms1",
        kind="received",
        channel="sms",
        to="0812 3456 7890",
        body="Kode: ADU-7K3M-Q9TX & rahasia=abc",
    )
    assert deliveries_send().sent == 1
    [request] = provider.requests
    fields = dict(urllib.parse.parse_qsl(request["body"].decode()))
    assert fields == {
        "api_key": "RAHASIA",
        "tujuan": "+6281234567890",
        "pesan": "Kode: ADU-7K3M-Q9TX & rahasia=abc",
        "ref": str(message.idempotency_key),
    }


def test_an_idempotent_gateway_gets_the_same_key_again_after_a_crash(settings, provider):
    """The gateway drops a repeat of a key it has seen: resending after a crash is safe."""
    sms_settings(settings, provider, header="Idempotency-Key")
    message = delivery_enqueue(
        event_key="sms2", kind="received", channel="sms", to="081234567890", body="Halo"
    )
    now = timezone.now()
    Delivery.objects.filter(pk=message.pk).update(
        status="sending", claim="gone", claimed_until=now - dt.timedelta(seconds=1), attempts=1
    )
    assert deliveries_send(now=now).sent == 1
    [request] = provider.requests
    assert request["headers"]["Idempotency-Key"] == str(message.idempotency_key)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2


def test_email_arrives_at_a_real_smtp_server(smtp_server):
    message = delivery_enqueue(
        event_key="mail1",
        kind="received",
        channel="email",
        to="sari@example.test",
        subject="Pengaduan ADU-7K3M-Q9TX diterima",
        body="Terima kasih, Sari.",
    )
    assert deliveries_send().sent == 1
    [envelope] = smtp_server
    assert envelope.rcpt_tos == ["sari@example.test"]
    mail = email.message_from_bytes(envelope.content)
    assert mail["Subject"] == "Pengaduan ADU-7K3M-Q9TX diterima"
    assert mail["Message-ID"] == f"<{message.idempotency_key}@localhost>"
    assert "Terima kasih, Sari." in mail.get_payload(decode=True).decode()


def test_email_to_a_server_that_is_down_is_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    message = delivery_enqueue(
        event_key="mail2",
        kind="received",
        channel="email",
        to="sari@example.test",
        subject="Halo",
        body="Halo",
    )
    assert deliveries_send().retrying == 1
    message.refresh_from_db()
    assert message.status == "queued" and "tidak dapat dihubungi" in message.last_error


def test_without_a_provider_the_message_is_written_to_the_outbox_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    message = delivery_enqueue(
        event_key="file1",
        kind="received",
        channel="file",
        to="sari@example.test",
        subject="Pengaduan diterima",
        body="Kode lacak ADU-7K3M-Q9TX",
    )
    assert deliveries_send().sent == 1
    [written] = (tmp_path / "outbox").iterdir()
    assert str(message.idempotency_key) in written.name
    text = written.read_text()
    assert "Kepada: sari@example.test" in text and "Kode lacak ADU-7K3M-Q9TX" in text
