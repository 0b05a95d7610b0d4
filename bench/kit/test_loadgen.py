"""A smoke test of the load generator's arithmetic (not part of the suite: pytest's testpaths
is aduan/). Run: .venv/bin/pytest bench/kit/test_loadgen.py"""

import itertools

import pytest

from bench.kit.loadgen import Done, Tally, figures_of, percentile, run_closed_loop


def test_percentile_is_the_nearest_rank():
    hundred = [float(n) for n in range(1, 101)]
    assert [percentile(hundred, p) for p in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]
    ten = [float(n) for n in range(1, 11)]
    assert [percentile(ten, p) for p in (50, 95, 99)] == [5.0, 10.0, 10.0]
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_failures_are_counted_apart_from_the_latencies():
    tally = Tally()
    tally.add(Done(ok=True, requests=5, parts={"store": 0.010}), 0.050)
    tally.add(Done(ok=True, requests=5, parts={"store": 0.030}), 0.070)
    tally.add(Done(ok=False, error="HTTP 500", requests=4), 9.0)
    figures = figures_of(tally, 2.0, concurrency=1)
    assert (figures["ok"], figures["errors"], figures["error_kinds"]) == (2, 1, {"HTTP 500": 1})
    assert (figures["rps"], figures["http_rps"]) == (1.0, 7.0)
    assert (figures["p50_ms"], figures["max_ms"]) == (50.0, 70.0)
    assert figures["parts"]["store"]["p95_ms"] == 30.0


def test_the_closed_loop_keeps_every_thread_busy_until_the_time_is_up():
    calls = itertools.count()

    def make_worker(i):
        def operation():
            next(calls)
            return Done(ok=i != 2, error="refused")

        return operation

    figures = run_closed_loop(make_worker, concurrency=3, duration=0.2)
    made = next(calls)
    assert figures["concurrency"] == 3
    assert figures["ok"] + figures["errors"] == made
    assert figures["ok"] > 0 and figures["error_kinds"].keys() == {"refused"}
    assert figures["rps"] == pytest.approx(figures["ok"] / figures["elapsed_s"], rel=0.01)


def test_processor_time_is_split_by_group_and_divided_by_the_requests_done():
    import subprocess
    import sys
    import time

    from bench.kit.cpu import CpuTally, process_seconds

    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        tally = CpuTally(lambda: {"app": [child.pid]})
        tally.start()
        began = process_seconds(child.pid)
        deadline = time.process_time() + 0.3
        while time.process_time() < deadline:  # the load generator's own work
            pass
        time.sleep(0.5)
        child_spent = process_seconds(child.pid) - began
        cpu = tally.per_request(10)
    finally:
        child.kill()
        child.wait()
    ms = cpu["ms"]
    assert set(ms) == {"app", "load generator", "the rest"}
    assert ms["load generator"] >= 25  # 0.3 s over 10 requests, at least most of it
    assert abs(ms["app"] - child_spent * 100) <= 5  # the child's seconds, per request
    assert cpu["all_ms"] >= ms["app"] + ms["load generator"]
    assert 0 < cpu["busy_pct"] <= 100


def test_a_process_that_ends_during_the_load_still_counts():
    import subprocess
    import sys

    from bench.kit.cpu import CpuTally

    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.2: pass"
    child = subprocess.Popen([sys.executable, "-c", burn])
    tally = CpuTally(lambda: {"database": [child.pid]})
    tally.start()
    child.wait()  # gone from /proc before the tally ends
    cpu = tally.per_request(10)
    assert cpu["ms"]["database"] >= 50  # at least the 0.5 s read before its last half second
