"""Real peers for the channels: an SMTP server and an HTTP provider started by the test."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aduan.notify.channels import channels_reset


@pytest.fixture(autouse=True)
def _fresh_channels():
    channels_reset()
    yield
    channels_reset()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeProvider:
    """An HTTP server on loopback that records every request and answers with the next of
    `answers` (status, JSON body); when the list runs out, 200 with a message id."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with provider.lock:
                    provider.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    n = len(provider.requests)
                    status, answer = (
                        provider.answers.pop(0)
                        if provider.answers
                        else (200, {"messages": [{"id": f"wamid.{n}"}]})
                    )
                content = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail_next(self, times: int, status: int = 503):
        self.answers.extend([(status, {"error": {"message": "down"}})] * times)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    fake = FakeProvider()
    yield fake
    fake.close()


@pytest.fixture
def whatsapp(settings, provider):
    settings.WHATSAPP_TOKEN = "token-uji"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1234567890"
    settings.WHATSAPP_API_URL = provider.url + "/v21.0"
    settings.WHATSAPP_TEMPLATES = {"received": "aduan_diterima"}
    return provider


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on loopback; yields the list of messages it received."""
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield received
    controller.stop()
