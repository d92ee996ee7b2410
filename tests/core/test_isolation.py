"""A member of municipality A gets 404 for every page and API object of municipality B.

Parametrised over the app's URL map: a new route that takes an id must name its
object kind in OBJECTS below, so it cannot slip past this test.

Plugins add theirs in ``tests/plugins/<name>/isolation.py``:

    ARGUMENTS = ("volunteer_id", ...)   # the URL arguments of the plugin's routes

    def beta_objects() -> dict[str, int]:
        # called in municipality beta's context: make one of each object and
        # return every name of ARGUMENTS -> an id of beta's

    SECRETS = (b"text only beta's objects contain", ...)
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from dugnad.accounts.models import AccessToken, Invitation, hash_token
from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import tenant_context
from dugnad.clock import today as oslo_today

# URL argument -> how to make (or find) an object of municipality "beta"
OBJECTS = {
    "membership_id": lambda world: world.memberships["beta_admin@beta"],
    "note_id": lambda world: world.notes["beta"][0],
    "invitation_id": lambda world: world.extra["invitation"],
    "message_id": lambda world: world.extra["message"],
    "process_id": lambda world: world.extra["process"],
    "phase_id": lambda world: world.extra["phase"],
    "activity_id": lambda world: world.extra["activity"],
    "decision_id": lambda world: world.extra["decision"],
    "item_id": lambda world: world.extra["checklist_item"],
    "move_id": lambda world: world.extra["move"],
    "participant_id": lambda world: world.extra["participant"],
    "process_participant_id": lambda world: world.extra["process_participant"],
    "stakeholder_id": lambda world: world.extra["stakeholder"],
    "poll_id": lambda world: world.extra["poll"],
    "option_id": lambda world: world.extra["option"],
    "handoff_id": lambda world: world.extra["handoff"],
    # asking for help on beta's note: the origin is looked up in the municipality of the URL
    "origin_type": lambda world: "sample.note",
    "origin_id": lambda world: world.notes["beta"][0],
    "kind_key": lambda world: "sample.note",
}
# personal voting codes on public pages: tests/core/test_voting_cards.py proves beta's answer 404 in alpha
TOKEN_ARGS = {"code"}
PLUGIN_ISOLATION = [
    importlib.import_module(f"tests.plugins.{path.parent.name}.isolation")
    for path in sorted((Path(__file__).resolve().parents[1] / "plugins").glob("*/isolation.py"))
]
SECRETS = (b"Beta's mail", b"new@beta.test", b"Beta process", b"Berit Beta", b"Beta task", b"Beta decision",
           b"Beta poll", b"Beta option", b"Beta handoff purpose")
SECRETS += tuple(secret for module in PLUGIN_ISOLATION for secret in module.SECRETS)

# region-level arguments, reached only by region admins (checked separately)
REGION_ARGS = {"tenant_id", "plugin"}
# one's own: another person's token or login answers 404 (test_accounts, test_security_logins)
GLOBAL_ID_ROUTES = {"/me/tokens/<int:token_id>/revoke", "/me/logins/<int:login_id>/end", "/invitations/<token>",
                    "/password/reset/<token>"}


def _rules(app):
    """Every route but static files (the app's, and a plugin blueprint's own static folder)."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static" and not rule.endpoint.endswith(".static")),
        key=lambda r: r.rule,
    )


def _tenant_rules(app, include_public: bool = False):
    mounts = app.extensions["dugnad.mounts"]
    return [
        r for r in _rules(app)
        if r.rule.startswith("/<tenant>") and (include_public or not mounts[r.endpoint.split(".")[0]][1].public)
    ]


