"""identities: one person across channels (replaces posts.person_id)

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("handle", sa.String(length=320), nullable=False),
        sa.Column("linked_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "handle", name="uq_identities_platform_handle"),
    )
    with op.batch_alter_table("identities") as batch_op:
        batch_op.create_index("ix_identities_person", ["person_id"], unique=False)
    with op.batch_alter_table("posts") as batch_op:
        batch_op.drop_column("person_id")


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("identities") as batch_op:
        batch_op.drop_index("ix_identities_person")
    op.drop_table("identities")
