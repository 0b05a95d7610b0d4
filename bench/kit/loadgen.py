"""The load generator, on the standard library only, for Aduan and for django-helpdesk alike:
the approach of the peer kit's loadgen.py (../shared/peer-bench), so both sides are measured
by the same code on the same machine.

- `Session`: a browser's cookie jar on http.client (one connection kept while the server
  keeps it; gunicorn's sync workers close it after every answer).
- `run_closed_loop`: N threads, each sets up untimed, then all start together and repeat
  one operation (a filing, a POST) until the level's time is up; each operation is timed.
- `run_sequential`: one client, warm-up requests, then N timed ones (an official's pages).
- `percentile`: nearest rank (the smallest value with at least p% of the values at or
  below it), the definition the tables use.
"""

import http.client
import math
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Session:
    """One browser: cookies kept, redirects not followed."""

    def __init__(self, base_url: str, *, timeout: float = 60.0):
        parts = urllib.parse.urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"the load generator only targets loopback, not {parts.hostname!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.netloc = parts.netloc
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        multipart: bool = False,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        sent = {"Host": self.netloc, "User-Agent": "aduan-bench/1"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            if multipart:
                body, sent["Content-Type"] = multipart_body(form)
            else:
                body = urllib.parse.urlencode(form).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        for attempt in (0, 1):  # one retry, only for a kept connection the server closed
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.close()
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return response.status, response.headers, data


def multipart_body(fields: dict[str, str]) -> tuple[bytes, str]:
    """multipart/form-data of text fields, as a browser sends a form with a file input."""
    boundary = "----aduanbench" + secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


# --- figures ------------------------------------------------------------------------------


def percentile(ascending: list[float], p: float) -> float | None:
    """Nearest rank: the value at rank ceil(p/100 * n) of an ascending list."""
    if not ascending:
        return None
    rank = max(1, math.ceil(p / 100 * len(ascending) - 1e-9))
    return ascending[min(rank, len(ascending)) - 1]


def latency_figures(seconds: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    figures = {f"p{p}_ms": percentile(ms, p) for p in (50, 95, 99)}
    figures["max_ms"] = ms[-1] if ms else None
    return {k: (round(v, 2) if v is not None else None) for k, v in figures.items()}


@dataclass
class Done:
    """One operation's outcome: ok or the kind of failure, the HTTP requests it made, and
    named parts timed inside it (seconds), e.g. the storing POST of a filing."""

    ok: bool
    error: str = ""
    requests: int = 1
    parts: dict[str, float] = field(default_factory=dict)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    requests: int = 0

    def add(self, done: Done, seconds: float) -> None:
        self.requests += done.requests
        if not done.ok:
            self.errors[done.error] = self.errors.get(done.error, 0) + 1
            return
        self.latencies.append(seconds)
        for name, value in done.parts.items():
            self.parts.setdefault(name, []).append(value)

    def merge(self, other: "Tally") -> None:
        self.latencies += other.latencies
        self.requests += other.requests
        for name, values in other.parts.items():
            self.parts.setdefault(name, []).extend(values)
        for kind, count in other.errors.items():
            self.errors[kind] = self.errors.get(kind, 0) + count


def figures_of(tally: Tally, elapsed: float, **labels) -> dict:
    """The level's figures: operations and HTTP requests per second, latencies (ms)."""
    return {
        **labels,
        "ok": len(tally.latencies),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "elapsed_s": round(elapsed, 3),
        "rps": round(len(tally.latencies) / elapsed, 2) if elapsed > 0 else None,
        "http_rps": round(tally.requests / elapsed, 2) if elapsed > 0 else None,
        **latency_figures(tally.latencies),
        "parts": {name: latency_figures(values) for name, values in tally.parts.items()},
    }


# --- runners ------------------------------------------------------------------------------

Operation = Callable[[], Done]


def run_closed_loop(
    make_worker: Callable[[int], Operation], *, concurrency: int, duration: float, **labels
) -> dict:
    """`concurrency` threads: each calls make_worker(i) (untimed setup), then all start at
    once and repeat their operation until `duration` seconds are up. An exception in the
    operation counts as an error of its type."""
    lock = threading.Lock()
    total = Tally()
    started = [0.0]
    barrier = threading.Barrier(
        concurrency + 1, action=lambda: started.__setitem__(0, time.perf_counter())
    )
    setup_errors: list[str] = []

    def body(i: int) -> None:
        try:
            operation = make_worker(i)
        except Exception as exc:  # a failed setup must not leave the barrier waiting
            setup_errors.append(f"setup: {exc!r}"[:120])
            operation = None
        barrier.wait()
        if operation is None:
            return
        deadline = started[0] + duration
        mine = Tally()
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                done = operation()
            except Exception as exc:  # noqa: BLE001 (any failure is a figure, not a crash)
                done = Done(ok=False, error=type(exc).__name__)
            mine.add(done, time.perf_counter() - began)
        with lock:
            total.merge(mine)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join(duration + 180)
    elapsed = time.perf_counter() - started[0]
    for problem in setup_errors:
        total.errors[problem] = total.errors.get(problem, 0) + 1
    return figures_of(total, elapsed, concurrency=concurrency, **labels)


def run_sequential(
    operation: Operation, *, requests: int, warmup: int, time_cap: float = 600, **labels
) -> dict:
    """One client: `warmup` untimed operations, then `requests` timed ones (fewer if
    `time_cap` seconds pass first)."""
    for _ in range(warmup):
        operation()
    tally = Tally()
    began = time.perf_counter()
    for _ in range(requests):
        if time.perf_counter() - began > time_cap:
            break
        started = time.perf_counter()
        try:
            done = operation()
        except Exception as exc:  # noqa: BLE001
            done = Done(ok=False, error=type(exc).__name__)
        tally.add(done, time.perf_counter() - started)
    return figures_of(tally, time.perf_counter() - began, concurrency=1, **labels)


def get_page(session: Session, path: str, *, expect: int = 200) -> Operation:
    """An operation: GET `path` with the session, expecting `expect`."""

    def operation() -> Done:
        status, _headers, _body = session.request("GET", path)
        return Done(ok=status == expect, error=f"HTTP {status}")

    return operation
