"""Backup and restore (#9 point 17): `manage.py backup` writes one archive of the database
and the stored files; `manage.py restore` puts it into an empty installation and checks
every table's rows and every file's SHA-256.

The data is committed (transaction=True) because the backup reads the database from its
own connection (SQLite's backup API, pg_dump), as it does beside the running application.
Each restore runs `manage.py restore` in a new process pointed at a fresh database and an
empty media folder, as an administrator runs it; the test then reads that database with
its own connection.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from aduan.complaints.services import complaint_register
from aduan.papers.tests.letter_helpers import carry_to_answer
from aduan.papers.tests.record_setup import sari_with_attachments

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AUDIT_TABLE = "audit_auditevent"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sari_complaint(sop_version, category, media):
    """Sari's complaint with a photo and a PDF attached, and Dimas's, open."""
    complaint = sari_with_attachments(category)
    complaint_register(
        category=category,
        subject="Akta kelahiran salah nama",
        description="Nama anak saya salah eja.",
        name="Dimas Saputra",
        email="dimas@contoh.id",
    )
    return complaint


@pytest.fixture
def fresh_installation(tmp_path):
    """An empty database of this suite's vendor and an empty media folder, and the
    environment that points `manage.py` at them. A PostgreSQL database is dropped after."""
    data = tmp_path / "restored"
    data.mkdir()
    env = {
        **os.environ,
        "ADUAN_TESTING": "1",
        "ADUAN_DATA_DIR": str(data),
        "MEDIA_ROOT": str(data / "media"),
    }
    if connection.vendor == "sqlite":
        path = data / "aduan.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield Installation(env=env, media=data / "media", sqlite_path=path)
        return

    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = _pg_admin_connection()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    # The suite's own DATABASE_URL with the fresh database's name.
    url = urlsplit(os.environ["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    try:
        yield Installation(env=env, media=data / "media", pg_name=name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _pg_admin_connection():
    import psycopg

    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in ("user", "password", "host", "port")
    }
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


class Installation:
    def __init__(self, *, env, media: Path, sqlite_path: Path | None = None, pg_name=""):
        self.env = env
        self.media = media
        self.sqlite_path = sqlite_path
        self.pg_name = pg_name

    def manage(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args, "--skip-checks"],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def query(self, sql: str) -> list[tuple]:
        if self.sqlite_path is not None:
            if not self.sqlite_path.exists():
                return []
            with sqlite3.connect(self.sqlite_path) as db:
                return db.execute(sql).fetchall()
        import psycopg

        params = {
            key: value
            for key, value in connection.get_connection_params().items()
            if key in ("user", "password", "host", "port")
        }
        with psycopg.connect(dbname=self.pg_name, **params) as db:
            return db.execute(sql).fetchall()

    def row_counts(self) -> dict[str, int]:
        if self.sqlite_path is not None:
            tables = self.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            tables = self.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        return {table: self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0] for (table,) in tables}


def live_row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def back_up(tmp_path) -> Path:
    archive = tmp_path / "backups" / "aduan.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    return archive


def rewrite_archive(archive: Path, change) -> Path:
    """A copy of the archive with `change(name, content)` applied to every member."""
    changed = archive.with_name("changed.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(changed, "w:gz") as target:
        for member in source:
            content = change(member.name, source.extractfile(member).read())
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    return changed


def test_restore_into_an_empty_installation_gives_the_same_rows_and_files(
    sari_complaint, budi, wati, agus, hadi, media, tmp_path, fresh_installation
):
    letter = carry_to_answer(sari_complaint, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    assert letter.pdf  # the answer letter's PDF is a stored file like the attachments
    rows_before = live_row_counts()
    files_before = checksums(media)
    assert {name.split("/")[0] for name in files_before} >= {"attachments", "letters"}

    archive = back_up(tmp_path)

    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == rows_before
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        f"media/{name}": digest for name, digest in files_before.items()
    }
    assert manifest["migrations"]["complaints"]  # the migration state travels with it
    assert manifest["missing_files"] == []

    restore = fresh_installation.manage("restore", str(archive))

    assert restore.returncode == 0, restore.stderr
    assert "Check passed" in restore.stdout
    restored = fresh_installation.row_counts()
    # The restore appends one audit event of its own once it has checked the rows.
    assert restored == {**rows_before, AUDIT_TABLE: rows_before[AUDIT_TABLE] + 1}
    last_event = f"SELECT action FROM {AUDIT_TABLE} ORDER BY id DESC LIMIT 1"
    assert fresh_installation.query(last_event) == [("backup.restored",)]
    assert checksums(fresh_installation.media) == files_before
    complaints = "SELECT tracking_code, subject, agenda_seq FROM complaints_complaint ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(complaints)
        assert [tuple(row) for row in fresh_installation.query(complaints)] == cursor.fetchall()

    # Again, over what is now there (a database with complaints, files): only when forced.
    forced = fresh_installation.manage("restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert checksums(fresh_installation.media) == files_before
    assert "moved to" in forced.stdout  # the files already there were kept aside


def test_a_backup_taken_while_the_office_writes_is_one_consistent_state(
    sari_complaint, tmp_path, fresh_installation
):
    """An official's actions keep appending to the hash-chained audit log while the backup
    runs: the archive holds the events and the chain's head of one same moment."""
    import threading

    from django.db import connection as thread_connection

    from aduan.audit.services import audit_record

    stop = threading.Event()
    written = []

    def keep_writing():
        try:
            while not stop.is_set():
                written.append(audit_record(action="test.busy", data={"n": len(written)}))
        finally:
            thread_connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:  # the writer is under way before the backup starts
            threading.Event().wait(0.01)
        archive = back_up(tmp_path)
    finally:
        stop.set()
        writer.join(30)

    restore = fresh_installation.manage("restore", str(archive))

    assert restore.returncode == 0, restore.stderr
    assert "Check passed" in restore.stdout
    # The restore's own event was chained onto the restored head: the head and the events
    # in the archive were of the same moment.
    last_two = fresh_installation.query(
        f"SELECT hash, prev_hash FROM {AUDIT_TABLE} ORDER BY id DESC LIMIT 2"
    )
    assert last_two[0][1] == last_two[1][0]


