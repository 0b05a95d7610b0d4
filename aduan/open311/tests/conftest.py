"""Open311 clients, their key, the official GeoReport v2 schemas and a photo server.

The schemas are read from ../shared/open311/georeport-v2/ beside the checkout, where CI
copies them.
"""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from aduan.open311.keys import key_create

SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "open311" / "georeport-v2"


def _schemas() -> dict:
    if not (SCHEMAS / "request.json").is_file():
        pytest.fail(
            f"the official Open311 schemas are missing: expected them in {SCHEMAS} "
            "(CI copies shared/ beside the checkout)"
        )
    return {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}


@pytest.fixture(scope="session")
def schemas():
    found = _schemas()
    swagger = found["swagger.json"]
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7))
        for name, schema in found.items()
    )

    def validate(name: str, instance) -> None:
        if name.startswith("#/definitions/"):  # a definition of swagger.json only
            schema = {"$ref": "swagger.json" + name}
        else:
            schema = found[name]
        Draft7Validator(schema, registry=registry, format_checker=FormatChecker()).validate(
            instance
        )

    validate.swagger = swagger
    return validate


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def mobile_app_key(db):
    """The secret of the key the city's mobile app posts with."""
    _key, secret = key_create(name="Aplikasi Mojokerto")
    return secret


@pytest.fixture
def post_request(client, sop_version, category, mobile_app_key):
    """POST requests.<fmt> as the mobile app, with Sari's complaint unless overridden."""

    def post(fmt: str = "json", **fields):
        data = {
            "api_key": mobile_app_key,
            "service_code": category.code,
            "description": "KTP-el saya belum jadi\nSudah tiga minggu menunggu di loket.",
            "first_name": "Sari",
            "last_name": "Wulandari",
            "email": "sari@example.id",
            "phone": "081234567890",
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"/open311/v2/requests.{fmt}", data)

    return post


def jpeg_with_gps() -> bytes:
    """A real JPEG carrying an EXIF APP1 segment with GPS-looking bytes and a comment."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    plain = buffer.getvalue()
    exif = b"Exif\x00\x00MM\x00*GPSLatitude-7.4722;GPSLongitude112.4338"
    app1 = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
    comment = b"Kamera milik Sari"
    com = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return plain[:2] + app1 + com + plain[2:]


class PhotoServer:
    """A local web server: path -> (status, headers, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers, body = server.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def photo_server():
    server = PhotoServer()
    yield server
    server.close()
