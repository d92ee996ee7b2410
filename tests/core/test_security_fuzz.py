"""Issue 16, "no input makes a 5xx": schemathesis fuzzes every API operation from the
OpenAPI document, with a token of each kind (the region, a municipal admin, a facilitator),
and checks that no answer is a server error and every answer keeps to its own schema.

Bounded in time: ``FUZZ_EXAMPLES`` cases per operation and token (default 8, about
1,750 cases in all; a deeper run: DUGNAD_FUZZ_EXAMPLES=25 gives 5,475, 0 failures on
PostgreSQL with row-level security when this was written). The counts of the last run are written to
``instance/fuzz-report.json`` next to the test database, and printed at the end.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
from tests.core.test_api import make_token

FUZZ_EXAMPLES = int(os.environ.get("DUGNAD_FUZZ_EXAMPLES", "8"))
CASES: Counter = Counter()
OPERATIONS: set[str] = set()


@pytest.fixture
def tokens(app, world, password_hash):
    """A bearer token of each kind the report attacked with."""
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        facilitator = User(email="facilitator@alpha.test", name="Fia Facilitator", password_hash=password_hash)
        db.session.add(facilitator)
        db.session.flush()
        db.session.add(Membership(user_id=facilitator.id, role="facilitator"))
        db.session.commit()
        facilitator_id = facilitator.id
        db.session.remove()
    return {
        "region": make_token(app, world.users["region"], None),
        "admin": make_token(app, world.users["alpha_admin"], world.tenants["alpha"]),
        "facilitator": make_token(app, facilitator_id, world.tenants["alpha"]),
    }


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])


def fuzz(api_schema, token: str, who: str) -> None:
    """Every operation of the document, ``FUZZ_EXAMPLES`` cases each; all failures listed at once."""
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        OPERATIONS.add(operation.label)

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case):
            CASES[who] += 1
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert not failures, f"{len(failures)} operations failed:\n" + "\n\n".join(failures)


def test_no_api_input_makes_a_server_error_or_breaks_the_schema_with_a_region_token(api_schema, tokens):
    fuzz(api_schema, tokens["region"], "region")


def test_no_api_input_makes_a_server_error_or_breaks_the_schema_with_an_admins_token(api_schema, tokens):
    fuzz(api_schema, tokens["admin"], "admin")


def test_no_api_input_makes_a_server_error_or_breaks_the_schema_with_a_facilitators_token(api_schema, tokens):
    fuzz(api_schema, tokens["facilitator"], "facilitator")


@pytest.fixture(scope="module", autouse=True)
def _report(app):
    yield
    if CASES:
        report = {"operations": len(OPERATIONS), "cases": sum(CASES.values()), "by_token": dict(CASES),
                  "examples_per_operation": FUZZ_EXAMPLES}
        print("\nschemathesis:", json.dumps(report))
        path = os.path.join(app.instance_path, "fuzz-report.json")
        with open(path, "w") as handle:
            json.dump(report, handle)
