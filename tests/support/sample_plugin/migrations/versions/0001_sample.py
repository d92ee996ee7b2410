"""sample plugin tables (tests only)

Revision ID: 0001_sample
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from dugnad.tenancy import rls

revision = "0001_sample"
down_revision = None
branch_labels = ("sample",)
depends_on = "0001_core"


def upgrade() -> None:
    op.create_table(
        "sample_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_sample_note_tenant_id_tenant"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_note")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_sample_note_tenant_id_id")),
    )
    op.create_index(op.f("ix_sample_note_tenant_id"), "sample_note", ["tenant_id"])
    op.create_table(
        "sample_note_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "note_id"], ["sample_note.tenant_id", "sample_note.id"],
                                name=op.f("fk_sample_note_comment_tenant_id_sample_note"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_sample_note_comment_tenant_id_tenant"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_note_comment")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_sample_note_comment_tenant_id_id")),
    )
    op.create_index(op.f("ix_sample_note_comment_tenant_id"), "sample_note_comment", ["tenant_id"])
    rls.enable(op, "sample_note", "sample_note_comment")


def downgrade() -> None:
    rls.disable(op, "sample_note", "sample_note_comment")
    op.drop_table("sample_note_comment")
    op.drop_table("sample_note")
