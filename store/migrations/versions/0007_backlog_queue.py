"""backlog queue: one page of the backlog is the first entries of one index range

- ix_cases_queue: unanswered cases in the backlog's order (priority, then age), with the
  columns its views filter on. The backlog reads overdue and on-time cases as two walks of
  this index that stop after one page, instead of sorting every open case; the strip's counts
  read it without touching the table.
- ix_cases_answered: the hours of cases first answered in a window, for the strip's medians.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_queue", "cases",
                    ["first_response_at", sa.text("priority DESC"), "opened_at", "id", "due_at",
                     "status", "snoozed_until"], unique=False)
    op.create_index("ix_cases_answered", "cases",
                    ["first_response_at", "response_hours", "response_business_hours"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_answered", table_name="cases")
    op.drop_index("ix_cases_queue", table_name="cases")
