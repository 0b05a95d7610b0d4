"""The benchmark kit (issue #10), `make bench`: every scenario on SQLite and PostgreSQL, with
django-helpdesk and a one-INSERT view beside them, into bench/results/<date>-<HHMM>-<host>.md
(and .json with the raw figures).

Run:  .venv/bin/python bench/run.py [--quick] [--db sqlite,postgres] [--no-peer] ...
      make bench BENCH_ARGS="--quick"

For each database kind (a throwaway SQLite file; a throwaway database on the PostgreSQL
server of --postgres-url), Aduan under gunicorn (--workers sync workers, production
settings, DEBUG off, rate limits raised), the load from this process on loopback:
  - the citizen's web form (five requests a filing) and Open311 POST, closed loop at each
    concurrency of --levels for --duration seconds: filings/s, HTTP requests/s, p50/p95/p99;
  - the one-INSERT view (bench/insertsite, only in its own settings module), the same way;
  - at each of --sizes complaints (`manage.py seed_complaints`): an official's inbox, a
    complaint page and the dashboard over HTTP, --requests after --warmup: p50/p95/p99,
    and SQL queries per request counted in-process;
  - the SLA sweep over --sweep-steps open steps and the agenda XLSX of --agenda-rows rows:
    time and peak memory.
Then django-helpdesk (bench/kit/peer.py) by the same load generator: public submission and
its INSERT view at each level, its staff pages at each of --peer-sizes tickets.
--quick: sizes 1,000 and 5,000, 5 s levels, small batch jobs, no peer: 10 to 20 minutes.
"""

import argparse
import json
import socket
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.kit import machine, report  # noqa: E402
from bench.kit.ours_run import Plan, run_database  # noqa: E402

PARTS = ("web", "open311", "insert", "desk", "sweep", "agenda")
FULL = {
    "sizes": "100000,1000000",
    "peer_sizes": "10000,100000",
    "duration": 20.0,
    "sweep_steps": 1_000_000,
    "sweep_due": 10_000,
    "agenda_rows": 100_000,
}
QUICK = {
    "sizes": "1000,5000",
    "peer_sizes": "1000,5000",
    "duration": 5.0,
    "sweep_steps": 5_000,
    "sweep_due": 500,
    "agenda_rows": 5_000,
}


def _numbers(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def options_parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, 5 s levels, no peer")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run django-helpdesk beside (default: yes, except with --quick)",
    )
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts: {','.join(PARTS)}")
    parser.add_argument("--levels", default="1,4,16", help="concurrency levels")
    parser.add_argument("--duration", type=float, help="seconds per level (20; quick 5)")
    parser.add_argument("--sizes", help="complaints for the officials' pages (100000,1000000)")
    parser.add_argument("--peer-sizes", help="django-helpdesk tickets (10000,100000)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--intake-share",
        type=float,
        default=0.02,
        help="the intake worker's --share during the filing scenarios (production's 0.02)",
    )
    parser.add_argument("--sweep-steps", type=int, help="open steps for the SLA sweep")
    parser.add_argument("--sweep-due", type=int, help="steps due at the busy sweep")
    parser.add_argument("--agenda-rows", type=int, help="complaints in the agenda XLSX")
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to make throwaway databases on",
    )
    parser.add_argument("--peer-kit", type=Path, default=ROOT.parent / "shared" / "peer-bench")
    parser.add_argument("--peer-home", type=Path, default=ROOT / "bench" / ".peer")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--render", type=Path, metavar="JSON", help="only write the .md of an earlier run's .json"
    )
    options = parser.parse_args(argv)
    defaults = QUICK if options.quick else FULL
    for name, value in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, value)
    if options.peer is None:
        options.peer = not options.quick
    if options.peer and not (options.peer_kit / "peer" / "peerproj").is_dir():
        # Said now, not after half an hour of measuring Aduan.
        parser.error(f"--peer-kit: the peer kit is not at {options.peer_kit} (or pass --no-peer)")
    kinds = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}
    try:
        options.kinds = [kinds[k.strip()] for k in options.db.split(",") if k.strip()]
    except KeyError as exc:
        parser.error(f"--db: {exc.args[0]!r} is not sqlite or postgres")
    options.parts = {p.strip() for p in options.only.split(",") if p.strip()}
    if unknown := options.parts - set(PARTS):
        parser.error(f"--only: unknown parts {sorted(unknown)}; choose from {','.join(PARTS)}")
    options.levels = _numbers(options.levels)
    options.sizes = _numbers(options.sizes)
    options.peer_sizes = _numbers(options.peer_sizes)
    return options


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def main(argv: list[str]) -> int:
    options = options_parse(argv)
    if options.render:
        results = json.loads(options.render.read_text())
        options.render.with_suffix(".md").write_text(report.markdown(results))
        print(options.render.with_suffix(".md").read_text())
        return 0
    started = time.monotonic()
    date = machine.now()
    results: dict = {
        "meta": {
            "date": date.isoformat(timespec="seconds"),
            "machine": machine.machine(),
            "versions": machine.versions(
                postgres_url=options.postgres_url if "postgresql" in options.kinds else None
            ),
        },
        "options": {
            "argv": argv,
            **{
                k: getattr(options, k)
                for k in (
                    "quick",
                    "levels",
                    "duration",
                    "sizes",
                    "peer_sizes",
                    "requests",
                    "warmup",
                    "workers",
                    "intake_share",
                    "sweep_steps",
                    "sweep_due",
                    "agenda_rows",
                )
            },
            "parts": sorted(options.parts),
            "kinds": options.kinds,
        },
        "ours": {},
        "failures": [],
    }
    plan = Plan(
        workers=options.workers,
        intake_share=options.intake_share,
        levels=options.levels,
        duration=options.duration,
        sizes=options.sizes,
        requests=options.requests,
        warmup=options.warmup,
        sweep_steps=options.sweep_steps,
        sweep_due=options.sweep_due,
        agenda_rows=options.agenda_rows,
        parts=options.parts,
        postgres_url=options.postgres_url,
    )
    for kind in options.kinds:
        log(f"Aduan on {kind}")
        try:
            results["ours"][kind] = run_database(kind, plan, log)
        except Exception as exc:  # one database failing still reports the other
            traceback.print_exc()
            results["ours"][kind] = {}
            results["failures"].append(f"Aduan on {kind}: {type(exc).__name__}: {exc}"[:2000])
    if options.peer:
        from bench.kit.peer import peer_run

        log("django-helpdesk (SQLite)")
        try:
            results["peer"] = peer_run(
                kit=options.peer_kit,
                home=options.peer_home,
                workers=options.workers,
                levels=options.levels,
                duration=options.duration,
                # Its staff pages go with ours (--only desk); its filing with our filing.
                sizes=options.peer_sizes if "desk" in options.parts else [],
                requests=options.requests,
                warmup=options.warmup,
                log=log,
            )
        except Exception as exc:
            traceback.print_exc()
            results["failures"].append(f"django-helpdesk: {type(exc).__name__}: {exc}"[:2000])
    results["meta"]["minutes"] = round((time.monotonic() - started) / 60, 1)
    results["meta"]["machine"]["load_at_end"] = machine.machine()["load_at_start"]
    options.out.mkdir(parents=True, exist_ok=True)
    stem = f"{date:%Y-%m-%d-%H%M}-{socket.gethostname()}" + ("-quick" if options.quick else "")
    text = report.markdown(results)
    (options.out / f"{stem}.md").write_text(text)
    (options.out / f"{stem}.json").write_text(json.dumps(results, indent=1) + "\n")
    print(text)
    log(f"written {options.out / stem}.md and .json")
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
