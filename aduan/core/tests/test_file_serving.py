"""Files leave the site only through views that check who asks: no public media address,
every file a download (photos excepted: shown sandboxed), a safe file name, no sniffing.

Every view that gives a file is listed in FILE_VIEWS; a module that starts giving files
(FileResponse, StreamingHttpResponse, a Content-Disposition) fails the census test until
its view is added here.
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import Resolver404, resolve, reverse

from aduan.complaints.models import Attachment
from aduan.core.tests.security_world import (
    A_MARKER,
    PNG,
    attachment,
    body_of,
    build_world,
)
from aduan.lib.downloads import content_disposition, safe_filename

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]  # aduan/


def plain_pdf(*lines: str) -> bytes:
    return ("%PDF-1.4\n% " + " / ".join(lines) + "\n%%EOF\n").encode()


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Which headers a file gets is the question, not how it looks: PDFs are stand-ins.
    monkeypatch.setattr(
        "aduan.papers.letter_pdf.letter_pdf_build", lambda letter: (plain_pdf("surat"), False)
    )
    monkeypatch.setattr("aduan.papers.record_views.render_record", lambda c: plain_pdf("lembar"))
    monkeypatch.setattr("aduan.papers.agenda_views.render_pdf", lambda *a, **k: plain_pdf("a"))
    monkeypatch.setattr("aduan.dashboard.views.render_pdf", lambda *a, **k: plain_pdf("rekap"))
    return build_world()


def a_file(world, content_type):
    return Attachment.objects.get(complaint=world.a, content_type=content_type).pk


def dashboard_csv(world, client):
    page = client.get(reverse("dashboard:dashboard")).content.decode()
    return reverse("dashboard:dashboard") + html.unescape(
        re.search(r'href="(\?[^"]*format=csv[^"]*)"', page).group(1)
    )


# (view, who asks, how to ask: GET path, or ("POST", path)); the who may open it is
# test_access_matrix's question, here every answer is a file.
FILE_VIEWS = {
    "desk:attachment (photo)": (
        "staff",
        lambda w, c: reverse("desk:attachment", args=[a_file(w, "image/png")]),
    ),
    "desk:attachment (pdf)": (
        "kasi",
        lambda w, c: reverse("desk:attachment", args=[a_file(w, "application/pdf")]),
    ),
    "letters:desk_pdf": ("kadis", lambda w, c: reverse("letters:desk_pdf", args=[w.a.letter.pk])),
    "public:track_letter": (
        "citizen_a",
        lambda w, c: reverse("public:track_letter", args=[w.a.tracking_code]),
    ),
    "public:my_data": (
        "citizen_a",
        lambda w, c: ("POST", reverse("public:my_data", args=[w.a.tracking_code])),
    ),
    "records:complaint_pdf": (
        "auditor",
        lambda w, c: reverse("records:complaint_pdf", args=[w.a.pk]),
    ),
    "records:bundle_download": (
        "staff",
        lambda w, c: reverse("records:bundle_download", args=[w.bundle.pk]),
    ),
    "agenda:book (csv)": ("staff", lambda w, c: reverse("agenda:book") + "?format=csv"),
    "agenda:book (xlsx)": ("kasi", lambda w, c: reverse("agenda:book") + "?format=xlsx"),
    "agenda:book (pdf)": ("kabid", lambda w, c: reverse("agenda:book") + "?format=pdf"),
    "dashboard:dashboard (csv)": ("kadis", dashboard_csv),
    "dashboard:recap (pdf)": ("admin", lambda w, c: reverse("dashboard:recap") + "?format=pdf"),
    "desk:report_compliance (csv)": (
        "auditor",
        lambda w, c: reverse("desk:report_compliance") + "?format=csv&per=pejabat",
    ),
}
# The modules whose views give files, each view above.
FILE_MODULES = {
    "desk/complaint_views.py",
    "papers/letter_views.py",
    "papers/record_views.py",
    "papers/agenda_views.py",
    "public/data_views.py",
    "dashboard/views.py",
    "desk/report_views.py",
}
GIVES_FILES = re.compile(r"FileResponse\(|StreamingHttpResponse\(|Content-Disposition")


def test_every_module_that_gives_files_is_tested_here():
    found = {
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and path.parts[-2:] != ("lib", "downloads.py")
        and GIVES_FILES.search(path.read_text(encoding="utf-8"))
    }
    assert found == FILE_MODULES


def filename_problems(disposition: str) -> list[str]:
    problems = []
    if "\r" in disposition or "\n" in disposition:
        problems.append("line break")
    plain = re.search(r'filename="([^"]*)"', disposition)
    if plain is None:
        problems.append("no filename")
    elif re.search(r"[/\\\x00-\x1f\x7f]", plain.group(1)) or not plain.group(1).isascii():
        problems.append(f"unsafe filename {plain.group(1)!r}")
    extended = re.search(r"filename\*=UTF-8''(\S+)", disposition, re.I)
    if extended and re.search(r"[^A-Za-z0-9%._~!$&'()*+,;=:@-]", extended.group(1)):
        problems.append("filename* not percent-encoded")
    return problems


def test_every_file_is_a_download_with_a_safe_name_and_no_sniffing(world):
    seen = []
    for view, (persona, make) in FILE_VIEWS.items():
        client = world.client(persona)
        asked = make(world, client)
        if isinstance(asked, tuple):
            response = client.post(asked[1])
        else:
            response = client.get(asked)
        assert response.status_code == 200, (view, response.status_code)
        assert body_of(response), view
        disposition = response["Content-Disposition"]
        assert filename_problems(disposition) == [], (view, disposition)
        assert response["X-Content-Type-Options"] == "nosniff", view
        if response["Content-Type"] in ("image/png", "image/jpeg"):
            # A photo opens in the browser, as an image only: no script, no page, no form.
            assert disposition.startswith("inline;"), view
            assert "sandbox" in response["Content-Security-Policy"], view
            assert "default-src 'none'" in response["Content-Security-Policy"], view
        else:
            assert disposition.startswith("attachment;"), (view, disposition)
        seen.append(view)
    assert len(seen) == len(FILE_VIEWS)


def test_no_file_is_served_from_a_public_address(world, client):
    stored = Attachment.objects.filter(complaint=world.a).first().file
    assert Path(stored.path).is_file()
    for prefix in (django_settings.MEDIA_URL, "/media/", "/static/", "/"):
        path = prefix.rstrip("/") + "/" + stored.name
        response = client.get(path)
        assert response.status_code == 404, path
        assert A_MARKER.encode() not in body_of(response)
    with pytest.raises(Resolver404):
        resolve("/media/" + stored.name)
    # WhiteNoise serves the static files only: not the uploads' folder.
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert getattr(django_settings, "WHITENOISE_ROOT", None) is None
    for folder in [*django_settings.STATICFILES_DIRS, django_settings.STATIC_ROOT]:
        if folder:
            assert not media.is_relative_to(Path(folder).resolve())
            assert not Path(folder).resolve().is_relative_to(media)


HOSTILE_NAMES = [
    'ktp"; filename="evil.html',
    "foto\r\nSet-Cookie: sesi=curian.png",
    "../../etc/passwd.png",
    "..\\..\\windows\\win.ini.png",
    "ñamé ünïcödé KTP-el (asli).png",
    "\u202egnp.exe",  # right-to-left override
    "",
    "x" * 1000 + ".png",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_attachment_s_name_cannot_break_the_header_or_point_elsewhere(world, name):
    from aduan.complaints.services import complaint_register

    complaint = complaint_register(
        category=world.a.category,
        subject="Nama berkas aneh",
        description="Lampiran dengan nama berkas aneh.",
        name="Dodi",
        phone="+6281300000000",
        attachments=[attachment(name, PNG, "image/png")],
    )
    photo = complaint.attachments.get()
    response = world.client("staff").get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert filename_problems(disposition) == [], disposition
    assert 'filename="evil.html"' not in disposition
    assert "Set-Cookie" not in response.headers or "curian" not in response["Set-Cookie"]
    assert len(disposition) < 600
    assert body_of(response) == PNG


def test_a_safe_name_keeps_what_it_can():
    assert content_disposition("surat.pdf") == 'attachment; filename="surat.pdf"'
    assert content_disposition("foto.png", inline=True) == 'inline; filename="foto.png"'
    assert content_disposition("ñamé.png") == (
        "attachment; filename=\"name.png\"; filename*=UTF-8''%C3%B1am%C3%A9.png"
    )
    assert safe_filename('a/b\\c\r\nd".pdf') == "a_b_c__d_.pdf"
    long = safe_filename("x" * 500 + ".pdf")
    assert len(long) <= 150 and long.endswith(".pdf")
    assert safe_filename("   ") == "berkas"
    assert safe_filename("ktp\u202egnp.exe") == "ktp_gnp.exe"
