"""The tracking secret cannot be guessed, and guessing is slowed down besides.

The tracking code (ADU-XXXX-XXXX) is a reference: Open311 lists it, letters print it. What
opens a complaint is the secret given with it: 28 characters of Crockford base-32 from
`secrets`, 140 bits. Lookups by code and secret are limited per client address
(ADUAN_TRACK_RATE), and so are new complaints (ADUAN_SUBMIT_RATE), counted in the database
so that every server process shares the count.
"""

import json
import logging
import random
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.api.tests.conftest import error_of
from aduan.complaints.services import complaint_register
from aduan.core.tests.test_settings import load_settings
from aduan.lib import codes
from aduan.lib.codes import ALPHABET, new_tracking_secret, tracking_digest
from aduan.lib.ratelimit import Rate, client_address, parse_rate, rate_hit
from aduan.public.models import RateCounter
from aduan.public.selectors import complaint_for_tracking
from conftest import run_at_once

pytestmark = pytest.mark.django_db

BITS_PER_CHARACTER = 5  # a 32-letter alphabet


def file_complaint(category, name="Sari Wulandari"):
    return complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name=name,
        phone="+6281234567890",
    )


def test_a_secret_carries_at_least_128_bits_from_the_secrets_module(monkeypatch):
    assert len(ALPHABET) == 2**BITS_PER_CHARACTER == len(set(ALPHABET))
    drawn = []

    def randbits(count):
        drawn.append((count, random.SystemRandom().getrandbits(count)))
        return drawn[-1][1]

    monkeypatch.setattr(codes.secrets, "randbits", randbits)
    secret = new_tracking_secret()
    assert len(drawn) == 1 and drawn[0][0] >= 128  # one draw from `secrets`, 140 bits
    count, bits = drawn[0]
    # Every character is five of those bits, and together they are all of them.
    chars = secret.replace("-", "")
    assert len(chars) * BITS_PER_CHARACTER == count
    assert sum(ALPHABET.index(ch) << (BITS_PER_CHARACTER * i) for i, ch in enumerate(chars)) == bits
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", secret)


def test_secrets_do_not_repeat():
    assert len({new_tracking_secret() for _ in range(2000)}) == 2000


def test_the_secret_opens_the_complaint_however_it_is_typed(sop_version, category):
    complaint = file_complaint(category)
    secret = complaint.tracking_secret
    code = complaint.tracking_code
    for typed in (secret, secret.replace("-", ""), secret.lower(), secret.replace("-", " ")):
        assert complaint_for_tracking(code=code, secret=typed) == complaint
    assert complaint_for_tracking(code=code, secret=secret[:-1]) is None
    assert complaint_for_tracking(code=code, secret=secret[:9]) is None  # 8 characters


def test_a_secret_given_before_in_8_characters_keeps_opening_its_complaint(sop_version, category):
    complaint = file_complaint(category)
    complaint.tracking_digest = tracking_digest(complaint.tracking_code, "7K3M9QXZ")
    complaint.save(update_fields=["tracking_digest"])
    assert complaint_for_tracking(code=complaint.tracking_code, secret="7k3m-9qxz") == complaint
    assert complaint_for_tracking(code=complaint.tracking_code, secret="7K3M9QXY") is None


def random_code(rng) -> str:
    chars = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"ADU-{chars[:4]}-{chars[4:]}"


def random_secret(rng, length=28) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def test_ten_thousand_guesses_all_find_nothing(sop_version, category, client, settings):
    """An attacker who knows the codes (Open311 lists them) guesses secrets; one who does
    not guesses both. 9,700 guesses go to the lookup, 300 through the tracking form, the
    link and the API."""
    settings.TRACK_RATE = None  # the guessing itself is the question here
    complaints = [file_complaint(category, name=f"Pelapor {n}") for n in range(5)]
    known_codes = [c.tracking_code for c in complaints]
    rng = random.Random(20261129)
    found = 0
    for n in range(9700):
        code = known_codes[n % 5] if n % 2 else random_code(rng)
        secret = random_secret(rng, 8 if n % 7 == 0 else 28)
        found += complaint_for_tracking(code=code, secret=secret) is not None
    assert found == 0
    for n in range(100):
        code, secret = known_codes[n % 5], random_secret(rng)
        page = client.post(reverse("public:track_form"), {"code": code, "secret": secret})
        assert page.status_code == 200 and "tidak ditemukan" in page.content.decode()
        link = client.get(reverse("public:track_link", args=[code, secret]))
        assert link.status_code == 404
    for n in range(100):
        code = known_codes[n % 5] if n % 2 else random_code(rng)
        api = client.get(
            f"/api/v1/complaints/{code}/status", HTTP_X_TRACKING_SECRET=random_secret(rng)
        )
        assert api.status_code == 404 and error_of(api)["code"] == "not_found"
    assert client.session.get("lacak", []) == []  # nothing was opened


