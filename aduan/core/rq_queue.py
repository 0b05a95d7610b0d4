"""The RQ queue class for ADUAN_TASKS=redis.

RQ runs a job's success and failure callbacks (django-tasks-rq records the result in them)
under a "death penalty" that stops them when they overrun their timeout. RQ's default arms
a SIGALRM timer, which Python allows only in the main thread: a synchronous queue
(``ASYNC: False``, as the test settings use it) that runs a job inside a web server's
worker thread would raise "signal only works in main thread" after the job ran. The timer
death penalty interrupts the same way from a helper thread, so it works in any thread.
RQ workers are not affected: they run jobs in the main thread of their work horse.
"""

from django_rq.queues import DjangoRQ
from rq.timeouts import TimerDeathPenalty


class ThreadSafeQueue(DjangoRQ):
    def __init__(self, *args, **kwargs):
        kwargs["death_penalty_class"] = TimerDeathPenalty
        super().__init__(*args, **kwargs)
