"""All configuration, read from DUGNAD_* environment variables in this one place."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_INSTANCE = Path(os.environ.get("DUGNAD_INSTANCE_PATH", Path.cwd() / "instance"))


def _secret_key(instance: Path) -> str:
    """Use DUGNAD_SECRET_KEY, else a key generated once and kept in instance/."""
    if key := os.environ.get("DUGNAD_SECRET_KEY"):
        return key
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver installed."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass
class Settings:
    instance_path: Path = DEFAULT_INSTANCE
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    smtp_url: str | None = None
    mail_sender: str = "Dugnad <ikke-svar@dugnad.local>"
    base_url: str = "http://127.0.0.1:5000"
    extra_plugins: list[str] = field(default_factory=list)
    secure_cookies: bool = False
    log_json: bool = True
    queue_name: str = "dugnad"
    proxy_hops: int = 0  # reverse proxies in front (X-Forwarded-For is trusted that many hops)
    ssb_url: str = "https://data.ssb.no/api/pxwebapi/v2"  # Statistics Norway's PxWebApi v2 (benchmarking)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        instance = Path(os.environ.get("DUGNAD_INSTANCE_PATH", DEFAULT_INSTANCE))
        env = os.environ.get
        settings = cls(
            instance_path=instance,
            database_url=env("DUGNAD_DATABASE_URL") or f"sqlite:///{instance / 'dugnad.sqlite'}",
            redis_url=env("DUGNAD_REDIS_URL") or None,
            smtp_url=env("DUGNAD_SMTP_URL") or None,
            mail_sender=env("DUGNAD_MAIL_SENDER", cls.mail_sender),
            # unset: the address the server listens on (``dugnad serve --port`` sets DUGNAD_PORT),
            # so links in e-mail point at the demo on whatever port it runs
            base_url=(env("DUGNAD_BASE_URL") or f"http://127.0.0.1:{env('DUGNAD_PORT') or 5000}").rstrip("/"),
            extra_plugins=[p.strip() for p in env("DUGNAD_PLUGINS", "").split(",") if p.strip()],
            secure_cookies=env("DUGNAD_SECURE_COOKIES", "0") == "1",
            log_json=env("DUGNAD_LOG_FORMAT", "json") == "json",
            queue_name=env("DUGNAD_QUEUE", cls.queue_name),
            proxy_hops=int(env("DUGNAD_PROXY_HOPS", "0") or 0),
            ssb_url=(env("DUGNAD_SSB_URL") or cls.ssb_url).rstrip("/"),
        )
        for key, value in overrides.items():
            setattr(settings, key, value)
        settings.database_url = normalise_database_url(settings.database_url)
        if not settings.secret_key:
            settings.secret_key = _secret_key(settings.instance_path)
        return settings

    def flask_config(self) -> dict:
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # no pre-ping (a round trip before every checkout): connections are recycled
            # before servers and proxies drop idle ones; a dead one fails one request
            # and the pool replaces it
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # as the login's row (accounts.logins)
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "nb",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
            "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
            "API_TITLE": "Dugnad API",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.1.0",
            "OPENAPI_URL_PREFIX": "/api/v1",
            "OPENAPI_JSON_PATH": "openapi.json",
        }
