"""Restore an archive written by `manage.py backup` into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aduan.core.restore import RestoreError, restore_archive, restore_audit


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into this installation's database "
        "and file storage (MEDIA_ROOT or the S3 bucket), then check every table's rows and "
        "every file's SHA-256 against its manifest. Refuses an installation that already holds "
        "complaints or files unless --force is given (a bucket that holds files is refused "
        "even then). Stop the web server and the worker first. Same database vendor "
        "only (SQLite to SQLite, PostgreSQL to PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds complaints and move existing files in MEDIA_ROOT "
            "aside (a bucket must be empty)",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            report = restore_archive(archive=archive, force=force)
        except RestoreError as exc:
            raise CommandError(str(exc)) from None
        problem = restore_audit(archive=archive, report=report)
        manifest = report.manifest
        self.stdout.write(
            f"Restored {archive} (made {manifest['created_at']} by Aduan "
            f"{manifest['aduan_version']})\n"
            f"  database: {report.tables} tables, {report.rows} rows\n"
            f"  files: {report.files}, {report.bytes} bytes"
        )
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        if problem:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                "The restored installation does not match the archive's manifest:\n  "
                + "\n  ".join(report.mismatches)
            )
        self.stdout.write("Check passed: every table's rows and every file's SHA-256 match.")
