"""The NinjaAPI at /api/v1/: its routers, its error handlers, its OpenAPI document.

Token or anonymous access only: no session authentication, so no CSRF to ask for.
"""

from ninja import NinjaAPI

from aduan.api import agenda, desk, errors, public

api = NinjaAPI(
    title="Aduan API",
    version="1",
    description=(
        "The complaint system of the Disdukcapil Kota Mojokerto. Public: file a complaint "
        "and follow it with its tracking code and secret. Officials: a Bearer token "
        "created at /meja/token/. Every error has the shape "
        '`{"error": {"code", "message", "fields"}}`; messages are in Bahasa Indonesia.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", desk.router)
api.add_router("", agenda.router)
