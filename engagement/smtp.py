"""One SMTP session per message, as the SMTP_* settings describe it.

Replies to candidates and alert mails to the team go out the same way; each caller words a
failure for its own reader, so this raises and leaves the wording to them.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from settings import Settings

SMTP_ERRORS = (OSError, smtplib.SMTPException)


def send_mail(settings: Settings, message: EmailMessage) -> None:
    """Deliver ``message`` (STARTTLS and login when configured); raises one of SMTP_ERRORS."""
    host, port = settings.get("SMTP_HOST"), int(settings.get("SMTP_PORT"))
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        if settings.get("SMTP_STARTTLS").lower() == "true":
            smtp.starttls()
        if settings.is_set("SMTP_USER"):
            smtp.login(settings.get("SMTP_USER"), settings.get("SMTP_PASSWORD"))
        smtp.send_message(message)
