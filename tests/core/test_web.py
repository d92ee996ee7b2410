"""The web shell: headers, languages, htmx fragments, errors, health, static files."""

import re
from pathlib import Path

from dugnad.app import TEMPLATES


def test_security_headers_on_every_page(app, client_as, world):
    for response in (app.test_client().get("/login"), client_as("alpha_member").get("/alpha/")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "HX-Request" in headers["Vary"]
        assert headers["X-Request-Id"]


def test_templates_have_no_inline_script_or_style(app):
    """The core's templates and every plugin's (the sample plugin's too)."""
    folders = [Path(TEMPLATES), *(Path(d) for d in app.extensions["dugnad.plugins"].registry.template_dirs)]
    read = set()
    for folder in folders:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
            assert " style=" not in text and "<style" not in text, path
            assert not re.search(r"\son[a-z]+=", text), path  # no onclick= and the like
            read.add(folder)
    assert len(folders) >= 3 and read == set(folders)  # the core, both plugins (and the sample)


def test_vendored_assets_are_served_by_the_app(app):
    client = app.test_client()
    for name in ("vendor/htmx.min.js", "vendor/designsystemet.css", "vendor/designsystemet-theme.css", "dugnad.css", "dugnad.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert len(response.data) > 100
        response.close()
    page = client.get("/login").text
    assert "http://" not in re.sub(r'href="http://dugnad.test[^"]*"', "", page.split("<body")[0])
    assert "https://" not in page.split("<body")[0]


def test_language_switch_changes_the_page_language(app):
    client = app.test_client()
    assert '<html lang="nb"' in client.get("/login").text
    switched = client.post("/language", data={"lang": "en", "next": "/login"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/login"
    page = client.get("/login").text
    assert '<html lang="en"' in page and "Log in to Dugnad" in page
    client.post("/language", data={"lang": "nn", "next": "/login"})
    assert '<html lang="nn"' in client.get("/login").text
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_language_switch_refuses_to_redirect_elsewhere(app):
    response = app.test_client().post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_language_is_remembered_for_the_person(app, client_as, world):
    from dugnad.accounts.models import User
    from dugnad.extensions import db

    client_as("alpha_member").post("/language", data={"lang": "nn", "next": "/alpha/"})
    with app.app_context():
        assert db.session.get(User, world.users["alpha_member"]).locale == "nn"
    fresh = client_as("alpha_member")
    assert '<html lang="nn"' in fresh.get("/alpha/").text


def test_bokmal_is_the_default_and_accept_language_is_honoured(app):
    client = app.test_client()
    assert '<html lang="en"' in client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="nn"' in client.get("/login", headers={"Accept-Language": "nn-NO"}).text
    assert '<html lang="nb"' in client.get("/login", headers={"Accept-Language": "de"}).text


def test_htmx_gets_the_fragment_and_a_history_restore_the_whole_page(client_as, world):
    client = client_as("alpha_admin")
    english = {"Accept-Language": "en"}
    full = client.get("/alpha/admin/members/", headers=english)
    fragment = client.get("/alpha/admin/members/", headers={"HX-Request": "true", **english})
    restore = client.get("/alpha/admin/members/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true", **english})
    assert "<html" in full.text and "<html" not in fragment.text and "<html" in restore.text
    assert "People in Alfa" in fragment.text


def test_every_page_works_without_javascript(client_as, world):
    """The dashboard's widgets are in its first response (htmx only refreshes them, from
    addresses that work on their own too); one that could not be shown there is a link."""
    page = client_as("alpha_member").get("/alpha/").text
    sections = re.findall(r'<section class="ds-card widget".*?</section>', page, re.S)
    assert len(sections) >= 2
    for section in sections:
        endpoint = re.search(r'hx-get="([^"]+)"', section).group(1)
        assert 'class="widget-content' in section or f'href="{endpoint}"' in section
        assert client_as("alpha_member").get(endpoint).status_code == 200
    assert '<span class="note-count">2</span> notes' in page  # the sample widget, without a second request


def test_a_widget_that_fails_leaves_the_dashboard_and_loads_later(app, client_as, world, monkeypatch):
    def broken():
        raise RuntimeError("the widget's table is locked")

    monkeypatch.setitem(app.view_functions, "sample_notes.widget", broken)
    page = client_as("alpha_member").get("/alpha/")
    assert page.status_code == 200
    assert 'hx-get="/alpha/notes/widget" hx-trigger="load"' in page.text and 'href="/alpha/notes/widget"' in page.text


def test_not_found_is_a_friendly_page_and_json_for_the_api(app):
    client = app.test_client()
    page = client.get("/does/not/exist", headers={"Accept-Language": "en"})
    assert page.status_code == 404 and "We could not find the page" in page.text
    norsk = client.get("/does/not/exist")
    assert norsk.status_code == 404 and '<html lang="nb"' in norsk.text and "We could not find the page" not in norsk.text and "<h1" in page.text
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404 and api.is_json and api.json["code"] == 404


def test_anonymous_visitors_are_sent_to_login(app, world):
    response = app.test_client().get("/alpha/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert app.test_client().get("/").headers["Location"] == "/login"


def test_healthz_reports_database_and_redis(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_healthz_is_503_when_redis_is_down(app, database, tmp_path):
    from dugnad.app import create_app
    from tests.conftest import make_settings

    broken = create_app(make_settings(database, tmp_path, redis_url="redis://127.0.0.1:1/0"), testing=True)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok" and response.json["redis"].startswith("error")


def test_requests_are_logged_as_json(app, world, caplog):
    import json
    import logging

    from dugnad.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="dugnad.request"):
        app.test_client().get("/login")
    record = next(r for r in caplog.records if r.name == "dugnad.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["path"] == "/login" and line["status"] == 200 and "ms" in line


def test_a_request_is_one_log_line_with_its_cross_municipality_reads(app, world, client_as, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        assert client_as("region").get("/region/benchmarks/").status_code == 200
    lines = [r for r in caplog.records if r.name.startswith("dugnad.")]
    assert [r.message for r in lines] == ["request"]
    assert "benchmarks: data version" in lines[0].region_scopes


def test_a_crash_is_a_500_page_without_internals(app, monkeypatch, client_as, world):
    from dugnad.dashboard import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "render", explode)
    response = client_as("alpha_member").get("/alpha/", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Something went wrong on our side" in response.text


def test_the_favicon_answers_instead_of_a_redirect_to_a_404(app, client_as, world):
    icon = app.test_client().get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    page = client_as("alpha_admin").get("/alpha/")
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    assert app.test_client().get("/static/favicon.svg").status_code == 200


def test_links_in_mail_follow_the_demo_s_port_unless_a_base_address_is_set(monkeypatch):
    from dugnad.config import Settings

    monkeypatch.delenv("DUGNAD_BASE_URL", raising=False)
    monkeypatch.setenv("DUGNAD_PORT", "8123")
    assert Settings.from_env().base_url == "http://127.0.0.1:8123"
    monkeypatch.delenv("DUGNAD_PORT")
    assert Settings.from_env().base_url == "http://127.0.0.1:5000"
    monkeypatch.setenv("DUGNAD_PORT", "8123")
    monkeypatch.setenv("DUGNAD_BASE_URL", "https://dugnad.example.no/")
    assert Settings.from_env().base_url == "https://dugnad.example.no"


def test_serve_passes_its_port_on_and_leaves_request_logging_to_the_app(app, monkeypatch):
    from dugnad import cli

    started = {}
    monkeypatch.delenv("DUGNAD_PORT", raising=False)
    monkeypatch.setattr(cli.os, "execv", lambda program, args: started.update(args=args))
    from flask.cli import ScriptInfo

    cli.serve.main(["--port", "8124"], obj=ScriptInfo(create_app=lambda: app), standalone_mode=False)
    assert "127.0.0.1:8124" in started["args"] and "--access-logfile" not in started["args"]
    assert cli.os.environ["DUGNAD_PORT"] == "8124"
    monkeypatch.delenv("DUGNAD_PORT")


def test_a_kept_dashboard_is_still_one_log_line_with_every_field(app, world, client_as):
    import json
    import logging

    from dugnad.logs import JsonFormatter

    class Lines(logging.Handler):
        def __init__(self):
            super().__init__()
            self.lines = []

        def emit(self, record):
            self.lines.append(JsonFormatter().format(record))

    client = client_as("alpha_admin")
    client.get("/alpha/")
    handler, logger = Lines(), logging.getLogger("dugnad")
    logger.addHandler(handler)
    try:
        assert client.get("/alpha/", headers={"X-Request-Id": "abc123"}).status_code == 200
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(text) for text in handler.lines]
    assert {k: line[k] for k in ("message", "method", "path", "status", "user_id", "tenant_id", "request_id",
                                 "page_cache")} == {
        "message": "request", "method": "GET", "path": "/alpha/", "status": 200, "user_id": world.users["alpha_admin"],
        "tenant_id": world.tenants["alpha"], "request_id": "abc123", "page_cache": ["hit"]}
    assert line["ms"] >= 0 and line["level"] == "info" and line["logger"] == "dugnad.request"


def test_a_header_a_view_sets_itself_is_kept_and_the_request_id_is_one(app):
    response = app.test_client().get("/favicon.ico", headers={"X-Request-Id": "from-nginx"})
    assert response.headers.getlist("Cache-Control") == ["public, max-age=86400"]
    assert response.headers.getlist("X-Request-Id") == ["from-nginx"]
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    response.close()


# The session cookie is verified once and then kept in the process by its exact value
# (dugnad.web.sessions): what it lets through must be exactly what Flask lets through.


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_kept_session_cookie_still_expires_with_the_session_lifetime(app, world, client_as, monkeypatch):
    import time

    client = client_as("alpha_admin")
    assert client.get("/alpha/").status_code == 200 and client.get("/alpha/").status_code == 200  # kept
    lifetime = app.permanent_session_lifetime.total_seconds()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + lifetime + 60)
    assert client.get("/alpha/").status_code == 302  # too old: to the login page, as Flask decides


def test_a_tampered_session_cookie_is_not_read_even_when_its_original_is_kept(app, world, client_as):
    client = client_as("alpha_admin")
    assert client.get("/alpha/").status_code == 200
    cookie = _session_cookie(client)
    payload, stamp, signature = cookie.rsplit(".", 2)
    forged = app.test_client()
    forged.set_cookie("session", f"{payload}.{stamp}.{signature[:-2]}AA")
    assert forged.get("/alpha/").status_code == 302
    other = app.test_client()
    other.set_cookie("session", cookie)  # the same cookie elsewhere is the same login (as before)
    assert other.get("/alpha/").status_code == 200


def test_the_kept_session_serializer_signs_as_flask_does_and_follows_the_keys(app, monkeypatch):
    import pytest
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import BadSignature

    flask_own, kept = SecureCookieSessionInterface(), app.session_interface
    data = {"lang": "nn", "poll_devices": {"7": "a-device"}}
    assert kept.get_signing_serializer(app).loads(flask_own.get_signing_serializer(app).dumps(data)) == data
    assert flask_own.get_signing_serializer(app).loads(kept.get_signing_serializer(app).dumps(data)) == data
    old_key, signed_before = app.secret_key, flask_own.get_signing_serializer(app).dumps(data)
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-key-for-this-test")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    assert kept.get_signing_serializer(app).loads(signed_before) == data  # the old key, as a fallback, still reads
    assert flask_own.get_signing_serializer(app).loads(kept.get_signing_serializer(app).dumps(data)) == data
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    with pytest.raises(BadSignature):  # a key taken away is gone, though its serializer was made before
        kept.get_signing_serializer(app).loads(signed_before)


def test_messages_in_a_session_are_never_shared_between_requests(app, world, client_as):
    from dugnad.web.sessions import KeptCookieSessionInterface

    assert isinstance(app.session_interface, KeptCookieSessionInterface)
    client = client_as("alpha_admin")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Shown once")]
    cookie = _session_cookie(client)
    assert "Shown once" in client.get("/alpha/").get_data(as_text=True)
    replay = app.test_client()
    replay.set_cookie("session", cookie)  # the cookie with the message, sent again
    assert "Shown once" in replay.get("/alpha/").get_data(as_text=True)  # read afresh, not emptied by the first
    assert cookie not in app.session_interface._kept
