"""A person with a phone-sized browser finds and reads the SOP."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_on_a_phone_opens_the_sop_from_the_home_page(live_server, page):
    from aduan.sop.services import sop_load

    sop_load()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Lihat SOP penanganan pengaduan").click()
    page.wait_for_url("**/sop/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Pengaduan masyarakat melalui online"
    )
    assert page.locator("td.total").inner_text() == "140 menit"
    diagram = page.locator("figure svg")
    assert diagram.is_visible()
    box = diagram.bounding_box()
    assert box["width"] <= 360  # the drawing scales down to the phone's width
    # Nothing on the page pushes it wider than the screen, but the steps table scrolls.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_switches_the_sop_page_to_english(live_server, page):
    from aduan.sop.services import sop_load

    sop_load()
    page.goto(live_server.url + "/sop/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Steps and quality standard").is_visible()
    assert page.locator("td.total").inner_text() == "140 min"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_language_chosen_stays_from_page_to_page_and_back(live_server, page):
    from aduan.sop.services import sop_load

    sop_load()
    page.goto(live_server.url + "/lapor/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/lapor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Make a complaint"
    page.goto(live_server.url + "/lacak/")
    assert page.get_by_role("heading", level=1).inner_text() == "Track a complaint"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_url("**/lacak/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lacak pengaduan"
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "id"
