"""The kit's report: the targets of issue #10 judged plainly ("met" / "missed"), then our
figures, django-helpdesk's, and the ratios, as markdown."""

TARGET_SIZE = 1_000_000
DB_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _n(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _numeric(cell) -> bool:
    text = str(cell).replace(",", "").replace("–", "0").split(" ")[0]
    try:
        float(text)
    except ValueError:
        return False
    return True


def _table(head: list[str], rows: list[list]) -> list[str]:
    right = [
        "---:" if rows and all(_numeric(row[i]) for row in rows) else "---"
        for i in range(len(head))
    ]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(right) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _at(levels: list[dict] | None, concurrency: int) -> dict | None:
    return next((lv for lv in levels or [] if lv["concurrency"] == concurrency), None)


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours is not None and theirs else None


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "missed")


def _largest(desk: dict) -> tuple[int, dict] | tuple[None, None]:
    if not desk:
        return None, None
    size = max(desk, key=int)
    return int(size), desk[size]


def _page(figures: dict, name: str) -> dict | None:
    return next((p for p in figures["pages"] if p["page"] == name), None)


def _insert_baseline(ours: dict, top: int) -> tuple[float | None, str]:
    """The one-INSERT view's rate at the top level that the 70% target is read against:
    the mean of its runs before and after Aduan's load when both were made, and how."""
    after = (_at(ours.get("insert"), top) or {}).get("rps")
    before = (_at(ours.get("insert_before"), top) or {}).get("rps")
    if before is None or after is None:
        return after, ""
    return (before + after) / 2, f" (the mean of {_n(before)} before and {_n(after)} after)"


def targets(results: dict) -> list[list[str]]:
    rows = []
    peer = results.get("peer") or {}
    top = max(results["options"]["levels"])
    peer_submit = (_at(peer.get("submit"), top) or {}).get("rps")
    for kind, ours in results["ours"].items():
        db = DB_NAMES[kind]
        insert, insert_said = _insert_baseline(ours, top)
        for label, key in (("web form, complete filings", "web_form"), ("Open311 POST", "open311")):
            rate = (_at(ours.get(key), top) or {}).get("rps")
            if rate is None:
                continue
            vs_peer = _ratio(rate, peer_submit)
            rows.append(
                [
                    f"{db}: public submission ({label}) at c={top} ≥ 3× django-helpdesk's",
                    f"{_n(rate)}/s vs {_n(peer_submit)}/s: {_n(vs_peer, 2)}×",
                    _verdict(None if vs_peer is None else vs_peer >= 3),
                ]
            )
            vs_insert = _ratio(rate, insert)
            share = None if vs_insert is None else vs_insert * 100
            rows.append(
                [
                    f"{db}: public submission ({label}) at c={top} ≥ 70% of the one-INSERT view",
                    f"{_n(rate)}/s vs {_n(insert)}/s{insert_said}: {_n(share)}%",
                    _verdict(None if vs_insert is None else vs_insert >= 0.7),
                ]
            )
        size, at_size = _largest(ours.get("desk"))
        if size is None:
            continue
        where = f"{size:,} complaints" + ("" if size == TARGET_SIZE else " (not 1,000,000)")
        for name, limit in (
            ("inbox (Staff)", 50),
            ("inbox (Kadis)", 50),
            ("dashboard (Kadis)", 200),
        ):
            page = _page(at_size, name)
            p95 = page["p95_ms"] if page else None
            rows.append(
                [
                    f"{db}: {name} p95 < {limit} ms at {where}",
                    f"{_n(p95)} ms",
                    _verdict(None if p95 is None else p95 < limit),
                ]
            )
        counts = _query_counts(ours["desk"])
        if len(ours["desk"]) > 1:
            changed = {what: c for what, c in counts.items() if len(set(c.values())) > 1}
            figure = "; ".join(
                f"{what}: " + " → ".join(f"{q}" for q in c.values()) for what, c in changed.items()
            ) or "the same at " + ", ".join(f"{int(s):,}" for s in ours["desk"])
            rows.append(
                [f"{db}: queries per page constant in the data size", figure, _verdict(not changed)]
            )
    return rows


def _query_counts(desk: dict) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for size, figures in desk.items():
        for row in figures["queries"]:
            counts.setdefault(row["what"], {})[size] = row["queries"]
    return counts


