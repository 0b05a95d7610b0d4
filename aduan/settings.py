"""Aduan settings: everything an office may change comes from the environment.

Read by every command (web, worker, manage.py). The README lists each variable.
"""

import base64
import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from aduan.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

TESTING = "pytest" in sys.modules or env_bool("ADUAN_TESTING")

# The data folder sits outside the source tree: the embedded database, uploads, the
# generated secret key of demo mode and collected static files live here.
DATA_DIR = Path(
    env_str("ADUAN_DATA_DIR")
    or Path(env_str("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "aduan"
).expanduser()
if TESTING and not env_str("ADUAN_DATA_DIR"):
    # The suite never writes into a real data folder.
    DATA_DIR = Path(tempfile.gettempdir()) / f"aduan-test-data-{os.getpid()}"


DEMO = env_bool("ADUAN_DEMO", default=False)
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if TESTING:
        SECRET_KEY = "test-only-secret-key-" + "x" * 40
    elif DEMO or DEBUG:
        # Demo and development machines keep a generated key in the data folder.
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set ADUAN_DEMO=1 to run the demo."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEMO or DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "aduan.core",
    "aduan.accounts",
    "aduan.audit",
    "aduan.sop",
    "aduan.complaints",
    "aduan.public",
    "aduan.desk",
    "aduan.sla",
    "aduan.notices",
    "aduan.papers",
    "aduan.notify",
    "aduan.api",
    "aduan.open311",
    "aduan.dashboard",
    "ninja",
]

MIDDLEWARE = [
    "aduan.lib.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "aduan.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aduan.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "aduan.urls"
WSGI_APPLICATION = "aduan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "aduan.core.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL for every command; the embedded default is SQLite in WAL mode.
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'aduan.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL") or DEFAULT_DATABASE_URL
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL={DATABASE_URL!r} is not usable: {exc}") from None
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        f"DATABASE_URL uses {_db['ENGINE']!r}: Aduan runs on SQLite or PostgreSQL "
        "(sqlite:///path or postgres://user@host:port/name)."
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db_path = Path(_db["NAME"])
    if not TESTING:
        _db_path.parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock when it begins, so two
        # writers queue behind the busy timeout instead of failing on lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file as well (not :memory:) so that threads share one real database;
    # one per test process, so that runs side by side do not meet.
    _db["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"aduan-test-{os.getpid()}.sqlite3")}
else:
    # psycopg binds parameters on the server and prepares a statement the fifth time a
    # connection runs it, so PostgreSQL plans it once per connection instead of on every
    # request (an Open311 filing measured 722 → 861 a second; bench/README.md). Django
    # leaves both off for connection poolers: DB_PREPARED_STATEMENTS=off behind PgBouncer
    # older than 1.21 in transaction mode (1.21+ with max_prepared_statements is fine).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "server_side_binding": True}
        _db["OPTIONS"].setdefault("prepare_threshold", 5)
    if TESTING:
        # One test database per test process, so that runs side by side do not meet.
        _db["TEST"] = {"NAME": f"test_{_db['NAME']}_{os.getpid()}"}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/meja/masuk/"
LOGIN_REDIRECT_URL = "/meja/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Public filings without files are stored as intakes and registered a moment later by the
# intake worker (`manage.py intake_register --loop`, run by `manage.py serve` and the
# deployment's units): ADUAN_INTAKE=queued (the default). ADUAN_INTAKE=at-once registers
# each in the request that files it (no worker needed; slower under load); the test suite
# runs so unless a test asks for the queue (aduan.complaints.intake).
INTAKE = (env_str("ADUAN_INTAKE") or ("at-once" if TESTING else "queued")).strip().lower()
if INTAKE not in ("queued", "at-once"):
    raise ImproperlyConfigured(
        f"ADUAN_INTAKE={env_str('ADUAN_INTAKE')!r} is not an intake mode: "
        "use queued (the default) or at-once."
    )
INTAKE_AT_ONCE = INTAKE == "at-once"

# Background work: the django-tasks API, one task code for both backends. ADUAN_TASKS=database
# (the default) keeps the queue in the database, run by `manage.py db_worker`;
# ADUAN_TASKS=redis keeps it in Redis at ADUAN_REDIS_URL, run by RQ workers
# (`manage.py rqworker default`, as many as wanted, on any machine sharing the database).
TASK_BACKEND = (env_str("ADUAN_TASKS") or "database").strip().lower()
if TASK_BACKEND not in ("database", "redis"):
    raise ImproperlyConfigured(
        f"ADUAN_TASKS={env_str('ADUAN_TASKS')!r} is not a task backend: "
        "use database (the default) or redis."
    )
REDIS_URL = env_str("ADUAN_REDIS_URL") or "redis://127.0.0.1:6379/0"
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"ADUAN_REDIS_URL={REDIS_URL!r} is not a Redis address: "
        "use redis://host:6379/0, rediss://host:6379/0 (TLS) or unix:///path/redis.sock."
    )
if TASK_BACKEND == "redis":
    # The queue every task goes to (django-tasks' "default"), and the RQ job class that
    # runs a django-tasks task, so that `manage.py rqworker default` needs no options.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job is stopped after an hour (RQ's default, 3 minutes, is short for a bundle of
    # 2,000 complete records).
    # The queue class times callbacks without SIGALRM, so that a job run in a thread other
    # than the main one (a synchronous queue in a server thread) works (aduan/core/rq_queue.py).
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": 3600,
            "QUEUE_CLASS": "aduan.core.rq_queue.ThreadSafeQueue",
        }
    }
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    # No django-rq pages in the admin (they would bring their own views, outside this
    # site's content security policy and access checks): `manage.py rqstats` shows the queue.
    RQ_SHOW_ADMIN_LINK = False
    if TESTING:
        # Tasks run through Redis as soon as they are enqueued (synchronous queue), in a
        # Redis database chosen by the test process, so that runs side by side rarely meet
        # (and meet harmlessly: a synchronous queue holds no waiting jobs).
        # (redis-py takes the database from the address, so it is written there.)
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        _redis = urlsplit(REDIS_URL)
        _db_number = str(os.getpid() % 16)
        if _redis.scheme == "unix":
            _redis = _redis._replace(
                query=urlencode({**dict(parse_qsl(_redis.query)), "db": _db_number})
            )
        else:
            _redis = _redis._replace(path=f"/{_db_number}")
        RQ_QUEUES["default"].update({"URL": urlunsplit(_redis), "ASYNC": False})
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if TESTING:
        TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = None if TESTING else DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "aduan.core.staticfiles.StaticStorage"
    },
}
# Uploads, letters and bundles on an S3-compatible object store (AWS S3, MinIO, Ceph,
# Garage...) instead of MEDIA_ROOT, so that several web servers share them. The files stay
# private: no public ACL, addresses only ever signed, and they are served only through the
# views that check who asks (the application reads them from the bucket and sends them).
# Without a key pair, boto3's own chain is used (AWS_* variables, an instance role).
MEDIA_STORAGE = (env_str("ADUAN_STORAGE") or "local").strip().lower()
if MEDIA_STORAGE == "s3":
    _s3_bucket = env_str("ADUAN_S3_BUCKET") or ""
    _s3_endpoint = env_str("ADUAN_S3_ENDPOINT_URL") or None
    _s3_key_id = env_str("ADUAN_S3_ACCESS_KEY_ID") or None
    _s3_secret = env_str("ADUAN_S3_SECRET_ACCESS_KEY") or None
    # Path style (https://host/bucket/key) by default with an endpoint of one's own: it
    # needs no wildcard DNS name per bucket, which MinIO and the like rarely have.
    _s3_addressing = env_str("ADUAN_S3_ADDRESSING_STYLE") or ("path" if _s3_endpoint else "auto")
    if not _s3_bucket:
        raise ImproperlyConfigured(
            "ADUAN_STORAGE=s3 needs ADUAN_S3_BUCKET: the name of the (private) bucket that "
            "holds the attachments, letters and bundles."
        )
    if _s3_endpoint and not _s3_endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"ADUAN_S3_ENDPOINT_URL={_s3_endpoint!r} must start with https:// (or http:// on "
            "a private network), e.g. https://s3.example.go.id; leave it unset for AWS."
        )
    if bool(_s3_key_id) != bool(_s3_secret):
        raise ImproperlyConfigured(
            "Set both ADUAN_S3_ACCESS_KEY_ID and ADUAN_S3_SECRET_ACCESS_KEY, or neither "
            "(then boto3 finds credentials itself: AWS_* variables, an instance role)."
        )
    if _s3_addressing not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(
            f"ADUAN_S3_ADDRESSING_STYLE={_s3_addressing!r} must be path, virtual or auto."
        )
    from botocore.config import Config as _S3Config

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": _s3_endpoint,
            "region_name": env_str("ADUAN_S3_REGION") or None,
            "access_key": _s3_key_id,
            "secret_key": _s3_secret,
            "addressing_style": _s3_addressing,
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": True,  # an address, if one is ever made, is signed
            "querystring_expire": 300,
            # Never replace a stored file: a second letter rendered at the same time, or an
            # attachment with the same bytes, gets a name of its own (as on a disk), so
            # deleting one never deletes the other's.
            "file_overwrite": False,
            # A file read for a download is held in memory up to 10 MB, then on disk.
            "max_memory_size": 10 * 1024 * 1024,
            "client_config": _S3Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}
            ),
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(
        f"ADUAN_STORAGE={MEDIA_STORAGE!r} must be local (files in MEDIA_ROOT, the default) "
        "or s3 (an S3-compatible bucket: ADUAN_S3_BUCKET, ADUAN_S3_ENDPOINT_URL...)."
    )
