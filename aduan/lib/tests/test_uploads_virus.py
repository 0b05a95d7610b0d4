"""Virus scanning with clamd's INSTREAM protocol, and the rescan of held attachments.

A fake clamd (fake_clamd.py) runs in a thread of the test, over TCP or a Unix socket.
"""

import hashlib
import io

import pytest
from django.core.files import File
from django.core.management import call_command

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Attachment
from aduan.complaints.scanning import attachments_rescan
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.core.tests.test_settings import load_settings
from aduan.lib import virus
from aduan.lib.tests.fake_clamd import EICAR, FakeClamd, closed_port_address
from aduan.lib.virus import ScannerDown, clamd_address, virus_scan

CLEAN_PDF = b"%PDF-1.4\n" + b"x" * 200_000 + b"\n%%EOF\n"  # several INSTREAM chunks
INFECTED_PDF = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD = server.address
        settings.CLAMD_TIMEOUT = 2
        yield server


def test_a_clean_file_is_streamed_whole_and_passes(clamd):
    assert virus_scan(CLEAN_PDF) is None
    assert clamd.streams == [CLEAN_PDF]


def test_the_eicar_test_file_is_named_by_its_signature(clamd):
    assert virus_scan(INFECTED_PDF) == "Eicar-Test-Signature"
    assert virus_scan(EICAR) == "Eicar-Test-Signature"


def test_clamd_on_a_unix_socket(settings, tmp_path):
    with FakeClamd(unix_path=tmp_path / "clamd.sock") as server:
        assert server.address.startswith("unix:///")
        settings.CLAMD = server.address
        assert virus_scan(INFECTED_PDF) == "Eicar-Test-Signature"
        assert virus_scan(CLEAN_PDF) is None


def test_a_scanner_that_refuses_the_connection_is_down(settings):
    settings.CLAMD = closed_port_address()
    with pytest.raises(ScannerDown, match="ConnectionRefusedError"):
        virus_scan(CLEAN_PDF)


def test_a_scanner_that_does_not_answer_in_time_is_down(settings):
    with FakeClamd(silent=True) as server:
        settings.CLAMD, settings.CLAMD_TIMEOUT = server.address, 0.2
        with pytest.raises(ScannerDown, match="timeout|TimeoutError"):
            virus_scan(CLEAN_PDF)


def test_no_scanner_configured_means_not_scanned(settings):
    settings.CLAMD = ""
    assert virus.Scan()(INFECTED_PDF) == (virus.NONE, "")


def test_after_one_failure_the_other_files_of_the_request_are_held_without_waiting(settings):
    with FakeClamd() as server:
        settings.CLAMD = closed_port_address()
        scan = virus.Scan()
        assert scan(CLEAN_PDF)[0] == virus.HELD
        settings.CLAMD = server.address  # back up, but this request no longer asks it
        assert scan(CLEAN_PDF)[0] == virus.HELD
        assert server.streams == []
        assert virus.Scan()(CLEAN_PDF) == (virus.CLEAN, "")
        assert virus.Scan()(INFECTED_PDF) == (virus.INFECTED, "Eicar-Test-Signature")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("tcp://127.0.0.1:3310", ("127.0.0.1", 3310)),
        ("tcp://clamav", ("clamav", 3310)),
        ("unix:///run/clamav/clamd.ctl", "/run/clamav/clamd.ctl"),
    ],
)
def test_clamd_addresses(value, expected):
    assert clamd_address(value)[1] == expected


@pytest.mark.parametrize("value", ["clamav:3310", "http://clamav:3310", "tcp://", "unix://"])
def test_a_malformed_clamd_address_is_refused(value):
    with pytest.raises(ValueError):
        clamd_address(value)


def test_a_malformed_aduan_clamd_stops_the_server_at_start_up(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="s" * 50, ADUAN_CLAMD="clamav:3310")
    assert result.returncode != 0
    assert "ADUAN_CLAMD='clamav:3310' must be tcp://host:port" in result.stderr
    ok = load_settings(tmp_path, SECRET_KEY="s" * 50, ADUAN_CLAMD="unix:///run/clamd.ctl")
    assert ok.returncode == 0, ok.stderr


# The rescan of attachments held while the scanner was down.


@pytest.fixture
def held(sop_version, category, settings, tmp_path):
    """Sari's complaint with a clean PDF and an infected one, both held."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def item(name, content):
        digest = hashlib.sha256(content).hexdigest()
        return NewAttachment(
            name=name,
            content_type="application/pdf",
            size=len(content),
            sha256=digest,
            file=File(io.BytesIO(content), name=digest),
            scan_state="held",
        )

    complaint = complaint_register(
        category=category,
        subject="Surat terlampir",
        description="Dua surat terlampir.",
        name="Sari Wulandari",
        phone="+6281234567890",
        attachments=[item("bersih.pdf", CLEAN_PDF), item("virus.pdf", INFECTED_PDF)],
    )
    return complaint


def states(complaint) -> dict[str, str]:
    return dict(complaint.attachments.values_list("original_name", "scan_state"))


def test_while_the_scanner_is_still_down_held_files_stay_held(held, settings):
    settings.CLAMD = closed_port_address()
    counts = attachments_rescan()
    assert (counts.released, counts.quarantined, counts.still_held) == (0, 0, 2)
    assert counts.scanner_down
    assert states(held) == {"bersih.pdf": "held", "virus.pdf": "held"}


def test_the_rescan_releases_clean_files_and_quarantines_infected_ones(held, clamd):
    call_command("attachments_rescan", stdout=io.StringIO())
    assert states(held) == {"bersih.pdf": "clean", "virus.pdf": "infected"}
    events = dict(
        AuditEvent.objects.filter(action__startswith="attachment.").values_list("action", "data")
    )
    assert events["attachment.released"]["name"] == "bersih.pdf"
    assert events["attachment.quarantined"]["signature"] == "Eicar-Test-Signature"
    # A second pass finds nothing to do and writes nothing.
    again = attachments_rescan()
    assert (again.released, again.quarantined, again.still_held) == (0, 0, 0)
    assert AuditEvent.objects.filter(action__startswith="attachment.").count() == 2


def test_the_rescan_command_says_what_it_did(held, clamd):
    out = io.StringIO()
    call_command("attachments_rescan", stdout=out)
    assert "1 released, 1 quarantined, 0 still held" in out.getvalue()


def test_without_a_scanner_configured_the_rescan_holds_everything(held, settings):
    settings.CLAMD = ""
    counts = attachments_rescan()
    assert counts.still_held == 2 and counts.scanner_down
    assert Attachment.objects.filter(scan_state="held").count() == 2
