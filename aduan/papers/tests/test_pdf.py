"""The PDF renderer: the letterhead prints, and nothing is fetched from outside."""

import io

import pytest
from pypdf import PdfReader

from aduan.papers.letterhead import letterhead_context
from aduan.papers.models import Letterhead
from aduan.papers.pdf import _weasyprint, render_pdf


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_a_document_prints_the_office_letterhead():
    letterhead = Letterhead.current()
    letterhead.address = "Jl. Contoh No. 1, Kota Mojokerto"
    letterhead.save()
    content = render_pdf(
        "papers/document.html", {"letterhead": letterhead_context(), "doc_ref": "uji"}
    )
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "PEMERINTAH KOTA MOJOKERTO" in text
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    assert "Jl. Contoh No. 1, Kota Mojokerto" in text


def test_the_renderer_refuses_every_url_but_data():
    _module, fetcher = _weasyprint()
    with pytest.raises(ValueError):
        fetcher().fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher().fetch("http://127.0.0.1:9/x.png")
    assert fetcher().fetch("data:text/plain;base64,aGFp").read() == b"hai"
