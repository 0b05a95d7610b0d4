"""One HTTP request to a provider, with its failures sorted into temporary and permanent."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from aduan.notify.channels.base import PermanentFailure, TemporaryFailure


def http_send(
    url: str, *, data: bytes, headers: dict[str, str], method: str = "POST"
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:500].decode("utf-8", "replace")
        if exc.code == 429 or exc.code >= 500:
            raise TemporaryFailure(f"HTTP {exc.code}: {body}") from exc
        raise PermanentFailure(f"HTTP {exc.code}: {body}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TemporaryFailure(f"penyedia tidak dapat dihubungi: {exc}") from exc


def json_or_empty(content: bytes) -> dict:
    try:
        value = json.loads(content or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
