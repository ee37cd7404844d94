"""Opening the workspace database: engine, SQLite pragmas, migrations, and clear failures.

Exception tree::

    StoreError
    ├── DatabaseConfigError   DATABASE_URL unusable, its file no database or its folder missing,
    │                         or the server unreachable (names the setting and the fix)
    └── SchemaTooNewError     the database was written by a newer Full Circle
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from store.schema import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
MIGRATION_LOCK = 0x46756C6C  # any constant shared by every Full Circle process
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


class StoreError(Exception):
    """Base of the store's errors."""


class DatabaseConfigError(StoreError):
    """DATABASE_URL cannot be used; the message says what to change."""


class SchemaTooNewError(StoreError):
    """The database carries a schema revision this version does not know."""


# SQLite's default page cache is 2 MB; a million-post workspace keeps the B-trees its writes
# touch (the unique key and the time indexes of posts) in 64 MB, which speeds a large import
# by about a seventh. Each connection reserves it only as it reads pages.
SQLITE_CACHE_KIB = 65536
SQLITE_BUSY_MS = 30000  # how long a connection waits for another one's lock


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    # A deleted row's bytes are overwritten with zeros instead of left in the page's free
    # space: an erasure or retention must not leave the text readable in the file. Builds
    # differ in the default (SQLite's own is off), so it is set, not assumed.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def shown_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


_FULL = (
    "database or disk is full",
    "no space left on device",
    "disk full",
    "could not extend file",
)


def is_disk_full(exc: BaseException) -> bool:
    """Whether a database error means the disk (or the database's quota) is full: SQLite says
    "database or disk is full", PostgreSQL raises SQLSTATE 53100."""
    if not isinstance(exc, (OperationalError, sqlite3.OperationalError)):
        return False
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "53100":
        return True
    return any(words in str(orig).lower() for words in _FULL)


def disk_full_message(url: str) -> str:
    """One line naming the database and the free space where it lives."""
    where = shown_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"the disk of the database {where} is full; free some space and run it again"
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        folder = Path(parsed.database).expanduser().resolve().parent
        free = shutil.disk_usage(folder).free if folder.is_dir() else 0
        return (
            f"the database {parsed.database} is full ({free / 1e6:,.1f} MB free on its disk); "
            "free some space and run the command again — what was stored before is intact"
        )
    return (
        f"the database server of {where} has no space left (SQLSTATE 53100); free space "
        "on its disk and run the command again — what was stored before is intact"
    )


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite DATABASE_URL names; None for PostgreSQL, in-memory and URI names."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if "uri" in parsed.query else Path(database)


def check_sqlite_file(path: Path, create_folder: bool = False) -> None:
    """Refuse, before SQLite touches anything, a DATABASE_URL that cannot be the workspace: a
    folder, a file that is not a database, or a file in a folder that does not exist (most
    likely a mistyped path, which SQLite would fill with an empty workspace that reports
    zeros). ``create_folder`` is for the default location, whose folder is ours to make."""
    if path.is_dir():
        raise DatabaseConfigError(
            f"DATABASE_URL names {path}, which is a folder; name a file in it, e.g. "
            f"sqlite:///{path / 'fullcircle.db'}"
        )
    if path.exists():
        try:
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseConfigError(
                f"DATABASE_URL names {path}, which cannot be read ({exc.strerror}); give "
                "Full Circle read and write access to it, or point DATABASE_URL elsewhere"
            ) from exc
        if head and head != SQLITE_HEADER:  # an empty file is an empty database to SQLite
            raise DatabaseConfigError(
                f"DATABASE_URL names {path}, which is not a SQLite database; point "
                "DATABASE_URL at the workspace's .db file, or at a new file name to start "
                "an empty workspace"
            )
        return
    if not path.parent.is_dir():
        if not create_folder:
            raise DatabaseConfigError(
                f"DATABASE_URL names {path}, but the folder {path.parent} does not exist; "
                f"correct DATABASE_URL, or create the folder (mkdir -p {path.parent}) to "
                "start a new workspace there"
            )
        path.parent.mkdir(parents=True, exist_ok=True)


def _connect_args(parsed: URL) -> dict[str, str]:
    """PostgreSQL's JIT compiler off: it compiles a statement whose estimated cost passes a
    threshold, which the reports' counts over a large workspace pass, and compiling took
    longer than it saved (360 of 2,150 ms of one report statement at 1,000,000 posts)."""
    if parsed.get_backend_name() != "postgresql":
        return {}
    given = parsed.query.get("options", ())  # the URL's own ?options= are kept, before ours
    kept = [given] if isinstance(given, str) else list(given)
    return {"options": " ".join([*kept, "-c jit=off"])}