def test_restore_refuses_an_installation_that_holds_complaints(sari_complaint, tmp_path):
    archive = back_up(tmp_path)

    with pytest.raises(CommandError, match="not empty: its database holds 2 complaints"):
        call_command("restore", str(archive))


def test_the_backup_itself_is_in_the_audit_log(sari_complaint, tmp_path):
    from aduan.audit.models import AuditEvent

    archive = back_up(tmp_path)

    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "backup.created"
    assert event.data["file"] == archive.name
    assert event.data["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_a_damaged_file_in_the_archive_is_reported_and_nothing_is_restored(
    sari_complaint, media, tmp_path, fresh_installation
):
    archive = back_up(tmp_path)
    photo = f"media/{sari_complaint.attachments.order_by('id').first().file.name}"

    def flip_a_byte(name, content):
        if name != photo:
            return content
        return content[:-1] + bytes([content[-1] ^ 0xFF])

    damaged = rewrite_archive(archive, flip_a_byte)

    restore = fresh_installation.manage("restore", str(damaged))

    assert restore.returncode != 0
    assert "damaged" in restore.stderr
    assert f"{photo}: SHA-256" in restore.stderr
    assert fresh_installation.row_counts().get("complaints_complaint", 0) == 0
    assert checksums(fresh_installation.media) == {}


def test_rows_that_do_not_match_the_manifest_fail_the_check(
    sari_complaint, tmp_path, fresh_installation
):
    archive = back_up(tmp_path)

    def claim_three_complaints(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["tables"]["complaints_complaint"] = 3
        return json.dumps(manifest).encode()

    restore = fresh_installation.manage(
        "restore", str(rewrite_archive(archive, claim_three_complaints))
    )

    assert restore.returncode != 0
    assert "table complaints_complaint: 2 rows, 3 expected" in restore.stderr
