"""report indexes: the response-rate report read from indexes alone, not from the tables

Every column the report's counts read is in one of these, so SQLite answers them from the
index (a fraction of the table's pages: posts carry their text and raw payload) and counts a
week as one range of it:

- ix_posts_report: inbound posts, brand replies and broadcasts per week, channel, account or
  language;
- ix_cases_period: per-case counts, and the hours of answered cases, per week or period;
- ix_cases_author_opened: "is there a later or a touched case of this author?", the lookup
  behind ghosted.

Promises get none: they are few (a few per hundred posts), and an index on made_at would
draw the Response rates page's list of broken promises (newest deadline first, one page) away
from ix_promises_due into sorting every promise of the period.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_posts_report": ("posts", ["created_at", "is_brand", "is_auto_reply",
                                  "parent_external_id", "platform", "source", "lang"]),
    "ix_cases_period": ("cases", ["opened_at", "first_response_at", "due_at", "status",
                                  "platform", "author_id", "response_hours",
                                  "response_business_hours"]),
    "ix_cases_author_opened": ("cases", ["platform", "author_id", "opened_at",
                                         "first_response_at", "touched"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