def _api_rules(app):
    return [r for r in _rules(app) if r.rule.startswith("/api/v1/") and set(r.arguments) - {"tenant"}]


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def beta_objects(app, world):
    with app.app_context():
        with tenant_context(world.tenants["beta"]):
            invitation = Invitation(email="new@beta.test", role="member", token_hash="x" * 64)
            db.session.add(invitation)
            db.session.flush()
            message = OutboxMessage(tenant_id=world.tenants["beta"], kind="test", recipient="a@beta.test",
                                    subject_ref="1", dedupe_key="test:a@beta.test:1", subject="Beta's mail", body="secret")
            db.session.add(message)
            db.session.flush()
            world.extra = {"invitation": invitation.id, "message": message.id}
            world.extra.update(_beta_process_objects())
            for module in PLUGIN_ISOLATION:
                made = module.beta_objects()
                db.session.flush()
                assert set(made) == set(module.ARGUMENTS), f"{module.__name__}: beta_objects() must cover ARGUMENTS"
                for name, object_id in made.items():
                    OBJECTS.setdefault(name, _extra(name))
                    world.extra[name] = object_id
        db.session.commit()
    return world


@pytest.fixture(params=["cold caches", "warm caches"])
def caches(request, app, client_as, beta_objects):
    """The tests that take this run twice: with nothing kept, and after beta's own admin
    has opened every page of beta and the region admin every region page, so whatever a
    page or fragment cache keeps is there — and must never reach anyone else. Beta's pages
    are opened three times each: kept, served from the cache (and recorded), and given
    again in front of Flask (``dugnad.web.replay``)."""
    if request.param == "warm caches":
        beta, region = client_as("beta_admin"), client_as("region")
        for rule in _tenant_rules(app, include_public=True):
            if "GET" in rule.methods and set(rule.arguments) - {"tenant"} <= set(OBJECTS):
                for _ in range(3):
                    beta.get(_url(rule, "beta", beta_objects))
                    beta.get(_url(rule, "beta", beta_objects), headers=FRAGMENT)  # role-level fragment caches too
        assert app.extensions["dugnad.kept_answers"]._kept, "no answer was kept to be given again"
        for rule in _rules(app):
            if rule.rule.startswith("/region/") and "GET" in rule.methods and not rule.arguments:
                region.get(rule.rule)
                region.get(rule.rule + "?period=2025")
    return request.param


FRAGMENT = {"HX-Request": "true"}


def _extra(name: str):
    return lambda world: world.extra[name]


def _plugin_arguments() -> set[str]:
    """URL arguments the plugins' isolation modules cover (without making objects)."""
    names = set()
    for module in PLUGIN_ISOLATION:
        names |= set(module.ARGUMENTS)
    return names


def _beta_process_objects() -> dict[str, int]:
    """A process with every kind of object in it (called in beta's context)."""
    from datetime import date

    from sqlalchemy import select

    from dugnad.participants.models import Participant
    from dugnad.processes import service
    from tests.support.sample_plugin.models import Note
    from dugnad.processes.models import ChecklistItem, PhaseMove, ProcessParticipant, StakeholderEntry

    process = service.start_process("blt", "Beta process", None)
    phase = service.phases_of(process)[1]
    participant = Participant(name="Berit Beta", category="business", email="berit@beta.test", legal_basis="consent",
                              consent_at=date(2026, 1, 1))
    db.session.add(participant)
    db.session.flush()
    link = ProcessParticipant(process_id=process.id, participant_id=participant.id, role="working_group")
    entry = StakeholderEntry(process_id=process.id, participant_id=participant.id, name="Berit Beta", category="business")
    db.session.add_all([link, entry])
    db.session.flush()
    from dugnad.voting import service as voting

    poll = voting.create_poll(process, title="Beta poll", method="dot", options=["Beta option", "Beta other option"])
    voting.open_poll(poll)
    voting.cast(poll, voting.issue_links(poll, 1)[0][0], {voting.options_of(poll)[0].id: 2})
    from dugnad.handoffs import service as handoffs

    handoff = handoffs.send("sample.note", "sample.note", db.session.scalar(select(Note.id).limit(1)),
                            "Beta handoff purpose: hosts", {"text": "Beta wants hosts"})
    return {
        "handoff": handoff.id,
        "poll": poll.id,
        "option": voting.options_of(poll)[0].id,
        "process": process.id,
        "phase": phase.id,
        "activity": service.create_activity(process, {"title": "Beta task", "phase_id": phase.id}).id,
        "decision": service.record_decision(process, None, oslo_today(), "Beta decision", None, None).id,
        "checklist_item": db.session.scalar(select(ChecklistItem.id).limit(1)),
        "move": db.session.scalar(select(PhaseMove.id).limit(1)),
        "participant": participant.id,
        "process_participant": link.id,
        "stakeholder": entry.id,
    }


