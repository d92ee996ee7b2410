"""A plugin for the tests that implements every hook (tests/core/test_hooks.py)."""

from pathlib import Path

import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.benchmarking.metrics import Metric
from dugnad.extensions import db
from dugnad.hookspecs import hookimpl
from dugnad.processes.templates import PhaseTemplate, ProcessTemplate
from dugnad.refusals import Refusal
from dugnad.registry import (HandoffOrigin, HelpField, HelpKind, Mount, NavItem, Permission, Reference, Role,
                             Schedule, SettingField, Widget)
from dugnad.sdk import BallotError, PollError, PollMethod, ResultRow, ResultView

from .models import Note, NoteComment

PLUGIN_NAME = "sample"
PLUGIN_LABEL = "Sample notes"
PLUGIN_DESCRIPTION = "A plugin used by the tests."
HERE = Path(__file__).parent

calls: list[tuple] = []  # what request-time hooks were called with, for the tests


def count_notes() -> int:
    """A registered job: counts the notes of the municipality in context."""
    from dugnad.tenancy import current_tenant_id

    count = db.session.scalar(select(func.count()).select_from(Note))
    calls.append(("count_notes", current_tenant_id(), count))
    return count


def add_note(text: str) -> int:
    note = Note(text=text)
    db.session.add(note)
    db.session.flush()
    return note.id


def failing_job(text: str) -> None:
    """Writes, then fails: the write must not survive."""
    db.session.add(Note(text=text))
    db.session.flush()
    raise RuntimeError("boom")


@hookimpl
def register_models():
    return [Note, NoteComment]


@hookimpl
def register_migrations():
    return [HERE / "migrations" / "versions"]


@hookimpl
def register_blueprints():
    from .views import notes, public

    return [Mount(notes, scope="tenant"), Mount(public, scope="tenant", public=True)]


@hookimpl
def register_template_dirs():
    return [HERE / "templates"]


@hookimpl
def register_permissions():
    return [Permission("notes.write", "Write notes", ("admin", "coordinator", "observer"))]


@hookimpl
def register_roles():
    return [Role("observer", "Observer", "Reads notes.", rank=5)]


@hookimpl
def tenant_settings_schema():
    return [SettingField("notes_motto", "Motto of the notes", "text", default="Write it down")]


@hookimpl
def register_process_templates():
    return [ProcessTemplate("sample", "Sample process", "Two phases.",
                            (PhaseTemplate("a", "First"), PhaseTemplate("b", "Second", ladder_level=3)))]


def _read_answer(poll, options, form) -> bool:
    answer = form.get("answer")
    if answer not in ("yes", "no"):
        raise PollError("Answer yes or no.", "ballot")
    return answer == "yes"


def _check_answer(ballot, rules) -> None:
    if not isinstance(ballot, bool):
        raise BallotError("A ballot is a yes or a no.")


def _show_answers(results) -> ResultView:
    yes = results.tally["yes"]
    no = results.turnout - yes
    top = max(yes, no) or 1
    rows = [ResultRow(None, "Yes", 1 if yes >= no else 2, yes == no, str(yes), 100 * yes / top),
            ResultRow(None, "No", 1 if no >= yes else 2, yes == no, str(no), 100 * no / top)]
    winners = [] if yes == no else ["Yes" if yes > no else "No"]
    return ResultView("counts", "Answers", [], rows, winners, results.turnout)


@hookimpl
def register_poll_methods():
    """A whole method from a plugin: its own form, ballot, validation, tally and result."""
    return [PollMethod("sample_yes_no", "Yes or no", validate=_check_answer,
                       tally=lambda ballots, options: {"yes": sum(1 for b in ballots if b)},
                       parse=_read_answer, fill=lambda poll, ballot: {"answer": "yes" if ballot else "no"},
                       readable=lambda ballot, name: "yes" if ballot else "no", present=_show_answers,
                       ballot_template="sample/ballot.html", takes_options=False)]


