from flask import Blueprint, abort, request
from sqlalchemy import func, select

from dugnad.accounts.permissions import can
from dugnad.extensions import db
from dugnad.web.pagecache import same_for_role
from dugnad.web.templating import render

from .models import Note

notes = Blueprint("sample_notes", __name__, url_prefix="/notes", template_folder=None)
public = Blueprint("sample_public", __name__, url_prefix="/hello")


@notes.get("/")
def index():
    return render("sample/notes.html", notes=db.session.scalars(select(Note).order_by(Note.id)).all())


@notes.get("/<int:note_id>")
def show(note_id: int):
    from dugnad.handoffs import service as handoffs

    note = db.session.scalar(select(Note).where(Note.id == note_id)) or abort(404)
    return render("sample/notes.html", notes=[note], handoffs_panel=handoffs.panel("sample.note", note.id, level=2),
                  origin_note=handoffs.origin_note(f"sample.note:{note.id}", level=2))


@notes.get("/process/<int:process_id>")
def about_process(process_id: int):
    from dugnad.processes.models import Process

    process = db.session.scalar(select(Process).where(Process.id == process_id)) or abort(404)
    return render("sample/notes.html", notes=[], process=process)


@notes.post("/")
def create():
    if not can("notes.write"):
        abort(403)
    db.session.add(Note(text=request.form["text"]))
    db.session.commit()
    return "", 201


@notes.get("/widget")
@same_for_role
def widget():
    count = db.session.scalar(select(func.count()).select_from(Note))
    return render("sample/widget.html", count=count)


@public.get("/")
def hello():
    return render("sample/hello.html")
