"""A real IMAP server for tests: Debian's Dovecot on 127.0.0.1, a fresh mailbox per test.

Dovecot runs in the foreground under a private configuration (its own base, state and mail
directories in a temporary directory), with a plain listener that offers STARTTLS and an
implicit-TLS listener, both on free ports, and a self-signed certificate for 127.0.0.1. Any
user name logs in with ``PASSWORD`` and gets its own empty Maildir, so tests never share mail.
A folder named ``SENT_FOLDER`` carries the ``\\Sent`` special-use flag — a name imapclient would
not guess, so finding it proves the flag was read.

Works as root (the mail then belongs to ``nobody``: Dovecot never stores mail as root) and as
an ordinary user (every Dovecot service runs as that user, without chroot). Needs the
``dovecot-imapd`` package (``.ci/prerequisites``, run by ``make test``, installs it) and
``openssl`` (a dependency of it).
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "s3cret-Horse-battery-staple"  # no spaces: Dovecot splits passdb args
SENT_FOLDER = "Verzonden"

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = fullcircle-test-{port}
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = 1
{users}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox {sent} {{
    special_use = \\Sent
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dovecot_available() -> bool:
    return Path(DOVECOT).is_file() and shutil.which("openssl") is not None


class Dovecot:
    """One Dovecot instance; ``start()`` waits until it accepts connections."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fullcircle-dovecot-"))
        self.port = free_port()
        self.tls_port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def cafile(self) -> Path:
        return self.root / "cert.pem"

    def tls_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly this server's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cafile))

    def _mail_owner(self) -> tuple[str, int, int]:
        """As root, mail belongs to ``nobody`` (Dovecot refuses root); else to ourselves."""
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid())
            group = grp.getgrgid(me.pw_gid).gr_name
            users = (
                f"default_internal_user = {me.pw_name}\n"
                f"default_internal_group = {group}\n"
                f"default_login_user = {me.pw_name}"
            )
            return users, me.pw_uid, me.pw_gid
        nobody = pwd.getpwnam("nobody")
        return "", nobody.pw_uid, nobody.pw_gid

    def _write_files(self) -> None:
        self.root.chmod(0o755)  # the mail user must reach its home below it
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(self.root / "key.pem"),
                "-out",
                str(self.cafile),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        users, uid, gid = self._mail_owner()
        (self.root / "mail").mkdir()
        os.chown(self.root / "mail", uid, gid)
        (self.root / "dovecot.conf").write_text(
            _CONFIG.format(
                root=self.root,
                port=self.port,
                tls_port=self.tls_port,
                users=users,
                password=PASSWORD,
                uid=uid,
                gid=gid,
                sent=SENT_FOLDER,
            ),
            encoding="utf-8",
        )

    def start(self) -> Dovecot:
        self._write_files()
        log = (self.root / "dovecot.stderr").open("wb")
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self._logs()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port} within 20 s: {self._logs()}")

    def _logs(self) -> str:
        return " | ".join(
            path.read_text(errors="replace")[-2000:]
            for path in (self.root / "dovecot.stderr", self.root / "dovecot.log")
            if path.exists()
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        for attempt in range(3):  # its helper processes may still be closing files
            try:
                shutil.rmtree(self.root)
                return
            except OSError:
                if attempt == 2:
                    raise
                time.sleep(0.5)

    # ---------------------------------------------------------------- what tests do with mail

    def new_user(self, with_sent_folder: bool = True) -> str:
        """A user nobody used before: an empty inbox (and the \\Sent folder, unless told)."""
        user = f"careers-{uuid.uuid4().hex[:8]}@northwind.example"
        if with_sent_folder:
            with self.client(user) as client:
                client.create_folder(SENT_FOLDER)
        return user

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, folder: str, *messages: bytes) -> None:
        with self.client(user) as client:
            for message in messages:
                client.append(folder, message)

    def uidvalidity(self, user: str, folder: str) -> int:
        with self.client(user) as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def recreate(self, user: str, folder: str) -> None:
        """Move the folder aside and make a new one with its messages: a new UIDVALIDITY.

        This is what a restore from backup or a mail migration does to a folder.
        """
        aside = f"{folder}-old-{uuid.uuid4().hex[:6]}"
        with self.client(user) as client:
            client.rename_folder(folder, aside)
            client.create_folder(folder)
            client.select_folder(aside, readonly=True)
            fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[]"])
            for uid in sorted(fetched):
                client.append(folder, fetched[uid][b"BODY[]"])

    def flags(self, user: str, folder: str) -> list[tuple[bytes, ...]]:
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return [
                data[b"FLAGS"] for data in client.fetch(client.search("ALL"), ["FLAGS"]).values()
            ]
