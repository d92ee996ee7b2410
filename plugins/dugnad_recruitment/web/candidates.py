"""One candidate: the record (every read logged with who and why, and the log shown on it),
the sensitive fields behind a stated purpose, the stage, placements with funding and cost,
mentor meetings, outcomes and the candidate's own data export."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from dugnad.sdk import Participant, Refusal, db, render, today
from dugnad_recruitment import access, candidates, handoffs, outcomes, placements, privacy
from dugnad_recruitment.forms import (
    CandidateForm,
    FundingForm,
    MeetingForm,
    MentorForm,
    OutcomeForm,
    PlacementForm,
    PurposeForm,
    SensitiveForm,
    StageForm,
)
from dugnad_recruitment.models import (
    Candidate,
    CandidateSensitive,
    MentorMeeting,
    Opening,
    Outcome,
    Placement,
    Track,
)
from dugnad_recruitment.web import fail, get_or_404, must, recruitment


def _participants():
    return list(db.session.execute(select(Participant.id, Participant.name).order_by(Participant.name)).tuples())


def _openings(track_id: int):
    return [(o.id, f"{o.unit}: {o.title}") for o in db.session.scalars(
        select(Opening).where(Opening.track_id == track_id, Opening.closed_at.is_(None)).order_by(Opening.unit))]


@recruitment.route("/tracks/<int:track_id>/candidates/new", methods=["GET", "POST"])
def new_candidate(track_id: int):
    track = get_or_404(Track, track_id)
    must("recruitment.manage")
    form = CandidateForm(participants=_participants()) if request.method == "POST" else \
        CandidateForm(participants=_participants(), formdata=None)
    sensitive = SensitiveForm() if request.method == "POST" else SensitiveForm(formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                candidate = candidates.create(track, {**form.data, **sensitive.data})
                db.session.commit()
                flash(_("%(name)s is added to the track, at the mapping stage.", name=candidate.name), "success")
                return redirect(url_for("recruitment.candidate", candidate_id=candidate.id))
            except Refusal as error:
                fail(form, error)
        status = 422
    return render("dugnad_recruitment/candidate_form.html", form=form, sensitive=sensitive, track=track,
                  candidate=None, status=status)


def _page(candidate: Candidate, status: int = 200, **forms):
    """The record with its forms (a refused one keeps what was typed). Logs the read."""
    access.read(candidate, "record page")
    placed = placements.placements_of(candidate)
    funded = placements.fundings_of([p.id for p, *_ in placed])
    all_funding = [pair for pairs in funded.values() for pair in pairs]
    manage = access.sees_all()
    people = placements.people() if manage else []
    outcome_rows = list(db.session.scalars(select(Outcome).where(Outcome.candidate_id == candidate.id)
                                           .order_by(Outcome.months)))
    context = {
        "candidate": candidate,
        "track": db.session.get(Track, candidate.track_id),
        "timeline": candidates.timeline(candidate),
        "placed": placed,
        "funded": funded,
        "costs": {p.id: placements.monthly_costs(p, funded[p.id]) for p, *_ in placed} if manage else {},
        "warnings": placements.warnings(all_funding),
        "outcomes": outcome_rows,
        "meetings": list(db.session.scalars(select(MentorMeeting).where(MentorMeeting.candidate_id == candidate.id)
                                            .order_by(MentorMeeting.met_on.desc()))),
        "has_sensitive": db.session.scalar(select(CandidateSensitive.id).where(
            CandidateSensitive.candidate_id == candidate.id)) is not None,
        "reads": access.reads(candidate),
        "manage": manage,
        "today": today(),
        "stage_form": forms.get("stage_form") or StageForm(prefix="stage", formdata=None, data={"changed_on": today()}),
        "placement_form": forms.get("placement_form") or PlacementForm(openings=_openings(candidate.track_id),
                                                                       prefix="placement", formdata=None),
        "funding_forms": {p.id: (forms.get("funding_forms") or {}).get(p.id)
                          or FundingForm(rules=placements.rules(), prefix=f"funding-{p.id}", formdata=None)
                          for p, *_ in placed} if manage else {},
        "mentor_forms": {p.id: (forms.get("mentor_forms") or {}).get(p.id)
                         or MentorForm(people=people, prefix=f"mentor-{p.id}", formdata=None,
                                       data={"mentor_id": p.mentor_id, "mentor_name": p.mentor_name})
                         for p, *_ in placed} if manage else {},
        "meeting_form": forms.get("meeting_form") or MeetingForm(prefix="meeting", formdata=None,
                                                                 data={"met_on": today()}),
        "outcome_forms": {o.id: (forms.get("outcome_forms") or {}).get(o.id)
                          or OutcomeForm(prefix=f"outcome-{o.id}", formdata=None) for o in outcome_rows} if manage else {},
        "purpose_form": PurposeForm(formdata=None),
        "handoffs_panel": handoffs.panel(candidate) if manage else "",
    }
    page = render("dugnad_recruitment/candidate.html", status=status, **context)
    db.session.commit()  # the read is logged with the page; after rendering, so nothing shown is re-loaded
    return page


@recruitment.get("/candidates/<int:candidate_id>")
def candidate(candidate_id: int):
    return _page(access.candidate_or_refuse(candidate_id))


@recruitment.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
def edit_candidate(candidate_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    form = CandidateForm(participants=_participants()) if request.method == "POST" else \
        CandidateForm(participants=_participants(), obj=found, formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                candidates.update(found, form.data)
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("recruitment.candidate", candidate_id=found.id))
            except Refusal as error:
                fail(form, error)
        status = 422
    access.read(found, "edit page")
    page = render("dugnad_recruitment/candidate_form.html", form=form, sensitive=None, candidate=found,
                  track=db.session.get(Track, found.track_id), status=status)
    db.session.commit()
    return page


@recruitment.get("/candidates/<int:candidate_id>/sensitive")
def sensitive(candidate_id: int):
    """The special-category fields, shown only when the person says why: the click is logged."""
    found = access.candidate_or_refuse(candidate_id)
    form = PurposeForm(request.args)
    if not request.args or not form.validate():
        access.read(found, "asked to see sensitive information")
        page = render("dugnad_recruitment/sensitive.html", candidate=found, form=form, row=None,
                      status=422 if request.args else 200, edit_form=None, shown=False)
        db.session.commit()
        return page
    row = access.read_sensitive(found, form.purpose.data)
    edit_form = SensitiveForm(obj=row, formdata=None) if access.sees_all() else None
    page = render("dugnad_recruitment/sensitive.html", candidate=found, form=form, row=row, edit_form=edit_form,
                  shown=True)
    db.session.commit()
    return page


@recruitment.post("/candidates/<int:candidate_id>/sensitive")
def save_sensitive(candidate_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    form = SensitiveForm()
    if form.validate_on_submit():
        candidates.set_sensitive(found, form.data)
        db.session.commit()
        flash(_("The sensitive information is saved, apart from the record."), "success")
    return redirect(url_for("recruitment.candidate", candidate_id=found.id))


@recruitment.post("/candidates/<int:candidate_id>/stage")
def change_stage(candidate_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    form = StageForm(prefix="stage")
    if form.validate_on_submit():
        try:
            change = candidates.change_stage(found, form.to_stage.data, form.changed_on.data, form.reason.data)
            db.session.commit()
            flash(_("%(name)s is now at “%(stage)s”.", name=found.name, stage=str(change.to_stage and
                                                                                 _stage(change.to_stage))), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + "#timeline-heading")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, stage_form=form)


def _stage(key: str) -> str:
    from dugnad_recruitment.models import STAGES

    return str(STAGES[key])


@recruitment.post("/candidates/<int:candidate_id>/placements")
def place(candidate_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    form = PlacementForm(openings=_openings(found.track_id), prefix="placement")
    if form.validate_on_submit():
        opening = db.session.get(Opening, form.opening_id.data or 0)
        try:
            if opening is None or opening.track_id != found.track_id:
                raise Refusal(_("Choose a place on this track."), "opening_id")
            placement = placements.place(found, opening, {"starts_on": form.starts_on.data, "ends_on": form.ends_on.data})
            db.session.commit()
            flash(_("%(name)s is placed in %(unit)s.", name=found.name, unit=opening.unit), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + f"#placement-{placement.id}")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, placement_form=form)


def _placement(candidate: Candidate, placement_id: int) -> Placement:
    placement = get_or_404(Placement, placement_id)
    if placement.candidate_id != candidate.id:
        from flask import abort

        abort(404)
    return placement


@recruitment.post("/candidates/<int:candidate_id>/placements/<int:placement_id>/funding")
def add_funding(candidate_id: int, placement_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    placement = _placement(found, placement_id)
    form = FundingForm(rules=placements.rules(), prefix=f"funding-{placement.id}")
    if form.validate_on_submit():
        try:
            placements.add_funding(placement, form.data)
            db.session.commit()
            flash(_("The funding is recorded."), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + f"#placement-{placement.id}")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, funding_forms={placement.id: form})


@recruitment.post("/candidates/<int:candidate_id>/placements/<int:placement_id>/mentor")
def set_mentor(candidate_id: int, placement_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    placement = _placement(found, placement_id)
    form = MentorForm(people=placements.people(), prefix=f"mentor-{placement.id}")
    if form.validate_on_submit():
        try:
            placements.set_mentor(placement, form.mentor_id.data, form.mentor_name.data)
            db.session.commit()
            flash(_("The mentor is set."), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + f"#placement-{placement.id}")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, mentor_forms={placement.id: form})


@recruitment.post("/candidates/<int:candidate_id>/meetings")
def log_meeting(candidate_id: int):
    """The mentor (or leader, or coordinator) logs a meeting."""
    found = access.candidate_or_refuse(candidate_id)
    form = MeetingForm(prefix="meeting")
    if form.validate_on_submit():
        try:
            if form.met_on.data is None:
                raise Refusal(_("Give the day you met."), "met_on")
            if form.met_on.data > today():
                raise Refusal(_("Log a meeting once it has taken place."), "met_on")
            if not form.summary.data:
                raise Refusal(_("Write a line about what you talked about."), "summary")
            db.session.add(MentorMeeting(candidate_id=found.id, met_on=form.met_on.data, summary=form.summary.data,
                                         logged_by_id=current_user.id))
            db.session.commit()
            flash(_("The meeting is logged."), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + "#meetings-heading")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, meeting_form=form)


@recruitment.post("/candidates/<int:candidate_id>/outcomes/<int:outcome_id>")
def record_outcome(candidate_id: int, outcome_id: int):
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    outcome = get_or_404(Outcome, outcome_id)
    if outcome.candidate_id != found.id:
        from flask import abort

        abort(404)
    form = OutcomeForm(prefix=f"outcome-{outcome.id}")
    if form.validate_on_submit():
        try:
            outcomes.record(outcome, form.data)
            db.session.commit()
            flash(_("The outcome after %(months)s months is recorded.", months=outcome.months), "success")
            return redirect(url_for("recruitment.candidate", candidate_id=found.id) + "#outcomes-heading")
        except Refusal as error:
            fail(form, error)
    return _page(found, 422, outcome_forms={outcome.id: form})


@recruitment.get("/candidates/<int:candidate_id>/export")
def export(candidate_id: int):
    """The candidate's own data, to hand them (GDPR art. 15). Logged as a read."""
    found = access.candidate_or_refuse(candidate_id)
    must("recruitment.manage")
    data = privacy.export(found)
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="candidate-{found.id}.json"'})