def _scenarios(side: dict) -> list[tuple[str, list[dict]]]:
    """(name, levels) of one side's closed-loop scenarios."""
    if "helpdesk" in side:
        peer = side["helpdesk"]
        return [("django-helpdesk " + k, peer[k]) for k in ("submit", "insert") if peer.get(k)]
    names = {
        "web_form": "web form",
        "open311": "Open311 POST",
        "insert_before": "one INSERT (before)",
        "insert": "one INSERT",
    }
    return [(label, side[key]) for key, label in names.items() if side.get(key)]


def _levels_rows(db: str, scenario: str, levels: list[dict] | None, part: str = "") -> list[list]:
    rows = []
    for lv in levels or []:
        store = lv["parts"].get(part, {}) if part else {}
        rows.append(
            [
                db,
                scenario,
                lv["concurrency"],
                _n(lv["rps"]),
                _n(lv["http_rps"]),
                _n(lv["p50_ms"]),
                _n(lv["p95_ms"]),
                _n(lv["p99_ms"]),
                " / ".join(_n(store.get(k)) for k in ("p50_ms", "p95_ms", "p99_ms"))
                if part
                else "",
                lv["errors"] or 0,
            ]
        )
    return rows


def markdown(results: dict) -> str:
    meta, options = results["meta"], results["options"]
    m, v = meta["machine"], meta["versions"]
    out = [
        f"# Benchmarks: {meta['date'][:10]} on {m['hostname']}",
        "",
        f"`make bench` (bench/run.py {' '.join(options['argv'])}), started {meta['date']}, "
        f"took {meta.get('minutes', '?')} min.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['kernel']}; "
        f"load average at start {m['load_at_start']}, at the end {m.get('load_at_end', '?')}. "
        "The load generator runs on the same "
        "machine (loopback), sharing its cores with the servers.",
        "- Versions: "
        + ", ".join(f"{k.replace('_', ' ')} {val}" for k, val in v.items())
        + (
            "; django-helpdesk side: "
            + ", ".join(f"{k} {val}" for k, val in results["peer"]["versions"].items())
            if results.get("peer")
            else ""
        ),
        f"- Servers: gunicorn, {options['workers']} sync workers, DEBUG off, production "
        "settings, rate limits raised (every filing still counted). Closed loop, "
        f"{_n(options['duration'], 0)} s per concurrency level; officials' pages sequential, "
        f"{options['requests']} requests after {options['warmup']} warm-up. Latencies in ms, "
        "nearest-rank percentiles.",
        "",
        "## Targets (issue #10)",
        "",
        *_table(["target", "figure", "result"], targets(results)),
    ]
    if results.get("failures"):
        out += ["## Failures", "", *[f"- {failure}" for failure in results["failures"]], ""]
    out += _submission_section(results)
    out += _cpu_section(results)
    out += _desk_section(results)
    out += _batch_section(results)
    return "\n".join(out).rstrip() + "\n"


CPU_GROUPS = ("app", "database", "intake worker", "load generator", "the rest")


def _cpu_section(results: dict) -> list[str]:
    """Processor time per request done, by process group (bench/kit/cpu.py)."""
    rows = []
    for kind, ours in results["ours"].items():
        for label, levels in _scenarios(ours):
            for lv in levels or []:
                cpu = lv.get("cpu") or {}
                if not cpu:
                    continue
                ms = cpu["ms"]
                rows.append(
                    [
                        DB_NAMES[kind],
                        label,
                        lv["concurrency"],
                        _n(lv["rps"]),
                        *(_n(ms[g], 2) if g in ms else "–" for g in CPU_GROUPS),
                        _n(cpu["all_ms"], 2),
                        _n(cpu["busy_pct"]),
                    ]
                )
    if not rows:
        return []
    return [
        "### Where the processor time goes",
        "",
        "Processor ms per operation done (a filing; a web-form filing is five HTTP requests), "
        "by process group, read from /proc over each level "
        "(bench/kit/cpu.py): the servers, the database and the load generator share the "
        "machine's cores, so a rate is bounded by what a request costs them all. On SQLite "
        "the app does the database's work itself.",
        "",
        *_table(
            ["database", "scenario", "c", "done/s", *CPU_GROUPS, "all", "machine busy %"],
            rows,
        ),
    ]


