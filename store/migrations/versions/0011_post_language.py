"""post language: every stored post and case gets the language it is shown in

Posts were stored with the platform's language only, so e-mail, Reddit and YouTube posts had
none and the language split showed "(none)" for them. Each post now gets the platform's code
when it names a language, else the language detected in its text, "und" when none can be
(``analysis.language_id``, as ingest does); each case gets its first post's. Posts are read in
keyset order a thousand at a time, so a large workspace never holds its texts at once.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

from analysis.language_id import post_language

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CHUNK = 1000

posts = sa.table(
    "posts", sa.column("id", sa.Integer), sa.column("text", sa.Text), sa.column("lang", sa.String)
)
cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("first_post_id", sa.Integer),
    sa.column("lang", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(posts.c.id, posts.c.text, posts.c.lang)
            .where(posts.c.id > last)
            .order_by(posts.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        changed = [
            {"row_id": row.id, "shown": shown}
            for row in rows
            if (shown := post_language(row.text, row.lang)) != row.lang
        ]
        if changed:
            conn.execute(
                posts.update()
                .where(posts.c.id == sa.bindparam("row_id"))
                .values(lang=sa.bindparam("shown")),
                changed,
            )
    first_post_lang = (
        sa.select(posts.c.lang).where(posts.c.id == cases.c.first_post_id).scalar_subquery()
    )
    conn.execute(
        cases.update()
        .where(cases.c.lang.is_distinct_from(first_post_lang))
        .values(lang=first_post_lang)
    )


def downgrade() -> None:
    """The detected languages stay: they are true of the texts, and the old schema holds them."""
