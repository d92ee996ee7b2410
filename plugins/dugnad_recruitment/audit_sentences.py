"""What each of the plugin's audit actions did, as the audit log says it (``register_audit_sentences``)."""

from flask_babel import lazy_gettext as _l

SENTENCES = {
    "recruitment.board.read": _l("read a recruitment board"),
    "recruitment.candidate.anonymised": _l("erased a candidate's personal data"),
    "recruitment.candidate.created": _l("added a candidate"),
    "recruitment.candidate.read": _l("read a candidate's record"),
    "recruitment.candidate.read_sensitive": _l("read a candidate's sensitive details"),
    "recruitment.candidate.refused": _l("was refused a candidate's record"),
    "recruitment.candidate.sensitive_changed": _l("changed a candidate's sensitive details"),
    "recruitment.candidate.stage_changed": _l("moved a candidate to another stage"),
    "recruitment.candidate.updated": _l("changed a candidate's details"),
    "recruitment.funding.created": _l("added funding"),
    "recruitment.opening.closed": _l("closed a position"),
    "recruitment.opening.created": _l("created a position"),
    "recruitment.opening.updated": _l("changed a position"),
    "recruitment.outcome.recorded": _l("recorded a candidate's outcome"),
    "recruitment.placement.created": _l("placed a candidate"),
    "recruitment.placement.mentor": _l("gave a placement a mentor"),
    "recruitment.rule.created": _l("created a rule"),
    "recruitment.rule.updated": _l("changed a rule"),
    "recruitment.solution.created": _l("created a recruitment solution"),
    "recruitment.track.created": _l("created a recruitment track"),
    "recruitment.track.vote": _l("held a vote on a recruitment track"),
}
