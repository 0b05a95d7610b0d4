from django.core.management.base import BaseCommand, CommandError

from aduan.sop.definition import SopDefinitionError
from aduan.sop.services import sop_load


class Command(BaseCommand):
    help = "Validate an SOP definition file (TOML) and put it in force (default: the bundled SOP)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="path to the .toml definition")

    def handle(self, *args, file=None, **options):
        try:
            version, created = sop_load(path=file)
        except SopDefinitionError as exc:
            raise CommandError(f"SOP not loaded: {exc}") from None
        definition = version.definition
        verb = "loaded" if created else "already loaded"
        self.stdout.write(
            f"SOP {definition.code} {verb} (version {version.content_hash[:12]}, "
            f"{len(definition.steps)} steps, {definition.total_minutes} minutes standard time)."
        )
