"""Sari follows her complaint with its tracking code and secret."""

import re

import pytest

from aduan.public.tests.conftest import errors_beside, summary_links

NOT_FOUND = (
    "Pengaduan dengan kode lacak dan kode rahasia itu tidak ditemukan. Periksa kembali "
    "keduanya seperti tertulis saat pengaduan dikirim."
)


def without_csrf(page: str) -> str:
    """The page less its CSRF token and the language switch's return address."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'name="next" value="[^"]+"', "", page)


def test_the_link_opens_the_tracking_page_and_drops_the_secret_from_the_address(sari, filed):
    complaint, code, secret = filed
    response = sari.client.get(f"/lacak/{code}/{secret}/")
    assert response.status_code == 302
    assert response.url == f"/lacak/{code}/"
    page = sari.client.get(response.url).content.decode()
    assert "KTP-el belum jadi" in page
    assert secret not in page
    assert sari.client.get(response.url)["Cache-Control"].startswith("max-age=0")


def test_the_form_accepts_the_codes_as_people_type_them(client, filed):
    _complaint, code, secret = filed
    typed_code = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    typed_secret = " ".join(secret.lower())
    response = client.post("/lacak/", {"code": typed_code, "secret": typed_secret})
    assert response.status_code == 302
    assert response.url == f"/lacak/{code}/"


def test_a_code_in_lower_case_in_the_address_goes_to_its_written_form(sari, filed):
    _complaint, code, secret = filed
    sari.track(code, secret)
    response = sari.client.get(f"/lacak/{code.lower()}/")
    assert response.url == f"/lacak/{code}/"


def test_the_tracking_page_without_the_secret_in_this_browser_asks_for_it(client, filed):
    _complaint, code, _secret = filed
    response = client.get(f"/lacak/{code}/")
    assert response.status_code == 302
    assert response.url == "/lacak/"


def test_another_browser_with_the_code_alone_sees_nothing(client_factory, filed):
    _complaint, code, _secret = filed
    stranger = client_factory()
    response = stranger.get(f"/lacak/{code}/", follow=True)
    assert "KTP-el belum jadi" not in response.content.decode()


def wrong_links(code, secret):
    other_secret = "ZZZZZZZZ" if secret != "ZZZZZZZZ" else "YYYYYYYY"
    return {
        "wrong secret": f"/lacak/{code}/{other_secret}/",
        "unknown code": f"/lacak/ADU-0000-0000/{secret}/",
        "malformed code": f"/lacak/ADU-%3Cscript%3E/{secret}/",
        "malformed secret": f"/lacak/{code}/{'x' * 300}/",
    }


def test_a_wrong_secret_an_unknown_code_and_a_malformed_one_get_the_same_404(client, filed):
    _complaint, code, secret = filed
    pages = {}
    for case, link in wrong_links(code, secret).items():
        response = client.get(link)
        assert response.status_code == 404, case
        pages[case] = without_csrf(response.content.decode())
    assert len(set(pages.values())) == 1
    page = pages["wrong secret"]
    assert NOT_FOUND in page
    assert ("id_code", NOT_FOUND) in summary_links(page)
    assert "KTP-el belum jadi" not in page
    assert "lacak" not in client.session


@pytest.mark.parametrize("case", ["wrong secret", "unknown code", "malformed code"])
def test_the_tracking_form_answers_every_miss_with_one_generic_error(client, filed, case):
    _complaint, code, secret = filed
    typed = {
        "wrong secret": {"code": code, "secret": "ZZZZZZZZ" if secret != "ZZZZZZZZ" else "Y" * 8},
        "unknown code": {"code": "ADU-0000-0000", "secret": secret},
        "malformed code": {"code": "ADU-12", "secret": secret},
    }[case]
    response = client.post("/lacak/", typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert summary_links(page) == [("id_code", NOT_FOUND)]
    assert page.count(NOT_FOUND) == 2  # in the summary and above the fields
    assert "KTP-el belum jadi" not in page


def test_empty_tracking_fields_are_asked_for_beside_each_field(client, sop_version):
    page = client.post("/lacak/", {"code": "", "secret": ""}).content.decode()
    assert errors_beside(page, "id_code") == "Tuliskan kode lacak."
    assert errors_beside(page, "id_secret") == "Tuliskan kode rahasia."


@pytest.mark.parametrize(
    "address", ["/lacak/ADU-%3Cscript%3E/", "/lacak/" + "x" * 500 + "/", "/lacak/%00/"]
)
def test_a_malformed_code_in_the_address_is_a_404_never_an_error(client, sop_version, address):
    response = client.get(address)
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_home_page_leads_to_the_form_and_to_tracking(client, sop_version):
    page = client.get("/").content.decode()
    assert 'href="/lapor/"' in page
    assert 'href="/lacak/"' in page
    assert client.get("/lacak/").status_code == 200
