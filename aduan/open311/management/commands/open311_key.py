"""Open311 API keys: `create NAME` (the key is the last line printed), `revoke NAME_OR_PREFIX`,
`list`."""

from django.core.management.base import BaseCommand, CommandError

from aduan.open311.keys import KeyProblem, key_create, key_named, key_revoke
from aduan.open311.models import Open311Key


class Command(BaseCommand):
    help = "Create, revoke and list the API keys that may POST Open311 service requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a key; the key is the last line printed")
        create.add_argument("name")
        revoke = sub.add_parser("revoke", help="revoke the active key with this name or prefix")
        revoke.add_argument("name_or_prefix")
        sub.add_parser("list", help="every key, active or revoked")

    def handle(self, *args, action, **options):
        try:
            if action == "create":
                key, secret = key_create(name=options["name"])
                self.stdout.write(f"Open311 key {key.name!r} created (prefix {key.prefix}).")
                self.stdout.write("It is shown only now; store it where the client keeps secrets:")
                self.stdout.write(secret)
            elif action == "revoke":
                key = key_named(name_or_prefix=options["name_or_prefix"])
                key_revoke(key=key)
                self.stdout.write(f"Open311 key {key.name!r} ({key.prefix}…) revoked.")
            else:
                for key in Open311Key.objects.all():
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
                    self.stdout.write(f"{key.prefix}  {key.name}  {state}  last used {used}")
        except KeyProblem as problem:
            raise CommandError(str(problem)) from None
