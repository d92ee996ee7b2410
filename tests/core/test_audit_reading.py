"""The audit log reads as sentences in the reader's language, naming the poll, process or
person an entry is about (linked where the reader may open it), with the raw details still
there, folded. Names are looked up when the page is read: never written into the log, never
another municipality's."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.audit import record
from dugnad.audit.models import AuditEvent
from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.tenancy import tenant_context
from tests.core.test_voting_web import _setup
from tests.support.participants import add


def _in(client, language: str):
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def _record(app, tenant_id: int, action: str, model, object_id: int, **detail) -> None:
    with app.app_context(), tenant_context(tenant_id):
        event = record(action, None, **detail)
        event.object_type, event.object_id = model.__name__, str(object_id)
        db.session.commit()


def test_a_paper_ballot_says_which_poll_in_every_language(app, world, client_as):
    from dugnad.voting.models import Poll

    _process_id, poll_id, _options = _setup(app, world)
    _record(app, world.tenants["alpha"], "poll.paper_ballot", Poll, poll_id, voter_id=77, participant_id=None)
    for language, sentence in (("nb", "registrerte en papirstemme i avstemningen"),
                               ("nn", "registrerte ei papirrøyst i avstemminga"),
                               ("en", "registered a paper ballot in the poll")):
        page = _in(client_as("alpha_admin"), language).get("/alpha/admin/audit/").text
        link = f'<a class="ds-link" href="/alpha/polls/{poll_id}/">«Which solutions go on?»</a>'
        assert f"{sentence} {link}" in page, page
        assert "<code>voter_id</code></dt><dd>77</dd>" in page  # the raw details, for the admin
        assert "<dd>poll.paper_ballot</dd>" in page and "<td><code>poll.paper_ballot</code></td>" not in page


def test_a_person_named_in_the_details_is_named_at_read_time_and_never_written_to_the_log(app, world, client_as):
    from dugnad.processes import service as processes
    from dugnad.processes.models import Process

    alpha = world.tenants["alpha"]
    person = add(app, alpha, name="Sigrid Østerbø")
    with app.app_context(), tenant_context(alpha):
        process_id = processes.start_process("blt", "Bolig og arbeid", None).id
        db.session.commit()
    _record(app, alpha, "process.participant_added", Process, process_id, participant_id=person)
    client = _in(client_as("alpha_admin"), "nb")
    page = client.get("/alpha/admin/audit/").text
    assert f'la til noen i prosessen <a class="ds-link" href="/alpha/processes/{process_id}/">«Bolig og arbeid»</a>' in page
    assert f'(gjelder <a class="ds-link" href="/alpha/participants/{person}">«Sigrid Østerbø»</a>)' in page
    with app.app_context():
        logged = [(e.detail, e.object_id) for e in db.session.scalars(select(AuditEvent))]
        assert "Østerbø" not in repr(logged)  # only ids are kept
        with tenant_context(alpha):
            db.session.delete(db.session.get(Participant, person))  # gone (as erased): not named again
            db.session.commit()
    page = client.get("/alpha/admin/audit/").text
    assert "Østerbø" not in page and "(gjelder (slettet eller ikke vist))" in page


def test_another_municipalitys_things_are_never_named(app, world, client_as):
    from dugnad.voting.models import Poll

    _p, beta_poll, _o = _setup(app, world, slug="beta")
    with app.app_context(), tenant_context(world.tenants["beta"]):
        db.session.get(Poll, beta_poll).title = "Betas hemmelige avstemning"
        db.session.commit()
    # an entry in alpha whose ids happen to be beta's poll and a beta participant
    beta_person = add(app, world.tenants["beta"], name="Beate Beta")
    _record(app, world.tenants["alpha"], "poll.closed", Poll, beta_poll, participant_id=beta_person)
    from dugnad.tenancy.models import Tenant

    _record(app, world.tenants["alpha"], "tenant.renamed", Tenant, world.tenants["beta"])
    page = _in(client_as("alpha_admin"), "nb").get("/alpha/admin/audit/").text
    assert "avsluttet avstemningen (slettet eller ikke vist)" in page
    assert "ga kommunen (slettet eller ikke vist) nytt navn" in page
    assert "hemmelige" not in page and "Beate Beta" not in page and "«Beta»" not in page
    region = _in(client_as("region"), "nb").get("/region/audit/").text
    assert "hemmelige" not in region and "Beate Beta" not in region  # the region names municipalities only
    assert "ga kommunen «Beta» nytt navn" in region


def test_a_plugins_action_reads_as_its_sentence(app, world, client_as):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        record("volunteers.need_created", None, need_id=5)
        db.session.commit()
    page = _in(client_as("alpha_admin"), "nn").get("/alpha/admin/audit/").text
    assert "<td>oppretta eit oppdrag for frivillige</td>" in page and "<dd>volunteers.need_created</dd>" in page


AUDIT_MODULES = {"dugnad.audit", "dugnad.audit.models", "dugnad.sdk"}  # where ``record`` is imported from


def _recorded_actions(path) -> tuple[set[str], list[str]]:
    """The actions a module passes to ``dugnad.audit.record`` (under any name it is imported as), and
    the calls whose action cannot be read from the source. A module-level ``NAME = "…"`` counts as a literal."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions, modules, constants = set(), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in AUDIT_MODULES:
            functions |= {alias.asname or alias.name for alias in node.names if alias.name == "record"}
        elif isinstance(node, ast.ImportFrom) and node.module == "dugnad":
            modules |= {alias.asname or alias.name for alias in node.names if alias.name in ("audit", "sdk")}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname for alias in node.names if alias.name in AUDIT_MODULES and alias.asname}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            constants[node.targets[0].id] = node.value.value
    found, unknown = set(), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if not ((isinstance(called, ast.Name) and called.id in functions) or (
                isinstance(called, ast.Attribute) and called.attr == "record" and isinstance(called.value, ast.Name)
                and called.value.id in modules)):
            continue
        action = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "action"), None)
        spelled = _spelled(action, constants)
        if spelled is None:
            unknown.append(f"{path}:{node.lineno}")
        else:
            found |= spelled
    return found, unknown


