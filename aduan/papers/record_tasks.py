"""Background work for the complete records: building a ZIP of them for a period.

Enqueued by aduan.papers.bundles.bundle_request once its transaction commits; run by the
worker (`manage.py db_worker`, started by `manage.py serve`). Safe to run twice for one
bundle: the build claims it first, and only one claim succeeds.
"""

from django_tasks import task

from aduan.papers.bundles import bundle_build


@task()
def build_record_bundle(bundle_id: int) -> bool:
    """Build bundle `bundle_id`; False when another run had claimed it or it failed."""
    return bundle_build(bundle_id=bundle_id)
