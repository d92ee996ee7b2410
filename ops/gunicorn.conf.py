"""Gunicorn settings for Dugnad in production.

    gunicorn -c ops/gunicorn.conf.py            # serves dugnad.wsgi:app

The app itself is configured by DUGNAD_* variables (see ops/README.md); this file reads
only these, all optional:

    GUNICORN_BIND         where to listen; comma-separated   default 127.0.0.1:8000
                          (e.g. unix:/run/dugnad/web.sock, or 0.0.0.0:8000 in a container)
    GUNICORN_WORKERS      number of worker processes         default 2 × cores + 1, at most
    GUNICORN_MAX_WORKERS  the cap on that default            default 8
    GUNICORN_TIMEOUT      seconds a request may take         default 30
    FORWARDED_ALLOW_IPS   read by gunicorn itself: proxies trusted for X-Forwarded-Proto
                          default 127.0.0.1,::1 (nginx on the same host)
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU pinning (taskset, cpusets)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "dugnad.wsgi:app"
proc_name = "dugnad-web"

bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

# Sync workers: one request at a time each, so one PostgreSQL connection each (see
# ops/README.md on connection counts). The cap keeps a big box from opening more
# connections than the database allows; scale out with more web nodes instead.
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, _int("GUNICORN_MAX_WORKERS", 8)))
worker_class = "sync"

# Not preloaded: each worker builds the app after the fork, so no database or Redis
# connection is ever shared between processes.
preload_app = False

timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30  # on SIGTERM/SIGHUP, finish requests in flight for up to this long
max_requests = 2000  # recycle workers now and then (bounded memory growth)
max_requests_jitter = 200

# Gunicorn 27 opens a control socket (default ~/.gunicorn/gunicorn.ctl) unless told not
# to: it is not used, and the service user's home is read-only under systemd.
control_socket_disable = True

# Heartbeat files in memory rather than on disk (matters in containers and under
# ProtectSystem=strict).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs. The app writes its own structured JSON log (one "request" line per request,
# with tenant_id and user_id) to stderr; gunicorn's error log goes to stderr too.
# Gunicorn's access log is off (GUNICORN_ACCESSLOG=- turns it on, to stdout), so a request
# is logged once. When on, it is one JSON-like object per line. Gunicorn does not
# JSON-escape values, so a path or user agent containing a double quote yields a line
# that is not strict JSON: parse leniently. request_id is the X-Request-Id the app sets
# on every response (taken from nginx's $request_id when proxied), which ties this line
# to the app's own log lines.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = "info"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","forwarded_for":"%({x-forwarded-for}i)s","method":"%(m)s","path":"%(U)s","query":"%(q)s",'
    '"status":%(s)s,"bytes":"%(b)s","ms":%(M)s,"referer":"%(f)s","agent":"%(a)s",'
    '"request_id":"%({x-request-id}o)s"}'
)
