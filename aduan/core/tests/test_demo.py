"""`make run` shows a living office: officials to log in as, complaints at every step."""

import pytest

from aduan.accounts.models import User
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.core.demo import DEMO_PASSWORD, demo_load


def test_demo_data_is_refused_outside_demo_mode(db, settings):
    settings.DEMO = False
    with pytest.raises(RuntimeError, match="ADUAN_DEMO=1"):
        demo_load()


def test_demo_officials_log_in_and_complaints_wait_at_every_step(db, settings, sop_version):
    settings.DEMO = True
    created = demo_load()
    assert created == ["5 officials", "12 sample complaints"]
    for username in ("staff", "kasi", "kabid", "kadis", "admin"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    waiting = set(
        ComplaintStep.objects.filter(decided_at__isnull=True).values_list("step", flat=True)
    )
    assert waiting == {"draft", "verify_kasi", "verify_kabid", "approve_kadis", "answer"}
    assert Complaint.objects.filter(status=Complaint.Status.ANSWERED).count() == 2
    assert Complaint.objects.filter(awaiting_reply_since__isnull=False).count() == 1
    assert ComplaintStep.objects.filter(decision="return").count() == 2
    # Histories lie in the past, in order.
    for complaint in Complaint.objects.all():
        times = [complaint.received_at] + [s.started_at for s in complaint.steps.all()]
        assert times == sorted(times)


def test_loading_the_demo_twice_creates_nothing_more(db, settings, sop_version):
    settings.DEMO = True
    demo_load()
    assert demo_load() == []
    assert Complaint.objects.count() == 12
