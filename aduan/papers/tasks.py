"""Background work for answer letters (django-tasks; the worker runs beside the web server)."""

from django_tasks import task


@task()
def letter_render_task(letter_id: int) -> bool:
    """Render (and sign) an issued letter's PDF once, after the issuing transaction commits.
    A failure is logged by letter_render and tried again on the next download."""
    from aduan.papers.letters import letter_render

    letter = letter_render(letter_id=letter_id)
    return bool(letter and letter.pdf_sha256)
