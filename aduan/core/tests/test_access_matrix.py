"""Who may open what: every route of the site × every kind of visitor.

The routes are read from the URL configuration, so a view added without a line in ROUTES
fails this test until someone writes down who may open it. Each route is requested by
each persona (aduan.core.tests.security_world) with real objects: citizen Ratna's (A)
answered complaint, its attachment and its letter. Citizen Bambang (B), a visitor with no
code, and a disabled official must get nothing of A's: not a page, not a file, not an
export, and no byte of A's name, NIK, phone, e-mail, words or tracking code.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aduan.complaints.models import Attachment, ComplaintStep
from aduan.core.tests.security_world import (
    A_MARKER,
    OFFICIALS,
    OUTSIDERS,
    PERSONAS,
    a_data_in,
    body_of,
    build_world,
)
from aduan.lib.codes import ALPHABET
from aduan.notify.links import SALT, citizen_link

pytestmark = pytest.mark.django_db

# Expected answers: a class of status codes, or an exact one.
OK, REDIRECT, LOGIN = "2xx", "3xx", "login"
NON_OFFICIALS = ("anonymous", "citizen_a", "citizen_b", "disabled")


def everyone(expected: str) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, expected)


def desk(officials: str = OK, **override: str) -> dict[str, str]:
    """A desk page: officials get `officials`, everyone else the login page."""
    return {
        **dict.fromkeys(NON_OFFICIALS, LOGIN),
        **dict.fromkeys(OFFICIALS, officials),
        **override,
    }


def api_desk(officials: str = OK) -> dict[str, str]:
    """An officials' API endpoint: no valid token (a disabled official's included) is a 401."""
    return {**dict.fromkeys(NON_OFFICIALS, "401"), **dict.fromkeys(OFFICIALS, officials)}


def citizen_a_only(others: str = REDIRECT) -> dict[str, str]:
    """A tracking page: only the browser that opened A's complaint with its secret."""
    return {**everyone(others), "citizen_a": OK}


def random_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(28))


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    data: dict | None = None
    headers: dict | None = None


@dataclass(frozen=True)
class Route:
    expected: dict[str, str]
    url: Callable  # (world, persona) -> Request
    # Addresses under Open311 carry the tracking code by design: it is the request's
    # public identifier there (never the secret, never personal data).
    code_is_public: bool = False
    # Query strings asked as well: with the same answers, or (query, {persona: answer}).
    variants: tuple = ()
    also_post: bool = False  # and POSTed empty, with the same answer
    # Asked from a browser of its own (signing out would end the persona's session).
    own_browser: bool = False


def get(name: str, *args, **query) -> Callable:
    def url(world, persona):
        path = reverse(name, args=[a(world) if callable(a) else a for a in args])
        return Request(
            path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        )

    return url


def post(name: str, *args, data=None) -> Callable:
    def url(world, persona):
        return Request(reverse(name, args=[a(world) for a in args]), "POST", data or {})

    return url


def a_pk(world):
    return world.a.pk


def a_code(world):
    return world.a.tracking_code


def a_png(world):
    return Attachment.objects.filter(complaint=world.a, content_type="image/png").get().pk


def a_letter_pk(world):
    return world.a.letter.pk


def a_last_step(world):
    return ComplaintStep.objects.filter(complaint=world.a).order_by("-seq").first().pk


def bundle_pk(world):
    return world.bundle.pk


def revocable(world):
    return world.revocable_token_id


def track_link(world, persona):
    secret = {"citizen_a": world.a_secret, "citizen_b": world.b_secret}.get(persona)
    return Request(reverse("public:track_link", args=[a_code(world), secret or random_secret()]))


def track_token(world, persona):
    if persona == "citizen_a":  # the link in a message to A
        return Request(urlsplit(citizen_link(world.a)).path)
    # Someone else's link: B's own signature put on A's code, or a link made up.
    b_token = signing.dumps(world.b.tracking_code, salt=SALT, compress=False)
    forged = world.a.tracking_code + b_token[len(world.b.tracking_code) :]
    return Request(reverse("track_token", args=[forged]))


def api(path: Callable | str, method: str = "GET", data: dict | None = None) -> Callable:
    def url(world, persona):
        headers = {}
        if persona in world.tokens:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
        return Request("/api/v1" + (path(world) if callable(path) else path), method, data, headers)

    return url


def api_status(world, persona):
    secret = {"citizen_a": world.a_secret, "citizen_b": world.b_secret}.get(persona)
    return Request(
        f"/api/v1/complaints/{a_code(world)}/status",
        headers={"HTTP_X_TRACKING_SECRET": secret or random_secret()},
    )


