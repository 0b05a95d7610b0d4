"""Walking the pages in a real browser and checking each one: axe-core for accessibility
(WCAG 2.2 AA), the Nu HTML checker for valid HTML, a screenshot for a person to look at.

The checkers come from the npm registry (tools/checkers/, installed by `make test` into
.venv/checkers/); the Nu checker runs on Java. Where either is missing the checks skip,
unless ADUAN_REQUIRE_BROWSER is set (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECKERS = ROOT / ".venv" / "checkers" / "node_modules"
AXE = CHECKERS / "axe-core" / "axe.min.js"
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what axe-core tags its rules with.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

# The Nu checker's findings we accept, each with its reason (docs/accessibility.md lists them).
NU_ACCEPTED: dict[str, str] = {}

# Links the walk does not follow: files (PDF, ZIP, XLSX, CSV, SVG), actions (sign out, the
# language switch posts a form), Django's admin and the API (not pages of a role).
NOT_PAGES = re.compile(
    r"\.(pdf|zip|xlsx|csv|svg|json|png|jpe?g)$|/keluar/|^/admin/|^/api/|^/open311/|^/i18n/"
    r"|/lampiran/|/unduh/|/surat/\d+/pdf/|/ekspor/|^/lacak/[^/]+/surat/$"
)


def screenshot_root() -> Path:
    """Where the screenshots go: ADUAN_SCREENSHOTS, or build/screenshots in the checkout."""
    return Path(os.environ.get("ADUAN_SCREENSHOTS") or ROOT / "build" / "screenshots")


def _required() -> bool:
    return os.environ.get("ADUAN_REQUIRE_BROWSER", "") not in ("", "0")


def checkers_or_skip() -> None:
    missing = []
    if not AXE.exists() or not VNU.exists():
        missing.append("the page checkers (run `make test`, which installs them with npm)")
    if shutil.which("java") is None:
        missing.append("Java for the Nu HTML checker (Debian: apt install default-jre-headless)")
    if missing:
        message = "missing " + " and ".join(missing)
        if _required():
            pytest.fail(f"ADUAN_REQUIRE_BROWSER is set but {message}")
        pytest.skip(message)


def shape(path: str) -> str:
    """A page's kind: its path with the numbers and codes taken out."""
    path = re.sub(r"/lacak/[^/]+/", "/lacak/KODE/", path)
    return re.sub(r"\d+", "N", path)


@dataclass
class Walk:
    """One role's walk in one viewport: what was seen and what was wrong."""

    page: object  # playwright Page
    base: str
    role: str
    viewport: str
    folder: Path
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    html: dict[str, str] = field(default_factory=dict)  # file name -> markup as served
    outside: list[str] = field(default_factory=list)  # requests to another origin

    def __post_init__(self):
        host = urlparse(self.base).netloc

        def watch(request):
            url = urlparse(request.url)
            if url.scheme in ("http", "https") and url.netloc != host:
                self.outside.append(request.url)

        self.page.on("request", watch)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def goto(self, path: str, name: str = "", status: int = 200) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None, path
        if response.status != status:
            self.problems.append(f"{path}: HTTP {response.status}, expected {status}")
        self.check(name or path, markup=response.text())

    def check(self, name: str, markup: str | None = None) -> None:
        """Check the page now in the browser: axe, width, screenshot, markup for the Nu
        checker (the served HTML; after a form post, the browser's copy of it)."""
        page = self.page
        page.wait_for_load_state()
        path = urlparse(page.url).path
        label = f"{self.role}/{self.viewport} {name} ({path})"
        self.visited.append(shape(path))
        n = len(self.visited)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"
        page.screenshot(
            path=str(self.folder / f"{n:02d}-{slug}.jpg"), full_page=True, type="jpeg", quality=85
        )
        if markup is None:
            markup = page.evaluate(
                "() => '<!doctype html>\\n' + document.documentElement.outerHTML"
            )
        self.html[f"{self.role}-{self.viewport}-{n:02d}-{slug}.html"] = markup
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.problems.append(
                    f"{label}: axe {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} at {targets}"
                )
        if self.viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS["phone"]["width"]:
                self.problems.append(f"{label}: {width} px wide on a 360-px screen")

    def links(self, prefixes: tuple[str, ...]) -> list[str]:
        """The same-site links of the page now shown, under `prefixes`, not files."""
        found = []
        for href in self.page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urlparse(urljoin(self.page.url, href))
            if url.netloc != urlparse(self.base).netloc or NOT_PAGES.search(url.path):
                continue
            if url.path.startswith(prefixes):
                found.append(url.path + (f"?{url.query}" if url.query else ""))
        return found

    def crawl(self, start: list[str], prefixes: tuple[str, ...], limit: int = 40) -> None:
        """Follow links from `start`, one page of each kind."""
        queue, seen = list(start), set(self.visited)
        while queue and len(seen) < limit:
            path = queue.pop(0)
            kind = shape(urlparse(path).path)
            if kind in seen:
                continue
            seen.add(kind)
            self.goto(path)
            queue.extend(self.links(prefixes))


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations",
        WCAG_TAGS,
    )


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu HTML checker's errors on each page's markup, less the accepted ones."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, markup in pages.items():
        path = folder / name
        path.write_text(markup, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stderr or done.stdout)
    errors = []
    for message in report["messages"]:
        if message.get("type") != "error":
            continue
        text = message.get("message", "")
        if any(re.search(pattern, text) for pattern in NU_ACCEPTED):
            continue
        name = Path(urlparse(message.get("url", "")).path).name
        errors.append(f"{name}:{message.get('lastLine', '?')}: {text}")
    return errors