@hookimpl
def register_benchmark_metrics():
    return [Metric("sample.notes", "Notes", "count", compute=lambda tenant_id, start, end: count_notes())]


@hookimpl
def register_jobs():
    return [count_notes, add_note, failing_job]


@hookimpl
def register_schedules():
    return [Schedule(count_notes, cron="0 6 * * *", per_tenant=True)]


@click.command("sample-hello")
def hello_command():
    """Say hello (from the sample plugin)."""
    click.echo("hello from sample")


@hookimpl
def register_commands():
    return [hello_command]


def note_reference(note) -> Reference:
    return Reference(f"sample.note:{note.id}", note.text, "sample_notes.show", {"note_id": note.id})


def resolve_note(note_id: int) -> Reference | None:
    """A note of the municipality in context as a handoff's origin (None: not here)."""
    note = db.session.scalar(select(Note).where(Note.id == note_id))
    return note_reference(note) if note is not None else None


def receive_note_request(request) -> Reference:
    """A handoff received: write the note asked for (refusing one that says "refuse me")."""
    text = request.values["text"]
    if text == "refuse me":
        raise Refusal("The sample plugin refuses this note.", "text")
    note = Note(text=f"{text} (for {request.origin_label})"[:200])
    db.session.add(note)
    db.session.flush()
    calls.append(("received", request.handoff_id, request.kind, dict(request.values), request.purpose))
    return note_reference(note)


@hookimpl
def register_help_kinds():
    return [HelpKind("sample.note", "A note written for you", (
        HelpField("text", "What to write", required=True),
        HelpField("copies", "How many copies", "int"),
        HelpField("due", "By when", "date"),
        HelpField("colour", "Colour", "choice", choices=(("red", "Red"), ("blue", "Blue"))),
    ), receive=receive_note_request, description="The notes module writes it down.", permission="notes.write")]


@hookimpl
def register_handoff_origins():
    return [HandoffOrigin("sample.note", "Note", resolve=resolve_note, permission="notes.write")]


@hookimpl
def handoff_changed(tenant, change):
    if change.origin_type == "sample.note":
        calls.append(("handoff_changed", tenant.slug, change.handoff_id, change.previous, change.status, change.outcome))


@hookimpl
def navigation_items(tenant, user):
    calls.append(("navigation_items", tenant.slug))
    return [NavItem(_l("Notes"), "sample_notes.index", order=50)]


@hookimpl
def dashboard_widgets(tenant, user):
    return [Widget("notes", _l("All the notes"), "sample_notes.widget", order=10)]


@hookimpl
def process_tabs(tenant, process):
    return [NavItem("Notes on the process", "sample_notes.about_process", order=90)]


@hookimpl
def personal_data(tenant, participant):
    return {"sample_notes": [f"{participant.name} is in {tenant.name}'s register"]}


@hookimpl
def erase_person(tenant, person):
    from dugnad.erasure import scrub_models

    return scrub_models(person, [Note, NoteComment])


@hookimpl
def register_audit_sentences():
    return {"sample.call_noted": _l("noted a phone call"), "process.started": _l("not the core's to override")}


@hookimpl
def extra_template_vars(tenant, user):
    return {"sample_greeting": f"Greetings, {tenant.name}"}


@hookimpl
def on_plugin_enabled(tenant, plugin_name):
    calls.append(("on_plugin_enabled", tenant.slug, plugin_name))
    if plugin_name == PLUGIN_NAME:
        db.session.add(Note(text=f"Welcome to notes in {tenant.name}"))


@hookimpl
def demo_data(tenant):
    from .models import Note

    text = f"Demo note for {tenant.name}"
    if db.session.scalar(select(Note.id).where(Note.text == text)) is not None:
        return []
    db.session.add(Note(text=text))
    return [f"demo note in {tenant.name}"]


@hookimpl
def permission_allowed(tenant, user, permission):
    if permission == "notes.write" and user.email.startswith("readonly"):
        return False
    return None