def test_lookups_past_the_rate_get_429_in_plain_indonesian_and_are_logged(
    sop_version, category, settings, caplog
):
    settings.TRACK_RATE = parse_rate("5/10m")
    complaint = file_complaint(category)
    code = complaint.tracking_code
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        attacker.post(reverse("public:track_form"), {"code": code, "secret": f"GUESS{n:03d}"})
    for n in range(2):  # the link counts too
        attacker.get(reverse("public:track_link", args=[code, random_secret(random.Random(n))]))
    with caplog.at_level(logging.WARNING, logger="aduan.ratelimit"):
        refused = attacker.post(
            reverse("public:track_form"), {"code": code, "secret": complaint.tracking_secret}
        )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Terlalu banyak permintaan" in page and "Coba lagi dalam" in page
    assert 0 < int(refused["Retry-After"]) <= 600
    assert attacker.session.get("lacak", []) == []  # the right secret opened nothing
    warnings = [r for r in caplog.records if r.name == "aduan.ratelimit"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "203.0.113.9" in warnings[0].getMessage() and "track" in warnings[0].getMessage()
    assert complaint.tracking_secret not in warnings[0].getMessage()
    # The link and the API refuse the address as well.
    link = attacker.get(reverse("public:track_link", args=[code, complaint.tracking_secret]))
    assert link.status_code == 429
    api = attacker.get(
        f"/api/v1/complaints/{code}/status", HTTP_X_TRACKING_SECRET=complaint.tracking_secret
    )
    assert api.status_code == 429 and error_of(api)["code"] == "too_many_requests"
    assert "Retry-After" in api
    # Sari, at another address, is not held back by the attacker.
    sari = Client(REMOTE_ADDR="198.51.100.20")
    opened = sari.post(
        reverse("public:track_form"), {"code": code, "secret": complaint.tracking_secret}
    )
    assert opened.status_code == 302
    # Once the window is over, the address may look up again.
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=11)):
        again = attacker.post(
            reverse("public:track_form"), {"code": code, "secret": complaint.tracking_secret}
        )
    assert again.status_code == 302


def test_the_tracking_page_itself_is_not_counted(sop_version, category, settings):
    """Reading a complaint already opened is not a guess: only code-and-secret lookups."""
    settings.TRACK_RATE = parse_rate("2/10m")
    complaint = file_complaint(category)
    sari = Client()
    sari.get(
        reverse("public:track_link", args=[complaint.tracking_code, complaint.tracking_secret])
    )
    for _ in range(5):
        page = sari.get(reverse("public:track", args=[complaint.tracking_code]))
        assert page.status_code == 200


