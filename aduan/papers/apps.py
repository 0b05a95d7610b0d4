from django.apps import AppConfig
from django.core import checks


class PapersConfig(AppConfig):
    """Paper and files: the agenda book, answer letters and the complete record."""

    name = "aduan.papers"
    verbose_name = "Surat dan berkas"

    def ready(self):
        checks.register(pdf_renderer_check)
        # Registers the check of the letter-signing certificate (aduan.papers.E002).
        from aduan.papers import signing  # noqa: F401


def pdf_renderer_check(app_configs=None, **kwargs):
    """WeasyPrint needs the system's Pango library: say so at start, not at the first PDF."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return [
            checks.Error(
                f"The PDF renderer (WeasyPrint) cannot load Pango: {exc}",
                hint="Install it: apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core",
                id="aduan.papers.E001",
            )
        ]
    return []
