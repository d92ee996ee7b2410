"""The newcomer service's objects for the isolation test (tests/core/test_isolation.py):
every route of the plugin answers 404 to another municipality's ids."""

from __future__ import annotations

from datetime import timedelta

from dugnad.sdk import db, today

ARGUMENTS = ("household_id", "follow_up_id", "token")
SECRETS = (b"Bashir Betanewcomer", b"bashir@beta.test", b"Betaville")


def beta_objects() -> dict:
    from dugnad_newcomers import households, links

    household = households.register({"name": "Bashir Betanewcomer", "email": "bashir@beta.test", "phone": "93456789",
                                     "adults": 1, "children": [5], "moved_from": "Betaville", "reason": "refugee",
                                     "arrival_date": today() - timedelta(days=100), "consent": True}, by=None)
    households.confirm_email(household, household.email)
    db.session.flush()
    return {"household_id": household.id, "follow_up_id": households.follow_ups(household)[0].id,
            "token": links.me_token(household)}
