"""Filings taken as intakes and registered a moment later by the intake worker
(ADUAN_INTAKE=queued, production's default): what the citizen, an Open311 client and the
office see before and after, arrival order, and what a failure leaves."""

import json

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from aduan.audit.models import AuditEvent
from aduan.complaints import intake as intake_module
from aduan.complaints.models import Category, Complaint, ComplaintStep, Intake
from aduan.notify.models import Delivery
from aduan.open311.keys import key_create
from aduan.open311.models import Open311Request
from aduan.public.tests.conftest import Citizen


@pytest.fixture(autouse=True)
def queued(settings, tmp_path):
    settings.INTAKE_AT_ONCE = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sari(client, sop_version, category):
    return Citizen(
        client,
        {
            "category": str(category.pk),
            "subject": "KTP-el belum jadi",
            "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
            "name": "Sari Wulandari",
            "phone": "0812 3456 7890",
            "email": "sari@contoh.id",
            "nik": "3576014506900002",
        },
    )


@pytest.fixture
def post_open311(client, sop_version, category):
    _key, secret = key_create(name="Aplikasi Mojokerto")

    def post(description="KTP-el saya belum jadi\nSudah tiga minggu.", **extra):
        data = {
            "api_key": secret,
            "service_code": category.code,
            "description": description,
            "first_name": "Sari",
            "email": "sari@example.id",
            **extra,
        }
        return client.post("/open311/v2/requests.json", data)

    return post


def test_a_web_filing_gives_its_codes_at_once_and_is_registered_by_the_worker(sari):
    with time_machine.travel("2026-03-09 09:00 +0700", tick=False) as clock:
        confirmation = sari.file_complaint()
        page = confirmation.content.decode()
        code, secret = sari.codes(confirmation)
        assert "sedang dicatat dalam buku agenda" in page
        assert "KTP-el belum jadi" in page  # the subject, from the encrypted intake
        assert "Senin, 9 Maret 2026 pukul 11.20 WIB" in page  # 140 working minutes on
        assert not Complaint.objects.exists()
        assert Intake.objects.get().tracking_code == code
        # Nothing the citizen wrote is readable in the row as stored.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT payload FROM {Intake._meta.db_table}")
            [(raw,)] = cursor.fetchall()
        assert "3576014506900002" not in raw and "Sari" not in raw and secret not in raw

        # The tracking link works at once, and says the filing is being recorded.
        waiting = sari.track(code, secret)
        assert waiting.status_code == 200
        assert "Pengaduan sedang dicatat" in waiting.content.decode()

        clock.shift(3)
        call_command("intake_register")
        complaint = Complaint.objects.get()
        assert not Intake.objects.exists()
        assert (complaint.tracking_code, complaint.channel) == (code, Complaint.Channel.WEB)
        assert complaint.nik == "3576014506900002" and complaint.phone == "+6281234567890"
        assert complaint.agenda_number == "00001/2026"
        # The SOP's clock runs from the filing, not from the registration 3 seconds on.
        assert complaint.received_at.isoformat() == "2026-03-09T02:00:00+00:00"
        step = ComplaintStep.objects.get(complaint=complaint)
        assert step.started_at == complaint.received_at
        assert AuditEvent.objects.filter(action="complaint.registered").count() == 1
        # The notice to the citizen carries the link with the secret given at the filing.
        assert any(secret in d.body for d in Delivery.objects.all())

        tracked = sari.track(code, secret).content.decode()
        assert "00001/2026" in tracked and "Pengaduan sedang dicatat" not in tracked
        again = sari.client.get("/lapor/terkirim/").content.decode()
        assert "00001/2026" in again and code in again


