"""/readyz: may a load balancer send this process requests? (/healthz: is it alive?)

Ready means: the database answers, every migration this code knows is applied, the task
backend answers (aduan.core.health), and the file storage takes a file. The answer is
plain text, one line per check, 200 when all are ok and 503 naming what is not. It says
nothing about a person and no detail of the failure (an address, a path, a bucket): those
are in the server's log.
"""

import logging
import secrets
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Migrations only ever go from unapplied to applied while a process runs: once all are
# applied, the check is not made again (reading the migration files takes a while).
_migrations_applied = False


def database_ready() -> tuple[bool, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


def migrations_ready() -> tuple[bool, str]:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return False, f"{len(plan)} not applied (run manage.py migrate)"
        _migrations_applied = True
    return True, "ok"


def tasks_ready() -> tuple[bool, str]:
    from aduan.core.health import task_backend_ready

    ready, detail = task_backend_ready()
    if not ready:
        logger.warning("readyz: the task backend is not ready: %s", detail)
        return False, "unavailable"
    return True, "ok"


def storage_ready() -> tuple[bool, str]:
    """Write a small file to the storage of uploads and remove it."""
    storage = storages["default"]
    name = storage.save(f"readyz/{secrets.token_hex(8)}", ContentFile(b"ready\n"))
    storage.delete(name)
    return True, "ok"


CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {
    "database": database_ready,
    "migrations": migrations_ready,
    "tasks": tasks_ready,
    "storage": storage_ready,
}


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    lines, failed = [], set()
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failed:
            ready, detail = False, "not checked (no database)"
        else:
            try:
                ready, detail = check()
            except Exception as exc:  # any failure of a dependency is "not ready"
                logger.warning("readyz: %s is not ready: %r", name, exc)
                ready, detail = False, "unavailable"
        if not ready:
            failed.add(name)
        lines.append(f"{name}: {detail}")
    all_ready = not failed
    return HttpResponse(
        "\n".join(lines) + "\n",
        status=200 if all_ready else 503,
        content_type="text/plain; charset=utf-8",
    )