def _submission_section(results: dict) -> list[str]:
    head = [
        "database",
        "scenario",
        "c",
        "done/s",
        "HTTP req/s",
        "p50",
        "p95",
        "p99",
        "storing POST p50/p95/p99",
        "errors",
    ]
    rows = []
    for kind, ours in results["ours"].items():
        db = DB_NAMES[kind]
        rows += _levels_rows(
            db, "Aduan web form (5 requests a filing)", ours.get("web_form"), "store"
        )
        rows += _levels_rows(db, "Aduan Open311 POST", ours.get("open311"))
        rows += _levels_rows(
            db, "one-INSERT view (Aduan's settings), before Aduan's load", ours.get("insert_before")
        )
        rows += _levels_rows(db, "one-INSERT view (Aduan's settings)", ours.get("insert"))
    peer = results.get("peer") or {}
    rows += _levels_rows("SQLite", "django-helpdesk public submit (POST)", peer.get("submit"))
    rows += _levels_rows("SQLite", "django-helpdesk one-INSERT view", peer.get("insert"))
    if not rows:
        return []
    out = ["## Public submission", "", *_table(head, rows)]
    failed = [
        f"- {DB_NAMES.get(kind, kind)} {name} c={lv['concurrency']}: "
        + ", ".join(f"{what} × {count}" for what, count in lv["error_kinds"].items())
        for kind, side in [*results["ours"].items(), ("sqlite", {"helpdesk": peer})]
        for name, levels in _scenarios(side)
        for lv in levels
        if lv["errors"]
    ]
    if failed:
        out += [
            "Errors (a failed operation is not timed and not counted as done):",
            "",
            *failed,
            "",
        ]
    if peer.get("submit") and any(o.get("web_form") for o in results["ours"].values()):
        ratio_rows = []
        for kind, ours in results["ours"].items():
            for c in results["options"]["levels"]:
                theirs = (_at(peer["submit"], c) or {}).get("rps")
                their_insert = (_at(peer.get("insert"), c) or {}).get("rps")
                web = (_at(ours.get("web_form"), c) or {}).get("rps")
                o311 = (_at(ours.get("open311"), c) or {}).get("rps")
                ins = (_at(ours.get("insert"), c) or {}).get("rps")
                ratio_rows.append(
                    [
                        DB_NAMES[kind],
                        c,
                        _n(web),
                        _n(o311),
                        _n(theirs),
                        _n(_ratio(web, theirs), 2),
                        _n(_ratio(o311, theirs), 2),
                        _n(ins),
                        _n(their_insert),
                        _n(_ratio(ins, their_insert), 2),
                    ]
                )
        out += [
            "Side by side (django-helpdesk on SQLite, as its kit runs it). Ours: filings "
            "answered per second (registered in the agenda book by the intake worker: "
            "below); theirs: tickets per second (one timed POST each, its form read once "
            "per client).",
            "",
            *_table(
                [
                    "our database",
                    "c",
                    "web form/s",
                    "Open311/s",
                    "helpdesk/s",
                    "web form ÷ helpdesk",
                    "Open311 ÷ helpdesk",
                    "our INSERT/s",
                    "their INSERT/s",
                    "INSERT ratio",
                ],
                ratio_rows,
            ),
        ]
    registration_rows = [
        [
            DB_NAMES[kind],
            _n(r["filed"]),
            _n(r["registered"]),
            _n(r["waiting_when_load_ended"]),
            _n(r["drain_s"]),
            _n(_ratio(r["waiting_when_load_ended"], r["drain_s"]) if r["drain_s"] else None),
            _n(r["failed"]),
            _n(r["left_waiting"]),
        ]
        for kind, ours in results["ours"].items()
        if (r := ours.get("registration"))
    ]
    if registration_rows:
        out += [
            "Registration: a public filing without files is stored as an intake and "
            "registered by the intake worker (`manage.py intake_register --loop`, running "
            "beside gunicorn through all the filing levels, as production runs it; while "
            "filings keep arriving it works at most "
            f"{results['options'].get('intake_share', 0.25):g} of the time, `--share`, unless "
            "the oldest has waited five minutes). The figures above "
            "are filings answered (code given, intake stored); here, whether each became a "
            "complaint, and how long the worker took for what still waited when the load "
            "stopped. Registered counts include the few filings of the queries check.",
            "",
            *_table(
                [
                    "database",
                    "filings answered",
                    "complaints registered",
                    "waiting at the end of the load",
                    "all registered after (s)",
                    "registered/s then",
                    "failed",
                    "left waiting",
                ],
                registration_rows,
            ),
        ]
    query_rows = [
        [DB_NAMES[kind], row["what"], row["status"], row["queries"]]
        for kind, ours in results["ours"].items()
        for row in ours.get("queries", [])
    ]
    if query_rows:
        out += [
            "SQL queries per request (in-process, test Client):",
            "",
            *_table(["database", "request", "status", "queries"], query_rows),
        ]
    if peer.get("sizes"):
        sizes = list(peer["sizes"])
        counts = _query_counts(peer["sizes"])
        out += [
            "django-helpdesk's queries per request (its count_queries.py), by tickets:",
            "",
            *_table(
                ["request", *[f"{int(size):,}" for size in sizes]],
                [[what, *[c.get(size, "–") for size in sizes]] for what, c in counts.items()],
            ),
        ]
    return out


