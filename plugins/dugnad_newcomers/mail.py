"""E-mail to households (in the language they registered in) and to the coordinator.
Each function is a job: it takes ids, runs in the municipality's context and goes
through the outbox, whose key stops a second copy when a job runs twice."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from dugnad.sdk import Tenant, current_tenant_id, db, enqueue_after_commit, queue_mail
from dugnad_newcomers import households, links

CONTACT_SETTING = "newcomers_contact_email"


def contact_email(tenant: Tenant | None = None) -> str | None:
    tenant = tenant or db.session.get(Tenant, current_tenant_id())
    return (tenant.settings or {}).get(CONTACT_SETTING) or None


def _send(household_id: int, kind: str, template: str, subject, **extra) -> None:
    household = households.get(household_id)
    if household is None or household.anonymised_at is not None or not household.email:
        return
    tenant = db.session.get(Tenant, current_tenant_id())
    with force_locale(household.locale or "nb"):
        body = render_template(f"dugnad_newcomers/mail/{template}", household=household, tenant=tenant,
                               me_link=links.me_link(household), contact=contact_email(tenant), **extra)
        subject_text = str(subject) % {"municipality": tenant.name}
    queue_mail(kind=kind, recipient=household.email, subject_ref=f"{kind}:{household.id}:{household.link_version}",
               subject=subject_text, body=body, tenant_id=tenant.id)
    db.session.commit()


def send_confirmation(household_id: int) -> None:
    household = households.get(household_id)
    if household is None or not household.email:
        return
    _send(household_id, "newcomers.confirm", "confirm.txt", _lazy_confirm(),
          confirm_link=links.confirm_link(household))


def send_me_link(household_id: int) -> None:
    _send(household_id, "newcomers.me_link", "me_link.txt", _lazy_me())


def notify_coordinator(household_id: int) -> None:
    tenant = db.session.get(Tenant, current_tenant_id())
    address = contact_email(tenant)
    household = households.get(household_id)
    if not address or household is None:
        return
    from dugnad.sdk import external_url

    body = render_template("dugnad_newcomers/mail/new_household.txt", household=household, tenant=tenant,
                           link=external_url("newcomers.show", household_id=household.id))
    queue_mail(kind="newcomers.new", recipient=address, subject_ref=f"new:{household.id}",
               subject=_("A new household has registered with the newcomer service"), body=body, tenant_id=tenant.id)
    db.session.commit()


def _lazy_confirm():
    from flask_babel import lazy_gettext as _l

    return _l("Confirm your registration with %(municipality)s")


def _lazy_me():
    from flask_babel import lazy_gettext as _l

    return _l("Your page with the newcomer service in %(municipality)s")


def later(job, *ids) -> None:
    enqueue_after_commit(job, *ids)
