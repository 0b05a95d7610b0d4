"""The loop of a background command (SLA sweep, outbox sender): a pass every few seconds
until SIGINT or SIGTERM, surviving a database that goes away for a while."""

import logging
import signal
import threading
from collections.abc import Callable


def run_passes(
    *,
    name: str,
    one_pass: Callable[[], object],
    interval: float,
    logger: logging.Logger,
    worth_logging: Callable[[object], bool],
    again_at_once: Callable[[object], bool] = lambda counts: False,
    share: float = 1.0,
    giving_way: Callable[[object], bool] = lambda counts: True,
) -> None:
    """Call `one_pass` every `interval` seconds until stopped. A pass whose result
    `worth_logging` is logged; after one that `again_at_once` (a full batch), the next pass
    starts without waiting, or, with a `share` under 1 and a pass `giving_way` (others
    need the machine), after a rest that keeps its work to that share of the time (0.5:
    it rests as long as it worked). A database error is logged and the connections
    reset."""
    import time

    from django.db import DatabaseError, connections

    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    logger.info("%s: every %s s", name, interval)
    while not stop.is_set():
        began = time.monotonic()
        try:
            counts = one_pass()
        except DatabaseError:
            # The database is away or the connection broke: say so, reconnect next pass.
            logger.exception("%s: the pass failed; trying again in %s s", name, interval)
            connections.close_all()
            counts = None
        if counts is not None and worth_logging(counts):
            logger.info("%s: %s", name, counts)
        if counts is None or not again_at_once(counts):
            stop.wait(interval)
        elif share < 1 and giving_way(counts):
            stop.wait((time.monotonic() - began) * (1 - share) / share)
    logger.info("%s: stopped", name)