def create_store_engine(url: str, create_folder: bool = False) -> Engine:
    """An engine for DATABASE_URL; SQLite gets WAL, foreign keys and a busy timeout, and its
    file is checked first (``check_sqlite_file``)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseConfigError(
            "DATABASE_URL is not a database URL; use sqlite:///path/to/file.db or "
            "postgresql+psycopg://user:password@host/dbname"
        ) from exc
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise DatabaseConfigError(
            f"DATABASE_URL uses the unsupported scheme {parsed.drivername!r}; use sqlite:/// "
            "or postgresql+psycopg://"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path, create_folder)
    try:
        # hide_parameters: a refused statement's message would otherwise quote every bound
        # value (post texts, e-mail addresses), and the CLI and the Sources page show it
        engine = create_engine(
            parsed, pool_pre_ping=True, hide_parameters=True, connect_args=_connect_args(parsed)
        )
    except NoSuchModuleError as exc:
        raise DatabaseConfigError(
            f"DATABASE_URL driver {parsed.drivername!r} is not installed; use "
            "postgresql+psycopg:// or sqlite:///"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """SQLite's transactions start lazily, so two processes could both decide to migrate:
    a lock file beside the database lets one migrate while the others wait.

    The holder removes the file before it lets go, so none is left beside the database. A
    process that was waiting then holds the lock of a removed file; it sees that the path no
    longer leads to the file it locked and starts over on the path's current file.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock = Path(f"{database}.migrate-lock")
    while True:
        try:
            handle = lock.open("w")
        except OSError as exc:
            raise DatabaseConfigError(
                f"cannot create {lock} beside the database ({exc.strerror}); DATABASE_URL "
                "must name a file in a folder Full Circle may write to"
            ) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                if _still_at(lock, handle.fileno()):
                    try:
                        yield
                    finally:
                        lock.unlink(missing_ok=True)
                    return
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _still_at(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the open file ``fd`` (not removed, not replaced)."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite batch migrations copy a table and drop the old one; with foreign keys on, that
    drop would cascade into every row that references it (cases into posts). The pragma only
    takes effect outside a transaction, hence before ``begin``."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _upgrade(connection: Connection, config: Config, known: set[str], engine: Engine) -> None:
    if connection.dialect.name == "postgresql":
        # several workers and dashboards may start at once: one migrates, the rest wait
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    current = MigrationContext.configure(connection).get_current_heads()
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        raise SchemaTooNewError(
            f"the database at {shown_url(str(engine.url))} has schema revision "
            f"{unknown[0]}, newer than this Full Circle knows; upgrade Full Circle or "
            "point DATABASE_URL at another database"
        )
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a database from a newer version."""
    config = _alembic_config()
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    try:
        with (
            _sqlite_file_lock(engine),
            engine.connect() as connection,
            _foreign_keys_off(connection),
            connection.begin(),
        ):
            _upgrade(connection, config, known, engine)
    except OperationalError as exc:
        if engine.dialect.name == "sqlite":
            raise DatabaseConfigError(
                f"cannot open the SQLite database {engine.url.database} ({exc.orig}); check "
                "that DATABASE_URL names a file Full Circle may read and write"
            ) from exc
        raise DatabaseConfigError(
            f"cannot reach the database at {shown_url(str(engine.url))} "
            f"({type(exc.orig).__name__}); check DATABASE_URL and that the server runs"
        ) from exc
    except DatabaseError as exc:
        # sqlite3.DatabaseError itself (not a subclass such as IntegrityError): the file
        # passed the header check but SQLite cannot read it, e.g. a damaged database
        if engine.dialect.name != "sqlite" or type(exc.orig).__name__ != "DatabaseError":
            raise
        raise DatabaseConfigError(
            f"DATABASE_URL names {engine.url.database}, which SQLite cannot read as a "
            f"database ({exc.orig}); restore it from a backup, or point DATABASE_URL at "
            "another file"
        ) from exc


def erase_everything(conn: Connection) -> None:
    """Delete every row of every table, children first (the schema stays)."""
    for table in reversed(metadata.sorted_tables):
        conn.execute(delete(table))


def open_store(url: str, create_folder: bool = False) -> Engine:
    """Engine for the workspace, migrated and ready (``create_folder``: see
    ``check_sqlite_file``)."""
    engine = create_store_engine(url, create_folder)
    migrate(engine)
    return engine
