"""A page's SQL count does not grow with its rows."""

import pytest

from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
from tests.support.sample_plugin.models import Note


def _grow(app, world, password_hash, n: int) -> None:
    with app.app_context():
        users = [User(email=f"person{i}@alpha.test", name=f"Person {i}", password_hash=password_hash) for i in range(n)]
        db.session.add_all(users)
        db.session.flush()
        with tenant_context(world.tenants["alpha"]):
            db.session.add_all(Membership(user_id=u.id, role="member") for u in users)
            db.session.add_all(Note(text=f"note {i}") for i in range(n))
            db.session.commit()


PAGES = ["/alpha/", "/alpha/widgets/members", "/alpha/admin/members/", "/alpha/notes/", "/alpha/notes/widget",
         "/alpha/admin/audit/", "/alpha/admin/outbox/", "/me"]


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_the_same_with_few_and_many_rows(app, world, client_as, queries, password_hash, path):
    client = client_as("alpha_admin")
    client.get(path)  # warm: first-request work such as loading the user
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world, password_hash, 200)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements
