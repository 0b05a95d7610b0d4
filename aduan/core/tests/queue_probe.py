"""A task for the task-queue tests: it writes a row saying which worker ran it.

It lives in an importable module (not in a test file) because RQ workers import a task by its
module path. The table is made and dropped by the test that uses it.
"""

from django.db import connection
from django_tasks import TaskContext, task

PROBE_TABLE = "aduan_queue_probe_run"


@task(takes_context=True)
def queue_probe(context: TaskContext, *, number: int) -> int:
    """Record that task `number` ran, and on which worker (RQ names it)."""
    worker = ",".join(context.task_result.worker_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROBE_TABLE} (number, worker) VALUES (%s, %s)", [number, worker]
        )
    return number
