"""The links in invitations and homework mail expire (they used to be good for ever), while
links sent before they expired keep working for as long as a link sent on the day of the change."""

from __future__ import annotations

import time
from datetime import date

from flask import current_app
from itsdangerous import URLSafeSerializer
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from dugnad.extensions import db
from dugnad_workshops import links
from dugnad_workshops.models import Attendance
from tests.plugins.workshops.workshops_support import build_room, in_tenant
from dugnad.clock import today as oslo_today


def _answer_page(app, token: str) -> int:
    return app.test_client().get(f"/alpha/workshops/answer/{token}").status_code


def _attendance_id() -> int:
    return db.session.scalar(select(Attendance.id).order_by(Attendance.id))


def test_an_answer_link_works_until_it_is_a_year_old(app, world, monkeypatch):
    made = build_room(app, world, answer=False)
    token = in_tenant(app, made.tenant_id, lambda: links.make(links.ANSWER, _attendance_id()))
    assert _answer_page(app, token) == 200
    now = time.time()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(now + 364 * 24 * 3600))
    assert _answer_page(app, token) == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(now + 366 * 24 * 3600))
    assert _answer_page(app, token) == 404


def test_a_link_sent_before_links_expired_opens_until_the_grace_ends(app, world, monkeypatch):
    made = build_room(app, world, answer=False)

    def legacy_token() -> str:  # as the plugin signed them before: untimed, its own salt
        serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="dugnad-workshop-answer")
        return serializer.dumps({"i": _attendance_id(), "t": made.tenant_id})

    token = in_tenant(app, made.tenant_id, legacy_token)
    monkeypatch.setattr(links, "LEGACY_SINCE", oslo_today())  # the change happened today
    assert _answer_page(app, token) == 200
    assert _answer_page(app, token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == 404
    monkeypatch.setattr(links, "LEGACY_SINCE", date(2020, 1, 1))
    assert _answer_page(app, token) == 404


def test_a_legacy_link_of_another_municipality_does_not_open(app, world, monkeypatch):
    monkeypatch.setattr(links, "LEGACY_SINCE", oslo_today())
    made = build_room(app, world, answer=False)

    def legacy_token() -> str:
        serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="dugnad-workshop-answer")
        return serializer.dumps({"i": _attendance_id(), "t": made.tenant_id + 1000})

    token = in_tenant(app, made.tenant_id, legacy_token)
    assert _answer_page(app, token) == 404
