"""Issue 16's operations findings: the first region admin gets a password from a command,
`dugnad serve` uses ops/gunicorn.conf.py, `db upgrade` says what it did."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select

from dugnad.accounts.logins import LoginSession
from dugnad.accounts.models import User
from dugnad.cli import GUNICORN_CONF, db_upgrade, gunicorn_args, set_password
from dugnad.extensions import db
from dugnad.tenancy.models import utcnow
from tests.conftest import make_settings


def test_the_first_region_admin_gets_a_password_from_the_command_line(app, world):
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.add(LoginSession(user_id=world.users["region"], expires_at=utcnow().replace(year=2100)))
        db.session.commit()
    result = runner.invoke(set_password, ["Region@Dugnad.test"], input="a long region password\na long region password\n")
    assert result.exit_code == 0, result.output
    assert "region@dugnad.test can log in now (a region admin)." in result.output
    assert "a long region password" not in result.output  # not echoed
    client = app.test_client()
    assert client.post("/login", data={"email": "region@dugnad.test", "password": "a long region password"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginSession).order_by(LoginSession.id)).ended_at is not None  # old logins end


def test_the_password_command_refuses_a_short_password_and_an_unknown_account(app, world):
    runner = app.test_cli_runner()
    with app.app_context():
        before = db.session.scalar(select(User.password_hash).where(User.email == "region@dugnad.test"))
    short = runner.invoke(set_password, ["region@dugnad.test"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least 10 characters. Nothing was changed." in short.output
    unknown = runner.invoke(set_password, ["nobody@dugnad.test"], input="")
    assert unknown.exit_code != 0 and "No account has the address nobody@dugnad.test" in unknown.output
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.email == "region@dugnad.test")) == before


def test_serve_runs_gunicorn_with_the_ops_config_and_only_the_options_given():
    assert GUNICORN_CONF.exists()
    plain = gunicorn_args("gunicorn", None, None, None)
    assert plain[:3] == ["gunicorn", "-c", str(GUNICORN_CONF)]
    assert "--bind" not in plain and "--workers" not in plain  # the config file's GUNICORN_* decide
    given = gunicorn_args("gunicorn", "0.0.0.0", 5000, 3)
    assert given[given.index("--bind") + 1] == "0.0.0.0:5000" and given[given.index("--workers") + 1] == "3"


def test_db_upgrade_says_it_created_the_tables_on_an_empty_database(tmp_path):
    from dugnad.app import create_app
    from tests.conftest import Database

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = create_app(make_settings(Database(url, url, "sqlite"), tmp_path / "instance"), testing=True)
    runner = app.test_cli_runner()
    first = runner.invoke(db_upgrade)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("created every table (an empty database)")
    again = runner.invoke(db_upgrade)
    assert "database is up to date" in again.output and "nothing to do" in again.output
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select count(*) from user_account").scalar() == 0
    engine.dispose()
    assert Path(tmp_path / "empty.sqlite").exists()
