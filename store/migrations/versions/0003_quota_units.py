"""sync_state: platform quota units used, in total and on the quota's current day

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.add_column(sa.Column("units_used", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("units_today", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("units_day", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.drop_column("units_day")
        batch_op.drop_column("units_today")
        batch_op.drop_column("units_used")
