"""HTML templates to PDF with WeasyPrint, fetching nothing from outside.

Every document is rendered from a Django template (so everything a citizen typed is
escaped as usual) with the stylesheet static/css/paper.css. The renderer may load only
data: URLs (the logo and the QR code are embedded as such): a stray <img src> or url()
never reaches the network or the disk.
"""

import base64
import mimetypes
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PAPER_CSS = "css/paper.css"
DEFAULT_LOGO = "img/logo-default.svg"


@cache
def _weasyprint():
    import weasyprint  # imported on first use: it loads Pango, which the web pages don't need

    class DataOnlyFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"Aduan's PDFs load nothing from outside: {url[:60]}")
            return super().fetch(url, headers)

    return weasyprint, DataOnlyFetcher


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"static file {name} is missing")
    return Path(found)


def data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def logo_data_uri(letterhead) -> str:
    """The letterhead's logo (or Aduan's neutral emblem) as a data: URL."""
    if letterhead.logo:
        try:
            with letterhead.logo.open("rb") as f:
                content = f.read()
            kind = mimetypes.guess_type(letterhead.logo.name)[0] or "image/png"
            return data_uri(content, kind)
        except OSError:
            pass  # a logo file lost from the disk: print the emblem rather than fail
    return data_uri(_static_path(DEFAULT_LOGO).read_bytes(), "image/svg+xml")


def render_pdf(template_name: str, context: dict, *, extra_css: str = "") -> bytes:
    """Render `template_name` with `context` to PDF bytes (A4, static/css/paper.css)."""
    weasyprint, fetcher = _weasyprint()
    html = render_to_string(template_name, context)
    stylesheets = [weasyprint.CSS(string=_static_path(PAPER_CSS).read_text())]
    if extra_css:
        stylesheets.append(weasyprint.CSS(string=extra_css))
    document = weasyprint.HTML(
        string=html, base_url=settings.PUBLIC_URL + "/", url_fetcher=fetcher()
    )
    return document.write_pdf(stylesheets=stylesheets)
