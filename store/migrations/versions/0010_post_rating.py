"""post rating: the stars a review gave the employer

A review on Glassdoor, Indeed or kununu carries its own verdict (1 to 5 stars) beside its
words; the team reads it next to the sentiment, and it decides whether praise needs an answer.
Only reviews have one, so the column is nullable.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("rating", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("rating")
