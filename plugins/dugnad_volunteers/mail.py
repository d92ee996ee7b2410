"""E-mail to volunteers (in the language they registered in) and to the coordinator.

Every function is a job: it takes ids, runs in the municipality's context and goes
through the outbox, whose key (kind, recipient, subject) stops a second copy when a
job runs twice. ``later`` enqueues one after the current transaction commits."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dugnad.sdk import current_tenant_id, db, enqueue_after_commit, external_url, queue_mail, Tenant, utcnow
from dugnad_volunteers import links
from dugnad_volunteers.models import Assignment, Need, Role, Volunteer

CONTACT_SETTING = "volunteers_contact_email"


def later(job, *ids) -> None:
    enqueue_after_commit(job, *ids)


def tenant() -> Tenant:
    return db.session.get(Tenant, current_tenant_id())


def contact_email(municipality: Tenant | None = None) -> str | None:
    municipality = municipality or tenant()
    return (municipality.settings or {}).get(CONTACT_SETTING) or None


def _volunteer(volunteer_id: int) -> Volunteer | None:
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.id == volunteer_id))
    if volunteer is None or volunteer.anonymised_at is not None or not volunteer.email:
        return None
    return volunteer


def to_volunteer(volunteer: Volunteer, kind: str, subject_ref: str, subject: str, template: str,
                 attachments: list | None = None, **context) -> None:
    """Render ``template`` in the volunteer's language and put it in the outbox."""
    municipality = tenant()
    with force_locale(volunteer.locale or "nb"):
        body = render_template(f"dugnad_volunteers/mail/{template}", volunteer=volunteer, tenant=municipality,
                               me_link=links.me_link(volunteer), contact=contact_email(municipality), **context)
    queue_mail(kind=kind, recipient=volunteer.email, subject_ref=subject_ref, subject=subject, body=body,
               tenant_id=municipality.id, attachments=attachments)


def _subject(volunteer: Volunteer, message, **values) -> str:
    """A subject line (a lazy text, so that it is extracted) in the volunteer's language."""
    with force_locale(volunteer.locale or "nb"):
        return str(message) % values


# --- registration --------------------------------------------------------------------------------


def send_confirmation(volunteer_id: int) -> bool:
    volunteer = _volunteer(volunteer_id)
    if volunteer is None or volunteer.email_confirmed_at is not None:
        return False
    to_volunteer(volunteer, "volunteer-confirm", f"volunteer:{volunteer.id}:{volunteer.email}",
                 _subject(volunteer, _l("Confirm your registration as a volunteer in %(municipality)s"), municipality=tenant().name),
                 "confirm.txt", link=links.confirm_link(volunteer))
    return True


def send_guardian_request(volunteer_id: int) -> bool:
    volunteer = _volunteer(volunteer_id)
    if volunteer is None or not volunteer.guardian_email or volunteer.guardian_confirmed_at is not None:
        return False
    municipality = tenant()
    with force_locale(volunteer.locale or "nb"):
        body = render_template("dugnad_volunteers/mail/guardian.txt", volunteer=volunteer, tenant=municipality,
                               link=links.guardian_link(volunteer), contact=contact_email(municipality))
        subject = _("%(name)s wants to be a volunteer in %(municipality)s", name=volunteer.name, municipality=municipality.name)
    queue_mail(kind="volunteer-guardian", recipient=volunteer.guardian_email,
               subject_ref=f"volunteer:{volunteer.id}:{volunteer.guardian_email}", subject=subject, body=body,
               tenant_id=municipality.id)
    return True


def notify_coordinator_new(volunteer_id: int) -> bool:
    volunteer = _volunteer(volunteer_id)
    address = contact_email()
    if volunteer is None or not address:
        return False
    municipality = tenant()
    body = render_template("dugnad_volunteers/mail/new_volunteer.txt", volunteer=volunteer, tenant=municipality,
                           link=external_url("volunteers.review"))
    queue_mail(kind="volunteer-new", recipient=address, subject_ref=f"volunteer:{volunteer.id}",
               subject=_("New volunteer waiting for review"), body=body, tenant_id=municipality.id)
    return True


def send_me_link(volunteer_id: int, reason: str) -> bool:
    """The link to their own page: on request, or when someone registers with their address again."""
    volunteer = _volunteer(volunteer_id)
    if volunteer is None:
        return False
    hour = utcnow().strftime("%Y%m%d%H")
    to_volunteer(volunteer, "volunteer-link", f"volunteer:{volunteer.id}:{reason}:{hour}",
                 _subject(volunteer, _l("Your page in the volunteer bank of %(municipality)s"), municipality=tenant().name),
                 "me_link.txt", reason=reason)
    return True


