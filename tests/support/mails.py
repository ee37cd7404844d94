"""One candidate's application, the automatic reply and the recruiter's answer, as RFC 5322 bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

CANDIDATE = "jan.jansen@example.com"
CAREERS = "careers@northwind.example"
NO_REPLY = "no-reply@northwind.example"
APPLIED_AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
AUTO_AT = APPLIED_AT + timedelta(minutes=1)
ANSWER_AT = datetime(2026, 11, 4, 14, 0, tzinfo=UTC)


def mail(
    sender: str,
    to: str,
    subject: str,
    body: str,
    at: datetime,
    message_id: str,
    in_reply_to: str | None = None,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = f"<{in_reply_to}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


APPLICATION = mail(
    f"Jan Jansen <{CANDIDATE}>",
    CAREERS,
    "Application backend engineer",
    "Hello, I applied for the backend engineer role last week. Could you tell "
    "me when the interviews take place?",
    APPLIED_AT,
    "app-1@mail.example.com",
)
AUTO_REPLY = mail(
    f"Northwind Labs <{NO_REPLY}>",
    CANDIDATE,
    "Automatic reply: Application backend engineer",
    "Thank you for your application. We'll get back to you within two weeks.",
    AUTO_AT,
    "auto-1@northwind.example",
    "app-1@mail.example.com",
    Auto_Submitted="auto-replied",
)
ANSWER = mail(
    f"Petra de Vries <{CAREERS}>",
    CANDIDATE,
    "Re: Application backend engineer",
    "Hi Jan, the interviews are on 12 November. An invitation follows today.\n\n"
    "On Mon, 2 Nov 2026 at 10:00, Jan Jansen wrote:\n> Could you tell me when the "
    "interviews take place?",
    ANSWER_AT,
    "answer-1@northwind.example",
    "app-1@mail.example.com",
)