def test_the_api_status_of_a_filing_being_recorded_says_so_then_gives_its_number(sari):
    with time_machine.travel("2026-03-09 09:00 +0700", tick=False) as clock:
        code, secret = sari.codes(sari.file_complaint())
        path = f"/api/v1/complaints/{code}/status"
        waiting = sari.client.get(path, HTTP_X_TRACKING_SECRET=secret)
        assert waiting.status_code == 200
        body = waiting.json()
        assert body["agenda_number"] is None and body["status"] == "open"
        assert body["status_label"] == "Diterima; sedang dicatat dalam buku agenda"
        category = Category.objects.get(code="ktp-el")
        assert (body["subject"], body["category"]) == ("KTP-el belum jadi", category.name)
        assert [(s["key"], s["state"]) for s in body["stages"]] == [
            ("received", "current"),
            ("verified", "todo"),
            ("reviewed", "todo"),
            ("answered", "todo"),
        ]
        assert body["received_at"].startswith("2026-03-09T")
        assert body["messages"] == [] and body["answer"] is None
        other = secret[:-1] + ("1" if secret[-1] != "1" else "2")
        wrong = sari.client.get(path, HTTP_X_TRACKING_SECRET=other)
        assert wrong.status_code == 404

        clock.shift(3)
        call_command("intake_register")
        registered = sari.client.get(path, HTTP_X_TRACKING_SECRET=secret).json()
        assert registered["agenda_number"] == "00001/2026"
        assert registered["status_label"] == "Dalam proses"


def test_the_same_form_sent_twice_before_registration_makes_one_filing(sari):
    sari.fill()
    sari.check_page()
    key = sari.key()
    first = sari.send(key)
    second = sari.send(key)
    assert first.status_code == second.status_code == 302
    assert Intake.objects.count() == 1
    call_command("intake_register")
    assert Complaint.objects.count() == 1


def test_an_open311_request_is_answered_with_its_id_and_shown_as_being_recorded(
    post_open311, client, category
):
    response = post_open311()
    assert response.status_code == 200
    [body] = response.json()
    code = body["service_request_id"]
    assert "beberapa detik" in body["service_notice"]
    assert not Complaint.objects.exists()

    [waiting] = client.get(f"/open311/v2/requests/{code}.json").json()
    assert waiting["status"] == "open"
    assert waiting["status_notes"] == "Diterima; sedang dicatat dalam buku agenda"
    assert waiting["service_code"] == category.code
    assert waiting["description"] is None

    call_command("intake_register")
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.channel == Complaint.Channel.OPEN311
    received = Open311Request.objects.get(complaint=complaint)
    assert received.key.name == "Aplikasi Mojokerto"
    assert AuditEvent.objects.filter(action="open311.request_received").count() == 1
    [registered] = client.get(f"/open311/v2/requests/{code}.json").json()
    assert registered["status_notes"] != waiting["status_notes"]


def test_a_confidential_request_waiting_is_not_shown_either(post_open311, client):
    code = post_open311(**{"attribute[confidential]": "true"}).json()[0]["service_request_id"]
    assert client.get(f"/open311/v2/requests/{code}.json").status_code == 404


def test_intakes_are_numbered_in_the_order_they_arrived(post_open311):
    codes = []
    for n in range(5):
        with time_machine.travel(f"2026-03-09 09:00:0{n} +0700", tick=False):
            codes.append(
                post_open311(description=f"Pengaduan ke-{n}").json()[0]["service_request_id"]
            )
    call_command("intake_register", batch=2)
    numbers = [Complaint.objects.get(tracking_code=code).agenda_seq for code in codes]
    assert numbers == [1, 2, 3, 4, 5]


def test_a_filing_that_cannot_be_registered_is_kept_and_the_others_go_on(
    post_open311, monkeypatch, capsys
):
    codes = [
        post_open311(description=f"Pengaduan ke-{n}").json()[0]["service_request_id"]
        for n in range(3)
    ]
    real = intake_module.complaint_register

    def breaks_on_the_second(**fields):
        complaint = real(**fields)  # rows written, then the crash: all of it rolls back
        if fields["tracking"][0] == codes[1]:
            raise RuntimeError("disk full")
        return complaint

    monkeypatch.setattr(intake_module, "complaint_register", breaks_on_the_second)
    call_command("intake_register")
    assert sorted(Complaint.objects.values_list("tracking_code", flat=True)) == sorted(
        [codes[0], codes[2]]
    )
    kept = Intake.objects.get()
    assert kept.tracking_code == codes[1] and kept.failed_at is not None
    assert "disk full" in kept.error
    assert not ComplaintStep.objects.filter(complaint__tracking_code=codes[1]).exists()
    capsys.readouterr()
    call_command("intake_register", status=True)
    out = capsys.readouterr().out
    assert "0 waiting" in out and "1 failed" in out and codes[1] in out

    monkeypatch.setattr(intake_module, "complaint_register", real)
    call_command("intake_register", retry_failed=True)
    call_command("intake_register")
    assert Complaint.objects.filter(tracking_code=codes[1]).exists()
    assert not Intake.objects.exists()
    # Numbered after the two registered before it.
    assert Complaint.objects.get(tracking_code=codes[1]).agenda_seq == 3


