"""The link in a citizen's message opens their tracking page; a wrong or expired one is
refused plainly."""

import datetime as dt

import pytest
from django.urls import reverse

from aduan.notify.links import citizen_link

pytestmark = pytest.mark.django_db


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost:8000")


def test_the_link_opens_the_citizens_tracking_page(client, complaint_of_sari):
    response = client.get(path_of(citizen_link(complaint_of_sari)))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track", args=[complaint_of_sari.tracking_code])
    page = client.get(response["Location"]).content.decode()
    assert "KTP-el belum jadi" in page


def test_a_link_with_one_character_changed_is_refused_plainly(client, complaint_of_sari):
    link = path_of(citizen_link(complaint_of_sari))
    broken = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.get(broken)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Tautan ini tidak berlaku lagi" in page
    assert "KTP-el belum jadi" not in page
    # Nothing was remembered: the tracking page still asks for the secret.
    tracked = client.get(reverse("public:track", args=[complaint_of_sari.tracking_code]))
    assert "KTP-el belum jadi" not in tracked.content.decode()


def test_an_expired_link_is_refused_plainly(client, complaint_of_sari, time_machine, settings):
    settings.NOTIFY_LINK_DAYS = 90
    link = path_of(citizen_link(complaint_of_sari))
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=91))
    response = client.get(link)
    assert response.status_code == 410
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()
