"""Two saves of a draft at the same instant (a double click, two tabs) keep one version
number each, on real concurrent connections (see aduan/sop/tests/test_engine_concurrency.py)."""

import pytest

from aduan.accounts.models import User
from aduan.complaints.models import Draft
from aduan.desk.services import draft_save
from aduan.sop.services import sop_load
from aduan.sop.tests.test_engine_concurrency import a_category, a_complaint, at_once
from conftest import make_official

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def save(actor_pk: int, complaint_pk: int, body: str):
    def prepare():
        actor = User.objects.get(pk=actor_pk)
        return lambda: draft_save(complaint_id=complaint_pk, actor=actor, kind="answer", body=body)

    return prepare


def test_two_saves_at_once_make_two_versions():
    sop_load()
    budi = make_official("budi", "Budi", "staff")
    complaint = a_complaint(a_category())
    for i in range(5):
        outcomes = at_once(
            save(budi.pk, complaint.pk, f"A{i}"), save(budi.pk, complaint.pk, f"B{i}")
        )
        assert [o.code for o in outcomes] == ["draft_saved", "draft_saved"]
    seqs = list(Draft.objects.filter(complaint=complaint).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, 11))
