"""Backup: one archive of the database and the stored files, with a manifest to check it by.

The archive is a gzip-compressed tar file:

    database/aduan.sqlite3   (SQLite: a copy made with SQLite's online backup API)
    database/aduan.pgdump    (PostgreSQL: pg_dump's custom format, taken from one snapshot)
    media/<name>             every stored file (attachments, letters, bundles...), named by
                             its storage name: from MEDIA_ROOT or the S3 bucket alike
    manifest.json            when, which Aduan, which database, the migrations applied, the
                             rows of every table and the SHA-256 of every other member

The database is copied first, while the application keeps working: SQLite's backup API
copies a consistent image under a read lock (WAL mode lets writers go on); on PostgreSQL a
REPEATABLE READ, READ ONLY transaction exports its snapshot, the row counts and the file
references are read in it and pg_dump dumps that same snapshot. The files are copied after
the database: files are written before the rows that name them and never changed, so every
file the copied rows name is normally there; one deleted in between (e.g. by the retention
job) is listed in the manifest as missing rather than silently lost.

The files are read through the storage API (django.core.files.storage.storages["default"]):
listed folder by folder with listdir, each opened and hashed while it streams into the
archive, so the same code backs up MEDIA_ROOT and an S3 bucket (ADUAN_STORAGE=s3).

A backup restores onto the same database vendor only (aduan.core.restore).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import connections, models
from django.utils import timezone

FORMAT = "aduan-backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/aduan.sqlite3", "postgresql": "database/aduan.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass
class Snapshot:
    """What was read from the database's consistent image."""

    tables: dict[str, int]
    migrations: dict[str, list[str]]
    file_references: set[str]
    method: str
    server_version: str = ""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    sha256: str
    missing: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def aduan_version() -> str:
    try:
        return metadata.version("aduan")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"aduan-backup-{stamp}.tar.gz"


def media_storage() -> Storage:
    """Where the application's files are: MEDIA_ROOT on this disk, or the S3 bucket."""
    return storages["default"]


def storage_kind(storage: Storage) -> str:
    return f"{type(storage).__module__}.{type(storage).__qualname__}"


def _not_data(storage: Storage, name: str, *, folder: bool) -> bool:
    """On a disk: a link, or what is neither a file nor a folder, is not data this
    application wrote (links are not followed). An object store has neither."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        return False
    return os.path.islink(path) or not (os.path.isdir(path) if folder else os.path.isfile(path))


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """The files under `folder`, folder by folder (an S3 "folder" marker is no file)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not made yet
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        if name not in ("", ".") and not _not_data(storage, prefix + name, folder=False):
            yield prefix + name
    for name in sorted(folders):
        if name and not _not_data(storage, prefix + name, folder=True):
            yield from _walk(storage, prefix + name)


def stored_files(storage: Storage) -> list[str]:
    """Every file in the storage, as sorted storage names (POSIX paths from its root)."""
    return sorted(_walk(storage))