WHITENOISE_USE_FINDERS = DEBUG or TESTING

CSRF_FAILURE_VIEW = "aduan.core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent with every response (aduan.core.middleware) unless a view sets a stricter one: only
# scripts and stylesheets from this site, never inline ones, nothing framed, forms posted
# only here. Pages, templates and the server-drawn SVG carry no style="" or inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# HTTPS=1: served behind a TLS proxy that sets X-Forwarded-Proto (and strips it from what
# clients send). Cookies only over HTTPS, plain-HTTP requests redirected (except /healthz,
# for a load balancer that checks over HTTP), and HSTS: browsers then refuse plain HTTP.
if env_bool("HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ADUAN_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("ADUAN_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ADUAN_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("ADUAN_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021 only says the site cannot go on the browsers' preload list. That
        # list takes registrable domains (mojokertokota.go.id), whose owner decides, not
        # this application on its subdomain; without it HSTS holds from a browser's first
        # visit on.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SAMESITE = "Lax"

# Officials' sign-in (aduan.accounts): failed attempts allowed per username and address,
# and per address across usernames, within the lockout period, which is also how long
# sign-in then stays paused; sessions end after this many idle minutes, and this many hours
# after sign-in whatever happens.
LOGIN_MAX_FAILURES = env_int("ADUAN_LOGIN_MAX_FAILURES", 5)
LOGIN_ADDRESS_MAX_FAILURES = env_int("ADUAN_LOGIN_ADDRESS_MAX_FAILURES", 50)
LOGIN_LOCKOUT_MINUTES = env_int("ADUAN_LOGIN_LOCKOUT_MINUTES", 15)
SESSION_IDLE_MINUTES = env_int("ADUAN_SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("ADUAN_SESSION_MAX_HOURS", 12)
# Reverse proxies in front of the web server that append to X-Forwarded-For: 0 takes the
# client's address from the connection (REMOTE_ADDR), 1 from the last entry, and so on.
TRUSTED_PROXIES = env_int("ADUAN_TRUSTED_PROXIES", 0)
for _name, _value in (
    ("ADUAN_LOGIN_MAX_FAILURES", LOGIN_MAX_FAILURES),
    ("ADUAN_LOGIN_ADDRESS_MAX_FAILURES", LOGIN_ADDRESS_MAX_FAILURES),
    ("ADUAN_LOGIN_LOCKOUT_MINUTES", LOGIN_LOCKOUT_MINUTES),
    ("ADUAN_SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES),
    ("ADUAN_SESSION_MAX_HOURS", SESSION_MAX_HOURS),
):
    if _value < 1:
        raise ImproperlyConfigured(f"{_name}={_value} must be 1 or more.")
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(
        f"ADUAN_TRUSTED_PROXIES={TRUSTED_PROXIES} must be 0 (no proxy: the connection's "
        "address) or the number of proxies in front of the server."
    )

# A complaint whose citizen has not answered a request for information within this many
# calendar days is closed as withdrawn by the SLA sweep (aduan.sla.sweep).
REPLY_WAIT_DAYS = env_int("ADUAN_REPLY_WAIT_DAYS", 30)
if REPLY_WAIT_DAYS < 1:
    raise ImproperlyConfigured(
        f"ADUAN_REPLY_WAIT_DAYS={REPLY_WAIT_DAYS} must be 1 or more: the number of calendar "
        "days a citizen has to answer a request for information before the complaint is "
        "closed as withdrawn."
    )

# The address the public reaches this site at, for links that leave it: the QR code on
# answer letters, links in messages. No trailing slash.
PUBLIC_URL = (env_str("ADUAN_PUBLIC_URL") or "http://localhost:8000").rstrip("/")
if not PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"ADUAN_PUBLIC_URL={PUBLIC_URL!r} must start with http:// or https:// "
        "(e.g. https://aduan.mojokertokota.go.id)."
    )

# Uploads (aduan.lib.files): a request with more parts or files than a form can hold is
# refused with a 400 page; a body larger than the form's files can make has its files
# refused with a message beside the field (aduan.lib.files.RequestSizeGuard).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_HANDLERS = [
    "aduan.lib.files.RequestSizeGuard",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Virus scanning of uploads by ClamAV's daemon (aduan.lib.virus); empty: no scanning.
CLAMD = env_str("ADUAN_CLAMD", "") or ""
CLAMD_TIMEOUT = env_int("ADUAN_CLAMD_TIMEOUT", 10)
if CLAMD and not ((CLAMD.startswith("tcp://") and len(CLAMD) > 6) or CLAMD.startswith("unix:///")):
    raise ImproperlyConfigured(
        f"ADUAN_CLAMD={CLAMD!r} must be tcp://host:port (e.g. tcp://127.0.0.1:3310) or "
        "unix:///path/to/clamd.socket, or empty for no virus scanning."
    )

# Optional electronic signature of answer letters (PAdES): a PKCS#12 file with the
# signing key and certificate (and its chain), and the file's password.
SIGNING_P12 = env_str("ADUAN_SIGNING_P12")
SIGNING_P12_PASSWORD = env_str("ADUAN_SIGNING_P12_PASSWORD")
if SIGNING_P12 and not Path(SIGNING_P12).is_file():
    raise ImproperlyConfigured(
        f"ADUAN_SIGNING_P12={SIGNING_P12!r} is not a file: name the PKCS#12 (.p12/.pfx) file "
        "that holds the letter-signing key and certificate, or leave it unset."
    )

# Messages to citizens and officials (aduan.notify). Without a provider configured, each
# message is written to DATA_DIR/outbox/ and to the console instead of being sent.
NOTIFY_MAX_ATTEMPTS = env_int("ADUAN_NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_TIMEOUT = env_int("ADUAN_NOTIFY_TIMEOUT", 20)
if NOTIFY_MAX_ATTEMPTS < 1 or NOTIFY_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "ADUAN_NOTIFY_MAX_ATTEMPTS and ADUAN_NOTIFY_TIMEOUT must be 1 or more (tries per "
        "message; seconds to wait for a provider)."
    )
# Days the tracking link in a message to a citizen stays valid (aduan.notify.links).
NOTIFY_LINK_DAYS = env_int("ADUAN_NOTIFY_LINK_DAYS", 90)
# Email through SMTP: Django's own settings, from the environment.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Aduan <aduan@localhost>")
# WhatsApp Business Cloud API: access token, the sending number's id, and the approved
# template for each kind of message ("received=aduan_diterima,answered=aduan_dijawab").
WHATSAPP_TOKEN = env_str("ADUAN_WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = env_str("ADUAN_WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_URL = env_str("ADUAN_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_LANGUAGE = env_str("ADUAN_WHATSAPP_LANGUAGE", "id")
WHATSAPP_TEMPLATES = dict(
    pair.split("=", 1) for pair in env_list("ADUAN_WHATSAPP_TEMPLATES", []) if "=" in pair
)
if WHATSAPP_TOKEN and not WHATSAPP_PHONE_NUMBER_ID:
    raise ImproperlyConfigured(
        "ADUAN_WHATSAPP_TOKEN is set but ADUAN_WHATSAPP_PHONE_NUMBER_ID is not: set the id of "
        "the WhatsApp Business number that sends the messages."
    )
# SMS through a generic HTTP gateway: its URL and form fields with {to}, {text}, {key}.
SMS_URL = env_str("ADUAN_SMS_URL", "")
SMS_PARAMS = env_str("ADUAN_SMS_PARAMS", "to={to}&text={text}")
SMS_IDEMPOTENCY_HEADER = env_str("ADUAN_SMS_IDEMPOTENCY_HEADER", "")

# Calendar days after the answer in which the citizen may reopen a complaint whose answer
# did not solve it (aduan.complaints.feedback).
REOPEN_DAYS = env_int("ADUAN_REOPEN_DAYS", 14)
if REOPEN_DAYS < 0:
    raise ImproperlyConfigured(
        f"ADUAN_REOPEN_DAYS={REOPEN_DAYS} must be 0 or more (0: answers cannot be reopened)."
    )

# Personal data (docs/personal-data.md). Keys encrypting NIK, phone and e-mail at rest
# (aduan.lib.crypto): Fernet keys, comma-separated, newest first; unset, a key derived
# from SECRET_KEY is used (demo). Made by `python manage.py rotate_data_key --new-key`.
DATA_KEYS = env_list("ADUAN_DATA_KEYS", [])
for _position, _key in enumerate(DATA_KEYS, start=1):
    try:
        _valid = len(base64.urlsafe_b64decode(_key.encode())) == 32
    except ValueError:  # binascii.Error included
        _valid = False
    if not _valid:
        raise ImproperlyConfigured(
            f"ADUAN_DATA_KEYS: key {_position} is not a Fernet key (44 characters of URL-safe "
            "base64); make one with `python manage.py rotate_data_key --new-key`."
        )
# Days after a complaint is closed (answered or withdrawn) until the retention sweep
# (aduan.complaints.retention) erases its complainant's personal data and attachments.
RETENTION_DAYS = env_int("ADUAN_RETENTION_DAYS", 1825)
if RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        f"ADUAN_RETENTION_DAYS={RETENTION_DAYS} must be 1 or more: the number of days after a "
        "complaint is closed that its complainant's personal data is kept (default 1825, "
        "five years)."
    )

# Open311 GeoReport v2 (aduan.open311): the jurisdiction_id clients may send.
OPEN311_JURISDICTION = env_str("ADUAN_OPEN311_JURISDICTION", "mojokertokota.go.id")

# Rate limits per client address (aduan.lib.ratelimit): tracking lookups (code and secret,
# on the page and the API), new complaints (web form, API, Open311), and the citizens' other
# posts (the form's drafts and uploads, replies, ratings, reopening, data copies). "30/10m"
# is 30 per 10 minutes (s, m, h, d); "off" turns a limit off.
from aduan.lib.ratelimit import parse_rate  # noqa: E402

for _name, _default in (
    ("ADUAN_TRACK_RATE", "30/10m"),
    ("ADUAN_SUBMIT_RATE", "20/h"),
    ("ADUAN_POST_RATE", "60/10m"),
):
    try:
        globals()[_name.removeprefix("ADUAN_")] = parse_rate(env_str(_name, _default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{_name}: {exc}") from None

# The SOP loaded by `manage.py sop_load` when no file is named.
DEFAULT_SOP_FILE = BASE_DIR / "aduan" / "sop" / "definitions" / "sop_pipd_piak_11.toml"

# Logs go to stderr, for systemd's journal or the container's collector: as plain text,
# or with ADUAN_LOG_FORMAT=json one JSON object per line (aduan.lib.logs) with the time,
# level, logger, message, the request's id (aduan.lib.request_id) and any traceback.
LOG_FORMAT = (env_str("ADUAN_LOG_FORMAT") or "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(
        f"ADUAN_LOG_FORMAT={LOG_FORMAT!r} must be text (the default) or json (one JSON object "
        "per line, for a log collector)."
    )
if LOG_FORMAT == "json":
    import logging as _logging

    # Python's warnings as log records too (logger py.warnings), not as plain text lines.
    _logging.captureWarnings(True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "aduan.lib.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The PDF renderer and its font library narrate every step at INFO: only warnings.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "pyhanko")},
}
