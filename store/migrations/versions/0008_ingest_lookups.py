"""ingest lookups: the case ids of new cases, and cases carried to an e-mail thread

Ingest finds the ids of the cases it just inserted by their first post, and closes cases
whose e-mail thread was answered by that thread's key. Without these indexes both read every
case, once per batch: a million-post import spent more time there than storing posts.

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_first_post", "cases", ["first_post_id"], unique=False)
    op.create_index("ix_cases_linked_thread", "cases", ["linked_thread_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_linked_thread", table_name="cases")
    op.drop_index("ix_cases_first_post", table_name="cases")