def _spelled(action, constants: dict[str, str]) -> set[str] | None:
    """The action(s) an argument can be: a literal, a module constant, ``a if … else b`` or
    ``{…: a, …: b}[key]`` of those."""
    import ast

    if isinstance(action, ast.Constant) and isinstance(action.value, str):
        return {action.value}
    if isinstance(action, ast.Name) and action.id in constants:
        return {constants[action.id]}
    if isinstance(action, ast.Subscript) and isinstance(action.value, ast.Dict):  # {…: "a", …: "b"}[key]
        values = [_spelled(value, constants) for value in action.value.values]
        return set().union(*values) if values and None not in values else None
    if isinstance(action, ast.IfExp):
        body, orelse = _spelled(action.body, constants), _spelled(action.orelse, constants)
        return body | orelse if body is not None and orelse is not None else None
    return None


def test_every_action_the_core_and_the_plugins_record_has_a_sentence(app):
    """An action added without one shows its code name in the log: this names it. An action the
    source does not spell out (a variable, an f-string) is refused too: write it as a literal or a
    module-level constant, so that it is checked here and not only when a test happens to record it."""
    from pathlib import Path

    from dugnad.admin.audit_reading import actions

    root = Path(__file__).resolve().parents[2]
    recorded, unreadable = set(), []
    for folder in ("platform", "plugins"):
        for path in sorted((root / folder).rglob("*.py")):
            found, unknown = _recorded_actions(path)
            recorded |= found
            unreadable += [str(Path(where).relative_to(root)) for where in unknown]
    assert unreadable == []
    with app.app_context():
        assert len(recorded) > 150 and sorted(recorded - actions()) == []


def test_recording_an_action_without_a_sentence_is_refused_in_tests(app):
    import pytest

    from dugnad.audit.models import UnknownAuditAction

    with app.app_context(), pytest.raises(UnknownAuditAction, match="volunteers.no_such_thing"):
        record("volunteers.no_such_thing", None)
    with app.app_context():
        assert record("volunteers.need_created", None).action == "volunteers.need_created"
        db.session.rollback()


def test_a_plugin_may_add_sentences_but_not_reword_the_cores(app):
    from dugnad.admin.audit_reading import _sentences

    with app.test_request_context():
        found = _sentences()
    assert str(found["sample.call_noted"]) == "noted a phone call"
    assert "%(object)s" in str(found["process.started"])  # the sample plugin's attempt to override is ignored
