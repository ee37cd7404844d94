"""Configuration for the CLI, the sync worker and the dashboard alike (no Streamlit import).

Values come from environment variables first, then from ``.streamlit/secrets.toml`` (top-level
keys named like the variables), then from the defaults below. ``SETTINGS`` is the single list
of every setting: the README's configuration table is checked against it by a test, so a
setting cannot exist without documentation.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'data' / 'fullcircle.db'}"


class ConfigError(Exception):
    """A setting has a value we cannot use; the message names the setting and the fix."""


@dataclass(frozen=True)
class Setting:
    """One configurable value: its variable name, default, meaning, and whether it is secret."""

    env: str
    default: str
    meaning: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "sqlite:///data/fullcircle.db",
        "Where the workspace lives: a SQLite file or postgresql+psycopg://user@host/db.",
    ),
    Setting(
        "FULLCIRCLE_SLA_HOURS",
        "24",
        "Target first response time in business hours; a case is overdue after it.",
    ),
    Setting("FULLCIRCLE_TIMEZONE", "Europe/Amsterdam", "Time zone of the working calendar."),
    Setting("FULLCIRCLE_WORKDAYS", "mon,tue,wed,thu,fri", "Working days of the calendar."),
    Setting(
        "FULLCIRCLE_WORKING_HOURS", "09:00-17:00", "Working hours of the calendar, local time."
    ),
    Setting(
        "FULLCIRCLE_HOLIDAYS",
        "NL",
        "Country code whose public holidays are not working days (empty for none).",
    ),
    Setting(
        "FULLCIRCLE_WORKERS",
        "auto",
        "Processes used by large imports and the demo: the others analyse text (and map "
        "the demo's payloads) while one stores (auto: one per CPU core; 1: no pool).",
    ),
    Setting(
        "FULLCIRCLE_ALLOW_OPEN",
        "",
        "Set to 1 to serve the dashboard without sign-in on an address other than 127.0.0.1 "
        "(everyone who reaches it is an admin); otherwise such a start is refused.",
    ),
    Setting("FULLCIRCLE_DEMO_POSTS", "3000", "Posts in the demo workspace that `make run` seeds."),
    Setting(
        "FULLCIRCLE_MODEL",
        "",
        "Text model file to analyse with (empty: the shipped one; `cli.py labels train` "
        "writes one retrained on this workspace's corrections).",
    ),
    Setting(
        "FULLCIRCLE_RETENTION_DAYS",
        "",
        "Delete raw payloads and closed cases older than this many days (empty: keep).",
    ),
    Setting("SMTP_HOST", "", "Outgoing mail server of the recruiting mailbox (replies, alerts)."),
    Setting("SMTP_PORT", "587", "Port of SMTP_HOST."),
    Setting("SMTP_USER", "", "Login for SMTP_HOST (empty: no login)."),
    Setting("SMTP_PASSWORD", "", "Password for SMTP_USER.", True),
    Setting("SMTP_STARTTLS", "true", "Use STARTTLS on SMTP_HOST (true/false)."),
    Setting("SMTP_FROM", "", "The recruiting address replies are sent from (a brand account)."),
    Setting("ALERT_EMAIL", "", "Where alerts are mailed (empty: no mail alerts)."),
    Setting("ALERT_WEBHOOK_URL", "", "Slack-compatible incoming webhook for alerts.", True),
    Setting(
        "ALERT_WINDOW_HOURS",
        "4",
        "Alert when a case's SLA or a promise runs out within this many hours.",
    ),
    Setting("IMAP_HOST", "", "IMAP server of the recruiting mailbox (empty: no e-mail sync)."),
    Setting("IMAP_PORT", "", "IMAP port (empty: 993 with IMAP_SSL=true, 143 otherwise)."),
    Setting("IMAP_USER", "", "Login of the recruiting mailbox, usually its address."),
    Setting("IMAP_PASSWORD", "", "Password or app password of IMAP_USER.", True),
    Setting(
        "IMAP_SSL",
        "true",
        "true: TLS from the start; starttls: upgrade on 143; false: localhost only.",
    ),
    Setting(
        "IMAP_FOLDERS",
        "",
        "Folders to read, comma-separated (empty: INBOX and the folder flagged \\Sent).",
    ),
    Setting("YOUTUBE_API_KEY", "", "YouTube Data API v3 key, for reading comment threads.", True),
    Setting(
        "YOUTUBE_CHANNEL_IDS",
        "",
        "The brand's channel ids (UC…, comma-separated); register each with brand add.",
    ),
    Setting(
        "YOUTUBE_OAUTH_TOKEN_FILE",
        "",
        "Authorized-user token JSON of the brand channel (youtube.force-ssl), for replies.",
    ),
    Setting("YOUTUBE_DAILY_QUOTA", "10000", "Quota units a day the Google project may spend."),
    Setting("X_BEARER_TOKEN", "", "X API v2 app bearer token (search and timelines).", True),
    Setting("X_API_KEY", "", "X app consumer key, for replies (user context).", True),
    Setting("X_API_SECRET", "", "X app consumer secret, for replies (user context).", True),
    Setting("X_ACCESS_TOKEN", "", "Brand account access token, for replies.", True),
    Setting("X_ACCESS_TOKEN_SECRET", "", "Brand account access token secret, for replies.", True),
    Setting("X_QUERY", "", 'X recent-search query for the brand, e.g. "Acme" (careers OR jobs).'),
    Setting(
        "X_API_BASE_URL",
        "https://api.twitter.com",
        "Base URL of the X API (change only for a proxy or a local test server).",
    ),
    Setting("X_POST_PRICE", "0.005", "Estimated cost in USD of reading one post from X."),
    Setting("REDDIT_CLIENT_ID", "", "Reddit script-app client id.", True),
    Setting("REDDIT_CLIENT_SECRET", "", "Reddit script-app client secret.", True),
    Setting("REDDIT_USER_AGENT", "fullcircle/0.1", "User agent Reddit sees for our requests."),
    Setting("REDDIT_USERNAME", "", "The brand's Reddit account (inbox, own comments, replies)."),
    Setting("REDDIT_PASSWORD", "", "Password of REDDIT_USERNAME.", True),
    Setting("REDDIT_QUERY", "", "Reddit search query for the brand."),
    Setting("REDDIT_SUBREDDITS", "all", "Subreddits searched, joined with +."),
    Setting(
        "FEED_URLS",
        "",
        "RSS/Atom feeds to read (Google or Talkwalker Alerts for the brand, blogs, job "
        "forums), separated by spaces or commas; each is its own source.",
        True,
    ),
    Setting(
        "MASTODON_API_BASE_URL",
        "",
        "Address of the instance the brand account is on, e.g. https://mastodon.social.",
    ),
    Setting(
        "MASTODON_ACCESS_TOKEN",
        "",
        "Access token of the brand account there (scopes read, write:statuses).",
        True,
    ),
    Setting(
        "MASTODON_HASHTAGS",
        "",
        "Hashtags whose timelines are read on that instance, comma-separated, without #.",
    ),
    Setting("MASTODON_QUERY", "", "Mastodon search query for the brand (full-text search)."),
    Setting(
        "BLUESKY_HANDLE",
        "",
        "The brand's Bluesky handle (login, notifications, own posts, replies).",
    ),
    Setting("BLUESKY_APP_PASSWORD", "", "App password of BLUESKY_HANDLE.", True),
    Setting("BLUESKY_QUERY", "", "Bluesky search query for the brand (searchPosts)."),
    Setting(
        "BLUESKY_SERVICE_URL",
        "https://bsky.social",
        "The brand account's Bluesky service (change only for another PDS or a test server).",
    ),
    Setting(
        "HN_QUERY",
        "",
        'Hacker News (Algolia search) query for the brand, e.g. "Northwind Labs"; no key needed.',
    ),
    Setting(
        "HN_API_BASE_URL",
        "https://hn.algolia.com",
        "Base URL of the Algolia HN Search API (change only for a proxy or a local test server).",
    ),
)
_BY_NAME = {setting.env: setting for setting in SETTINGS}
CONNECTOR_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "x": ("X_BEARER_TOKEN",),
    "reddit": ("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET"),
    "youtube": ("YOUTUBE_API_KEY", "YOUTUBE_CHANNEL_IDS"),
    "email": ("IMAP_HOST", "IMAP_USER", "IMAP_PASSWORD"),
    "feed": ("FEED_URLS",),
    "mastodon": ("MASTODON_API_BASE_URL", "MASTODON_ACCESS_TOKEN"),
    "bluesky": ("BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD"),
    "hn": ("HN_QUERY",),
}
# Where each connector's credentials are made: (the page's name, its address). The Sources &
# settings page links them; a test keeps one for every connector.
CREDENTIAL_PAGES: dict[str, tuple[str, str]] = {
    "x": ("X developer portal", "https://developer.x.com/en/portal/dashboard"),
    "reddit": ("Reddit apps (create a script app)", "https://www.reddit.com/prefs/apps"),
    "youtube": (
        "Google Cloud console (API key; OAuth client for replies)",
        "https://console.cloud.google.com/apis/credentials",
    ),
    "email": (
        "app passwords of the mailbox provider (Google's; others have the same)",
        "https://support.google.com/accounts/answer/185833",
    ),
    "feed": ("Google Alerts (Deliver to: RSS feed)", "https://www.google.com/alerts"),
    "mastodon": (
        "your instance's Preferences > Development > New application",
        "https://docs.joinmastodon.org/client/token/",
    ),
    "bluesky": (
        "Bluesky app passwords (Settings > Privacy and security)",
        "https://bsky.app/settings/app-passwords",
    ),
    "hn": ("no key: the Algolia HN Search API is public", "https://hn.algolia.com/api"),
}
SENDER_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "x": ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"),
    "reddit": ("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USERNAME", "REDDIT_PASSWORD"),
    "email": ("SMTP_HOST", "SMTP_FROM"),
    "youtube": ("YOUTUBE_OAUTH_TOKEN_FILE",),
    "mastodon": ("MASTODON_API_BASE_URL", "MASTODON_ACCESS_TOKEN"),
    "bluesky": ("BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD"),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _secrets_file_values(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix or remove the file") from exc
    return {key: str(value) for key, value in data.items() if isinstance(value, (str, int, float))}


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. Secret values are never part of ``repr``."""

    values: Mapping[str, str]

    def __repr__(self) -> str:
        shown = {k: ("***" if _BY_NAME[k].secret and v else v) for k, v in self.values.items()}
        return f"Settings({shown})"

    def get(self, name: str) -> str:
        return self.values[name]

    def is_set(self, name: str) -> bool:
        return bool(self.values[name].strip())

    @property
    def database_url(self) -> str:
        return DEFAULT_DATABASE_URL if self.uses_default_database else self.values["DATABASE_URL"]

    @property
    def uses_default_database(self) -> bool:
        """DATABASE_URL is unset: the workspace is data/fullcircle.db of this checkout, whose
        folder Full Circle may create (a folder named by the user must exist)."""
        return self.values["DATABASE_URL"] == _BY_NAME["DATABASE_URL"].default

    @property
    def sla_hours(self) -> float:
        return _positive_number(self, "FULLCIRCLE_SLA_HOURS")

    @property
    def demo_posts(self) -> int:
        return int(_positive_number(self, "FULLCIRCLE_DEMO_POSTS"))

    @property
    def workers(self) -> int:
        raw = self.values["FULLCIRCLE_WORKERS"].strip().lower()
        if raw == "auto":
            return max(1, os.cpu_count() or 1)
        if not raw.isdigit() or int(raw) < 1:
            raise ConfigError(f"FULLCIRCLE_WORKERS={raw!r}: use auto or a whole number >= 1")
        return int(raw)

    @property
    def workdays(self) -> tuple[int, ...]:
        names = [n.strip().lower()[:3] for n in self.values["FULLCIRCLE_WORKDAYS"].split(",")]
        if not names or any(n not in _WEEKDAYS for n in names):
            raise ConfigError("FULLCIRCLE_WORKDAYS must list days like mon,tue,wed,thu,fri")
        return tuple(sorted({_WEEKDAYS.index(n) for n in names}))

    @property
    def working_hours(self) -> tuple[str, str]:
        value = self.values["FULLCIRCLE_WORKING_HOURS"]
        start, sep, end = value.partition("-")
        if not sep or len(start.strip()) != 5 or len(end.strip()) != 5 or start >= end:
            raise ConfigError("FULLCIRCLE_WORKING_HOURS must look like 09:00-17:00")
        return start.strip(), end.strip()

    @property
    def model_file(self) -> Path | None:
        """The text model to analyse with; None for the shipped one."""
        raw = self.values["FULLCIRCLE_MODEL"].strip()
        if not raw:
            return None
        path = Path(raw)
        if not path.is_file():
            raise ConfigError(
                f"FULLCIRCLE_MODEL={raw!r}: no such file; unset it to use the "
                "shipped model, or write one with `cli.py labels train`"
            )
        return path

    def missing_for(self, connector: str) -> list[str]:
        """The settings a live connector still needs (empty when it can run)."""
        return [name for name in CONNECTOR_REQUIREMENTS[connector] if not self.is_set(name)]

    def missing_for_sending(self, platform: str) -> list[str]:
        """The settings replies on ``platform`` still need."""
        return [name for name in SENDER_REQUIREMENTS[platform] if not self.is_set(name)]

    def connectors_configured(self) -> list[str]:
        """Names of live connectors whose required settings are present."""
        return [name for name in CONNECTOR_REQUIREMENTS if not self.missing_for(name)]


