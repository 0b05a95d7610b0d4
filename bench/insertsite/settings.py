"""Aduan's settings plus the one-INSERT view at POST /bench/insert/: for `make bench` only.
The same middleware, database and environment as Aduan, so the view measures what a request
costs in this Django setup before any of Aduan's own work."""

from aduan.settings import *  # noqa: F403
from aduan.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.insertsite"]
ROOT_URLCONF = "bench.insertsite.urls"
