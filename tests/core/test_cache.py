"""dugnad.cache: kept values in this process within a byte budget, or in Redis when configured."""

import fakeredis

from dugnad import cache


def test_in_process_values_stay_within_the_byte_budget_oldest_dropped_first(app, monkeypatch):
    monkeypatch.setattr(cache, "LOCAL_BYTES", 120)  # two of these values (52 bytes each), not three
    with app.app_context():
        cache.put("a", {"html": "x" * 40})
        cache.put("b", {"html": "y" * 40})
        assert cache.get("a") == {"html": "x" * 40}  # read: now the newest
        cache.put("c", {"html": "z" * 40})
        assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
        built = []
        assert cache.remember("d", lambda: built.append(1) or {"n": 1}) == {"n": 1}
        assert cache.remember("d", lambda: built.append(1) or {"n": 2}) == {"n": 1}
        assert built == [1]


def test_with_redis_values_are_shared_through_it_and_expire(app, monkeypatch):
    connection = fakeredis.FakeRedis()
    settings = app.extensions["dugnad.settings"]
    monkeypatch.setattr(settings, "redis_url", "redis://fakeredis")
    monkeypatch.setitem(app.extensions, "dugnad.redis", connection)
    with app.app_context():
        cache.put("page", {"html": "<p>kept</p>"}, ttl=30)
        assert cache.get("page") == {"html": "<p>kept</p>"}
        key = cache._prefix() + "page"  # the prefix names the database, so two share one Redis
    assert key.startswith(cache.PREFIX) and 0 < connection.ttl(key) <= 30
    cache.clear_local()
    with app.app_context():  # another process (or server) sees it: it is in Redis, not here
        assert cache.get("page") == {"html": "<p>kept</p>"}


def _bump_in_another_process(folder: str, name: str) -> None:
    from pathlib import Path

    from dugnad import cache

    cache._last_stamp_dir = Path(folder)  # as a process that has run no app: a job's commit
    cache.bump(name)


def test_without_redis_a_bump_in_another_process_is_seen_at_once(app):
    import multiprocessing

    from dugnad import versions

    with app.app_context():
        folder = cache._stamp_dir()
        before = cache.stamps_now((versions.TENANTS, versions.data_stamp(1), versions.data_stamp(2)))
        process = multiprocessing.get_context("spawn").Process(target=_bump_in_another_process,
                                                               args=(str(folder), versions.data_stamp(1)))
        process.start()
        process.join(60)
        assert process.exitcode == 0
        after = cache.stamps_now((versions.TENANTS, versions.data_stamp(1), versions.data_stamp(2)))
    assert after[1] != before[1] and after[0] == before[0] and after[2] == before[2]


def test_a_new_stamp_file_brings_back_no_value_seen_before(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = cache._read_stamps(tmp_path / "one", ["tenants", "data:1"])
    second = cache._read_stamps(tmp_path / "two", ["tenants", "data:1"])
    assert first[0] != second[0] and first[1] != second[1] and first[0] != first[1]


def test_an_object_from_a_kept_row_reads_in_a_new_process_before_any_query(tmp_path):
    """A new gunicorn worker's first request may find its login kept (the ``logins`` stamp
    unchanged) and build the person from the kept row before any query has configured the
    ORM's mappers: the object must still read as a loaded one (it answered 500 once)."""
    import subprocess
    import sys

    script = f"""
from dugnad.accounts.models import User
from dugnad.app import create_app
from dugnad.config import Settings
from dugnad.extensions import attach_loaded, db

app = create_app(Settings(database_url="sqlite:///{tmp_path}/db.sqlite", secret_key="k", instance_path="{tmp_path}"))
with app.app_context():
    user = attach_loaded(User, {{"id": 7, "email": "a@b.test", "active": True}})
    assert user.active is True and user.email == "a@b.test" and user in db.session
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().endswith("ok"), done.stderr[-2000:]