# serialized_rollback: a plain transactional test's flush makes the content types again
# with new keys, and a later serialized_rollback test in the same process then fails.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_count_lives_in_the_database_and_no_hit_is_lost():
    """Eight processes hitting at once (threads with their own connections here) count
    eight: one upsert per hit, shared by every server process."""
    rate = Rate(hits=100, seconds=600)
    results = run_at_once(*[lambda: rate_hit(scope="t", key="10.0.0.1", rate=rate)] * 8)
    assert sorted(results) == list(range(1, 9))
    assert RateCounter.objects.get().hits == 8


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="UNLOGGED tables are PostgreSQL's (CI runs this suite on it too)",
)
def test_on_postgresql_a_count_commits_without_waiting_for_the_disk(db):
    """The counts are in an UNLOGGED table: a hit does not wait for a flush to disk while
    it holds its address's row (every filing of an Open311 partner's server shares it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [RateCounter._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)


def test_windows_that_are_over_are_cleaned_up(db):
    rate = Rate(hits=10, seconds=60)
    start = timezone.now()
    for n in range(5):
        rate_hit(scope="t", key=f"10.0.0.{n}", rate=rate, now=start)
    assert RateCounter.objects.count() == 5
    rate_hit(scope="t", key="10.0.0.1", rate=rate, now=start + timezone.timedelta(minutes=3))
    assert RateCounter.objects.count() == 1


def test_a_rate_is_read_as_written():
    assert parse_rate("30/10m") == Rate(30, 600)
    assert parse_rate("100/h") == Rate(100, 3600)
    assert parse_rate(" 5 / 2s ") == Rate(5, 2)
    assert parse_rate("1000/d") == Rate(1000, 86400)
    assert parse_rate("off") is None and parse_rate("0") is None
    for wrong in ("30", "30/10x", "abc", "-1/m", "0/m", "5/0m"):
        with pytest.raises(ValueError, match="30/10m"):
            parse_rate(wrong)


def test_a_wrong_rate_stops_the_server_at_start_with_a_sentence(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="x" * 50, ADUAN_TRACK_RATE="lots")
    assert result.returncode != 0
    assert "ADUAN_TRACK_RATE" in result.stderr and "30/10m" in result.stderr


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.1"  # no proxy: the header may be forged
    settings.TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.5"  # what our proxy saw, not 6.6.6.6


# New complaints: the web form, the API and Open311 share one limit per address.


@pytest.fixture
def submit_twice_an_hour(settings, tmp_path):
    settings.SUBMIT_RATE = parse_rate("2/h")
    settings.MEDIA_ROOT = tmp_path / "media"


def web_complaint(client, category, n):
    answers = {
        "category": str(category.pk),
        "subject": f"KTP-el belum jadi {n}",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
    }
    assert client.post("/lapor/", answers).status_code == 302
    return client.post("/lapor/periksa/", {"kunci": client.session["lapor"]["key"]})


def test_new_complaints_past_the_rate_get_429_and_nothing_is_stored(
    sop_version, category, submit_twice_an_hour
):
    from aduan.complaints.models import Complaint
    from aduan.open311.keys import key_create

    browser = Client(REMOTE_ADDR="203.0.113.7")
    assert web_complaint(browser, category, 1).status_code == 302
    api = browser.post(
        "/api/v1/complaints",
        {
            "category": category.code,
            "subject": "Lewat API",
            "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
            "name": "Sari Wulandari",
            "phone": "0812 3456 7890",
        },
    )
    assert api.status_code == 201
    assert Complaint.objects.count() == 2

    refused = web_complaint(browser, category, 3)
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.content.decode()
    assert "lapor" in browser.session  # what was typed is kept for later
    api = browser.post("/api/v1/complaints", {"category": category.code})
    assert api.status_code == 429 and error_of(api)["code"] == "too_many_requests"
    _key, secret = key_create(name="Aplikasi Mojokerto")
    open311 = browser.post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "KTP-el belum jadi",
            "email": "sari@contoh.id",
        },
    )
    assert open311.status_code == 429
    assert json.loads(open311.content)[0]["code"] == 429
    assert Complaint.objects.count() == 2
    # Another address files as usual.
    assert web_complaint(Client(REMOTE_ADDR="198.51.100.1"), category, 4).status_code == 302
    assert Complaint.objects.count() == 3


def limiter_queries(queries) -> int:
    return sum("ratecounter" in query["sql"] for query in queries.captured_queries)


def test_the_limiter_adds_one_query_a_lookup_and_none_to_the_tracking_page(
    sop_version, category, django_assert_max_num_queries
):
    """One upsert a lookup; the first of an address's window also deletes the windows that
    are over. The tracking page is not a lookup and stays within its bound of 4."""
    complaint = file_complaint(category)
    code, secret = complaint.tracking_code, complaint.tracking_secret
    sari = Client()
    with django_assert_max_num_queries(7) as first:
        sari.post(reverse("public:track_form"), {"code": code, "secret": secret})
    assert limiter_queries(first) == 2
    with django_assert_max_num_queries(6) as again:
        sari.post(reverse("public:track_form"), {"code": code, "secret": secret})
    assert limiter_queries(again) == 1
    with django_assert_max_num_queries(6) as link:
        sari.get(reverse("public:track_link", args=[code, secret]))
    assert limiter_queries(link) == 1
    with django_assert_max_num_queries(6) as page:  # 2: the working calendar (the due time)
        sari.get(reverse("public:track", args=[code]))
    assert limiter_queries(page) == 0


# The citizens' other posts: the form's drafts and uploads, replies, ratings, reopening and
# data copies share a third limit, so nobody fills the disk with uploads or the outbox with
# replies from one address.


# Three minutes into a ten-minute window (the clock still running): the posts below all
# fall in one window, however slow the machine (a window's edge between them let one pass).
@time_machine.travel("2026-03-09 09:03 +0700")
def test_posts_past_the_rate_get_429_and_store_nothing(sop_version, category, settings, tmp_path):
    from aduan.complaints.models import Message
    from aduan.public.models import PendingUpload

    settings.POST_RATE = parse_rate("3/10m")
    settings.MEDIA_ROOT = tmp_path / "media"
    complaint = file_complaint(category)
    flooder = Client(REMOTE_ADDR="203.0.113.44")
    opened = flooder.get(
        reverse("public:track_link", args=[complaint.tracking_code, complaint.tracking_secret])
    )
    assert opened.status_code == 302
    track = reverse("public:track", args=[complaint.tracking_code])
    for n in range(3):
        flooder.post(track, {"body": f"Balasan {n}"})
    assert Message.objects.filter(body__startswith="Balasan ").count() == 3
    refused = flooder.post(track, {"body": "Balasan keempat"})
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.content.decode()
    assert not Message.objects.filter(body="Balasan keempat").exists()
    # The form's uploads are refused too: nothing is written for the session.
    png = tiny_png()
    form = flooder.post("/lapor/", {"subject": "x", "lampiran": png})
    assert form.status_code == 429
    assert PendingUpload.objects.count() == 0
    for path in (
        reverse("public:my_data", args=[complaint.tracking_code]),
        reverse("public:track_rate", args=[complaint.tracking_code]),
        reverse("public:track_reopen", args=[complaint.tracking_code]),
    ):
        assert flooder.post(path, {"score": "5", "reason": "Belum selesai"}).status_code == 429
    # Reading is not posting: the tracking page still opens.
    assert flooder.get(track).status_code == 200
    # Sari, at another address, posts as usual.
    sari = Client(REMOTE_ADDR="198.51.100.21")
    sari.get(
        reverse("public:track_link", args=[complaint.tracking_code, complaint.tracking_secret])
    )
    assert sari.post(track, {"body": "Ini balasan Sari"}).status_code == 302
    assert Message.objects.filter(body="Ini balasan Sari").exists()


def tiny_png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
