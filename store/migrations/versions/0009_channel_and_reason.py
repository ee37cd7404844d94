"""channel and reason: how a post reached the company, and why it needs an answer or not

The needs-response decision depends on the channel (a direct mail, a post addressed to the
brand, a post about it), and every flag carries a short reason the team sees beside it.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=True))
        batch.add_column(sa.Column("reason", sa.String(64), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reason", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("reason")
        batch.drop_column("channel")
