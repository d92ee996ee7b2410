"""Shared pieces for the benchmarks: gunicorn servers and wrk (scratch databases
come from dugnad.scratch, as in the tests).

Figures are reported as ratios against a bare Flask route measured in the same run,
because the machine is shared and absolute numbers drift.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER_URL = os.environ.get("DUGNAD_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "ops" / "bench" / "results"
LOG = Path(tempfile.gettempdir()) / "dugnad-bench-servers.log"
# One browser: wrk sends the User-Agent the login was made with, as a browser does. Without it
# (wrk sends none) Flask-Login's session protection saw another client on every request and
# marked the session not fresh, so each response re-signed and re-sent the session cookie.
USER_AGENT = "dugnad-bench/1.0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app_path: str, env: dict[str, str], workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", app_path],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=LOG.open("ab"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):  # until a worker answers, not just the socket
        try:
            urllib.request.urlopen(base + "/healthz" if "dugnad" in app_path else base + "/bare", timeout=2).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise SystemExit(f"{app_path} did not start; see {LOG}")
    try:
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown; TERM waits for keep-alive clients
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(url: str, seconds: int = 8, connections: int = 8, headers: dict[str, str] | None = None) -> dict:
    """Throughput and latency percentiles of ``url`` under load (bounded in time)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    # a long timeout: wrk's default (2 s) drops slow requests from the latencies instead of counting them
    args = ["wrk", "--latency", "--timeout", "60s", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for key, value in {"User-Agent": USER_AGENT, **(headers or {})}.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def save(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    # the machine is shared: how busy it was belongs with the figures
    figures = {**figures, "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]}
    print(f"load average             {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    path.write_text(json.dumps(figures, indent=2))
    return path


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the real form (with its CSRF token); the session cookie for wrk."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def query_count(app, path: str, email: str, password: str, before=None) -> int:
    """SQL statements of one request to ``path`` (after a first one warmed the caches;
    ``before`` runs, uncounted, just ahead of the counted request: to move a data version)."""
    from sqlalchemy import event

    from dugnad.extensions import db

    client = app.test_client()
    client.post("/login", data={"email": email, "password": password})
    client.get(path)
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    if before is not None:
        before()
    event.listen(engine, "before_cursor_execute", listener)
    response = client.get(path)
    event.remove(engine, "before_cursor_execute", listener)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return len(statements)

