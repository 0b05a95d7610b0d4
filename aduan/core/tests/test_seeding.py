"""`manage.py seed_complaints`: sample complaints an office could have, written fast and
exactly as the services write them (aduan.core.seeding)."""

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.complaints.models import AgendaCounter, Complaint, ComplaintStep, Draft, Rating
from aduan.core import seeding
from aduan.core.seeding import ranges_to_write, story
from aduan.core.seeding.clock import OfficeClock, epoch_seconds
from aduan.dashboard.models import DayCount, OwnAnswer, OwnDayCount, OwnStepDayCount, StepDayCount
from aduan.dashboard.tallies import tallies_rebuild
from aduan.desk.inbox import inbox_for
from aduan.lib.codes import tracking_digest
from aduan.papers.models import AnswerLetter, LetterCounter
from aduan.sla.calendar import WorkingCalendar

STEPS = {"draft", "verify_kasi", "verify_kabid", "approve_kadis", "answer"}
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def office_morning():
    """Seeded as of a Wednesday morning, whenever the suite runs (the newest complaints'
    stories depend on the working time left before the moment of seeding)."""
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0, tzinfo=JAKARTA), tick=True):
        yield


@pytest.fixture
def office(budi, wati, agus, hadi):
    """The personas hold the office's roles before seeding: they take part in its work."""
    return {"staff": budi, "kasi": wati, "kabid": agus, "kadis": hadi}


def seed(total: int, **options) -> str:
    out = io.StringIO()
    args = [
        f"--{name.replace('_', '-')}" + ("" if value is True else f"={value}")
        for name, value in options.items()
    ]
    call_command("seed_complaints", f"--total={total}", *args, stdout=out)
    return out.getvalue()


def running_counts() -> dict:
    """Every running count, as rows of values (no ids)."""
    tables = {}
    for model in (DayCount, StepDayCount, OwnDayCount, OwnStepDayCount, OwnAnswer):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        tables[model.__name__] = sorted(
            tuple(str(v) for v in row) for row in model.objects.values_list(*fields)
        )
    return tables


def test_seeding_fills_every_step_of_the_sop_and_closes_the_older_complaints(db, office):
    printed = seed(300, open=60, per_day=20, batch=70)
    assert "Added 300 sample complaints (300 in all)" in printed
    assert Complaint.objects.count() == 300
    waiting = Counter(
        ComplaintStep.objects.filter(decided_at__isnull=True).values_list("step", flat=True)
    )
    assert set(waiting) == STEPS and min(waiting.values()) >= 10
    assert Complaint.objects.filter(awaiting_reply_since__isnull=False).count() >= 10
    newest = Complaint.objects.order_by("-received_at")
    assert set(newest[:60].values_list("status", flat=True)) == {"open"}
    answered = Complaint.objects.filter(status="answered")
    assert answered.count() >= 200
    assert AnswerLetter.objects.count() == answered.count()
    assert Rating.objects.count() > 40
    assert ComplaintStep.objects.filter(decision="return", step="verify_kasi").exists()
    assert Draft.objects.filter(seq__gte=2).exists()  # several versions after a return
    assert set(Complaint.objects.values_list("channel", flat=True)) >= {"web", "walk_in", "api"}
    assert Complaint.objects.values("category").distinct().count() >= 5
    # Each of the personas decided steps of their level.
    for role, official in office.items():
        assert ComplaintStep.objects.filter(decided_by=official, role=role).exists()
    # Every history lies in the past, in order, and on the working calendar's count.
    now = dt.datetime.now(dt.UTC)
    for complaint in Complaint.objects.prefetch_related("steps")[:100]:
        times = [complaint.received_at]
        for step in complaint.steps.all():
            times += [step.started_at] + ([step.decided_at] if step.decided_at else [])
        assert times == sorted(times) and times[-1] < now


