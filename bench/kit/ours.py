"""Aduan's scenarios for the load generator: a citizen's filing through the web form, an
Open311 POST, the one-INSERT view, and an official's pages.

The web form is filed as a browser files it, each filing by a new citizen (a fresh cookie
jar): GET /lapor/ (the form and its CSRF token), POST /lapor/ (multipart, as the form's
enctype says; 302 to the check page, the answers kept in the session), GET /lapor/periksa/
(the check page, which carries the submission key), POST /lapor/periksa/ (stores the
complaint; 302 to /lapor/terkirim/), GET /lapor/terkirim/ (the confirmation with the
tracking code). No attachment. Five HTTP requests a filing; the storing POST is also timed
on its own ("store").
"""

import itertools
import re
import threading
import time

from bench.kit.loadgen import Done, Operation, Session

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(rb'name="kunci" value="([^"]+)"')
CATEGORY_SELECT = re.compile(rb'<select name="category"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(rb'<option value="(\d+)"')
TRACKING_CODE = re.compile(rb"ADU-[0-9A-Z]{4}-[0-9A-Z]{4}")
COMPLAINT_LINK = re.compile(rb'href="/meja/pengaduan/(\d+)/"')


class Numbers:
    """Filing numbers shared by every thread (each complaint's text differs)."""

    def __init__(self):
        self._count = itertools.count(1)
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            return next(self._count)


def _token(pattern: re.Pattern, body: bytes, what: str) -> str:
    match = pattern.search(body)
    if not match:
        raise RuntimeError(f"no {what} in the page")
    return match.group(1).decode()


def category_of_form(base_url: str) -> str:
    """The first category offered by /lapor/ (its primary key)."""
    status, _headers, body = Session(base_url).request("GET", "/lapor/")
    if status != 200:
        raise RuntimeError(f"GET /lapor/ answered {status}")
    select = CATEGORY_SELECT.search(body)
    options = OPTION_VALUE.findall(select.group(1)) if select else []
    if not options:
        raise RuntimeError("the form /lapor/ offers no category")
    return options[0].decode()


def web_form_filing(base_url: str, *, category: str, n: int) -> Done:
    """One citizen's whole filing (five requests); Done.parts["store"]: the storing POST."""
    citizen = Session(base_url)
    status, _h, body = citizen.request("GET", "/lapor/")
    if status != 200:
        return Done(ok=False, error=f"GET /lapor/ {status}", requests=1)
    csrf = _token(CSRF_INPUT, body, "CSRF token")
    answers = {
        "csrfmiddlewaretoken": csrf,
        "category": category,
        "subject": f"KTP-el belum jadi (uji beban {n})",
        "description": f"Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi. Nomor {n}.",
        "name": f"Warga Uji {n}",
        "phone": f"0812{n % 100_000_000:08d}",
        "email": "",
        "nik": "",
    }
    status, headers, _b = citizen.request("POST", "/lapor/", form=answers, multipart=True)
    if status != 302 or not (headers.get("Location") or "").endswith("/lapor/periksa/"):
        return Done(ok=False, error=f"POST /lapor/ {status}", requests=2)
    status, _h, body = citizen.request("GET", "/lapor/periksa/")
    if status != 200:
        return Done(ok=False, error=f"GET /lapor/periksa/ {status}", requests=3)
    fields = {
        "csrfmiddlewaretoken": _token(CSRF_INPUT, body, "CSRF token"),
        "kunci": _token(KEY_INPUT, body, "submission key"),
    }
    began = time.perf_counter()
    status, headers, _b = citizen.request("POST", "/lapor/periksa/", form=fields)
    store = time.perf_counter() - began
    if status != 302 or not (headers.get("Location") or "").endswith("/lapor/terkirim/"):
        return Done(ok=False, error=f"POST /lapor/periksa/ {status}", requests=4)
    status, _h, body = citizen.request("GET", "/lapor/terkirim/")
    if status != 200 or not TRACKING_CODE.search(body):
        return Done(ok=False, error=f"GET /lapor/terkirim/ {status}", requests=5)
    return Done(ok=True, requests=5, parts={"store": store})


def web_form_worker(base_url: str, *, category: str, numbers: Numbers):
    def make_worker(_i: int) -> Operation:
        return lambda: web_form_filing(base_url, category=category, n=numbers.take())

    return make_worker


def open311_worker(base_url: str, *, api_key: str, service_code: str, numbers: Numbers):
    """POST /open311/v2/requests.json, form-encoded as the spec says: 200 and a
    service_request_id."""

    def make_worker(_i: int) -> Operation:
        client = Session(base_url)

        def operation() -> Done:
            n = numbers.take()
            status, _h, body = client.request(
                "POST",
                "/open311/v2/requests.json",
                form={
                    "api_key": api_key,
                    "service_code": service_code,
                    "description": f"KTP-el belum jadi setelah tiga minggu (Open311 {n}).",
                    "first_name": "Warga",
                    "last_name": f"Uji {n}",
                    "email": f"warga{n}@contoh.invalid",
                },
            )
            ok = status == 200 and b"service_request_id" in body
            return Done(ok=ok, error=f"HTTP {status}")

        return operation

    return make_worker


def insert_worker(base_url: str):
    """POST /bench/insert/ of the bench-only site (bench/insertsite): 201."""

    def make_worker(i: int) -> Operation:
        client = Session(base_url)

        def operation() -> Done:
            status, _h, _b = client.request("POST", "/bench/insert/", form={"note": f"w{i}"})
            return Done(ok=status == 201, error=f"HTTP {status}")

        return operation

    return make_worker


def official_signed_in(base_url: str, *, username: str, password: str) -> Session:
    """A session signed in through /meja/masuk/ over HTTP, as a browser signs in."""
    official = Session(base_url)
    status, _h, body = official.request("GET", "/meja/masuk/")
    if status != 200:
        raise RuntimeError(f"GET /meja/masuk/ answered {status}")
    status, headers, _b = official.request(
        "POST",
        "/meja/masuk/",
        form={
            "csrfmiddlewaretoken": _token(CSRF_INPUT, body, "CSRF token"),
            "username": username,
            "password": password,
            "next": "/meja/",
        },
    )
    if status != 302 or "sessionid" not in official.cookies:
        raise RuntimeError(f"{username} could not sign in: {status} {headers.get('Location')}")
    return official


def complaint_in_inbox(official: Session) -> str | None:
    """The first complaint the official's inbox lists (its primary key), if any."""
    status, _h, body = official.request("GET", "/meja/")
    if status != 200:
        raise RuntimeError(f"GET /meja/ answered {status}")
    match = COMPLAINT_LINK.search(body)
    return match.group(1).decode() if match else None
