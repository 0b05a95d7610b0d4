"""One id per request, for following it through the proxy's, the server's and our logs.

`RequestIdMiddleware` takes the id the reverse proxy sent in `X-Request-ID` (nginx:
`proxy_set_header X-Request-ID $request_id;`) when it is a safe token, 1 to 64 characters
of `A-Z a-z 0-9 . _ -`, and otherwise makes one. The id is sent back in the response's
`X-Request-ID` header and, while the request is handled, is in `current_request_id()`,
which the JSON log formatter (aduan.lib.logs) writes on every line. It carries nothing
about the person: the proxy's random id or a new one.

It goes first in MIDDLEWARE, so that every line logged while handling the request,
the other middleware's included, carries the id.
"""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("aduan_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled in this thread or task; None outside one."""
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a safe token, otherwise a new random one."""
    if header and SAFE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        _request_id.set(request_id)
        try:
            response = self.get_response(request)
        except BaseException:
            _forget()
            raise
        response[HEADER] = request_id
        # The id is kept until the response is closed (request_finished), not only until
        # the middleware returns: Django logs "Not Found: /..." and the other 4xx/5xx
        # lines after the middleware, and they should carry the id too.
        return response


def _forget(**kwargs) -> None:
    _request_id.set(None)


request_finished.connect(_forget, dispatch_uid="aduan.lib.request_id.forget")