def send_decision(volunteer_id: int) -> bool:
    """Approved, asked for more, or not approved: the coordinator's last review, once."""
    volunteer = _volunteer(volunteer_id)
    if volunteer is None or volunteer.reviewed_at is None or volunteer.status not in ("approved", "more_info", "rejected"):
        return False
    subjects = {
        "approved": _l("You are approved as a volunteer in %(municipality)s"),
        "more_info": _l("The volunteer coordinator in %(municipality)s has a question"),
        "rejected": _l("About your registration as a volunteer in %(municipality)s"),
    }
    from dugnad_volunteers import vetting

    certificate_roles = vetting.roles_lacking_certificate(volunteer) if volunteer.status == "approved" else []
    to_volunteer(volunteer, f"volunteer-{volunteer.status}", f"volunteer:{volunteer.id}:{volunteer.reviewed_at.isoformat()}",
                 _subject(volunteer, subjects[volunteer.status], municipality=tenant().name),
                 f"decision_{volunteer.status}.txt", certificate_roles=certificate_roles)
    return True


# --- needs -------------------------------------------------------------------------------------------


def _assignment(assignment_id: int):
    row = db.session.execute(
        select(Assignment, Need, Role)
        .join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .join(Role, (Role.id == Need.role_id) & (Role.tenant_id == Need.tenant_id))
        .where(Assignment.id == assignment_id)
    ).first()
    return row if row is not None else (None, None, None)


def send_request(assignment_id: int) -> bool:
    """Ask a volunteer to take a need, with links to say yes or no."""
    assignment, need, role = _assignment(assignment_id)
    volunteer = _volunteer(assignment.volunteer_id) if assignment else None
    if volunteer is None or assignment.status != "asked" or need.status != "open":
        return False
    to_volunteer(volunteer, "volunteer-request", f"assignment:{assignment.id}:{assignment.asked_at.isoformat()}",
                 _subject(volunteer, _l("Can you help? %(title)s"), title=need.title), "request.txt",
                 need=need, role=role, link=links.answer_link(assignment))
    return True


def send_not_needed(assignment_id: int) -> bool:
    """Tell someone who was asked (and had not answered, or said yes) that they are no longer needed."""
    assignment, need, role = _assignment(assignment_id)
    volunteer = _volunteer(assignment.volunteer_id) if assignment else None
    if volunteer is None or assignment.status not in ("not_needed", "withdrawn"):
        return False
    to_volunteer(volunteer, "volunteer-not-needed", f"assignment:{assignment.id}:{assignment.status}",
                 _subject(volunteer, _l("No longer needed: %(title)s"), title=need.title), "not_needed.txt",
                 need=need, cancelled=need.status == "cancelled")
    return True


def send_need_changed(assignment_id: int, version: str) -> bool:
    """A need the volunteer was asked for (or said yes to) has a new time or place."""
    assignment, need, role = _assignment(assignment_id)
    volunteer = _volunteer(assignment.volunteer_id) if assignment else None
    if volunteer is None or assignment.status not in ("asked", "accepted") or need.status not in ("open", "filled"):
        return False
    to_volunteer(volunteer, "volunteer-need-changed", f"assignment:{assignment.id}:{version}",
                 _subject(volunteer, _l("Changed: %(title)s"), title=need.title), "need_changed.txt",
                 need=need, role=role, assignment=assignment, link=links.answer_link(assignment))
    return True


def notify_coordinator_answer(assignment_id: int) -> bool:
    """The coordinator hears when someone says yes, or cancels a yes."""
    assignment, need, _role = _assignment(assignment_id)
    address = contact_email()
    if assignment is None or not address or assignment.status not in ("accepted", "withdrawn"):
        return False
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.id == assignment.volunteer_id))
    body = render_template("dugnad_volunteers/mail/answer.txt", assignment=assignment, need=need, volunteer=volunteer,
                           tenant=tenant(), link=external_url("volunteers.need", need_id=need.id))
    subject = (_("Yes from %(name)s: %(title)s", name=volunteer.display_name, title=need.title)
               if assignment.status == "accepted" else
               _("%(name)s can no longer come: %(title)s", name=volunteer.display_name, title=need.title))
    queue_mail(kind="volunteer-answer", recipient=address, subject_ref=f"assignment:{assignment.id}:{assignment.status}:"
               f"{(assignment.answered_at or utcnow()).isoformat()}", subject=subject, body=body, tenant_id=tenant().id)
    return True
