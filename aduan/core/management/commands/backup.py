"""Write one archive of the database and the stored files (aduan.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aduan.core.backup import BackupError, backup_audit, backup_create


class Command(BaseCommand):
    help = (
        "Write one consistent archive (.tar.gz) of the database and every stored file "
        "(MEDIA_ROOT or the S3 bucket), with a manifest (rows per table, SHA-256 of every "
        "file). The application may keep running. The archive holds personal data: encrypt "
        "it before it leaves this machine (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write, or a folder for it "
            "(default: <data folder>/backups/aduan-backup-<time>.tar.gz)",
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        backup_audit(result)
        manifest = result.manifest
        files = manifest["files"]
        self.stdout.write(
            f"Backup written to {result.path}\n"
            f"  database: {manifest['database']['vendor']}, {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows ({manifest['database']['method']})\n"
            f"  files: {len(files)}, {sum(entry['size'] for entry in files)} bytes\n"
            f"  archive SHA-256: {result.sha256}"
        )
        for name in result.missing:
            self.stderr.write(f"warning: {name} is named in the database but was not found")
