from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dugnad.extensions import db
from dugnad.tenancy import TenantScoped, tenant_fk


class Note(TenantScoped, db.Model):
    __tablename__ = "sample_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


class NoteComment(TenantScoped, db.Model):
    """References a note through the composite key: the database refuses a comment
    on another municipality's note."""

    __tablename__ = "sample_note_comment"
    tenant_table_args = (tenant_fk("note_id", "sample_note"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(String(200))

    note: Mapped[Note] = relationship(
        primaryjoin="and_(NoteComment.note_id == Note.id, NoteComment.tenant_id == Note.tenant_id)",
        foreign_keys="[NoteComment.note_id, NoteComment.tenant_id]",
        viewonly=True,
    )
