"""Help sits in the same place on every page: the footer links to the help page, which
gives the office's address, contacts and hours as the office set them."""

import pytest
from django.urls import reverse

from aduan.desk.tests.conftest import page_text
from aduan.papers.models import Letterhead


@pytest.mark.parametrize("path", ["/", "/lapor/", "/lacak/", "/sop/", "/meja/masuk/"])
def test_every_page_links_to_help_in_its_footer(client, sop_version, path):
    markup = client.get(path).content.decode()
    footer = markup[markup.index('<footer class="site') :]
    assert f'href="{reverse("help")}"' in footer


def test_the_help_page_gives_the_offices_contacts_and_hours(client, db):
    letterhead = Letterhead.current()
    letterhead.address = "Jl. Gajah Mada No. 1, Kota Mojokerto"
    letterhead.contact = "Telepon (0321) 123456 · WhatsApp 0812 0000 1111"
    letterhead.save()
    text = page_text(client.get(reverse("help")))
    assert "Jl. Gajah Mada No. 1, Kota Mojokerto" in text
    assert "Telepon (0321) 123456 · WhatsApp 0812 0000 1111" in text
    # The office's default hours (aduan.sla.calendar.DEFAULT_HOURS), closed at the weekend.
    assert "Senin 07.30–16.00 (istirahat 12.00–13.00)" in text
    assert "Jumat 07.30–16.30 (istirahat 11.30–13.00)" in text
    assert "Sabtu" not in text
