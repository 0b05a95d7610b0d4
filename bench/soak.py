"""Benchmark: soak. Citizens file complaints at half the measured peak rate for minutes on
end while officials work the desk at the same time; no 5xx allowed, memory should stay flat.

Run:  .venv/bin/python bench/soak.py [--minutes 10] [--ramp-seconds 10] [--workers 2]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/soak.py

It makes a throwaway installation (bench/load.py: SQLite in a temporary folder, or a new
database on the PostgreSQL server of DATABASE_URL, dropped at the end), migrates it, loads
the SOP, collects the static files, adds five officials (Staff Budi and Eko, Kasi Wati,
Kabid Agus, Kadis Hadi) and serves it with gunicorn and `--workers` sync workers, as
production runs it (without the background loops: the letters' PDFs stay queued).
  1. Peak: citizens file through the public JSON API (`POST /api/v1/complaints`) in a
     closed loop at concurrency 1, 4 and 16, `--ramp-seconds` each; the peak is the best
     rate of 2xx answers.
  2. Soak: for `--minutes`, filings are started on a fixed schedule at half the peak rate
     (open loop, 32 client threads), while each official, in a real browser session (log in
     at /meja/masuk/ with the CSRF token, cookies), opens the inbox, opens a complaint from
     it, writes the draft answer where none is written, and decides the open step through
     the desk's form (the Kasi returns one in ten to Staff with a note), pausing
     `--think` seconds between complaints. The server's resident memory (VmRSS of the
     gunicorn master and each worker, from /proc) is sampled every 10 s.
Prints a markdown table: requests, rate, answers by status class, p50/p95 latency, and the
memory of each process at the start, middle and end. Exit status 1 on any 5xx.
"""

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load import (  # noqa: E402
    Browser,
    NoAnswer,
    Server,
    complaint_file,
    installation_create,
    installation_prepare,
    manage,
    rss_mib,
)

OFFICIALS = [
    ("budi", "Budi", "staff"),
    ("eko", "Eko", "staff"),
    ("wati", "Wati", "kasi"),
    ("agus", "Agus", "kabid"),
    ("hadi", "Hadi", "kadis"),
]
PASSWORD = "soak-Sandi-Uji-2026"
MAKE_OFFICIALS = f"""
from aduan.accounts.models import RoleGrant, User
for username, first_name, role in {OFFICIALS!r}:
    user = User.objects.create_user(
        username=username, first_name=first_name, password={PASSWORD!r}, is_staff=True
    )
    RoleGrant.objects.create(user=user, role=role)
"""
SAMPLE_EVERY = 10  # seconds between memory samples
COMPLAINT_LINK = re.compile(r'href="/meja/pengaduan/(\d+)/"')
STEP_ID = re.compile(r'name="step_id" value="(\d+)"')
EDGE = re.compile(r'name="edge" value="([^"]+)"')


class Tally:
    """Answers by kind of request: status classes, latencies, requests without an answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.classes: dict[str, Counter] = defaultdict(Counter)
        self.server_errors: list[str] = []
        self.refusals: Counter[str] = Counter()

    def record(self, kind: str, status: int | None, seconds: float, what: str = "") -> None:
        with self.lock:
            if status is None:
                self.classes[kind]["no answer"] += 1
                return
            self.latency[kind].append(seconds)
            self.classes[kind][f"{status // 100}xx"] += 1
            if 400 <= status < 500:
                self.refusals[f"{kind} {what}: {status}"] += 1
            if status >= 500:
                self.server_errors.append(f"{kind} {what}: {status}")

    def ok(self, kind: str) -> int:
        with self.lock:
            return self.classes[kind]["2xx"]


def file_once(port: int, n: int, tally: Tally) -> None:
    began = time.monotonic()
    try:
        status, _answer = complaint_file(port, n)
    except NoAnswer:
        tally.record("filing", None, 0)
        return
    tally.record("filing", status, time.monotonic() - began, "POST /api/v1/complaints")


class Numbers:
    """Complaint numbers for the filings, shared by every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.n = 0

    def take(self) -> int:
        with self.lock:
            self.n += 1
            return self.n


