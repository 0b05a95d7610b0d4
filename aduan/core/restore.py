"""Restore an archive made by aduan.core.backup into an empty installation, and check it.

In order, and nothing in the installation changes before step 4:
1. read the archive once, into a staging folder beside MEDIA_ROOT (or in the data folder
   when the files are in a bucket), hashing every member;
2. compare every member with the manifest (SHA-256 and size; nothing missing, nothing extra)
   and the database vendor with this installation's (a backup restores onto the same
   vendor only: an SQLite copy or a pg_dump archive is not portable between them);
3. refuse a database that already holds complaints or a storage that holds files, unless
   forced: then the old files in MEDIA_ROOT are moved aside, not deleted; files in an S3
   bucket cannot be set aside, so a bucket that holds files is refused even when forced;
4. put the database back (SQLite: the backup API copies the image over the target;
   PostgreSQL: pg_restore --clean in one transaction) and store every file under its own
   name through the storage API (on a disk a rename; to S3 an upload); a file the storage
   would store under another name is refused, as the rows name the one in the archive;
5. count the rows of every table and read every stored file again, against the manifest.

The files go through django.core.files.storage.storages["default"], so an archive of a
local installation restores into one using S3 and the other way round.
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from aduan.core.backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    media_storage,
    pg_params,
    pg_tables,
    pg_tool,
    quote,
    sqlite_tables,
    storage_holds_files,
)


class RestoreError(Exception):
    """The archive was not restored; the message says why. Raised before any change, except
    when putting the database or the files back fails (the message then says what state
    the installation is in)."""


@dataclass
class RestoreReport:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


# --- 1. and 2.: read and check the archive ---------------------------------------------------


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise RestoreError(f"The archive holds an unsafe name: {name!r}. Not restored.")
    if name != MANIFEST and path.parts[0] not in ("database", "media"):
        raise RestoreError(f"The archive holds {name!r}, which no Aduan backup holds.")
    return path


def _unpack(archive: Path, staging: Path) -> dict[str, tuple[int, str]]:
    """Extract every regular file into `staging`; return name -> (size, SHA-256)."""
    seen: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise RestoreError(
                        f"The archive holds {member.name!r}, which is not a regular file."
                    )
                relative = _member_path(member.name)
                target = staging.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = (size, digest.hexdigest())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise RestoreError(f"{archive} is not a readable backup archive: {exc}") from None
    return seen


def _read_manifest(staging: Path) -> dict:
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except FileNotFoundError:
        raise RestoreError("The archive has no manifest.json: it is not an Aduan backup.") from None
    except ValueError as exc:
        raise RestoreError(f"The archive's manifest.json is damaged: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise RestoreError(
            f"The archive's format is {manifest.get('format')!r}; this Aduan reads {FORMAT!r}."
        )
    return manifest


def archive_mismatches(manifest: dict, seen: dict[str, tuple[int, str]]) -> list[str]:
    """Every member the manifest names that is missing or differs; every extra member."""
    problems = []
    expected = [manifest["database"], *manifest["files"]]
    for entry in expected:
        name = entry["path"]
        if name not in seen:
            problems.append(f"{name}: missing from the archive")
        elif seen[name] != (entry["size"], entry["sha256"]):
            size, digest = seen[name]
            problems.append(
                f"{name}: SHA-256 {digest} ({size} bytes) in the archive, "
                f"{entry['sha256']} ({entry['size']} bytes) in the manifest"
            )
    named = {entry["path"] for entry in expected} | {MANIFEST}
    problems += [f"{name}: in the archive but not in the manifest" for name in seen.keys() - named]
    return problems


def _migration_notes(manifest: dict) -> tuple[list[str], list[str]]:
    """(migrations the archive has that this code lacks, ones this code has that it lacks)."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_archive = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in in_archive - on_disk)
    ahead = sorted(f"{app}.{name}" for app, name in on_disk - in_archive)
    return unknown, ahead