def _desk_section(results: dict) -> list[str]:
    rows = []
    for kind, ours in results["ours"].items():
        for size, figures in (ours.get("desk") or {}).items():
            counts = {r["what"]: r["queries"] for r in figures["queries"]}
            for page in figures["pages"]:
                rows.append(
                    [
                        DB_NAMES[kind],
                        _n(int(size)),
                        page["page"],
                        _n(page["p50_ms"]),
                        _n(page["p95_ms"]),
                        _n(page["p99_ms"]),
                        counts.get(page["page"], "–"),
                        page["errors"] or 0,
                    ]
                )
    out = []
    if rows:
        out += [
            "## Officials' pages",
            "",
            "Signed in over HTTP (Staff: inbox, the first complaint of the inbox; Kadis: "
            "inbox, the dashboard of the whole office, its default period).",
            "",
            *_table(
                ["database", "complaints", "page", "p50", "p95", "p99", "queries", "errors"], rows
            ),
        ]
        seeds = [
            f"{DB_NAMES[k]} {int(s):,}: {f['seed_s']} s"
            for k, o in results["ours"].items()
            for s, f in (o.get("desk") or {}).items()
        ]
        out += [
            "Seeding (`manage.py seed_complaints`, a top-up to each size, then ANALYZE): "
            + "; ".join(seeds),
            "",
        ]
    peer = results.get("peer") or {}
    if peer.get("sizes"):
        peer_rows = []
        for size, figures in peer["sizes"].items():
            for page in figures["pages"]:
                peer_rows.append(
                    [
                        _n(int(size)),
                        page["page"],
                        _n(page["p50_ms"]),
                        _n(page["p95_ms"]),
                        _n(page["p99_ms"]),
                        page["errors"] or 0,
                    ]
                )
        out += [
            "django-helpdesk's staff pages (SQLite, tickets seeded by its peer_seed):",
            "",
            *_table(["tickets", "page", "p50", "p95", "p99", "errors"], peer_rows),
        ]
    return out


def _batch_section(results: dict) -> list[str]:
    rows = []
    for kind, ours in results["ours"].items():
        if sweep := ours.get("sweep"):
            busy = sweep["busy_counts"]
            rows.append(
                [
                    DB_NAMES[kind],
                    f"SLA sweep, {sweep['steps']:,} open steps, nothing due",
                    f"{sweep['quiet_s']:.3f} s",
                    f"{_n(sweep['quiet_peak_mib'])} MiB ({_n(sweep['quiet_before_mib'])} before)",
                ]
            )
            rows.append(
                [
                    DB_NAMES[kind],
                    f"SLA sweep, {sweep['due']:,} due ({busy['reminded']:,} "
                    f"reminded, {busy['overdue']:,} overdue, {busy['notices']:,} notices)",
                    f"{sweep['busy_s']:.2f} s",
                    f"{_n(sweep['busy_peak_mib'])} MiB ({_n(sweep['busy_before_mib'])} before)",
                ]
            )
        if agenda := ours.get("agenda"):
            rows.append(
                [
                    DB_NAMES[kind],
                    f"agenda book XLSX, {agenda['rows']:,} rows ({agenda['bytes'] / 1e6:.1f} MB)",
                    f"{agenda['seconds']:.2f} s (CPU {agenda['cpu_seconds']:.2f} s)",
                    f"{_n(agenda['peak_mib'])} MiB ({_n(agenda['before_mib'])} before)",
                ]
            )
    if not rows:
        return []
    return [
        "## Batch jobs",
        "",
        "Each in a process of its own on a throwaway database (bench/sla_sweep.py's and "
        "bench/agenda_export.py's builds); peak resident memory of that process.",
        "",
        *_table(["database", "job", "time", "peak memory"], rows),
    ]
