"""What the team does to a case by hand, and the team preferences those actions draw on.

Every action changes the case, marks it ``touched`` (a touched case's author is not "ghosted")
and writes one audit event per case with the actor and the time, in the caller's transaction:
the change and its record commit together or not at all.

Exception tree::

    CaseActionError          bad input (empty actor, empty note, no reason, snooze in the past)
    └── CaseNotFoundError    an id names no case
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update

from analysis.calendar import WorkingCalendar
from analysis.cases import CaseStatus
from store.events import log_event
from store.schema import cases, posts
from store.values import get_value, set_value

CLOSE_REASONS = (
    "Answered elsewhere (phone, e-mail, in person)",
    "Nothing to answer",
    "Duplicate of another case",
    "Spam or abuse",
    "Candidate withdrew",
)
TEAM_KEY = "team_members"
REPLIES_KEY = "saved_replies"
DEMO_TEAM = ("Anna de Vries", "Ben Okafor", "Chloé Martin")
DEFAULT_REPLIES = (
    {
        "title": "Thanks, we're on it",
        "text": "Hi {first_name}, thanks for reaching out! We're looking into this and will get "
        "back to you within two working days. — {recruiter}",
    },
    {
        "title": "Move to e-mail",
        "text": "Hi {first_name}, we'd like to help with your application for the {role} role "
        "personally, so I've sent you an e-mail. — {recruiter}",
    },
    {
        "title": "Application status",
        "text": "Hi {first_name}, sorry for the wait. Your application for the {role} role is with "
        "the hiring team; you will hear from us by the end of this week either way. "
        "— {recruiter}",
    },
    {
        "title": "Feedback on the way",
        "text": "Hi {first_name}, thank you for your patience. Your interviewer is writing up your "
        "feedback and I'll send it to you personally. — {recruiter}",
    },
)


class CaseActionError(ValueError):
    """An action cannot be done as asked; the message says why and what to do."""


class CaseNotFoundError(CaseActionError):
    """A case id that does not exist (deleted, or from another workspace)."""


def _ids(conn: Connection, case_ids: Iterable[int]) -> list[int]:
    wanted = sorted({int(i) for i in case_ids})
    if not wanted:
        raise CaseActionError("select at least one case")
    found = set(conn.execute(select(cases.c.id).where(cases.c.id.in_(wanted))).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise CaseNotFoundError(f"no case with id {', '.join(map(str, missing))}")
    return wanted


def _actor(actor: str) -> str:
    if not actor or not actor.strip():
        raise CaseActionError("an action needs an actor (who did it) for the audit trail")
    return actor.strip()


def _apply(
    conn: Connection,
    case_ids: Iterable[int],
    actor: str,
    action: str,
    values: dict[str, Any],
    detail: dict[str, Any],
) -> int:
    """Update the cases, mark them touched and log one event per case; returns how many."""
    actor, ids = _actor(actor), _ids(conn, case_ids)
    conn.execute(
        update(cases)
        .where(cases.c.id.in_(ids))
        .values(**values, touched=True, updated_at=datetime.now(UTC))
    )
    for case_id in ids:
        log_event(conn, actor, action, case_id, detail)
    return len(ids)


def assign(conn: Connection, case_ids: Iterable[int], assignee: str | None, actor: str) -> int:
    """Give the cases to a team member (``None`` or blank unassigns them)."""
    assignee = (assignee or "").strip() or None
    return _apply(conn, case_ids, actor, "assign", {"assignee": assignee}, {"assignee": assignee})


def snooze(conn: Connection, case_ids: Iterable[int], until: datetime, actor: str) -> int:
    """Hide the cases from "needs an answer" until ``until``; they come back by themselves."""
    if until.tzinfo is None:
        raise CaseActionError("snooze time must carry a time zone")
    if until <= datetime.now(UTC):
        raise CaseActionError(
            f"snooze until {until:%Y-%m-%d %H:%M} is in the past; pick a later time"
        )
    return _apply(
        conn,
        case_ids,
        actor,
        "snooze",
        {"status": CaseStatus.SNOOZED, "snoozed_until": until},
        {"until": until.astimezone(UTC).isoformat()},
    )


def set_pending(conn: Connection, case_ids: Iterable[int], actor: str) -> int:
    """The ball is in the candidate's court: we asked them something and wait."""
    return _apply(
        conn, case_ids, actor, "pending", {"status": CaseStatus.PENDING, "snoozed_until": None}, {}
    )