def measure_peak(port: int, *, seconds: float, numbers: Numbers) -> dict[int, float]:
    """Filings per second answered 2xx, in a closed loop at each concurrency."""
    rates = {}
    for concurrency in (1, 4, 16):
        tally = Tally()
        stop_at = time.monotonic() + seconds

        def loop(tally=tally, stop_at=stop_at):
            while time.monotonic() < stop_at:
                file_once(port, numbers.take(), tally)

        began = time.monotonic()
        threads = [threading.Thread(target=loop) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rates[concurrency] = tally.ok("filing") / (time.monotonic() - began)
        print(f"  concurrency {concurrency:>2}: {rates[concurrency]:.1f} filings/s", flush=True)
        if tally.server_errors:
            raise SystemExit(f"server errors while measuring the peak: {tally.server_errors}")
    return rates


def citizens(port: int, *, rate: float, stop_at: float, numbers: Numbers, tally: Tally):
    """Open loop: filing k starts at `start + k / rate` (late when all clients are busy)."""
    start = time.monotonic()
    slots = Numbers()
    late = Counter()

    def client():
        while True:
            slot = slots.take() - 1
            due = start + slot / rate
            if due >= stop_at:
                return
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -1:
                late["over 1 s late"] += 1
            file_once(port, numbers.take(), tally)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(32)]
    for thread in threads:
        thread.start()
    return threads, late


def official(
    port: int, username: str, role: str, *, stop_at: float, think: float, tally: Tally
) -> None:
    """One official at the desk: inbox, a complaint from it, the draft if none, a decision."""
    rng = random.Random(username)
    browser = Browser(port)

    def call(kind: str, method: str, path: str, fields=None) -> tuple[int | None, str]:
        began = time.monotonic()
        try:
            status, _headers, text = browser.request(method, path, fields)
        except NoAnswer:
            tally.record(kind, None, 0)
            return None, ""
        label = re.sub(r"\d+", "<id>", path)
        tally.record(kind, status, time.monotonic() - began, f"{username} {method} {label}")
        return status, text

    browser.log_in(username, PASSWORD)
    while time.monotonic() < stop_at:
        status, inbox = call("desk page", "GET", "/meja/")
        if status == 302:  # the session ended (idle timeout): sign in again
            browser.log_in(username, PASSWORD)
            continue
        ids = list(dict.fromkeys(COMPLAINT_LINK.findall(inbox)))
        if not ids:
            time.sleep(think)
            continue
        pk = rng.choice(ids[:10])  # the oldest first; two Staff rarely take the same one
        page_path = f"/meja/pengaduan/{pk}/"
        status, page = call("desk page", "GET", page_path)
        step, edges = STEP_ID.search(page or ""), EDGE.findall(page or "")
        if status != 200 or not step or not edges:
            time.sleep(think)
            continue
        if f'action="{page_path}konsep/"' in page and "Tulis konsep jawaban" in page:
            body = f"Yth. Bapak/Ibu, pengaduan Anda telah kami periksa (konsep oleh {username})."
            status, page = call(
                "desk decision", "POST", f"{page_path}konsep/", {"kind": "answer", "body": body}
            )
            if status != 302:
                continue
        returns = [e for e in edges if e.startswith("return:")]
        approves = [e for e in edges if e.startswith("approve:")]
        if returns and (not approves or rng.random() < 0.1):
            edge, note = returns[0], "Mohon konsep jawaban diperbaiki."
        else:
            edge, note = approves[0], ""
        call(
            "desk decision",
            "POST",
            f"{page_path}keputusan/",
            {"step_id": step.group(1), "edge": edge, "note": note},
        )
        time.sleep(think)


