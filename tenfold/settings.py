"""Django settings for Tenfold.

Everything an operator may change comes from environment variables (see `.env.example`);
the defaults give a working single-machine install on SQLite with nothing else to start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_env_file(path: Path) -> None:
    """Read KEY=value lines from .env; variables already set in the environment win."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


_load_env_file(Path(os.environ.get("TENFOLD_ENV_FILE", BASE_DIR / ".env")))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """A setting that takes one of a few words; anything else stops the start with a clear
    message rather than failing later, on somebody's request."""
    value = env_str(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} is {value!r}; use one of: {', '.join(choices)} (default {default})."
        )
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("TENFOLD_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "Tenfold")
DATA_DIR = Path(env_str("TENFOLD_DATA_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    """SECRET_KEY from the environment; on a single machine without one, a random key made
    once and kept in the data directory, so a fresh install is safe without configuration."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret.key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "tenfold.accounts",
    "tenfold.organizations",
    "tenfold.okrs",
    "tenfold.checkins",
    "tenfold.audit",
    "tenfold.social",
    "tenfold.reviews",
    "tenfold.kpis",
    "tenfold.coach",
    "tenfold.ideas",
    "tenfold.adoption",
    "tenfold.habits",
    "tenfold.integrations",
    "tenfold.notifications",
    "tenfold.webhooks",
    "tenfold.feeds",
    "tenfold.mailin",
    "tenfold.chat",
    "tenfold.calendars",
    "tenfold.digests",
    "tenfold.apiguard",
    "tenfold.interchange",
    "tenfold.okrcode",
    "tenfold.sheets",
    "tenfold.cli",
    "tenfold.transfers",
    "tenfold.backup",
    "tenfold.bench",
    "tenfold.web",
    "tenfold.guide",
    "tenfold.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Single sign-on per organization (OpenID Connect), configured in its settings.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    # A busy (SQLite) or lost (PostgreSQL) database answers 503 "try again", not a 500.
    "tenfold.db.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a fresh nonce per response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A person's own language and time zone, when they chose them (Settings → Preferences).
    "tenfold.accounts.preferences.PersonPreferencesMiddleware",
    # Every page needs a signed-in person unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Notes each signed-in request's time and address on its session row, when asked to.
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Idempotency-Key replays and per-token rate limits on the API.
    "tenfold.apiguard.middleware.ApiGuardMiddleware",
    # Which organization a request's writes belong to, and the "you just wrote" cookie.
    "tenfold.web.fragments.FragmentMiddleware",
]

# Server time and SQL query count on every response (Server-Timing), for `tenfold bench`.
SERVER_TIMING = env_bool("TENFOLD_SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "tenfold.bench.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "tenfold.urls"
WSGI_APPLICATION = "tenfold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "tenfold.web.context_processors.tenfold",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default: write-ahead logging so readers never wait for a writer, and
# IMMEDIATE transactions so two writers queue on the lock instead of failing with "database is
# locked" half-way through a transaction.
SQLITE_PATH = DATA_DIR / "tenfold.sqlite3"
# Seconds a writer waits for another writer's lock; past it the request answers 503 "busy".
SQLITE_TIMEOUT = env_int("TENFOLD_SQLITE_TIMEOUT", 20)
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_TIMEOUT,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        f"PRAGMA busy_timeout={SQLITE_TIMEOUT * 1000};"
    ),
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The stock backend, storing every moment in UTC (see tenfold/db/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "tenfold.db.postgresql"
        # A kept connection is checked before its first use in each request, so one broken by
        # a database restart is replaced instead of failing the request.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("TENFOLD_PG_HEALTH_CHECKS", True)
        # Parameters bound by the server, and a statement run five times on a connection
        # kept prepared there: planning was a quarter of the database's time under load.
        # A pooler in transaction mode without prepared-statement support needs them off.
        if env_bool("TENFOLD_PG_PREPARED", True):
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=5
            )
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file named by URL (`sqlite:////path/file.sqlite3`) runs like the default one.
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the signed-in person with one hand-written query.
AUTHENTICATION_BACKENDS = [
    "tenfold.accounts.backends.ModelBackend",
    "tenfold.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Nobody signs in with a password before proving they read mail at their address: a first
# sign-in sends a confirmation link instead. Invitations, password resets and single sign-on
# prove the address on the way (tenfold.accounts.services.addresses_verified).
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", ("mandatory", "optional", "none")
)
ACCOUNT_ALLOW_REGISTRATION = env_bool("TENFOLD_ALLOW_SIGNUP", False)
ACCOUNT_ADAPTER = "tenfold.accounts.adapter.AccountAdapter"
# Organizations' single sign-on admits existing members only; it never makes accounts.
SOCIALACCOUNT_ADAPTER = "tenfold.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed sign-ins per account (and per address) before sign-in is refused for a while. The
# counts live in the default cache, which every server process shares (CACHES below).
LOGIN_FAILED_LIMIT = env_int("TENFOLD_LOGIN_FAILED_LIMIT", 5)
LOGIN_FAILED_WINDOW = env_int("TENFOLD_LOGIN_FAILED_WINDOW", 300)
LOGIN_FAILED_PER_IP = env_int("TENFOLD_LOGIN_FAILED_PER_IP", 10)
ACCOUNT_RATE_LIMITS: dict[str, str | None] = {
    "login_failed": ",".join(
        ([f"{LOGIN_FAILED_PER_IP}/m/ip"] if LOGIN_FAILED_PER_IP else [])
        + ([f"{LOGIN_FAILED_LIMIT}/{LOGIN_FAILED_WINDOW}s/key"] if LOGIN_FAILED_LIMIT else [])
    )
    or None,
}
# Two-factor sign-in with an authenticator app, and recovery codes for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("TENFOLD_TOTP_ISSUER", "Tenfold")
# Every signed-in request updating its session's "last seen" costs a write; off by default,
# the list of sessions then shows when and where each one signed in.
USERSESSIONS_TRACK_ACTIVITY = env_bool("TENFOLD_TRACK_SESSION_ACTIVITY", False)

# --- Internationalization ---------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "tenfold" / "locale"]
# Date formats per language ("30 Nov 2026", "2026年11月30日"); templates name them.
FORMAT_MODULE_PATH = ["tenfold.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "tenfold.web.storage.StaticStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email and tasks ---------------------------------------------------------------------------
# Without EMAIL_BACKEND, mail goes out by SMTP once EMAIL_HOST names a server, and is printed
# to the console until then (so `tenfold check --deploy` reports mail.E001 exactly when a
# server was never told where to send mail).
_mail_backend = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tenfold@localhost")
# Background work: tasks are written against django.tasks and run by Huey in `tenfold worker`.
# The queue lives in a SQLite file beside the database (nothing to start) unless REDIS_URL is set.
# TENFOLD_TASKS=immediate runs every task in the calling process instead (the test suite's mode).
REDIS_URL = env_str("REDIS_URL")
# Pieces of pages kept between requests (tenfold.web.fragments). By default in files under
# the data directory, shared by every server process of the machine (a page built by one
# worker serves the others); in Redis, shared by every machine, when REDIS_URL is set; or in
# each process's memory with TENFOLD_FRAGMENT_STORE=memory (the test suite's choice). Keys
# start with a fingerprint of the database, so servers of two databases never share a page.
_database = DATABASES["default"]
DATABASE_FINGERPRINT = hashlib.blake2b(
    repr(
        (_database["ENGINE"], _database["NAME"], _database.get("HOST"), _database.get("PORT"))
    ).encode(),
    digest_size=6,
).hexdigest()
FRAGMENT_STORE = env_str("TENFOLD_FRAGMENT_STORE").strip().lower() or (
    "redis" if REDIS_URL else ("memory" if "PYTEST_VERSION" in os.environ else "files")
)
if FRAGMENT_STORE not in {"redis", "files", "memory"} or (
    FRAGMENT_STORE == "redis" and not REDIS_URL
):
    raise ImproperlyConfigured(
        "TENFOLD_FRAGMENT_STORE must be files, memory or (with REDIS_URL) redis."
    )
_fragments: dict[str, object]
if FRAGMENT_STORE == "redis":
    _fragments = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{env_str('TENFOLD_QUEUE_NAME', 'tenfold')}:{DATABASE_FINGERPRINT}",
    }
elif FRAGMENT_STORE == "files":
    _fragments = {
        # Django's file cache, but pages are not compressed (tenfold/web/filestore.py).
        "BACKEND": "tenfold.web.filestore.FragmentFiles",
        "LOCATION": env_str("TENFOLD_FRAGMENT_DIR") or str(DATA_DIR / "cache" / "fragments"),
        "KEY_PREFIX": DATABASE_FINGERPRINT,
        "OPTIONS": {"MAX_ENTRIES": env_int("TENFOLD_FRAGMENT_ENTRIES", 3000)},
    }
else:
    _fragments = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tenfold-fragments",
        "KEY_PREFIX": DATABASE_FINGERPRINT,
        "OPTIONS": {"MAX_ENTRIES": env_int("TENFOLD_FRAGMENT_ENTRIES", 400)},
    }
# The default cache holds what every server process must agree on (allauth's sign-in rate
# limits): Redis when there is one, else a table of the database (made by a migration of
# tenfold.accounts), never one process's memory.
_shared: dict[str, object]
if REDIS_URL:
    _shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{env_str('TENFOLD_QUEUE_NAME', 'tenfold')}:shared",
    }
