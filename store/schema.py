"""The workspace schema (SQLAlchemy Core). Changes go through a new Alembic revision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from analysis.cases import CaseStatus


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on both backends: SQLite keeps no zone, so it is attached on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; use UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect):
        """On SQLite, the text SQLAlchemy would store ("2026-11-29 08:15:07.000000"), written
        by ``isoformat`` in one step: a large import binds a few times per post."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r} given to the store; use UTC")
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

        return process

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()
UTC_TIME = UTCDateTime()

workspace = Table(
    "workspace",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("handle", String(255), nullable=False),
    Column("external_user_id", String(255)),
    Column("display_name", String(255)),
    Column("added_at", UTC_TIME, nullable=False),
    UniqueConstraint("platform", "handle", name="uq_accounts_platform_handle"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("display_name", String(255)),
    Column("email", String(320)),
    Column("created_at", UTC_TIME, nullable=False),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("handle", String(320), nullable=False),
    Column("linked_by", String(255), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    UniqueConstraint("platform", "handle", name="uq_identities_platform_handle"),
    Index("ix_identities_person", "person_id"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("url", Text),
    Column("author_id", String(255), nullable=False),
    Column("author_handle", String(255), nullable=False),
    Column("author_name", String(255)),
    Column("author_reach", Integer),
    Column("text", Text, nullable=False),
    Column("subject", Text),
    Column("created_at", UTC_TIME, nullable=False),
    Column("parent_external_id", String(255)),
    Column("reply_to", Text),  # every id this post answers, space-separated (e-mail: References)
    Column("thread_key", String(255), nullable=False),
    Column("is_brand", Boolean, nullable=False),
    Column("is_auto_reply", Boolean, nullable=False, default=False),
    Column("lang", String(8)),
    Column("raw", JSON(none_as_null=True)),
    Column("source", String(128), nullable=False),
    Column("fetched_at", UTC_TIME, nullable=False),
    Column("needs_response", Boolean, nullable=False, default=False),
    Column("intent", String(16)),
    Column("sentiment", Float),
    Column("sentiment_label", String(8)),
    Column("promise_hours", Float),
    Column("channel", String(16)),  # direct | addressed | public (inbound posts)
    Column("reason", String(64)),  # why it does or does not need an answer
    Column("case_id", Integer),  # the case this inbound post belongs to
    Column("rating", Float),  # a review's stars, 1 to 5 (review sites only; migration 0010)
    UniqueConstraint("platform", "external_id", name="uq_posts_platform_external_id"),
    Index("ix_posts_thread", "platform", "thread_key", "created_at"),
    Index("ix_posts_parent", "platform", "parent_external_id"),
    Index("ix_posts_created", "created_at"),
    Index("ix_posts_author", "platform", "author_id", "created_at"),
    Index("ix_posts_case", "case_id"),
    Index(
        "ix_posts_report",
        "created_at",
        "is_brand",
        "is_auto_reply",
        "parent_external_id",
        "platform",
        "source",
        "lang",
    ),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("thread_key", String(255), nullable=False),
    Column("author_id", String(255), nullable=False),
    Column("author_handle", String(255), nullable=False),
    Column("first_post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("account", String(128), nullable=False),
    Column("lang", String(8)),
    Column("intent", String(16)),
    Column("reason", String(64)),
    Column("sentiment", Float),
    Column("status", String(16), nullable=False, default=CaseStatus.OPEN.value),
    Column("priority", Integer, nullable=False, default=0),
    Column("chase_count", Integer, nullable=False, default=0),
    Column("assignee", String(255)),
    Column("touched", Boolean, nullable=False, default=False),
    Column("opened_at", UTC_TIME, nullable=False),
    Column("last_inbound_at", UTC_TIME, nullable=False),
    Column("due_at", UTC_TIME, nullable=False),
    Column("first_response_at", UTC_TIME),
    Column("first_response_post_id", Integer, ForeignKey("posts.id", ondelete="SET NULL")),
    Column("response_hours", Float),
    Column("response_business_hours", Float),
    Column("snoozed_until", UTC_TIME),
    Column("closed_at", UTC_TIME),
    Column("close_reason", Text),
    Column("linked_thread_key", String(255)),
    Column("updated_at", UTC_TIME, nullable=False),
    Index("ix_cases_backlog", "first_response_at", "status", "due_at"),
    Index("ix_cases_opened", "opened_at"),
    Index("ix_cases_author", "platform", "author_id", "first_response_at"),
    Index(
        "ix_cases_period",
        "opened_at",
        "first_response_at",
        "due_at",
        "status",
        "platform",
        "author_id",
        "response_hours",
        "response_business_hours",
    ),
    Index(
        "ix_cases_author_opened",
        "platform",
        "author_id",
        "opened_at",
        "first_response_at",
        "touched",
    ),
)

# The backlog's order (most urgent first) for unanswered cases, with the columns its filters
# read, so one page is the first entries of one range (migration 0007).
Index(
    "ix_cases_queue",
    cases.c.first_response_at,
    cases.c.priority.desc(),
    cases.c.opened_at,
    cases.c.id,
    cases.c.due_at,
    cases.c.status,
    cases.c.snoozed_until,
)
Index(
    "ix_cases_answered",
    cases.c.first_response_at,
    cases.c.response_hours,
    cases.c.response_business_hours,
)
# Lookups ingest makes per batch, which without an index read every case (migration 0008).
Index("ix_cases_first_post", cases.c.first_post_id)
Index("ix_cases_linked_thread", cases.c.linked_thread_key)

promises = Table(
    "promises",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    Column("platform", String(16), nullable=False),
    Column("to_author_id", String(255), nullable=False),
    Column("made_at", UTC_TIME, nullable=False),
    Column("due_at", UTC_TIME, nullable=False),
    Column("kept_at", UTC_TIME),
    Column("kept_by_post_id", Integer, ForeignKey("posts.id", ondelete="SET NULL")),
    Index("ix_promises_open", "platform", "to_author_id", "kept_at"),
    Index("ix_promises_due", "due_at"),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("source", String(128), primary_key=True),
    Column("cursor", JSON),
    Column("last_success_at", UTC_TIME),
    Column("last_error", Text),
    Column("last_error_at", UTC_TIME),
    Column("items_read", Integer, nullable=False, default=0),
    Column("users_read", Integer, nullable=False, default=0),
    Column("units_used", Integer, nullable=False, default=0),
    Column("units_today", Integer, nullable=False, default=0),
    Column("units_day", String(10)),
    Column("lease_owner", String(128)),
    Column("lease_expires_at", UTC_TIME),
)

sync_errors = Table(
    "sync_errors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(128), nullable=False),
    Column("item_id", String(255)),
    Column("reason", Text, nullable=False),
    Column("at", UTC_TIME, nullable=False),
    Index("ix_sync_errors_source", "source", "at"),
)

presence = Table(
    "presence",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("actor", String(255), primary_key=True),
    Column("state", String(16), nullable=False),  # viewing | drafting
    Column("seen_at", UTC_TIME, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL")),
    Column("at", UTC_TIME, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", JSON),
    Column("platform_post_id", String(255)),
    Column("idempotency_key", String(128), unique=True),
    Index("ix_events_case", "case_id", "at"),
)
