"""Where a load's processor time goes: by process group, per request done.

The servers, the database and the load generator share this machine's cores, so a
scenario's rate is set by the processor time each request costs all of them together.
`CpuTally` reads each group's time from /proc before and after a load (user + system,
every thread of a process), and while it runs, and divides by the requests done:

    tally = CpuTally(lambda: {"app": server_pids, "database": backend_pids(name)})
    tally.start()
    level = run_closed_loop(...)
    level["cpu"] = tally.per_request(level["ok"])

"load generator" is this process; "the rest" is whatever else the machine spent (the
kernel's own work, other processes, a process that ended during the load). Linux only;
elsewhere the figures are empty.
"""

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def process_seconds(pid: int) -> float:
    """User + system processor seconds of a process so far (0 if it is gone)."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / HZ  # utime, stime (fields 14 and 15)


def machine_seconds() -> tuple[float, float]:
    """(busy, all) processor seconds of the whole machine so far, over every core."""
    try:
        values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values) - idle) / HZ, sum(values) / HZ


def backend_pids(database: str) -> list[int]:
    """PostgreSQL's server processes for one database (their titles name it)."""
    pids = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


class CpuTally:
    """Processor time by group over one load. `groups` gives {name: pids} when called. A
    thread reads the groups every half second while the load runs, and each process's
    last reading counts: a process that ends meanwhile (a database connection renewed
    after DB_CONN_MAX_AGE) loses at most its last half second, and one that starts
    meanwhile counts whole."""

    EVERY = 0.5

    def __init__(self, groups: Callable[[], dict[str, Iterable[int]]]):
        self.groups = groups
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.machine_before = (0.0, 0.0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _read(self) -> None:
        found = {name: list(pids) for name, pids in self.groups().items()}
        found["load generator"] = [os.getpid()]
        for name, pids in found.items():
            first, last = self.first.setdefault(name, {}), self.last.setdefault(name, {})
            for pid in pids:
                seconds = process_seconds(pid)
                if pid not in first:
                    first[pid] = seconds if self._thread is None else 0.0
                if seconds >= last.get(pid, 0.0):
                    last[pid] = seconds

    def _watch(self) -> None:
        while not self._stop.wait(self.EVERY):
            self._read()

    def start(self) -> None:
        self._read()
        self.machine_before = machine_seconds()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def per_request(self, done: int) -> dict:
        """{"ms": {group: processor ms per request}, "all_ms", "busy_pct": the share of
        the machine busy}; empty when nothing was done."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._read()
        busy, whole = (b - a for a, b in zip(self.machine_before, machine_seconds(), strict=True))
        if not done or whole <= 0:
            return {}
        spent = {
            name: sum(max(0.0, s - self.first[name].get(pid, 0.0)) for pid, s in last.items())
            for name, last in self.last.items()
        }
        spent["the rest"] = max(0.0, busy - sum(spent.values()))
        return {
            "ms": {name: round(s / done * 1000, 3) for name, s in spent.items()},
            "all_ms": round(busy / done * 1000, 3),
            "busy_pct": round(busy / whole * 100, 1),
        }
