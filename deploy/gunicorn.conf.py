"""gunicorn's settings for Aduan in production (docs/deployment.md).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py aduan.wsgi:application

Read by gunicorn at start; each value can be changed in the environment file of the
service (/etc/aduan/aduan.env) without editing this file.
"""

import multiprocessing
import os
import sys
from pathlib import Path

# This file's checkout, importable whatever the working directory (for the JSON formatter).
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Where nginx reaches the application: 127.0.0.1:8000 when nginx is on this machine;
# 0.0.0.0:8000 (with a firewall letting in only the nginx machines) when it is not.
bind = os.environ.get("ADUAN_BIND", "127.0.0.1:8000")

# Sync workers, each handling one request at a time: nginx buffers the slow clients'
# uploads and downloads, so a worker is busy only while Django works. 2 per core + 1 on
# a machine that only serves the web; fewer (1 per core + 1) when the worker, PostgreSQL
# or Redis run beside it. Each takes about 100 MiB of memory.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"

# A request may render a PDF (an answer letter, a complete record): seconds, not minutes.
# A worker silent for longer is stopped and replaced; nginx waits a little longer (75 s).
timeout = int(os.environ.get("ADUAN_WEB_TIMEOUT", 60))
graceful_timeout = 30

# Replace each worker after about a thousand requests: memory stays flat even if a
# library leaks a little.
max_requests = 1000
max_requests_jitter = 100

# The address of the proxy whose X-Forwarded-Proto gunicorn believes (Django reads it too,
# HTTPS=1). Add the nginx machines' addresses when nginx runs elsewhere.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# nginx writes the access log (with the request id and without tracking secrets, see
# deploy/nginx.conf); gunicorn only its own errors, on stderr for the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("ADUAN_GUNICORN_LOG_LEVEL", "warning")
# No control socket (gunicornc): systemd starts, reloads (HUP) and stops the server.
control_socket_disable = True

if (os.environ.get("ADUAN_LOG_FORMAT") or "text").strip().lower() == "json":
    # gunicorn's own lines (worker started, worker timeout) as JSON too, like Django's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "aduan.lib.logs.JsonFormatter"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "console": {  # gunicorn's root logger's
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "no_access_log": {"class": "logging.NullHandler"},
        },
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            },
            # Off, as above: a logging configuration would otherwise turn it on.
            "gunicorn.access": {"handlers": ["no_access_log"], "propagate": False},
        },
    }
