"""What each of the plugin's audit actions did, as the audit log says it (``register_audit_sentences``)."""

from flask_babel import lazy_gettext as _l

SENTENCES = {
    "newcomers.agreement": _l("recorded an agreement with a household"),
    "newcomers.anonymised": _l("erased a household's personal data"),
    "newcomers.checklist_item": _l("changed an item on a household's checklist"),
    "newcomers.checklist_item_handoff": _l("asked for help with an item on a household's checklist"),
    "newcomers.consent_text": _l("published a new consent text for newcomers"),
    "newcomers.contact_assigned": _l("gave a household a contact person"),
    "newcomers.corrected": _l("corrected a household's details"),
    "newcomers.council_decision": _l("recorded a council decision"),
    "newcomers.email_confirmed": _l("a household confirmed its e-mail address"),
    "newcomers.follow_up": _l("recorded a follow-up with a household"),
    "newcomers.measure_added": _l("added a measure"),
    "newcomers.moved_away": _l("noted that a household moved away"),
    "newcomers.plenary_vote": _l("held a plenary vote"),
    "newcomers.record_read": _l("read a household's record"),
    "newcomers.registered": _l("a household registered"),
    "newcomers.retention_warned": _l("warned that a household's data will soon be erased"),
}
