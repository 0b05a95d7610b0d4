"""Loading an SOP file stores an immutable version; running complaints keep theirs."""

from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.sop.models import SopVersion
from aduan.sop.services import sop_load, sop_version_in_force

DEFAULT_TEXT = Path(settings.DEFAULT_SOP_FILE).read_text(encoding="utf-8")
KASI_MINUTES = 'role = "kasi"\ntitle = "Memverifikasi konsep jawaban pengaduan"\n'


def kasi_takes_30_minutes(tmp_path) -> Path:
    """The office's copy of the SOP in which the Kasi's standard time is 30 minutes."""
    old = KASI_MINUTES + 'title_en = "Verify the draft answer"\nminutes = 20\n'
    assert old in DEFAULT_TEXT
    path = tmp_path / "sop_pipd_piak_11.toml"
    path.write_text(DEFAULT_TEXT.replace(old, old.replace("20", "30")), encoding="utf-8")
    return path


def register_complaint(category, subject: str) -> Complaint:
    return complaint_register(
        category=category,
        subject=subject,
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )


def sop_audit() -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(action__startswith="sop.")
        .order_by("id")
        .values_list("action", "target_id")
    )


def test_loading_the_default_sop_stores_one_version_in_force(db):
    version, created = sop_load()

    assert created is True
    assert SopVersion.objects.count() == 1
    assert sop_version_in_force() == version
    assert (version.code, version.name) == (
        "SOP/PIPD/PIAK/11",
        "Pengaduan masyarakat melalui online",
    )
    assert version.source_name == "sop_pipd_piak_11.toml"
    assert version.source_text == DEFAULT_TEXT
    assert version.definition.total_minutes == 140


def test_loading_the_same_file_again_creates_nothing(db):
    first, _created = sop_load()

    again, created = sop_load(path=settings.DEFAULT_SOP_FILE)

    assert (again, created) == (first, False)
    assert SopVersion.objects.count() == 1


def test_a_file_differing_only_in_comments_and_layout_creates_nothing(db, tmp_path):
    first, _created = sop_load()
    reformatted = tmp_path / "sop_diformat_ulang.toml"
    reformatted.write_text(
        "# Salinan kantor: hanya komentar dan tata letak yang berbeda.\n\n"
        + DEFAULT_TEXT.replace("minutes = 60", "minutes   =   60   # satu jam")
        .replace('role = "kasi"', '  role="kasi"')
        .replace("\n\n", "\n\n\n"),
        encoding="utf-8",
    )

    again, created = sop_load(path=reformatted)

    assert (again, created) == (first, False)
    assert SopVersion.objects.count() == 1
    assert sop_version_in_force() == first


def test_a_changed_file_makes_a_new_version_that_is_in_force(db, tmp_path):
    old, _created = sop_load()

    new, created = sop_load(path=kasi_takes_30_minutes(tmp_path))

    assert created is True
    assert new.pk != old.pk
    assert SopVersion.objects.count() == 2
    assert sop_version_in_force() == new
    assert new.definition.step("verify_kasi").minutes == 30
    assert new.definition.total_minutes == 150
    assert SopVersion.objects.get(pk=old.pk).definition.step("verify_kasi").minutes == 20


def test_a_running_complaint_keeps_its_version_when_the_sop_changes(
    complaint_of_sari, category, tmp_path
):
    old = complaint_of_sari.sop_version

    new, _created = sop_load(path=kasi_takes_30_minutes(tmp_path))
    later = register_complaint(category, "KTP-el rusak")

    earlier = Complaint.objects.get(pk=complaint_of_sari.pk)
    assert earlier.sop_version == old
    assert earlier.sop.step("verify_kasi").minutes == 20
    assert earlier.sop.total_minutes == 140
    assert Complaint.objects.get(pk=later.pk).sop_version == new
    assert Complaint.objects.get(pk=later.pk).sop.step("verify_kasi").minutes == 30
    assert Complaint.objects.get(pk=later.pk).sop.total_minutes == 150


