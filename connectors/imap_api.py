"""The recruiting mailbox over IMAP (``imapclient``): its inbox and its sent folder.

Candidates write to the inbox; the recruiters' answers sit in the sent folder, and an answer by
e-mail must count as an answer, so both are read. Each folder keeps its own cursor,
``{"folders": {"INBOX": {"uidvalidity": n, "last_uid": n}, ...}}``: UIDs only grow while the
folder's UIDVALIDITY stays the same. When the server changes UIDVALIDITY (the folder was
recreated or restored) the old UIDs mean nothing, so the folder is read again from the start;
the store skips messages it already holds (keyed on Message-ID), so a resync adds no duplicate.

Messages are fetched with ``BODY.PEEK[]`` on a read-only ``EXAMINE``: syncing never marks a mail
read for the recruiters. They come in chunks (bounded by count and by bytes); each chunk is one
``Batch`` whose cursor covers exactly that chunk, so ingest commits posts and cursor together.
"""

from __future__ import annotations

import imaplib
import ipaddress
import logging
import socket
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imapclient import SENT

from connectors.base import (
    Batch,
    MalformedPayloadError,
    NotConfiguredError,
    PlatformError,
    Post,
    Problem,
)
from connectors.mail import IgnoredMessage, post_from_message
from connectors.retry import RetryPolicy, Transient

log = logging.getLogger("fullcircle.imap")

CHUNK_MESSAGES = 50
CHUNK_BYTES = 20_000_000  # one fetch holds at most this much mail (attachments included)
SIZE_SLICE = 1000  # UIDs per size request
TIMEOUT_SECONDS = 60.0
TLS_MODES = ("true", "starttls", "false")
SETTINGS = {
    "host": "IMAP_HOST",
    "port": "IMAP_PORT",
    "user": "IMAP_USER",
    "password": "IMAP_PASSWORD",
    "tls": "IMAP_SSL",
    "folders": "IMAP_FOLDERS",
}
_IMAP_ERRORS = (OSError, imaplib.IMAP4.error)


@dataclass(frozen=True)
class ImapAccount:
    """Where the mailbox is and how to log in; the password never appears in ``repr``."""

    host: str
    user: str
    password: str = field(repr=False)
    port: int | None = None
    tls: str = "true"  # "true" (implicit TLS), "starttls" or "false" (loopback only)
    folders: tuple[str, ...] = ()  # empty: INBOX and the folder flagged \Sent
    timeout: float = TIMEOUT_SECONDS
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def address(self) -> str:
        default = 993 if self.tls == "true" else 143
        return f"{self.host}:{self.port or default}"

    def redact(self, text: str) -> str:
        """Server messages may echo what we sent; never let the password through."""
        return text.replace(self.password, "***") if self.password else text


