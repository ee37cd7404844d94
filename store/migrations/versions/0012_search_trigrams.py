"""search trigrams: the Backlog's search finds posts by index on PostgreSQL

The search looks for words anywhere in a post's text (``lower(text) LIKE '%word%'``), which
PostgreSQL answered by reading every post. ``ix_posts_text_trgm``, a GIN index of the
lower-cased texts' trigrams (``pg_trgm``), finds the posts that can hold the word; the same
``LIKE`` is checked on those, so the results do not change (``store.text_search``).

PostgreSQL only, and only where pg_trgm can be installed: a role without the privilege gets
one logged line naming the statements to run, and the migration and the search go on without
the index. SQLite has nothing to do.

Revision ID: 0012
Revises: 0011
"""
from alembic import op

from store import text_search

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text_search.install(op.get_bind())


def downgrade() -> None:
    """The index goes; pg_trgm stays, since something else may use it."""
    text_search.drop_index(op.get_bind())