def memory_sampler(server: Server, *, stop_at: float, samples: list) -> threading.Thread:
    def sample():
        while True:
            samples.append(
                (time.monotonic(), {label: rss_mib(pid) for label, pid in server.pids().items()})
            )
            if time.monotonic() + SAMPLE_EVERY > stop_at:
                return
            time.sleep(SAMPLE_EVERY)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(*, vendor, workers, peak, rate, seconds, tally, samples, late) -> str:
    lines = [
        f"Soak on {vendor}, gunicorn with {workers} sync workers: peak "
        + ", ".join(f"{r:.1f}/s at concurrency {c}" for c, r in peak.items())
        + f"; filings scheduled at {rate:.1f}/s for {seconds / 60:.1f} min"
        + (f" ({late['over 1 s late']} started over 1 s late)" if late else "")
        + ".",
        "",
        "| requests | count | rate /s | 2xx | 3xx | 4xx | 5xx | no answer | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    kinds = ["filing", "desk page", "desk decision"]
    for kind in [*kinds, "all"]:
        if kind == "all":
            classes = sum((tally.classes[k] for k in kinds), Counter())
            times = [t for k in kinds for t in tally.latency[k]]
        else:
            classes, times = tally.classes[kind], tally.latency[kind]
        count = sum(classes.values())
        lines.append(
            f"| {kind} | {count} | {count / seconds:.2f} | {classes['2xx']} | {classes['3xx']} "
            f"| {classes['4xx']} | {classes['5xx']} | {classes['no answer']} "
            f"| {percentile(times, 0.5) * 1000:.0f} | {percentile(times, 0.95) * 1000:.0f} |"
        )
    lines += [
        "",
        "| process | RSS start MiB | middle | end | max | end − start | end − middle |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    first, middle, last = samples[0][1], samples[len(samples) // 2][1], samples[-1][1]
    for label in first:
        series = [s[1].get(label) for s in samples if s[1].get(label) is not None]
        start, end = first.get(label), last.get(label)
        gone = end is None or middle.get(label) is None
        lines.append(
            f"| {label} | {start:.1f} | {middle.get(label) or float('nan'):.1f} "
            f"| {end or float('nan'):.1f} | {max(series):.1f} "
            f"| {'(replaced)' if gone else f'{end - start:+.1f}'} "
            f"| {'(replaced)' if gone else f'{end - middle[label]:+.1f}'} |"
        )
    extra = sorted({label for s in samples for label in s[1]} - set(first))
    if extra:
        lines.append(f"\nProcesses that appeared during the run (worker restarts?): {extra}")
    lines.append(f"\n{len(samples)} memory samples, every {SAMPLE_EVERY} s.")
    if tally.refusals:
        lines.append(
            "4xx answers (expected: two officials deciding the same step, one is refused): "
            + "; ".join(f"{what} ×{n}" for what, n in tally.refusals.most_common())
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--ramp-seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=1.0, help="officials' pause, seconds")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    installation = installation_create(
        base_url=base if base.startswith("postgres") else "", prefix="aduan_soak"
    )
    server = Server(installation, workers=args.workers)
    try:
        print(f"Preparing a {installation.vendor} installation in {installation.folder} …")
        installation_prepare(installation, static=True)
        manage(installation, "shell", "--no-startup", "--no-imports", "-c", MAKE_OFFICIALS)
        server.start()
        numbers = Numbers()
        print(f"Peak filing rate ({args.ramp_seconds:.0f} s per concurrency):", flush=True)
        peak = measure_peak(server.port, seconds=args.ramp_seconds, numbers=numbers)
        rate = max(peak.values()) / 2
        seconds = args.minutes * 60
        print(f"Soak: {args.minutes:g} min at {rate:.1f} filings/s with 5 officials …", flush=True)

        tally, samples = Tally(), []
        stop_at = time.monotonic() + seconds
        sampler = memory_sampler(server, stop_at=stop_at, samples=samples)
        desk = [
            threading.Thread(
                target=official,
                args=(server.port, username, role),
                kwargs={"stop_at": stop_at, "think": args.think, "tally": tally},
                daemon=True,
            )
            for username, _name, role in OFFICIALS
        ]
        for thread in desk:
            thread.start()
        filers, late = citizens(
            server.port, rate=rate, stop_at=stop_at, numbers=numbers, tally=tally
        )
        for thread in [*filers, *desk, sampler]:
            thread.join(max(0, stop_at - time.monotonic()) + 120)
        print()
        print(
            report(
                vendor=installation.vendor,
                workers=args.workers,
                peak=peak,
                rate=rate,
                seconds=seconds,
                tally=tally,
                samples=samples,
                late=late,
            )
        )
        if tally.server_errors:
            print("\nServer errors:", *Counter(tally.server_errors).most_common(), sep="\n  ")
            print(server.log())
            return 1
        return 0
    finally:
        server.stop()
        installation.drop()


if __name__ == "__main__":
    raise SystemExit(main())