def admin_index(world, persona):
    return Request(reverse("admin:index"))


ROUTES: dict[str, Route] = {
    # Everyone: the home page, the health and readiness checks, the SOP.
    "home": Route(everyone(OK), get("home")),
    "help": Route(everyone(OK), get("help")),
    "healthz": Route(everyone(OK), get("healthz")),
    "readyz": Route(everyone(OK), get("readyz")),
    "sop:detail": Route(everyone(OK), get("sop:detail")),
    "sop:flow_svg": Route(everyone(OK), get("sop:flow_svg")),
    "set_language": Route(everyone(REDIRECT), post("set_language", data={"language": "id"})),
    # The citizen's pages.
    "public:form": Route(everyone(OK), get("public:form")),
    "public:check": Route(everyone(REDIRECT), get("public:check")),  # nothing typed yet
    "public:done": Route(everyone(REDIRECT), get("public:done")),  # nothing sent yet
    "public:track_form": Route(everyone(OK), get("public:track_form")),
    "public:track": Route(citizen_a_only(), get("public:track", a_code)),
    "public:track_letter": Route(citizen_a_only(), get("public:track_letter", a_code)),
    "public:track_rate": Route(citizen_a_only(), post("public:track_rate", a_code)),
    "public:track_reopen": Route(citizen_a_only(), get("public:track_reopen", a_code)),
    # The citizen's copy of their data (a JSON download when posted).
    "public:my_data": Route(citizen_a_only(), get("public:my_data", a_code), also_post=True),
    "public:privacy": Route(everyone(OK), get("public:privacy")),
    "public:track_link": Route({**everyone("404"), "citizen_a": REDIRECT}, track_link),
    "track_token": Route({**everyone("410"), "citizen_a": REDIRECT}, track_token),
    # The letter's public check (the QR code): number, date and hashes, nothing personal.
    "letters:verify": Route(
        everyone(OK),
        lambda w, p: Request(reverse("letters:verify", args=[w.a.letter.verify_token])),
    ),
    # The officials' desk.
    "desk:login": Route(
        {**dict.fromkeys(NON_OFFICIALS, OK), **dict.fromkeys(OFFICIALS, REDIRECT)},
        get("desk:login"),
    ),
    "desk:logout": Route(everyone(REDIRECT), post("desk:logout"), own_browser=True),
    # Signing in (aduan.accounts): the code after the password and the enrolment need a
    # password accepted first; Keamanan akun is any signed-in account's own.
    "desk:login_code": Route(everyone(LOGIN), get("desk:login_code")),
    "desk:login_enrol": Route(everyone(LOGIN), get("desk:login_enrol")),
    "desk:account_security": Route(desk(), get("desk:account_security")),
    "desk:account_totp_enrol": Route(desk(), get("desk:account_totp_enrol")),
    # Posted empty: refused (no code given).
    "desk:account_totp_disable": Route(
        desk("400", admin=REDIRECT), post("desk:account_totp_disable")
    ),
    "desk:account_recovery_renew": Route(desk("400"), post("desk:account_recovery_renew")),
    "desk:inbox": Route(desk(), get("desk:inbox")),
    "desk:complaints": Route(desk(), get("desk:complaints")),
    "desk:complaint_new": Route(desk(auditor="403", admin="403"), get("desk:complaint_new")),
    "desk:complaint": Route(desk(), get("desk:complaint", a_pk)),
    # Posted empty: the form's errors on the page (nothing is saved).
    "desk:draft": Route(desk(), post("desk:draft", a_pk)),
    "desk:decide": Route(desk(), post("desk:decide", a_pk)),
    # A's complaint is answered: no question can be asked any more (a plain refusal).
    "desk:info_request": Route(desk("409"), post("desk:info_request", a_pk)),
    "desk:reveal": Route(desk(), post("desk:reveal", a_pk)),
    "desk:attachment": Route(desk(), get("desk:attachment", a_png)),
    "desk:audit": Route(
        desk("403", auditor=OK, admin=OK),
        get("desk:audit"),
    ),
    "desk:api_tokens": Route(desk(), get("desk:api_tokens")),
    "desk:api_token_revoke": Route(desk(REDIRECT), post("desk:api_token_revoke", revocable)),
    "desk:report_compliance": Route(
        desk(),
        get("desk:report_compliance"),
        # Per official: for the Kasi and above, auditors and admins; not Staff.
        variants=("format=csv", ("format=csv&per=pejabat", {"staff": "403"})),
    ),
    "notices:list": Route(desk(), get("notices:list")),
    "agenda:book": Route(desk(), get("agenda:book"), variants=("format=csv", "format=xlsx")),
    "dashboard:dashboard": Route(desk(), get("dashboard:dashboard")),
    "dashboard:recap": Route(desk(staff="403", kasi="403"), get("dashboard:recap")),
    "records:bundles": Route(desk(), get("records:bundles")),
    "records:bundle_download": Route(
        desk(kasi="403", kabid="403", kadis="403"), get("records:bundle_download", bundle_pk)
    ),
    "records:complaint_pdf": Route(desk(), get("records:complaint_pdf", a_pk)),
    "letters:desk_pdf": Route(desk(), get("letters:desk_pdf", a_letter_pk)),
    # The JSON API: public endpoints, and the officials' with a Bearer token.
    "api:openapi-json": Route(everyone(OK), api("/openapi.json")),
    "api:openapi-view": Route(everyone(OK), api("/docs")),
    "api:api-root": Route(everyone(REDIRECT), api("/")),
    "api:not_found": Route(everyone("404"), api("/tidak-ada")),
    "api:categories": Route(everyone(OK), api("/categories")),
    "api:complaint_create": Route(everyone("422"), api("/complaints", "POST", {})),
    "api:complaint_status": Route({**everyone("404"), "citizen_a": OK}, api_status),
    "api:inbox": Route(api_desk(), api("/inbox")),
    "api:complaint_detail": Route(api_desk(), api(lambda w: f"/desk/complaints/{w.a.pk}")),
    "api:draft": Route(api_desk("422"), api(lambda w: f"/desk/complaints/{w.a.pk}/draft", "POST")),
    "api:ask": Route(
        api_desk("422"), api(lambda w: f"/desk/complaints/{w.a.pk}/info-request", "POST")
    ),
    "api:decide": Route(
        api_desk("422"), api(lambda w: f"/desk/steps/{a_last_step(w)}/decision", "POST")
    ),
    "api:agenda": Route(api_desk(), api("/agenda")),
    # Open311: public by the standard; never the complainant, never a confidential one.
    "open311:discovery": Route(everyone(OK), get("open311:discovery", "json")),
    "open311:services": Route(everyone(OK), get("open311:services", "json")),
    "open311:service": Route(everyone(OK), get("open311:service", "ktp-el", "json")),
    "open311:requests": Route(
        everyone(OK), get("open311:requests", "json"), code_is_public=True, variants=("x=1",)
    ),
    "open311:request": Route(
        everyone(OK), get("open311:request", a_code, "xml"), code_is_public=True
    ),
}
# Django's admin: every page asks its own permission (is_staff, then the model's
# permissions); its index stands for them all here.
ADMIN = Route({**dict.fromkeys(NON_OFFICIALS, LOGIN), **dict.fromkeys(OFFICIALS, OK)}, admin_index)