def test_complaints_received_after_hours_wait_for_the_office_to_open(db, office):
    """Seeded on a Friday night: what came in after closing time is still under way, and
    every decision took working minutes by the office's calendar."""
    with time_machine.travel(dt.datetime(2026, 3, 13, 22, 30, tzinfo=JAKARTA), tick=True):
        seed(150, open=6)
    calendar = WorkingCalendar.default()
    closing = dt.datetime(2026, 3, 13, 16, 30, tzinfo=JAKARTA)
    late = Complaint.objects.filter(received_at__gt=closing)
    assert late.exists()
    assert not late.exclude(status="open").exists()
    assert not ComplaintStep.objects.filter(complaint__in=late, decided_at__isnull=False).exists()
    for step in ComplaintStep.objects.filter(working_minutes__isnull=False):
        assert step.working_minutes >= 1
        assert calendar.working_minutes_between(step.started_at, step.decided_at) == (
            step.working_minutes
        )


def test_the_personal_data_is_stored_encrypted_and_reads_back_clear(db, office):
    seed(40, open=5)
    complaint = Complaint.objects.exclude(phone="").first()
    assert complaint.phone.startswith("+628")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM complaints_complaint WHERE id = %s", [complaint.pk])
        stored = cursor.fetchone()[0]
    assert stored != complaint.phone and "628" not in stored


def test_the_audit_chain_verifies_after_seeding_and_after_a_top_up(db, office):
    seed(120, open=20, per_day=30, batch=50)
    seed(200, open=20, per_day=30, batch=50)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().startswith("OK: ")
    registered = AuditEvent.objects.filter(action="complaint.registered").count()
    assert registered == 200
    assert AuditEvent.objects.filter(action="letter.issued").count() == (
        AnswerLetter.objects.count()
    )
    step = ComplaintStep.objects.filter(decision="approve").first()
    event = AuditEvent.objects.get(action="step.approve", target_id=str(step.pk))
    assert event.actor_id == step.decided_by_id and event.at == step.decided_at
    assert event.data["step"] == step.step and event.complaint_id == step.complaint_id


def test_topping_up_adds_older_complaints_and_keeps_the_agenda_book_in_order(
    db, office, monkeypatch
):
    # Every foreign key checked at commit, on PostgreSQL as on SQLite.
    monkeypatch.setattr(seeding, "SKIP_KEY_CHECKS", False)
    seed(150, open=20, per_day=25, batch=60)
    first = dict(Complaint.objects.values_list("tracking_code", "agenda_seq"))
    newest = Complaint.objects.order_by("-received_at").first()
    printed = seed(400, open=20, per_day=25, batch=60)
    assert "Added 250 sample complaints (400 in all)" in printed
    assert "nothing to add" in seed(300)
    assert Complaint.objects.count() == 400
    # What the first run wrote is unchanged; the new complaints are older.
    assert (
        dict(
            Complaint.objects.filter(tracking_code__in=first).values_list(
                "tracking_code", "agenda_seq"
            )
        )
        == first
    )
    added = Complaint.objects.exclude(tracking_code__in=first)
    assert added.order_by("-received_at").first().received_at < min(
        Complaint.objects.filter(tracking_code__in=first).values_list("received_at", flat=True)
    )
    assert Complaint.objects.order_by("-received_at").first() == newest
    # Per year: numbers in the order received, one after the other, the counter at the last.
    years = defaultdict(list)
    for year, seq in Complaint.objects.order_by("received_at", "id").values_list(
        "agenda_year", "agenda_seq"
    ):
        years[year].append(seq)
    for year, numbers in years.items():
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        assert AgendaCounter.objects.get(year=year).last == numbers[-1]
    letters = defaultdict(list)
    for year, seq in AnswerLetter.objects.values_list("year", "seq"):
        letters[year].append(seq)
    for year, numbers in letters.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert LetterCounter.objects.get(year=year).last == len(numbers)


