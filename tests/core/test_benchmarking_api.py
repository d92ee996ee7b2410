"""Benchmarking in the API: metrics, snapshots as JSON and CSV, consent and suppression."""

from datetime import date

import pytest

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.extensions import db
from tests.support.benchmarking import share, snapshot

API = "/api/v1/benchmarks"


@pytest.fixture
def tokens(app, world):
    made = {}
    with app.app_context():
        for key, user, tenant in (("region", "region", None), ("alpha", "alpha_admin", "alpha"), ("beta", "beta_admin", "beta")):
            secret = f"dgn_{key}-benchmarks"
            db.session.add(AccessToken(user_id=world.users[user], tenant_id=world.tenants[tenant] if tenant else None,
                                       name=key, token_hash=hash_token(secret), prefix=secret[:10]))
            made[key] = {"Authorization": f"Bearer {secret}"}
        a, b = world.tenants["alpha"], world.tenants["beta"]
        snapshot(a, "sample.notes", "year", date(2025, 1, 1), 40)
        snapshot(b, "sample.notes", "year", date(2025, 1, 1), 31)
        snapshot(a, "processes.active", "year", date(2025, 1, 1), 3)
        snapshot(b, "processes.active", "year", date(2025, 1, 1), 9)
        snapshot(a, "sample.notes", "year", date(2024, 1, 1), 2)
        share(a, "core", "processes")
        share(b, "processes")
        db.session.commit()
    return made


def _by(rows, municipality, metric, period):
    return next(r for r in rows if (r["municipality"], r["metric"], r["period"]) == (municipality, metric, period))


def test_metrics_are_listed_for_any_token(app, tokens):
    client = app.test_client()
    metrics = client.get(f"{API}/metrics/", headers=tokens["alpha"]).json
    keys = {m["key"] for m in metrics}
    assert {"processes.active", "processes.overdue", "sample.notes"} <= keys
    assert next(m for m in metrics if m["key"] == "processes.overdue")["better"] == "lower"
    assert client.get(f"{API}/metrics/").status_code == 401


def test_a_region_token_sees_every_municipality_with_consent_and_suppression(app, tokens):
    client = app.test_client()
    answer = client.get(f"{API}/snapshots/?from=2024&to=2025", headers=tokens["region"])
    assert answer.status_code == 200
    rows = answer.json["snapshots"]
    assert _by(rows, "Alfa", "sample.notes", "2025") | {} == {"municipality": "Alfa", "number": "3403", "metric": "sample.notes",
                                                             "period": "2025", "state": "shown", "value": 40.0, "count": 40,
                                                             "display": "40"}
    hidden = _by(rows, "Beta", "sample.notes", "2025")
    assert (hidden["state"], hidden["value"], hidden["count"], hidden["display"]) == ("not_shared", None, None, "not shared")
    small = _by(rows, "Alfa", "sample.notes", "2024")
    assert (small["state"], small["value"], small["display"]) == ("suppressed", None, ":")
    region = next(r for r in answer.json["region"] if (r["metric"], r["period"]) == ("sample.notes", "2025"))
    assert (region["shown"], region["median"]) == (1, 40.0)  # beta's 31 is left out
    assert "31" not in answer.get_data(as_text=True)


def test_a_municipality_token_sees_its_own_figures_and_the_region_s(app, tokens):
    client = app.test_client()
    rows = client.get(f"{API}/snapshots/?from=2025", headers=tokens["beta"]).json
    assert {r["municipality"] for r in rows["snapshots"]} == {"Beta"}
    assert _by(rows["snapshots"], "Beta", "sample.notes", "2025")["value"] == 31.0  # its own, though not shared
    active = next(r for r in rows["region"] if (r["metric"], r["period"]) == ("processes.active", "2025"))
    assert active["median"] == 6.0
    alpha = client.get(f"{API}/snapshots/?from=2024&to=2024&metric=sample.notes", headers=tokens["alpha"]).json
    assert _by(alpha["snapshots"], "Alfa", "sample.notes", "2024")["display"] == ":"


@pytest.mark.parametrize("language, alfa, beta", [
    ("nb", "Alfa;3403;sample.notes;2025;shown;40,0;40;40", "Beta;3905;sample.notes;2025;not_shared;;;not shared"),
    ("en", "Alfa,3403,sample.notes,2025,shown,40.0,40,40", "Beta,3905,sample.notes,2025,not_shared,,,not shared"),
])
def test_snapshots_as_csv(app, tokens, language, alfa, beta):
    """The JSON's field names as headings; separators and the decimal mark as the asked-for language writes them."""
    answer = app.test_client().get(f"{API}/snapshots/?from=2025&to=2025&format=csv&metric=sample.notes",
                                   headers={**tokens["region"], "Accept-Language": language})
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.data.decode("utf-8-sig")
    assert alfa in text and beta in text


@pytest.mark.parametrize("query, status, message", [
    ("from=2099", 422, "future"),
    ("from=2025&to=2024", 422, "comes after"),
    ("kind=quarter&from=2025", 422, "kind 'quarter'"),
    ("from=next-year", 422, "not a period"),
    ("kind=week", 422, ""),
    ("metric=nope", 404, "No metric"),
    ("from=2010M01&to=2025M12&kind=month", 422, "at most"),
])
def test_bad_queries_get_a_message(app, tokens, query, status, message):
    answer = app.test_client().get(f"{API}/snapshots/?{query}", headers={**tokens["region"], "Accept-Language": "en"})
    assert answer.status_code == status
    assert message in answer.get_data(as_text=True)


def test_benchmarks_are_in_the_openapi_document(app, tokens):
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert f"{API}/snapshots/" in spec["paths"] and f"{API}/metrics/" in spec["paths"]
    parameters = {p["name"] for p in spec["paths"][f"{API}/snapshots/"]["get"]["parameters"]}
    assert {"metric", "kind", "from", "to", "format"} <= parameters
