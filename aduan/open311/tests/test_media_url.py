"""A photo sent as media_url is fetched, checked and stripped of its metadata, or refused."""

import io
import socket

import pytest
from PIL import Image

from aduan.complaints.models import Attachment, Complaint
from aduan.lib.files import MAX_BYTES
from aduan.open311 import media
from aduan.open311.tests.conftest import jpeg_with_gps

JPEG = {"Content-Type": "image/jpeg"}


@pytest.fixture
def private_allowed(settings):
    """The test photo server listens on 127.0.0.1, which the guard refuses otherwise."""
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True


def refused(response) -> str:
    assert response.status_code == 400, response.content
    (error,) = response.json()
    assert error["code"] == 400 and error["description"].startswith("media_url: ")
    assert not Complaint.objects.exists()
    return error["description"]


def test_a_photo_is_attached_without_its_gps_and_comment(
    post_request, photo_server, private_allowed
):
    photo_server.routes["/foto/loket.jpg"] = (200, JPEG, jpeg_with_gps())
    response = post_request(media_url=photo_server.url("/foto/loket.jpg"))
    assert response.status_code == 200, response.content
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert b"GPSLatitude" not in stored and b"Exif" not in stored
    assert b"Kamera milik Sari" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)
    assert attachment.content_type == "image/jpeg" and attachment.size == len(stored)
    assert attachment.original_name == "loket.jpg"


def test_a_png_behind_a_redirect_is_attached(post_request, photo_server, private_allowed):
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3)).save(buffer, "PNG")
    photo_server.routes["/lama"] = (302, {"Location": "/baru.png"}, b"")
    photo_server.routes["/baru.png"] = (200, {}, buffer.getvalue())
    assert post_request(media_url=photo_server.url("/lama")).status_code == 200
    assert Attachment.objects.get().content_type == "image/png"


def test_the_photo_is_never_shown_in_the_public_answers(
    client, post_request, photo_server, private_allowed
):
    url = photo_server.url("/foto/loket.jpg")
    photo_server.routes["/foto/loket.jpg"] = (200, JPEG, jpeg_with_gps())
    post_request(media_url=url, **{"attribute[public]": "true"})
    item = client.get("/open311/v2/requests.json").json()[0]
    assert item["media_url"] is None and url not in str(item)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.jpg",
        "http://localhost/x.jpg",
        "http://10.1.2.3/x.jpg",
        "http://192.168.1.1/x.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.jpg",
        "http://[::ffff:127.0.0.1]/x.jpg",
        "http://0.0.0.0/x.jpg",
        "http://240.0.0.1/x.jpg",
    ],
)
def test_internal_addresses_are_refused_without_connecting(post_request, url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("the guard let a connection through")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    assert "media_url" in refused(post_request(media_url=url))


def test_a_host_resolving_to_an_internal_address_is_refused(post_request, monkeypatch):
    def resolves_inside(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolves_inside)
    assert "10.0.0.5" in refused(post_request(media_url="https://foto.example.com/a.jpg"))


def test_a_redirect_into_the_internal_network_is_refused(post_request, photo_server, monkeypatch):
    photo_server.routes["/pindah"] = (302, {"Location": "http://10.0.0.5/a.jpg"}, b"")
    checked = []
    real = media.address_refusal

    def guard(address):  # the guard as in production, but for the test server itself
        checked.append(address)
        return None if address == "127.0.0.1" else real(address)

    monkeypatch.setattr(media, "address_refusal", guard)
    assert "10.0.0.5" in refused(post_request(media_url=photo_server.url("/pindah")))
    assert checked == ["127.0.0.1", "10.0.0.5"]


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "foto.jpg"])
def test_only_http_and_https_are_fetched(post_request, url):
    assert "http" in refused(post_request(media_url=url))


def test_a_file_that_is_not_a_photo_is_refused(post_request, photo_server, private_allowed):
    photo_server.routes["/x.jpg"] = (200, JPEG, b"%PDF-1.4\n%%EOF\n")
    assert "JPEG" in refused(post_request(media_url=photo_server.url("/x.jpg")))


def test_a_broken_jpeg_is_refused(post_request, photo_server, private_allowed):
    photo_server.routes["/x.jpg"] = (200, JPEG, b"\xff\xd8\xff\xe1\x00")
    assert "rusak" in refused(post_request(media_url=photo_server.url("/x.jpg")))


def test_a_photo_over_5_mb_is_refused(post_request, photo_server, private_allowed):
    photo_server.routes["/besar.jpg"] = (200, JPEG, b"\xff\xd8\xff" + b"\x00" * MAX_BYTES)
    assert "MB" in refused(post_request(media_url=photo_server.url("/besar.jpg")))


def test_a_missing_photo_is_refused(post_request, photo_server, private_allowed):
    assert "404" in refused(post_request(media_url=photo_server.url("/tidak-ada.jpg")))


def test_an_unreachable_server_is_refused(post_request, private_allowed):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "tidak dapat diambil" in refused(
        post_request(media_url=f"http://127.0.0.1:{port}/x.jpg")
    )


def test_a_bad_key_is_refused_before_any_fetch(post_request, monkeypatch):
    def no_fetch(url):
        raise AssertionError("fetched for a request without a valid key")

    monkeypatch.setattr("aduan.open311.views.media_fetched", no_fetch)
    response = post_request(api_key="salah", media_url="https://example.com/a.jpg")
    assert response.status_code == 403