def test_without_an_sop_nothing_is_taken(client, category):
    _key, secret = key_create(name="Aplikasi")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "KTP-el saya belum jadi.",
            "email": "sari@example.id",
        },
    )
    assert response.status_code == 503
    assert not Intake.objects.exists()


def test_the_waiting_count_tells_the_oldest(post_open311, capsys):
    with time_machine.travel("2026-03-09 09:00 +0700", tick=False):
        post_open311()
    with time_machine.travel("2026-03-09 09:02 +0700", tick=False):
        counts = intake_module.intakes_waiting()
    assert counts == {"waiting": 1, "oldest_seconds": 120, "failed": 0}


def test_the_worker_gives_way_only_while_filings_keep_arriving(post_open311):
    with time_machine.travel("2026-03-09 09:00 +0700", tick=False) as clock:
        for n in range(3):
            post_open311(description=f"Pengaduan ke-{n}")
        busy = intake_module.intakes_pass(limit=2)
        assert (busy.taken, busy.arriving, busy.giving_way) == (2, True, True)
        clock.shift(5)  # no filing since: what waits is registered without rests
        quiet = intake_module.intakes_pass(limit=2)
        assert (quiet.taken, quiet.arriving, quiet.giving_way) == (1, False, False)
    assert Complaint.objects.count() == 3


def test_the_worker_stops_giving_way_once_the_oldest_has_waited_the_catch_up_time(
    post_open311,
):
    """Filings arriving without a pause must not keep the worker resting for ever: once
    the oldest waiting is five minutes old it registers at full speed, filings or not."""
    with time_machine.travel("2026-03-09 09:00 +0700", tick=False) as clock:
        for n in range(3):
            post_open311(description=f"Pengaduan pagi ke-{n}")
        clock.shift(4 * 60 + 59)
        post_open311(description="Pengaduan yang baru tiba")
        young = intake_module.intakes_pass(limit=1)
        assert (young.arriving, young.behind, young.giving_way) == (True, False, True)
        clock.shift(1)  # the second oldest has now waited five minutes
        post_open311(description="Pengaduan lain yang baru tiba")
        old = intake_module.intakes_pass(limit=1)
        assert (old.arriving, old.behind, old.giving_way) == (True, True, False)
        assert "catching up" in str(old)
    assert Complaint.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_intake_workers_at_once_register_each_filing_once_in_arrival_order(
    sop_version, category, settings, monkeypatch
):
    """Two workers (threads, each with its own database connection) drain 12 intakes in
    batches of 3: every filing becomes one complaint, numbered in the order it came."""
    import threading
    import time

    from django.db import connections

    from aduan.complaints.forms import ComplaintForm

    settings.INTAKE_AT_ONCE = False
    codes = []
    for n in range(12):
        with time_machine.travel(f"2026-03-09 09:00:{n:02d} +0700", tick=False):
            form = ComplaintForm(
                data={
                    "category": str(category.pk),
                    "subject": f"Pengaduan ke-{n}",
                    "description": "KTP-el saya belum jadi.",
                    "is_anonymous": "on",
                    "email": "warga@contoh.id",
                }
            )
            assert form.is_valid(), form.errors
            taken = intake_module.intake_store(
                fields=form.complaint_fields(), channel=Complaint.Channel.WEB
            )
            codes.append(taken.tracking_code)
    failures = []
    # The first batch dawdles after taking its intakes, so that the other worker, were it
    # free to take the next ones, would reach the agenda counter first.
    real_batch, dawdled = intake_module._Batch, threading.Event()

    class DawdlingBatch(real_batch):
        def __init__(self):
            if not dawdled.is_set():
                dawdled.set()
                time.sleep(0.5)
            super().__init__()

    monkeypatch.setattr(intake_module, "_Batch", DawdlingBatch)

    def worker():
        try:
            while intake_module.intakes_register(limit=3):
                pass
        except Exception as exc:  # reported below, with the thread's traceback lost
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    assert not Intake.objects.exists()
    numbers = dict(Complaint.objects.values_list("tracking_code", "agenda_seq"))
    assert [numbers[code] for code in codes] == list(range(1, 13))
    assert AuditEvent.objects.filter(action="complaint.registered").count() == 12