def test_loading_the_old_file_again_puts_it_back_in_force_without_a_new_row(db, tmp_path, category):
    old, _created = sop_load()
    new, _created = sop_load(path=kasi_takes_30_minutes(tmp_path))

    back, created = sop_load()

    assert (back, created) == (old, False)
    assert SopVersion.objects.count() == 2
    assert sop_version_in_force() == old
    assert register_complaint(category, "KTP-el hilang").sop_version == old
    assert SopVersion.objects.get(pk=new.pk).definition.step("verify_kasi").minutes == 30


def test_the_version_loaded_last_is_in_force_even_within_the_same_instant(db, tmp_path):
    with time_machine.travel("2026-11-29 09:00 +0700", tick=False):
        old, _created = sop_load()
        new, _created = sop_load(path=kasi_takes_30_minutes(tmp_path))
        assert sop_version_in_force() == new
        sop_load()
        assert sop_version_in_force() == old


def test_every_load_and_activation_is_audited(db, tmp_path):
    old, _created = sop_load()
    sop_load()  # already in force: nothing happens, nothing to record
    new, _created = sop_load(path=kasi_takes_30_minutes(tmp_path))
    sop_load()

    assert sop_audit() == [
        ("sop.loaded", str(old.pk)),
        ("sop.loaded", str(new.pk)),
        ("sop.activated", str(old.pk)),
    ]
    loaded = AuditEvent.objects.filter(action="sop.loaded").order_by("id").first()
    assert loaded.data == {
        "code": "SOP/PIPD/PIAK/11",
        "hash": old.content_hash,
        "file": "sop_pipd_piak_11.toml",
    }
    assert loaded.target_type == "sop.sopversion"
    activated = AuditEvent.objects.get(action="sop.activated")
    assert activated.data == {"code": "SOP/PIPD/PIAK/11", "hash": old.content_hash}


def test_sop_load_command_says_loaded_then_already_loaded_with_140_minutes(db):
    first, second = StringIO(), StringIO()

    call_command("sop_load", stdout=first)
    call_command("sop_load", str(settings.DEFAULT_SOP_FILE), stdout=second)

    version = SopVersion.objects.get()
    assert first.getvalue() == (
        f"SOP SOP/PIPD/PIAK/11 loaded (version {version.content_hash[:12]}, "
        "5 steps, 140 minutes standard time).\n"
    )
    assert second.getvalue() == (
        f"SOP SOP/PIPD/PIAK/11 already loaded (version {version.content_hash[:12]}, "
        "5 steps, 140 minutes standard time).\n"
    )


def test_sop_load_command_refuses_a_broken_file_naming_the_file_and_the_problem(db, tmp_path):
    broken = tmp_path / "sop_rusak.toml"
    broken.write_text(DEFAULT_TEXT.replace("minutes = 60", "minutes = 0"), encoding="utf-8")
    line = DEFAULT_TEXT[: DEFAULT_TEXT.index("minutes = 60")].count("\n") + 1

    with pytest.raises(CommandError) as exc:
        call_command("sop_load", str(broken), stdout=StringIO())

    assert str(exc.value) == (
        f"SOP not loaded: {broken}:{line}: step 'draft' has standard time 0: "
        "minutes must be a whole number above 0"
    )
    assert not SopVersion.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="sop.").exists()


def test_sop_load_command_refuses_a_missing_file(db, tmp_path):
    missing = tmp_path / "tidak_ada.toml"

    with pytest.raises(CommandError) as exc:
        call_command("sop_load", str(missing), stdout=StringIO())

    assert str(exc.value) == f"SOP not loaded: {missing}: no such file"


def test_sop_load_command_prints_the_problem_without_a_traceback(tmp_path, capsys):
    broken = tmp_path / "sop_rusak.toml"
    broken.write_text(DEFAULT_TEXT.replace('role = "kasi"', 'role = "kasie"'), encoding="utf-8")
    command = load_command_class("aduan.sop", "sop_load")

    # What `manage.py sop_load sop_rusak.toml` runs.
    with pytest.raises(SystemExit) as exc:
        command.run_from_argv(["manage.py", "sop_load", str(broken)])

    assert exc.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith(f"CommandError: SOP not loaded: {broken}:")
    assert "step 'verify_kasi' names unknown role 'kasie'" in err