def _positive_number(settings: Settings, name: str) -> float:
    raw = settings.values[name]
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(
            f"{name}={raw!r} is not a positive number; set it to e.g. {_BY_NAME[name].default}"
        )
    return value


_REDACTED: set[str] = set()
_BASE_FACTORY = logging.getLogRecordFactory()
# Credentials by their shape, whoever's they are: an API or proxy that echoes the request
# (headers, a URL with its token) must not put one into an error we print, store or show.
_CREDENTIAL_SHAPES = re.compile(
    r"(?i)(\b(?:bearer|basic|token|oauth)\s+)[A-Za-z0-9._~+/=%-]{8,}"
    r"|(\b(?:access_token|refresh_token|token|api_key|apikey|key|secret|password|client_secret)"
    r"[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;]{4,}"
)
MASK = "***"


def redact(text: str) -> str:
    """The text without any configured secret (nor the path of a secret URL, which is what an
    HTTP library logs) and without anything shaped like a credential."""
    for secret in sorted(_REDACTED, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return _CREDENTIAL_SHAPES.sub(lambda m: (m.group(1) or m.group(2)) + MASK, text)


def _redacting_factory(*args, **kwargs) -> logging.LogRecord:
    record = _BASE_FACTORY(*args, **kwargs)
    message = record.getMessage()
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    return record


def _secret_parts(value: str) -> set[str]:
    """A secret and, for a secret URL (a webhook), its path and query: urllib3 logs
    "POST /hooks/T000/B000/XXXX" without the host."""
    parts = {value}
    parsed = urlsplit(value)
    if parsed.scheme and parsed.netloc:
        tail = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if len(tail.strip("/")) >= 4:
            parts.add(tail)
    return parts


def redact_in_logs(settings: Settings) -> None:
    """Keep every configured secret out of every log line, whoever logs it (tweepy, for one,
    logs request headers at DEBUG level; urllib3 a webhook's secret path), and out of every
    text passed to ``redact``."""
    for key, value in settings.values.items():
        if _BY_NAME[key].secret and len(value.strip()) >= 4:
            _REDACTED.update(_secret_parts(value.strip()))
    logging.setLogRecordFactory(_redacting_factory)


def load_settings(
    environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE
) -> Settings:
    """Merge environment, secrets file and defaults; the environment wins."""
    environ = os.environ if environ is None else environ
    from_file = _secrets_file_values(secrets_file)
    values = {s.env: environ.get(s.env, from_file.get(s.env, s.default)) for s in SETTINGS}
    return Settings(values)
