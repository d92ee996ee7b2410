"""The demo people: one login per role, in the municipalities of tenants/ (see README)."""

from __future__ import annotations

from sqlalchemy import func, select

from dugnad.accounts.models import Membership, User
from dugnad.accounts.security import hash_password
from dugnad.extensions import db
from dugnad.tenancy.context import tenant_context
from dugnad.tenancy.models import Tenant

DEMO_PASSWORD = "dugnad-demo"

# (email, name, region admin?, {municipality slug: role})
DEMO_PEOPLE = [
    ("region@dugnad.demo", "Randi Regionsen", True, {}),
    ("admin@hamar.demo", "Hamid Hamar", False, {"hamar": "admin"}),
    ("koordinator@dugnad.demo", "Kari Koordinator", False, {"hamar": "coordinator", "tonsberg": "coordinator"}),
    ("fasilitator@tonsberg.demo", "Fredrik Fasilitator", False, {"tonsberg": "facilitator"}),
    ("admin@tonsberg.demo", "Tone Tønsberg", False, {"tonsberg": "admin"}),
    ("admin@namsskogan.demo", "Nils Namsskogan", False, {"namsskogan": "admin"}),
    ("medlem@kinn.demo", "Mona Medlem", False, {"kinn": "member"}),
    ("admin@kinn.demo", "Frode Flora", False, {"kinn": "admin"}),
]


def seed(force: bool = False) -> list[str]:
    """Add the demo people once. Returns what was done."""
    if not force and db.session.scalar(select(func.count()).select_from(User).where(User.password_hash.is_not(None))):
        return ["demo people already there: nothing added"]
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    done = []
    password = hash_password(DEMO_PASSWORD)
    for email, name, region_admin, roles in DEMO_PEOPLE:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name)
            db.session.add(user)
        user.password_hash, user.is_region_admin = password, region_admin or user.is_region_admin
        db.session.flush()
        for slug, role in roles.items():
            if slug not in tenants:
                continue
            with tenant_context(tenants[slug]):
                membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
                if membership is None:
                    db.session.add(Membership(user_id=user.id, role=role))
                    db.session.flush()
        done.append(f"demo login {email} / {DEMO_PASSWORD}")
    db.session.commit()
    return done