def storage_holds_files(storage: Storage) -> bool:
    """Whether the storage holds at least one file (empty folders do not count)."""
    return next(_walk(storage), None) is not None


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of the installed models."""
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.append((model._meta.db_table, model_field.column))
    return sorted(columns)


def quote(name: str) -> str:
    """A table or column name as an SQL identifier (SQLite and PostgreSQL alike)."""
    return '"' + name.replace('"', '""') + '"'


def _read_references(cursor, tables: set[str]) -> set[str]:
    names = set()
    for table, column in file_columns():
        if table not in tables:
            continue
        column = quote(column)
        cursor.execute(f"SELECT {column} FROM {quote(table)} WHERE {column} <> ''")
        names.update(row[0] for row in cursor.fetchall() if row[0])
    return names


def _read_migrations(cursor, tables: set[str]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "app", "name"')
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_tables(cursor) -> set[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row[0] for row in cursor.fetchall()}


def _snapshot_sqlite(settings_dict: dict, dest: Path) -> Snapshot:
    source_path = str(settings_dict["NAME"])
    if source_path in ("", ":memory:") or source_path.startswith("file::memory:"):
        raise BackupError("The database is in memory: there is nothing on disk to back up.")
    if not Path(source_path).is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=60)
    target = sqlite3.connect(dest)
    try:
        # One step (pages=-1): the whole image under one read lock, so the copy is a
        # consistent state even while the application writes (WAL mode lets it go on).
        source.backup(target)
        cursor = target.cursor()
        tables = sqlite_tables(cursor)
        snapshot = Snapshot(
            tables=_count_rows(cursor, tables),
            migrations=_read_migrations(cursor, tables),
            file_references=_read_references(cursor, tables),
            method="sqlite3 online backup API",
            server_version=sqlite3.sqlite_version,
        )
        cursor.close()
        target.commit()
    finally:
        target.close()
        source.close()
    return snapshot


# --- PostgreSQL ------------------------------------------------------------------------------

# libpq's own connection keywords; everything else Django passes (cursor classes, adapters)
# is Python-side only.
LIBPQ_KEYWORDS = set(
    "dbname user host hostaddr port sslmode sslcert sslkey sslrootcert sslcrl sslpassword "
    "connect_timeout application_name options service passfile target_session_attrs "
    "channel_binding gssencmode".split()
)


def pg_params(alias: str = "default") -> tuple[str, dict[str, str]]:
    """(conninfo without the password, environment with PGPASSWORD) for the database of
    `alias`: what pg_dump and pg_restore are given (the password never on a command line)."""
    from psycopg.conninfo import make_conninfo

    params = connections[alias].get_connection_params()
    conninfo = make_conninfo(
        **{key: str(value) for key, value in params.items() if key in LIBPQ_KEYWORDS}
    )
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return conninfo, env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client of the server's major "
            "version (Debian: apt install postgresql-client)."
        )
    return found


def pg_tables(cursor) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def _snapshot_postgresql(alias: str, dest: Path) -> Snapshot:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    conninfo, env = pg_params(alias)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
            tables = pg_tables(cursor)
            snapshot = Snapshot(
                tables=_count_rows(cursor, tables),
                migrations=_read_migrations(cursor, tables),
                file_references=_read_references(cursor, tables),
                method="pg_dump --format=custom from an exported REPEATABLE READ snapshot",
                server_version=server_version,
            )
            # The exporting transaction stays open while pg_dump reads the same snapshot.
            done = subprocess.run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot_id}",
                    f"--file={dest}",
                    f"--dbname={conninfo}",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return snapshot


# --- the archive -----------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """A file read once: into the archive and into its SHA-256."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size=-1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_stream(archive: tarfile.TarFile, handle, *, name: str, size: int, mtime: int) -> dict:
    """Copy `size` bytes of `handle` into the archive as `name`, hashing them on the way."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    return {"path": name, "size": size, "sha256": reader.digest.hexdigest()}


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        return _add_stream(archive, handle, name=name, size=stat.st_size, mtime=int(stat.st_mtime))


def _add_stored(archive: tarfile.TarFile, storage: Storage, name: str, mtime: int) -> dict | None:
    """The stored file `name` into the archive; None when it is gone since it was listed.
    Its time in the archive is the backup's: a file's own time would cost a request per file
    on S3, and a restore does not read it."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:  # deleted meanwhile (the retention sweep)
        return None
    with handle:
        return _add_stream(archive, handle, name=MEDIA_PREFIX + name, size=handle.size, mtime=mtime)


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def backup_create(*, output: Path | None = None, alias: str = "default") -> BackupResult:
    """Write the archive to `output` (default: DATA_DIR/backups/aduan-backup-<time>.tar.gz),
    readable by its owner only; return it with its manifest."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    output = Path(output) if output else default_output()
    if output.is_dir():
        output = output / default_output().name
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    created_at = timezone.now()

    with tempfile.TemporaryDirectory(prefix="aduan-backup-") as work:
        database_file = Path(work) / Path(DATABASE_MEMBERS[vendor]).name
        if vendor == "sqlite":
            snapshot = _snapshot_sqlite(connection.settings_dict, database_file)
        else:
            snapshot = _snapshot_postgresql(alias, database_file)

        storage = media_storage()
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
                    database = _add_file(archive, database_file, DATABASE_MEMBERS[vendor])
                    mtime = int(created_at.timestamp())
                    files = []
                    for name in stored_files(storage):
                        if entry := _add_stored(archive, storage, name, mtime):
                            files.append(entry)
                    stored = {entry["path"][len(MEDIA_PREFIX) :] for entry in files}
                    missing = sorted(snapshot.file_references - stored)
                    manifest = {
                        "format": FORMAT,
                        "created_at": created_at.isoformat(),
                        "aduan_version": aduan_version(),
                        "django_version": django.get_version(),
                        "database": {
                            "vendor": vendor,
                            "server_version": snapshot.server_version,
                            "method": snapshot.method,
                            **database,
                        },
                        "migrations": snapshot.migrations,
                        "tables": snapshot.tables,
                        "storage": storage_kind(storage),
                        "files": files,
                        "missing_files": missing,
                    }
                    content = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                    _add_bytes(archive, MANIFEST, content)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=output, manifest=manifest, sha256=sha256_file(output), missing=missing)


def backup_audit(result: BackupResult) -> None:
    """Record the backup in the audit log: an archive of everyone's personal data left the
    database, and who may ask later where it went."""
    from aduan.audit.services import audit_record

    manifest = result.manifest
    audit_record(
        action="backup.created",
        data={
            "file": result.path.name,
            "sha256": result.sha256,
            "created_at": manifest["created_at"],
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(manifest["files"]),
        },
    )