def close(conn: Connection, case_ids: Iterable[int], reason: str, actor: str) -> int:
    """Close the cases with a reason (closing without one hides why nobody answered)."""
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError("closing a case needs a reason")
    return _apply(
        conn,
        case_ids,
        actor,
        "close",
        {
            "status": CaseStatus.CLOSED,
            "closed_at": datetime.now(UTC),
            "close_reason": reason,
            "snoozed_until": None,
        },
        {"reason": reason},
    )


def reopen(conn: Connection, case_ids: Iterable[int], actor: str) -> int:
    """Back to open: closed, snoozed or pending cases need the team again."""
    return _apply(
        conn,
        case_ids,
        actor,
        "reopen",
        {"status": CaseStatus.OPEN, "closed_at": None, "close_reason": None, "snoozed_until": None},
        {},
    )


NO_ANSWER_NEEDED = "no answer needed"
LABEL_ACTION = "label"


def mark_no_answer_needed(conn: Connection, case_ids: Iterable[int], actor: str) -> int:
    """The flag was wrong: the case's posts need no answer. The case goes (it never was one,
    so it counts nowhere), its posts say who decided, and the audit log keeps the correction
    with the posts it covers, for ``cli.py labels export``."""
    actor, ids = _actor(actor), _ids(conn, case_ids)
    for case_id in ids:
        post_ids = sorted(
            conn.execute(select(posts.c.id).where(posts.c.case_id == case_id)).scalars()
        )
        conn.execute(
            update(posts)
            .where(posts.c.id.in_(post_ids))
            .values(
                needs_response=False,
                intent=None,
                case_id=None,
                reason=f"{NO_ANSWER_NEEDED} ({actor})"[:64],
            )
        )
        log_event(
            conn, actor, LABEL_ACTION, case_id, {"label": "no_answer_needed", "posts": post_ids}
        )
        conn.execute(delete(cases).where(cases.c.id == case_id))
    return len(ids)


def add_note(conn: Connection, case_id: int, text: str, actor: str) -> None:
    """An internal note on the case: seen by the team only, never sent."""
    text = (text or "").strip()
    if not text:
        raise CaseActionError("a note needs some text")
    _apply(conn, [case_id], actor, "note", {}, {"text": text[:5000]})


def wake_time(day: date, calendar: WorkingCalendar) -> datetime:
    """The start of the first working day on or after ``day`` (UTC): when a snooze ends."""
    for offset in range(31):
        interval = calendar.working_interval(day + timedelta(days=offset))
        if interval is not None:
            return interval[0].astimezone(UTC)
    start = datetime.combine(day, calendar.day_start, tzinfo=calendar.zone)
    return start.astimezone(UTC)


def _json_value(conn: Connection, key: str) -> Any:
    raw = get_value(conn, key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CaseActionError(
            f"the stored {key} are not valid JSON ({exc}); "
            "save them again on the Sources & settings page"
        ) from exc


def team_members(conn: Connection) -> list[str]:
    """The team's names; a demo workspace starts with a fictional team."""
    stored = _json_value(conn, TEAM_KEY)
    if stored is None:
        return list(DEMO_TEAM) if get_value(conn, "demo_seeded_at") else []
    return [str(name) for name in stored]


def set_team_members(conn: Connection, names: Iterable[str], actor: str) -> list[str]:
    """Store the team (blank lines and repeats dropped, order kept); logged in the audit trail."""
    clean = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    set_value(conn, TEAM_KEY, json.dumps(clean))
    log_event(conn, _actor(actor), "team", None, {"members": clean})
    return clean


def saved_replies(conn: Connection) -> list[dict[str, str]]:
    """Reply templates: ``{"title", "text"}`` with ``{first_name}``, ``{role}``, ``{recruiter}``
    filled in when a reply is composed (engagement.actions.render_template)."""
    stored = _json_value(conn, REPLIES_KEY)
    if stored is None:
        return [dict(reply) for reply in DEFAULT_REPLIES]
    return [{"title": str(r["title"]), "text": str(r["text"])} for r in stored]


def set_saved_replies(
    conn: Connection, replies: Iterable[dict[str, str]], actor: str
) -> list[dict[str, str]]:
    """Store the templates; each needs a title and a text, titles are unique."""
    clean: dict[str, dict[str, str]] = {}
    for reply in replies:
        title, text = reply.get("title", "").strip(), reply.get("text", "").strip()
        if not title or not text:
            raise CaseActionError("a saved reply needs both a title and a text")
        clean[title] = {"title": title, "text": text}
    set_value(conn, REPLIES_KEY, json.dumps(list(clean.values())))
    log_event(conn, _actor(actor), "saved_replies", None, {"titles": list(clean)})
    return list(clean.values())
