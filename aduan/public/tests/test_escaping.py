"""Whatever Sari types, HTML and scripts included, is shown as the text she typed."""

import pytest

from aduan.desk.services import info_request

SCRIPT = '<script>alert("aduan")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;aduan&quot;)&lt;/script&gt;"


@pytest.fixture
def sent_with_html(sari):
    confirmation = sari.file_complaint(
        subject=f"KTP {SCRIPT}", description=f"Uraian <b>tebal</b>\n{SCRIPT}", name=SCRIPT
    )
    return confirmation


def assert_shown_as_text(page: str):
    assert "<script>" not in page
    assert "<b>tebal</b>" not in page
    assert ESCAPED in page


def test_the_form_gives_back_html_as_text(sari):
    assert_shown_as_text(sari.fill(subject=SCRIPT, description="", name=SCRIPT).content.decode())


def test_the_check_page_shows_html_as_text(sari):
    sari.fill(subject=f"KTP {SCRIPT}", description=f"<b>tebal</b> {SCRIPT}", name=SCRIPT)
    page = sari.check_page().content.decode()
    assert_shown_as_text(page)
    assert "&lt;b&gt;tebal&lt;/b&gt;" in page


def test_the_confirmation_shows_html_as_text(sent_with_html):
    assert_shown_as_text(sent_with_html.content.decode())


def test_the_tracking_page_shows_html_as_text_in_every_part(sari, sent_with_html, budi):
    code, secret = sari.codes(sent_with_html)
    from aduan.complaints.models import Complaint

    complaint = Complaint.objects.get(tracking_code=code)
    info_request(complaint_id=complaint.pk, actor=budi, body=f"Pertanyaan {SCRIPT}")
    page = sari.track(code, secret).content.decode()
    assert_shown_as_text(page)
    assert "Uraian &lt;b&gt;tebal&lt;/b&gt;<br>" in page
    sari.client.post(f"/lacak/{code}/", {"body": f"Balasan {SCRIPT}"})
    page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert_shown_as_text(page)
    assert f"Balasan {ESCAPED}" in page
