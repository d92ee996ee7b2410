"""The audit log in Chromium, with axe: entries read as sentences naming the poll (a link to
it), and the raw details open from a disclosure, by keyboard too."""

from dugnad.audit import record
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
from tests.conftest import PASSWORD, PEOPLE
from tests.core.test_voting_web import _setup


def test_the_audit_log_reads_as_sentences_with_the_details_folded(visitor, world, app):
    from dugnad.voting.models import Poll

    _process, poll_id, _options = _setup(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        record("poll.paper_ballot", db.session.get(Poll, poll_id), voter_id=77, participant_id=None)
        db.session.commit()
    person = visitor()
    person.login(PEOPLE["alpha_admin"][0], PASSWORD)
    person.go("/alpha/admin/audit/")
    page = person.page
    row = page.locator("tr", has_text="registered a paper ballot in the poll")
    assert row.get_by_role("link", name="«Which solutions go on?»").get_attribute("href") == f"/alpha/polls/{poll_id}/"
    assert not row.get_by_text("voter_id").is_visible()
    row.locator("summary").focus()
    page.keyboard.press("Enter")
    assert row.get_by_text("voter_id").is_visible()
    person.check()
