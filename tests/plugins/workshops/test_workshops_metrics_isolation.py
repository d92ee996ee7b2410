"""The benchmark figures the plugin gives the region, and the series pages of another
municipality's workshop series (the core isolation test fills ``process_id`` with a
process that is no series, so this checks those routes with a real one)."""

from __future__ import annotations

import re
from datetime import timedelta


from dugnad.benchmarking.metrics import Figure
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
from dugnad_workshops import pilots
from dugnad_workshops.models import Pilot, PilotRound, Workshop
from tests.plugins.workshops.isolation import SECRETS, beta_series
from tests.plugins.workshops.workshops_support import GUESTS, build_room, english, in_tenant  # noqa: F401
from dugnad.clock import today as oslo_today


def compute(app, tenant_id, key, start=None, end=None):
    metric = app.extensions["dugnad.plugins"].registry.metrics[key]
    start = start or oslo_today() - timedelta(days=30)
    end = end or oslo_today() + timedelta(days=1)
    return in_tenant(app, tenant_id, lambda: metric.compute(tenant_id, start, end))


def test_the_metrics_count_workshops_who_took_part_pilots_and_scaling(app, english, world):
    registry = app.extensions["dugnad.plugins"].registry
    keys = {k for k, m in registry.metrics.items() if m.group == "workshops"}
    assert keys == {"workshops.held", "workshops.business_share", "workshops.target_group_share",
                    "workshops.solutions_to_pilots", "workshops.pilots_scaled"}
    made = build_room(app, world)
    assert compute(app, made.tenant_id, "workshops.held") is None
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "start"})
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "finish"})
    assert compute(app, made.tenant_id, "workshops.held") == 1
    assert compute(app, made.tenant_id, "workshops.held", end=oslo_today() - timedelta(days=1)) is None
    business = sum(1 for _n, c in GUESTS if c == "business")
    assert compute(app, made.tenant_id, "workshops.business_share") == Figure(round(100 * business / len(GUESTS), 1), len(GUESTS))
    target = sum(1 for _n, c in GUESTS if c == "target_group")
    assert compute(app, made.tenant_id, "workshops.target_group_share").value == round(100 * target / len(GUESTS), 1)
    # beta has nothing: no figures
    assert compute(app, world.tenants["beta"], "workshops.business_share") is None


def test_proposals_that_became_pilots_and_pilots_scaled(app, world):
    tenant_id = world.tenants["alpha"]

    def build():
        made = beta_series()  # one proposal to the plenary, chosen, made a pilot, one round
        workshop = db.session.get(Workshop, made["workshop_id"])
        workshop.status, workshop.held_at = "held", db.func.now()
        pilot = db.session.get(Pilot, made["pilot_id"])
        round_ = db.session.get(PilotRound, made["round_id"])
        pilots.record_findings(round_, {"tested": "One trip a week", "findings": "Full bus", "reached": 12})
        pilots.decide(pilot, round_, "scale", "It works", None)
        db.session.commit()

    in_tenant(app, tenant_id, build)
    assert compute(app, tenant_id, "workshops.solutions_to_pilots") == Figure(100.0, 1)
    assert compute(app, tenant_id, "workshops.pilots_scaled") == 1


def test_the_series_pages_of_another_municipality_answer_404(app, client_as, world):
    with app.app_context(), tenant_context(world.tenants["beta"]):
        made = beta_series()
        db.session.commit()
    client = client_as("alpha_admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("workshops.") or "process_id" not in rule.arguments:
            continue
        for slug in ("alpha", "beta"):
            url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: slug if m.group(2) == "tenant" else str(made[m.group(2)]), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data={})
                assert response.status_code == 404, f"{method} {url}"
                assert not any(secret in response.data for secret in SECRETS)
                checked += 1
    assert checked >= 30
