"""Issue 16, first finding: the outbox showed live password-reset links, so a region admin
could take over any municipal account. The outbox now says that mail went; it never shows a
working link or code, the region sees only its own mail, and sent mail keeps no secret."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.notifications import outbox as outbox_module
from dugnad.notifications.masking import mask_secrets
from tests.core.test_accounts import (  # noqa: F401  (fixtures)
    NEW_PASSWORD,
    _accept_test_addresses,
    _cheap_hashing,
    anon,
    as_,
    ask_for_reset,
    invite,
    link_in,
    log_in,
    outbox,
    password_hash,
    reset_link,
    text_of,
)


def links_on(page: str) -> list[str]:
    return re.findall(r"http://dugnad\.test(/[^\s<\"]+)", page)


def test_the_region_cannot_take_over_a_municipal_account_through_its_outbox(app, anon, as_, world):
    """The attack of the report: ask a reset for a municipal admin, open it in the region's
    outbox, set a new password. Every link the outbox shows is masked and opens nothing."""
    ask_for_reset(anon, "admin@alpha.test")
    region = as_("region")
    listing = text_of(region.get("/region/outbox/"))
    [message] = outbox(app, "password-reset")
    assert "Reset your Dugnad password" in listing
    page = region.get(f"/region/outbox/{message.id}")
    assert page.status_code == 200
    html = text_of(page)
    secret = link_in(message.body)  # the link itself is still in the held message, for the recipient
    assert secret not in html and secret.rsplit("/", 1)[1] not in html
    assert "http://dugnad.test/password/reset/•••" in html  # there was a link: shown masked
    for path in links_on(html):
        assert anon.get(path).status_code in (400, 404)
    assert log_in(anon, "admin@alpha.test", NEW_PASSWORD).status_code == 422


def test_a_municipal_admin_sees_invitation_links_masked(app, as_, world):
    admin = as_("alpha_admin")
    invite(admin, "new@alpha.test")
    [message] = outbox(app, "invitation")
    html = text_of(admin.get(f"/alpha/admin/outbox/{message.id}"))
    assert "new@alpha.test" in html and "/invitations/•••" in html
    assert link_in(message.body) not in html


def test_the_region_sees_only_the_regions_own_mail(app, anon, as_, world):
    invite(as_("alpha_admin"), "new@alpha.test")
    ask_for_reset(anon, "region@dugnad.test")
    region = as_("region")
    listing = text_of(region.get("/region/outbox/"))
    assert "region@dugnad.test" in listing
    assert "new@alpha.test" not in listing
    [invitation] = outbox(app, "invitation")
    assert region.get(f"/region/outbox/{invitation.id}").status_code == 404
    # and a municipality sees neither the region's mail nor another municipality's
    [reset] = outbox(app, "password-reset")
    assert as_("alpha_admin").get(f"/alpha/admin/outbox/{reset.id}").status_code == 404
    assert as_("beta_admin").get(f"/beta/admin/outbox/{invitation.id}").status_code == 404


def test_a_reset_link_dies_when_the_password_changes_another_way(app, anon, world):
    ask_for_reset(anon, "admin@alpha.test")
    first = reset_link(app, "admin@alpha.test")
    with app.app_context():
        db.session.execute(db.delete(OutboxMessage))
        db.session.commit()
    ask_for_reset(anon, "admin@alpha.test")
    second = reset_link(app, "admin@alpha.test")
    assert first != second
    assert anon.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert anon.get(first).status_code == 400
    assert anon.post(first, data={"password": "someone else's choice", "confirm": "someone else's choice"}).status_code == 400
    assert log_in(anon, "admin@alpha.test", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("text", "hidden", "kept"), [
    ("Lenke: http://dugnad.test/password/reset/eyJ1IjoxfQ.Z1abcd.x_Yz0123456789abcdef.",
     "eyJ1IjoxfQ", "http://dugnad.test/password/reset/•••."),
    ("Stem: http://dugnad.test/kinn/vote/ABCD1234EFGH", "ABCD1234EFGH", "http://dugnad.test/kinn/vote/•••"),
    ("Koden din: ABCD-1234-EFGH", "ABCD-1234-EFGH", "Koden din: •••-•••-•••"),
    ("Svar: http://dugnad.test/kinn/v/answer?token=abc123&yes=1", "abc123", "answer?token=•••&yes=•••"),
    ("Token: dgn_abcdefghijklmnopqrstu12345", "dgn_abcdefghijklmnopqrstu12345", "Token: •••"),
])
def test_masking_hides_links_codes_and_tokens_but_keeps_the_words(text, hidden, kept):
    masked = mask_secrets(text)
    assert hidden not in masked and kept in masked


def test_plain_links_and_words_are_left_readable():
    text = "Resultatene: http://dugnad.test/kinn/polls/12/results\nMed vennlig hilsen Kinn kommune, post@kinn.kommune.no"
    assert mask_secrets(text) == text


@pytest.fixture
def smtp(app, monkeypatch):
    sent: list[EmailMessage] = []

    class FakeSMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, email):
            sent.append(email)

    monkeypatch.setattr(app.extensions["dugnad.settings"], "smtp_url", "smtp://mail.dugnad.test:2525")
    monkeypatch.setattr(outbox_module.smtplib, "SMTP", FakeSMTP)
    return sent


def test_sent_mail_keeps_no_working_link_and_has_a_stable_message_id(app, anon, world, smtp):
    ask_for_reset(anon, "admin@alpha.test")
    [email] = smtp
    link = link_in(email.get_content())  # the recipient got the working link
    assert anon.get(link).status_code == 200
    [message] = outbox(app, "password-reset")
    assert message.status == "sent"
    assert link not in message.body and "/password/reset/•••" in message.body
    # sending the same outbox message again (a crash after the server took it) gives the same id
    with app.app_context():
        row = db.session.scalar(select(OutboxMessage))
        again = outbox_module.message_id(row, app.extensions["dugnad.settings"].mail_sender)
    assert email["Message-ID"] == again
    assert re.fullmatch(r"<[0-9a-f]{40}\.outbox@[\w.-]+>", again)
