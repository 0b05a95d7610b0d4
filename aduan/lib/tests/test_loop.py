"""The background commands' loop: passes until SIGTERM, a database error logged and
survived, a full batch followed by the next pass at once."""

import logging
import os
import signal

from django.db import OperationalError

from aduan.lib.loop import run_passes


def test_the_loop_survives_a_database_error_and_stops_on_sigterm(caplog):
    calls = []

    def one_pass():
        calls.append(len(calls))
        if len(calls) == 2:
            raise OperationalError("the database went away")
        if len(calls) == 4:
            os.kill(os.getpid(), signal.SIGTERM)
        return len(calls)

    previous = signal.getsignal(signal.SIGTERM)
    try:
        with caplog.at_level(logging.INFO, logger="aduan.test.loop"):
            run_passes(
                name="Test",
                one_pass=one_pass,
                interval=0.001,
                logger=logging.getLogger("aduan.test.loop"),
                worth_logging=lambda n: n == 3,
                again_at_once=lambda n: True,
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert len(calls) == 4
    text = caplog.text
    assert "Test: the pass failed; trying again" in text
    assert "Test: 3" in text and "Test: 1" not in text
    assert "Test: stopped" in text