def test_every_route_with_an_id_is_covered(app):
    arguments = set()
    for rule in _tenant_rules(app, include_public=True) + _api_rules(app):
        arguments |= set(rule.arguments) - {"tenant"}
    known = set(OBJECTS) | REGION_ARGS | TOKEN_ARGS | _plugin_arguments()
    assert arguments <= known, f"add these to OBJECTS (or a plugin's isolation.ARGUMENTS): {arguments - known}"
    unexpected = {r.rule for r in _rules(app) if r.arguments and not r.rule.startswith(("/<tenant>", "/api/v1/", "/region/"))}
    assert unexpected <= GLOBAL_ID_ROUTES


def _url(rule, tenant: str, world) -> str:
    def fill(match):
        name = match.group(2)
        if name == "tenant":
            return tenant
        return str(OBJECTS[name](world))

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule.rule)


def test_pages_of_another_municipality_answer_404(app, client_as, beta_objects, caches):
    """Public pages (such as a registration form) are left out: anyone may open those."""
    client = client_as("alpha_admin")  # the most powerful person in alpha
    checked = 0
    for rule in _tenant_rules(app):
        url = _url(rule, "beta", beta_objects)
        for method in _methods(rule):
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 15


def test_objects_of_another_municipality_answer_404_through_ones_own(app, client_as, beta_objects, caches):
    client = client_as("alpha_admin")
    checked = 0
    for rule in _tenant_rules(app):
        if not set(rule.arguments) - {"tenant"}:
            continue
        url = _url(rule, "alpha", beta_objects)
        for method in _methods(rule):
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            for secret in SECRETS:
                assert secret not in response.data, f"{method} {url} shows {secret!r}"
            checked += 1
    assert checked >= 6


def test_ones_own_pages_and_fragments_never_show_what_another_municipality_kept(app, client_as, beta_objects, caches):
    """Beta's admin has filled every role-level cache (warm caches): alpha's admin, the same
    role, opens alpha's pages and fragments and sees nothing of beta's."""
    client = client_as("alpha_admin")
    checked = 0
    for rule in _tenant_rules(app, include_public=True):
        if "GET" not in rule.methods or set(rule.arguments) - {"tenant"}:
            continue
        for headers in ({}, FRAGMENT):
            response = client.get(_url(rule, "alpha", beta_objects), headers=headers)
            for secret in SECRETS:
                assert secret not in response.data, f"{rule.rule} ({headers}) shows {secret!r}"
            checked += 1
    assert checked >= 30


def test_api_objects_of_another_municipality_answer_404(app, client_as, beta_objects):
    secret = "dgn_alpha-admin-token"
    with app.app_context():
        db.session.add(AccessToken(user_id=beta_objects.users["alpha_admin"], tenant_id=beta_objects.tenants["alpha"],
                                   name="test", token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    client = app.test_client()
    checked = 0
    for rule in _api_rules(app):
        if "tenant_id" in rule.arguments:
            continue  # region resources: see test_region_pages_need_a_region_admin
        url = _url(rule, "alpha", beta_objects)
        for method in _methods(rule):
            response = client.open(url, method=method, json={"role": "member"}, headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 3


def test_region_pages_need_a_region_admin(app, client_as, beta_objects, caches):
    client = client_as("alpha_admin")
    for rule in _rules(app):
        if not rule.rule.startswith("/region/"):
            continue
        url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(beta_objects.tenants["beta"]) if m.group(2) == "tenant_id" else
                     ("sample" if m.group(2) == "plugin" else str(OBJECTS[m.group(2)](beta_objects))), rule.rule)
        for method in _methods(rule):
            assert client.open(url, method=method, data={}).status_code == 403, f"{method} {url}"


def test_unknown_municipality_is_404(client_as, world):
    assert client_as("alpha_admin").get("/nowhere/").status_code == 404
