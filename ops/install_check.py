"""Checks a normal (not editable) install of Dugnad: run with the python of a fresh venv that
``pip install .`` filled, from outside the checkout (``.ci/install-check`` does both).

It loads the demo region on SQLite from the checkout's ``tenants/`` folder and asks for a
page of the core and of each plugin in Bokmål, Nynorsk and English: each must be served
(the templates travelled with the wheel) and its navigation translated (the compiled
catalogues did too).

    python ops/install_check.py TENANTS_FOLDER
"""

from __future__ import annotations

import gettext
import os
import sys
import tempfile
from pathlib import Path

PAGES = {"dugnad": "/hamar/", "dugnad_volunteers": "/hamar/volunteers/", "dugnad_workshops": "/hamar/workshops/"}
LABELS = {"dugnad": "Overview", "dugnad_volunteers": "Volunteers", "dugnad_workshops": "Workshops"}


def main(tenants: Path) -> int:
    instance = Path(tempfile.mkdtemp(prefix="dugnad-install-check-"))
    os.environ.update(DUGNAD_INSTANCE_PATH=str(instance), DUGNAD_DATABASE_URL=f"sqlite:///{instance / 'demo.sqlite'}",
                      DUGNAD_SECRET_KEY="install-check", DUGNAD_REDIS_URL="")
    import importlib

    from dugnad.app import create_app
    from dugnad.cli import db_upgrade, seed_demo

    checkout = tenants.resolve().parent
    problems = []
    for package in PAGES:
        location = Path(importlib.import_module(package).__file__).resolve()
        if checkout in location.parents:
            problems.append(f"{package} is imported from the checkout ({location}), not from the install")
    app = create_app()
    runner = app.test_cli_runner()
    for args in ([db_upgrade], ["tenants", "sync", str(tenants)], [seed_demo]):
        command, rest = (args[0], []) if not isinstance(args[0], str) else (None, args)
        result = runner.invoke(command, rest) if command else runner.invoke(args=rest)
        if result.exit_code != 0:
            print(result.output, file=sys.stderr)
            raise SystemExit(f"setting up the demo failed: {args}")
    with app.app_context():
        from sqlalchemy import select

        from dugnad.accounts import logins
        from dugnad.accounts.models import User
        from dugnad.extensions import db

        # a recorded login, as the login form makes one (the session names the login, not only the person)
        user = db.session.scalar(select(User).where(User.email == "koordinator@dugnad.demo"))
        logins.start(user, remember=False, user_agent="install-check")
        coordinator = user.get_id()
        db.session.commit()
    for language in ("nb", "nn", "en"):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"], session["lang"] = coordinator, True, language
        for package, path in PAGES.items():
            catalogue = Path(importlib.import_module(package).__file__).parent / "translations"
            try:
                label = gettext.translation("messages", str(catalogue), languages=[language]).gettext(LABELS[package])
            except OSError:
                problems.append(f"{package}: no compiled {language} catalogue in {catalogue}")
                continue
            if language != "en" and label == LABELS[package]:
                problems.append(f"{package}: {LABELS[package]!r} is not translated in {language}")
            page = client.get(path)
            if page.status_code != 200:
                problems.append(f"{path} ({language}): {page.status_code}")
            elif f">{label}<" not in page.text.replace("\n", "").replace("  ", ""):
                problems.append(f"{path} ({language}): the navigation does not say {label!r}")
            else:
                print(f"ok  {language}  {path}  {label}")
    for problem in problems:
        print("FAIL", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
