"""Shared pieces for the benchmarks: a scratch PostgreSQL database with a non-owner
app role (as in production), gunicorn servers, and wrk.

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
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER_URL = os.environ.get("DUGNAD_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "ops" / "bench" / "results"
LOG = Path(tempfile.gettempdir()) / "dugnad-bench-servers.log"


@contextmanager
def scratch_database():
    """A new database migrated by its owner, and the URL of a non-owner app role."""
    suffix = uuid.uuid4().hex[:8]
    name, role = f"dugnad_bench_{suffix}", f"dugnad_bench_app_{suffix}"
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
        c.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'bench' NOSUPERUSER NOBYPASSRLS"))
    owner = make_url(SERVER_URL).set(database=name)
    app_url = owner.set(username=role, password="bench")
    try:
        yield owner.render_as_string(hide_password=False), app_url.render_as_string(hide_password=False), role
    finally:
        with server.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f"DROP ROLE IF EXISTS {role}"))
        server.dispose()


def grant(owner_url: str, role: str) -> None:
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        c.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        c.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    engine.dispose()


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
    args = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def save(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(figures, indent=2))
    return path