def test_the_running_counts_written_equal_a_recount(db, office, monkeypatch):
    # More questions to citizens than usual, so that replies and withdrawals are counted.
    monkeypatch.setattr(story, "ASKED", 0.4)
    monkeypatch.setattr(story, "WITHDRAWN_SHARE", 0.15)
    seed(250, open=30, per_day=4, batch=80)
    seed(320, open=30, per_day=4, batch=80)
    assert Complaint.objects.filter(status="withdrawn").exists()
    assert ComplaintStep.objects.filter(paused_minutes__gt=0).exists()
    written = running_counts()
    assert written["DayCount"] and written["OwnStepDayCount"] and written["OwnAnswer"]
    tallies_rebuild()
    assert running_counts() == written


def test_every_role_finds_seeded_complaints_in_its_inbox(db, office):
    seed(200, open=36, per_day=30)
    for role, official in office.items():
        inbox = inbox_for(user=official)
        assert inbox.total >= 5, role
        assert all(row.complaint.tracking_code.startswith("SMP-") for row in inbox.rows)
        assert {row.step.role for row in inbox.rows} == {role}


def test_a_seeded_complaint_opens_on_the_desk(db, office, client):
    seed(120, open=12, per_day=30)
    answered = (
        Complaint.objects.filter(status="answered", rating__isnull=False)
        .order_by("-received_at")
        .first()
    )
    client.force_login(office["kasi"])
    for complaint in (answered, Complaint.objects.filter(status="open").first()):
        response = client.get(reverse("desk:complaint", args=[complaint.pk]))
        assert response.status_code == 200
        assert complaint.agenda_number in response.content.decode()
    assert (
        answered.letter.number
        in client.get(reverse("desk:complaint", args=[answered.pk])).content.decode()
    )
    assert client.get(reverse("desk:inbox")).status_code == 200


def test_seeding_is_refused_on_a_production_installation(db, settings):
    settings.DEBUG = settings.DEMO = settings.TESTING = False
    with pytest.raises(CommandError, match="--yes-on-this-database"):
        seed(10)
    assert Complaint.objects.count() == 0
    seed(10, yes_on_this_database=True)
    assert Complaint.objects.count() == 10


def test_an_office_without_categories_is_told_what_to_do(db, office):
    from aduan.complaints.models import Category

    Category.objects.update(is_active=False)
    with pytest.raises(CommandError, match="no active category"):
        seed(10)
    assert Complaint.objects.count() == 0


def test_a_run_that_stopped_is_finished_by_the_next():
    assert ranges_to_write([], 50) == [(0, 50)]
    assert ranges_to_write([(0, 40)], 25) == [(40, 65)]
    # A batch of [40, 60) was lost: the next run fills it first, newest first.
    assert ranges_to_write([(0, 40), (60, 80)], 30) == [(40, 60), (80, 90)]
    assert ranges_to_write([(0, 40), (60, 80)], 5) == [(40, 45)]


def test_the_fast_clock_counts_as_the_working_calendar(db):
    calendar = WorkingCalendar.default(closed_dates={dt.date(2026, 3, 4)})
    clock = OfficeClock(calendar, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    rng = random.Random(4)
    start = dt.datetime(2026, 1, 2, tzinfo=calendar.tz)
    for _n in range(400):
        a = start + dt.timedelta(seconds=rng.randrange(150 * 86_400))
        b = a + dt.timedelta(seconds=rng.randrange(9 * 86_400))
        minutes = rng.choice((0, 1, 15, 20, 45, 60, 450, 2000))
        assert clock.between(epoch_seconds(a), epoch_seconds(b)) == (
            calendar.working_minutes_between(a, b)
        )
        assert clock.add(epoch_seconds(a), minutes) == epoch_seconds(
            calendar.add_working_minutes(a, minutes)
        )


def test_the_tracking_digest_is_the_one_the_office_computes(settings):
    digest = story.tracking_digester("abcd-efgh-0000")
    assert digest("SMP-0000-0001") == tracking_digest("SMP-0000-0001", "ABCDEFGH0000")