def _reason(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{type(exc).__name__}: {text}"


def connect(account: ImapAccount) -> IMAPClient:
    """A logged-in client; unreachable servers are ``Transient``, refusals ``PlatformError``."""
    client = None
    try:
        client = IMAPClient(
            account.host,
            port=account.port,
            ssl=account.tls == "true",
            ssl_context=account.ssl_context,
            timeout=account.timeout,
        )
        if account.tls == "starttls":
            client.starttls(account.ssl_context)
    except _IMAP_ERRORS as exc:  # ssl.SSLError is an OSError too
        if client is not None:
            _shutdown(client, account)
        raise _unreachable(account, exc) from None
    try:
        client.login(account.user, account.password)
    except LoginError as exc:
        _close(client, account)
        raise PlatformError(
            account.redact(
                f"IMAP login as {account.user} on {account.address} refused ({_reason(exc)}); "
                "check IMAP_USER and IMAP_PASSWORD"
            )
        ) from None
    except _IMAP_ERRORS as exc:
        _close(client, account)
        raise Transient(
            account.redact(f"IMAP login on {account.address} interrupted ({_reason(exc)})")
        ) from None
    return client


def _unreachable(account: ImapAccount, exc: BaseException) -> Exception:
    """TLS and name errors will not heal by retrying; a refused or dropped connection may."""
    if isinstance(exc, ssl.SSLError):
        return PlatformError(
            f"TLS with IMAP server {account.address} failed "
            f"({_reason(exc)}); check IMAP_HOST, IMAP_PORT and IMAP_SSL"
        )
    if isinstance(exc, socket.gaierror):
        return PlatformError(f"IMAP_HOST {account.host!r} cannot be resolved ({_reason(exc)})")
    return Transient(account.redact(f"IMAP server {account.address} unreachable ({_reason(exc)})"))


def _close(client: IMAPClient, account: ImapAccount) -> None:
    """Log out politely; a connection that is already gone needs no goodbye."""
    try:
        client.logout()
    except _IMAP_ERRORS as exc:
        log.debug("logout from %s failed: %s", account.address, account.redact(_reason(exc)))
        _shutdown(client, account)


def _shutdown(client: IMAPClient, account: ImapAccount) -> None:
    """Drop the socket; after a failed TLS handshake it may already be closed."""
    try:
        client.shutdown()
    except OSError as exc:
        log.debug("closing the connection to %s: %s", account.address, _reason(exc))


def _chunks(sizes: Mapping[int, int], max_messages: int, max_bytes: int) -> Iterator[list[int]]:
    """UIDs in ascending order, grouped so one fetch stays within both bounds."""
    chunk: list[int] = []
    total = 0
    for uid in sorted(sizes):
        if chunk and (len(chunk) >= max_messages or total + sizes[uid] > max_bytes):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += sizes[uid]
    if chunk:
        yield chunk


@dataclass
class ImapMailbox:
    """One mailbox as an incremental source: each chosen folder read since its cursor."""

    account: ImapAccount
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    chunk_messages: int = CHUNK_MESSAGES
    chunk_bytes: int = CHUNK_BYTES

    @property
    def name(self) -> str:
        return f"email:imap:{self.account.user}@{self.account.host}"

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        client = self.retry.call(lambda: connect(self.account), self.name)
        try:
            yield from self._read(client, cursor or {})
        except _IMAP_ERRORS as exc:
            raise PlatformError(
                self.account.redact(f"{self.name}: connection failed ({_reason(exc)})")
            ) from None
        finally:
            _close(client, self.account)

    def _read(self, client: IMAPClient, cursor: dict[str, Any]) -> Iterator[Batch]:
        state = {folder: dict(value) for folder, value in (cursor.get("folders") or {}).items()}
        folders, problems = self._folders(client)
        for folder in folders:
            for batch in self._read_folder(client, folder, state):
                if problems:  # reported once, with the first batch
                    batch.problems = problems + batch.problems
                    problems = []
                yield batch

    def _folders(self, client: IMAPClient) -> tuple[list[str], list[Problem]]:
        """The configured folders, else INBOX and the \\Sent folder (by flag, then by name)."""
        if self.account.folders:
            return list(self.account.folders), []
        sent = client.find_special_folder(SENT)
        if sent:
            return ["INBOX", sent], []
        return ["INBOX"], [
            Problem(
                self.name,
                None,
                "no sent folder found (none flagged \\Sent): "
                "answers sent from this mailbox are not seen; name it in "
                "IMAP_FOLDERS, e.g. INBOX,Sent",
            )
        ]

    def _select(self, client: IMAPClient, folder: str) -> int:
        try:
            info = client.select_folder(folder, readonly=True)
        except imaplib.IMAP4.error as exc:
            existing = ", ".join(sorted(f[2] for f in client.list_folders()))
            raise PlatformError(
                f"{self.name}: cannot open folder {folder!r} ({_reason(exc)}); "
                f"IMAP_FOLDERS may name only existing folders: {existing}"
            ) from None
        return int(info[b"UIDVALIDITY"])

    def _read_folder(
        self, client: IMAPClient, folder: str, state: dict[str, dict[str, int]]
    ) -> Iterator[Batch]:
        validity = self._select(client, folder)
        known = state.get(folder) or {}
        last_uid = int(known.get("last_uid", 0))
        if known and known.get("uidvalidity") != validity:
            log.info(
                "%s: UIDVALIDITY of %s changed (%s -> %s): reading it again",
                self.name,
                folder,
                known.get("uidvalidity"),
                validity,
            )
            last_uid = 0
        sizes = _sizes(client, last_uid)
        state[folder] = {"uidvalidity": validity, "last_uid": last_uid}
        if not sizes:
            yield Batch(self.name, [], _cursor(state))
            return
        for chunk in _chunks(sizes, self.chunk_messages, self.chunk_bytes):
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            posts, problems = self._map(folder, chunk, fetched)
            state[folder] = {"uidvalidity": validity, "last_uid": chunk[-1]}
            yield Batch(self.name, posts, _cursor(state), problems, items_read=len(chunk))

    def _map(
        self, folder: str, uids: list[int], fetched: Mapping[int, Mapping[bytes, Any]]
    ) -> tuple[list[Post], list[Problem]]:
        """Posts of one chunk; bounces are dropped, malformed mails become problems."""
        posts: list[Post] = []
        problems: list[Problem] = []
        for uid in uids:
            data = fetched.get(uid, {}).get(b"BODY[]")
            if data is None:  # expunged between listing and fetching: nothing to read
                continue
            try:
                posts.append(post_from_message(data, self.name))
            except IgnoredMessage as exc:
                log.debug("%s: %s UID %s ignored: %s", self.name, folder, uid, exc)
            except MalformedPayloadError as exc:
                problems.append(Problem(self.name, f"{folder} UID {uid}", str(exc)))
        return posts, problems


def _sizes(client: IMAPClient, last_uid: int) -> dict[int, int]:
    """Size of each message above ``last_uid``, asked in slices to keep commands short."""
    # "n:*" always matches the newest message, even when its UID is below n.
    uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
    sizes: dict[int, int] = {}
    for start in range(0, len(uids), SIZE_SLICE):
        listed = client.fetch(uids[start : start + SIZE_SLICE], ["RFC822.SIZE"])
        sizes.update(
            {
                uid: int(listed.get(uid, {}).get(b"RFC822.SIZE", 0))
                for uid in uids[start : start + SIZE_SLICE]
            }
        )
    return sizes


def _cursor(state: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """A copy: each batch must keep the cursor as it was after *its* chunk."""
    return {"folders": {folder: dict(value) for folder, value in state.items()}}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def account_from(values: Mapping[str, str]) -> ImapAccount | None:
    """The mailbox named by the IMAP_* settings, or ``None`` when IMAP_HOST is empty."""
    get = {key: (values.get(name) or "").strip() for key, name in SETTINGS.items()}
    if not get["host"]:
        return None
    missing = [SETTINGS[key] for key in ("user", "password") if not get[key]]
    if missing:
        raise NotConfiguredError(
            f"IMAP_HOST is set but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not"
        )
    tls = (get["tls"] or "true").lower()
    if tls not in TLS_MODES:
        raise NotConfiguredError(f"IMAP_SSL must be one of {', '.join(TLS_MODES)}, not {tls!r}")
    if tls == "false" and not _is_loopback(get["host"]):
        raise NotConfiguredError(
            "IMAP_SSL=false would send the password unencrypted; it is "
            "allowed only for a server on localhost. Use true or starttls"
        )
    if get["port"] and not get["port"].isdigit():
        raise NotConfiguredError(f"IMAP_PORT must be a number, not {get['port']!r}")
    folders = tuple(f.strip() for f in get["folders"].split(",") if f.strip())
    return ImapAccount(
        get["host"],
        get["user"],
        values.get(SETTINGS["password"], ""),
        int(get["port"]) if get["port"] else None,
        tls,
        folders,
    )


def imap_sources(
    values: Mapping[str, str],
    retry: RetryPolicy | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> list[ImapMailbox]:
    """The recruiting mailbox as a source when IMAP_HOST is set (``Settings.values`` works)."""
    account = account_from(values)
    if account is None:
        return []
    if ssl_context is not None:
        account = replace(account, ssl_context=ssl_context)
    return [ImapMailbox(account, retry or RetryPolicy())]