def route_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            # Unnamed routes: the admin's redirect of old object addresses, or a new route
            # that must get a name to be listed here.
            names.add(namespace + (pattern.name or f"<unnamed {pattern.pattern}>"))
    return names


def status_class(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307):
        location = response["Location"]
        if "/meja/masuk/" in location or "/admin/login/" in location:
            return LOGIN
        return REDIRECT
    if 200 <= status < 300:
        return OK
    return str(status)


def ask(world, persona: str, request: Request, *, fresh: bool = False):
    client = world.browser(persona) if fresh else world.client(persona)
    send = client.post if request.method == "POST" else client.get
    if request.method == "POST" and request.path.startswith("/api/"):
        return send(
            request.path,
            request.data or {},
            content_type="application/json",
            **(request.headers or {}),
        )
    return send(request.path, request.data or {}, **(request.headers or {}))


def test_every_route_is_in_the_table():
    names = {name for name in route_names() if not name.startswith("admin:")}
    assert names - set(ROUTES) == set(), "routes nobody said who may open: add them to ROUTES"
    assert set(ROUTES) - names == set(), "ROUTES names routes that no longer exist"
    assert {name for name in route_names() if name.startswith("admin:")}  # the admin is there


def plain_pdf(*lines: str) -> bytes:
    """A stand-in for a rendered PDF, its text uncompressed, so that a leak shows."""
    return ("%PDF-1.4\n% " + " / ".join(lines) + "\n%%EOF\n").encode()


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRACK_RATE = None  # this test asks more than a citizen would; limits have their own
    # Who gets the letter and the complete record is the question, not how they look: the
    # documents are stand-ins naming A in clear text (WeasyPrint takes seconds a file).
    monkeypatch.setattr(
        "aduan.papers.letter_pdf.letter_pdf_build",
        lambda letter: (plain_pdf("Surat jawaban", letter.complaint.name, A_MARKER), False),
    )
    monkeypatch.setattr(
        "aduan.papers.record_views.render_record",
        lambda context: plain_pdf("Lembar pengaduan", context["complaint"].name, A_MARKER),
    )
    return build_world()