def test_open311_counts_each_filing_stored_with_it_and_refuses_past_the_rate(
    post_open311, settings
):
    """The rate count is written in the transaction that stores the intake: two filings
    stored, two counted; a request refused for its fields stores nothing and costs no
    count; past the rate, 429 and nothing stored."""
    from aduan.lib.ratelimit import parse_rate
    from aduan.public.models import RateCounter

    settings.SUBMIT_RATE = parse_rate("2/h")
    with time_machine.travel("2026-03-09 09:05 +0700", tick=False):
        assert post_open311(description="Pengaduan pertama").status_code == 200
        refused = post_open311(description="")  # no description: the form's message
        assert refused.status_code == 400 and "description" in refused.content.decode()
        assert post_open311(description="Pengaduan kedua").status_code == 200
        assert RateCounter.objects.get().hits == 2
        past = post_open311(description="Pengaduan ketiga")
        assert past.status_code == 429 and past["Retry-After"]
    stored = [json.loads(intake.payload)["description"] for intake in Intake.objects.all()]
    assert sorted(stored) == ["Pengaduan kedua", "Pengaduan pertama"]


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's view (PostgreSQL counts with a WITH)"
)


def _statements(queries) -> list[str]:
    """What each statement did and to what (the test's own savepoints left out)."""
    return [
        q["sql"].split(" (")[0]
        for q in queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


@sqlite_only
def test_on_sqlite_a_counted_filing_is_one_statement_and_without_the_view_two(
    post_open311, settings
):
    """The count and the INSERT go through one statement (the view's trigger); with the
    view gone (a `migrate` drops it for a moment) a filing is still counted and stored,
    in two statements, and past the rate still refused."""
    from django.test.utils import CaptureQueriesContext

    from aduan.lib.ratelimit import parse_rate
    from aduan.public.models import RateCounter

    settings.SUBMIT_RATE = parse_rate("3/h")
    with time_machine.travel("2026-03-09 09:05 +0700", tick=False):
        assert post_open311(description="Pengaduan pertama").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert post_open311(description="Pengaduan kedua").status_code == 200
        assert _statements(queries) == [f"INSERT INTO {intake_module.COUNTED}"]
        assert RateCounter.objects.get().hits == 2

        intake_module.counted_view_drop()
        with CaptureQueriesContext(connection) as queries:
            assert post_open311(description="Pengaduan ketiga").status_code == 200
        assert _statements(queries) == [
            f"INSERT INTO {intake_module.COUNTED}",  # refused: no such table
            'INSERT INTO "public_ratecounter"',
            'INSERT INTO "complaints_intake"',
        ]
        assert post_open311(description="Pengaduan keempat").status_code == 429
        assert RateCounter.objects.get().hits == 4
    stored = [json.loads(intake.payload)["description"] for intake in Intake.objects.all()]
    assert sorted(stored) == ["Pengaduan kedua", "Pengaduan ketiga", "Pengaduan pertama"]


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrate_takes_the_view_out_of_the_way_of_a_table_it_rebuilds(post_open311):
    """SQLite cannot rebuild a table a view names (Django rebuilds a table to alter a
    column): `migrate` drops the view before the migrations and makes it after them."""
    from django.apps import apps
    from django.db.models.signals import pre_migrate

    from aduan.public.models import RateCounter

    with pytest.raises(Exception, match=intake_module.COUNTED):
        with connection.schema_editor() as editor:
            editor._remake_table(Intake)

    def a_migration_rebuilds_the_tables(**kwargs):
        with connection.schema_editor() as editor:
            editor._remake_table(Intake)
            editor._remake_table(RateCounter)

    # After the app's own receiver, as every migration runs after every pre_migrate.
    complaints = apps.get_app_config("complaints")
    pre_migrate.connect(a_migration_rebuilds_the_tables, sender=complaints)
    try:
        call_command("migrate", verbosity=0)
    finally:
        pre_migrate.disconnect(a_migration_rebuilds_the_tables, sender=complaints)
    with connection.cursor() as cursor:
        cursor.execute("SELECT type FROM sqlite_master WHERE name LIKE 'aduan_intake_counted%'")
        assert sorted(row[0] for row in cursor.fetchall()) == ["trigger", "view"]
    assert post_open311().status_code == 200
    assert Intake.objects.count() == 1