else:
    _shared = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tenfold_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
CACHES = {
    "default": _shared,
    "fragments": _fragments,
}
FRAGMENT_CACHE = env_bool("TENFOLD_FRAGMENT_CACHE", True)
# Seconds a kept page may trail the data while others write (0: only exact versions).
FRAGMENT_LAG = env_int("TENFOLD_FRAGMENT_LAG", 0 if "PYTEST_VERSION" in os.environ else 20)
TASKS_MODE = env_str("TENFOLD_TASKS", "immediate" if "PYTEST_VERSION" in os.environ else "worker")
WORKER_TICK_MINUTES = env_int("TENFOLD_TICK_MINUTES", 5)
if REDIS_URL:
    HUEY: dict[str, object] = {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "filename": str(Path(env_str("TENFOLD_QUEUE_PATH", str(DATA_DIR / "queue.sqlite3")))),
    }
HUEY.update(
    name=env_str("TENFOLD_QUEUE_NAME", "tenfold"),
    immediate=TASKS_MODE == "immediate",
    results=True,
    utc=True,
    consumer={"workers": env_int("TENFOLD_WORKER_THREADS", 2), "worker_type": "thread"},
)
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}

# Replies by email: reminders carry a Reply-To of reply+<signed token>@REPLY_DOMAIN when this is
# set, and the inbound endpoint takes raw messages posted with INBOUND_SECRET.
REPLY_DOMAIN = env_str("TENFOLD_REPLY_DOMAIN")
INBOUND_SECRET = env_str("TENFOLD_INBOUND_SECRET")
INBOUND_MAX_BYTES = env_int("TENFOLD_INBOUND_MAX_BYTES", 10 * 1024 * 1024)
# SQLite files a data feed may read (admins only); empty turns SQLite feeds off.
FEEDS_SQLITE_DIR = env_str("TENFOLD_FEEDS_SQLITE_DIR")
# Export files made in the background (and their progress), kept seven days. Several app
# servers and workers must share this directory.
# API rate limits per token or signed-in person (writes have a smaller budget of their own) and
# per IP address for anonymous calls, over a fixed window of seconds; 0 turns a limit off.
API_RATE_LIMIT = env_int("TENFOLD_API_RATE_LIMIT", 600)
API_RATE_LIMIT_WRITES = env_int("TENFOLD_API_RATE_LIMIT_WRITES", 120)
API_RATE_LIMIT_ANONYMOUS = env_int("TENFOLD_API_RATE_LIMIT_ANONYMOUS", 60)
API_RATE_LIMIT_WINDOW = env_int("TENFOLD_API_RATE_LIMIT_WINDOW", 60)
# How many days the link of an invitation to join an organization stays valid.
INVITATION_DAYS = env_int("TENFOLD_INVITATION_DAYS", 14)
# The largest spreadsheet an import reads (checked before parsing).
TENFOLD_IMPORT_MAX_BYTES = env_int("TENFOLD_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
TRANSFERS_DIR = Path(env_str("TENFOLD_TRANSFERS_DIR", str(DATA_DIR / "transfers")))
# The address people's browsers use, for links in emails, chat messages and calendar feeds.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Security -----------------------------------------------------------------------------------
# Django's database sessions, read with one hand-written query (tenfold/accounts/sessions.py).
SESSION_ENGINE = "tenfold.accounts.sessions"
# The HTTPS profile: people reach Tenfold over https through a TLS-terminating proxy that sets
# X-Forwarded-Proto. Then cookies travel over https only, browsers are told to use https for
# a year (HSTS) and plain-http requests are redirected, except the health probe.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("TENFOLD_HSTS_SECONDS", 365 * 24 * 3600) if BEHIND_TLS_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TENFOLD_HSTS_SUBDOMAINS", True)
# Joining the browsers' preload list is the domain owner's choice and takes months to undo:
# off unless asked for, and the deploy check that suggests it (W021) is silenced meanwhile.
SECURE_HSTS_PRELOAD = env_bool("TENFOLD_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY and env_bool("TENFOLD_SSL_REDIRECT", True)
# Load balancers probe /healthz over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts run only from Tenfold's own files, each <script> tag carrying this response's nonce
# (kept pages put the nonce back per response: tenfold/web/fragments.py). Styles allow inline
# `style=` attributes, which progress bars and charts are drawn with (docs/decisions.md).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