def test_each_persona_gets_what_the_table_says_and_outsiders_none_of_a_s_data(world):
    wrong, leaks = [], []
    for name, route in {**ROUTES, "admin:index": ADMIN}.items():
        for persona in PERSONAS:
            request = route.url(world, persona)
            expected = route.expected[persona]
            requests = [(request, expected)]
            for variant in route.variants:
                query, override = variant if isinstance(variant, tuple) else (variant, {})
                path = request.path + ("&" if "?" in request.path else "?") + query
                requests.append(
                    (
                        Request(path, request.method, request.data, request.headers),
                        override.get(persona, expected),
                    )
                )
            if route.also_post:
                requests.append((Request(request.path, "POST", {}, request.headers), expected))
            for one, expected in requests:
                response = ask(world, persona, one, fresh=route.own_browser)
                got = status_class(response)
                if got != expected:
                    wrong.append((name, persona, one.method, one.path, expected, got))
                if persona in OUTSIDERS:
                    code = None if route.code_is_public else world.a.tracking_code
                    found = a_data_in(body_of(response), code=code, asked=one.path)
                    found += a_data_in(response.get("Location", "").encode(), code=code)
                    if world.a_secret.replace("-", "") in response.get("Location", "").replace(
                        "-", ""
                    ):
                        found.append("secret")
                    if found:
                        leaks.append((name, persona, one.path, found))
    assert (wrong, leaks) == ([], []), "\n".join(map(str, wrong + ["leaks:"] + leaks))


def test_citizen_b_reaches_b_s_own_complaint_and_not_a_s(world):
    browser = world.client("citizen_b")
    own = browser.get(reverse("public:track", args=[world.b.tracking_code]))
    assert own.status_code == 200 and "PENANDA-B-4K8M" in own.content.decode()
    theirs = browser.get(reverse("public:track", args=[world.a.tracking_code]))
    assert theirs.status_code == 302 and theirs["Location"] == reverse("public:track_form")
    # B's secret with A's code, on the page, the link and the API: not found.
    response = browser.post(
        reverse("public:track_form"), {"code": world.a.tracking_code, "secret": world.b_secret}
    )
    assert response.status_code == 200 and a_data_in(response.content) == []
    assert "tidak ditemukan" in response.content.decode()
    api = browser.get(
        f"/api/v1/complaints/{world.a.tracking_code}/status",
        HTTP_X_TRACKING_SECRET=world.b_secret,
    )
    assert api.status_code == 404 and a_data_in(api.content, code=world.a.tracking_code) == []


def test_citizen_a_sees_a_s_answer_and_letter(world):
    browser = world.client("citizen_a")
    page = browser.get(reverse("public:track", args=[world.a.tracking_code]))
    assert A_MARKER in page.content.decode()
    letter = browser.get(reverse("public:track_letter", args=[world.a.tracking_code]))
    assert letter["Content-Type"] == "application/pdf"


def test_only_the_owner_revokes_a_token(world):
    from aduan.api.models import ApiToken

    for persona in ("kasi", "kabid", "kadis", "auditor", "admin"):
        world.client(persona).post(
            reverse("desk:api_token_revoke", args=[world.revocable_token_id])
        )
    assert ApiToken.objects.get(pk=world.revocable_token_id).revoked_at is None
    world.client("staff").post(reverse("desk:api_token_revoke", args=[world.revocable_token_id]))
    assert ApiToken.objects.get(pk=world.revocable_token_id).revoked_at is not None


def test_a_disabled_official_s_token_and_session_open_nothing(world):
    browser = world.client("disabled")
    assert status_class(browser.get(reverse("desk:complaint", args=[world.a.pk]))) == LOGIN
    api = browser.get(
        f"/api/v1/desk/complaints/{world.a.pk}",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['disabled']}",
    )
    assert api.status_code == 401 and a_data_in(api.content, code=world.a.tracking_code) == []