# --- 3.: the target --------------------------------------------------------------------------


def _tables(alias: str) -> set[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sqlite_tables(cursor) if connection.vendor == "sqlite" else pg_tables(cursor)


def complaints_held(alias: str = "default") -> int:
    from aduan.complaints.models import Complaint

    table = Complaint._meta.db_table
    if table not in _tables(alias):
        return 0
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        return cursor.fetchone()[0]


def storage_is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def storage_label(storage: Storage) -> str:
    """The storage as an operator knows it: its folder, or its bucket."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"the bucket {bucket}"
    return str(getattr(storage, "location", "") or type(storage).__name__)


def _staging_parent(storage: Storage) -> Path:
    """Beside MEDIA_ROOT for a disk (so storing a file is a rename), else the data folder."""
    if storage_is_local(storage):
        return Path(storage.location).parent
    return Path(settings.DATA_DIR)


def _refuse_not_empty(storage: Storage, *, held: int, existing: bool, force: bool) -> None:
    label = storage_label(storage)
    local = storage_is_local(storage)
    if (held or existing) and not force:
        raise RestoreError(
            f"This installation is not empty: its database holds {held} complaints and "
            f"{label} {'holds files' if existing else 'is empty'}. Restore into an empty "
            "installation, or give --force to replace them"
            + (
                " (the files are moved aside, not deleted)."
                if local
                else " (the database only: a bucket that holds files must be emptied first)."
            )
        )
    if existing and not local:
        raise RestoreError(
            f"Not restored: {label} already holds files, and files in a bucket cannot be set "
            "aside as on a disk (--force replaces the database only). Copy them if they "
            "matter, empty the bucket (or set ADUAN_S3_BUCKET to a new, empty bucket) and "
            "restore again."
        )


# --- 4.: put it back -------------------------------------------------------------------------


def _restore_sqlite(alias: str, dump: Path) -> None:
    target = Path(connections[alias].settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target, timeout=60)
    try:
        # The backup API replaces the target's whole content in one write transaction.
        source.backup(destination)
    except sqlite3.Error as exc:
        raise RestoreError(
            f"The database could not be written to {target}: {exc}. Stop every Aduan process "
            "using it (web, worker, sweep) and try again."
        ) from None
    finally:
        destination.close()
        source.close()


def _restore_postgresql(alias: str, dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    conninfo, env = pg_params(alias)
    done = subprocess.run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RestoreError(f"pg_restore failed, the database is unchanged: {done.stderr.strip()}")


class _StagedFile(File):
    """A file unpacked into the staging folder: a storage on this disk moves it (a rename
    on the same file system), one elsewhere uploads it."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _store_files(staging: Path, storage: Storage, names: list[str]) -> None:
    for member in names:
        name = member[len(MEDIA_PREFIX) :]
        try:
            with open(staging.joinpath(*PurePosixPath(member).parts), "rb") as handle:
                stored = storage.save(name, _StagedFile(handle, name=name))
        except Exception as exc:  # a disk full, a bucket that does not answer...
            raise RestoreError(
                f"The database was restored, but {member} could not be stored in "
                f"{storage_label(storage)}: {exc}. Restore again with --force (a bucket must "
                "be emptied first)."
            ) from None
        if stored != name:  # the name was taken meanwhile: the rows must not name another file
            storage.delete(stored)
            raise RestoreError(
                f"The database was restored, but {storage_label(storage)} already holds a "
                f"file named {name}: something else writes there. Stop every Aduan process "
                "and restore again with --force (a bucket must be emptied first)."
            )


# --- 5.: check -------------------------------------------------------------------------------


def _stored_digest(storage: Storage, name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def verify_restored(*, manifest: dict, alias: str, storage: Storage) -> RestoreReport:
    """Compare the installation with the manifest: rows of every table, every file."""
    report = RestoreReport(manifest=manifest)
    connection = connections[alias]
    present = _tables(alias)
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest["tables"].items()):
            if table not in present:
                report.mismatches.append(f"table {table}: missing ({expected} rows expected)")
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            found = cursor.fetchone()[0]
            if found != expected:
                report.mismatches.append(f"table {table}: {found} rows, {expected} expected")
            report.tables += 1
            report.rows += found
    for entry in manifest["files"]:
        try:
            size, digest = _stored_digest(storage, entry["path"][len(MEDIA_PREFIX) :])
        except OSError:  # FileNotFoundError, or unreadable
            report.mismatches.append(f"{entry['path']}: missing from {storage_label(storage)}")
            continue
        if digest != entry["sha256"]:
            report.mismatches.append(
                f"{entry['path']}: SHA-256 {digest}, {entry['sha256']} expected"
            )
        report.files += 1
        report.bytes += size
    return report


def restore_archive(*, archive: Path, force: bool = False, alias: str = "default") -> RestoreReport:
    """Restore `archive` into the database of `alias` and MEDIA_ROOT; see the module's text.
    Raises RestoreError before any change; returns the check of what was restored."""
    archive = Path(archive)
    if not archive.is_file():
        raise RestoreError(f"{archive} is not a file.")
    connection = connections[alias]
    storage = media_storage()
    parent = _staging_parent(storage)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".aduan-restore-", dir=parent))
    try:
        seen = _unpack(archive, staging)
        manifest = _read_manifest(staging)
        problems = archive_mismatches(manifest, seen)
        if problems:
            raise RestoreError(
                "The archive is damaged; nothing was restored:\n  " + "\n  ".join(problems)
            )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise RestoreError(
                f"The archive holds a {vendor} database and this installation uses "
                f"{connection.vendor}: a backup restores onto the same database vendor only."
            )
        unknown, ahead = _migration_notes(manifest)
        if unknown:
            raise RestoreError(
                "The archive was made by a newer Aduan (its database has migrations this "
                f"version does not know: {', '.join(unknown[:5])}). Install Aduan "
                f"{manifest.get('aduan_version', '?')} or later and restore again."
            )
        held = complaints_held(alias)
        existing = storage_holds_files(storage)
        _refuse_not_empty(storage, held=held, existing=existing, force=force)
        dump = staging.joinpath(*PurePosixPath(manifest["database"]["path"]).parts)
        connections.close_all()
        if connection.vendor == "sqlite":
            _restore_sqlite(alias, dump)
        else:
            _restore_postgresql(alias, dump)
        notes = []
        if existing:  # forced, on a disk (_refuse_not_empty)
            root = Path(storage.location)
            aside = root.with_name(f"{root.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}")
            root.rename(aside)
            notes.append(f"The files that were in {root} were moved to {aside}.")
        _store_files(staging, storage, [entry["path"] for entry in manifest["files"]])
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    report = verify_restored(manifest=manifest, alias=alias, storage=storage)
    report.notes += notes
    if manifest.get("missing_files"):
        report.notes.append(
            f"{len(manifest['missing_files'])} files the database names were already missing "
            "when the backup was made: " + ", ".join(manifest["missing_files"][:10])
        )
    if ahead:
        report.notes.append(
            f"The archive's database lacks {len(ahead)} migrations of this version: run "
            "`python manage.py migrate` before starting Aduan."
        )
    return report


def restore_audit(*, archive: Path, report: RestoreReport) -> str:
    """Record the restore in the restored audit log (after the check, so the counts checked
    are the archive's). Returns a problem to print, or ''."""
    from aduan.audit.services import audit_record

    try:
        audit_record(
            action="backup.restored",
            data={
                "file": Path(archive).name,
                "created_at": report.manifest.get("created_at"),
                "tables": report.tables,
                "rows": report.rows,
                "files": report.files,
                "mismatches": len(report.mismatches),
            },
        )
    except DatabaseError as exc:  # e.g. an older schema, before `migrate`
        return f"The restore could not be recorded in the audit log: {exc}"
    return ""
