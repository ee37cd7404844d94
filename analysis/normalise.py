"""What the author wrote, in the shape the rules read: quotes, signatures and hard wraps undone.

Mail clients hard-wrap lines at about 72 characters, so "We will" and "get back to you within
two weeks" land on two lines, and every rule that reads a sentence at a time misses the promise.
Replies carry the earlier mail under "On … wrote:" and ">" lines, so the candidate's own words
("when will I hear back?") would be read as the brand's; signatures add names, titles and phone
numbers that look like neither. Every rule therefore reads ``for_rules(text)``, never the raw
text. The stored post keeps what the platform sent.

Each step is cheap when it has nothing to do: a text without a line break is returned as is.
"""

from __future__ import annotations

import re

# "On Mon, 2 Nov 2026 at 10:00, Jan <jan@example.com> wrote:" (may wrap onto a second line),
# and the same attribution in German, Dutch and French.
_ATTRIBUTION = re.compile(
    r"^(?:On\s[^\n]{4,200}?(?:\n[^\n]{1,120}?)?\swrote|Am\s[^\n]{4,200}?\sschrieb[^\n]{0,120}"
    r"|Op\s[^\n]{4,200}?\sschreef[^\n]{0,120}|Le\s[^\n]{4,200}?\sa\s+écrit)\s*:\s*$",
    re.M,
)
# Outlook and friends quote without ">" under a header block: everything after it is quoted.
_QUOTED_BLOCK = re.compile(
    r"^(?:-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Oorspronkelijk bericht|"
    r"Message d'origine)\s*-{2,}\s*$"
    r"|_{10,}\s*\n+(?:From|Von|Van|De):"
    r"|(?:From|Von|Van|De):[^\n]+\n(?:Sent|Gesendet|Verzonden|Envoyé|Date|Datum):)",
    re.M | re.I,
)

# RFC 3676's signature separator, and the lines phones add under every mail.
_SIGNATURE_SEPARATOR = re.compile(r"^--[ \t]?$", re.M)
_SENT_FROM = re.compile(
    r"^[ \t]*(?:sent\s+from\s+my\s+\w+|get\s+outlook\s+for\s+\w+|verzonden\s+(?:vanaf|met)\s+mijn"
    r"\s+\w+|von\s+meinem\s+\w+\s+gesendet|gesendet\s+von\s+meinem\s+\w+)[^\n]{0,40}$",
    re.M | re.I,
)
# A line that is only a closing formula: what follows it is name, title, phone.
_CLOSING = re.compile(
    r"^[ \t]*(?:(?:kind|best|warm|warmest|many|with\s+kind)\s+regards|regards|best(?:\s+wishes)?|"
    r"cheers|thanks(?:\s+(?:again|in\s+advance))?|thank\s+you(?:\s+in\s+advance)?|many\s+thanks|"
    r"sincerely|yours\s+(?:sincerely|faithfully|truly)|all\s+the\s+best|"
    r"(?:met\s+)?(?:vriendelijke|hartelijke)\s+groet(?:en)?|groet(?:en|jes)?|"
    r"(?:mit\s+)?freundlichen\s+grü(?:ß|ss)en|(?:viele|beste|liebe|herzliche)\s+grü(?:ß|ss)e|"
    r"mfg|lg|vg|gr(?:\.|oet)?)\s*[,.!]?\s*$",
    re.I,
)
_SIGNATURE_LINES = 7


def _signature_line(line: str) -> bool:
    """Name, title, company, phone, address: short, and neither a question nor a sentence."""
    line = line.strip()
    return len(line) <= 60 and "?" not in line and len(line.split()) <= 7


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_SENTENCE_END = ".!?:;…)\"'”»"
# Words no sentence ends on: a line that stops at one was cut by the mail client.
_CARRY_ON = _words(
    "a an the to of in on at by for from with within and or but we you i will shall would "
    "we'll you'll i'll your my our their is are be been have has two three few "
    "de het een van te op met voor en of binnen naar je u wij we ik uw jullie ons onze zijn "
    "twee drie "
    "der die das den dem des ein eine einen einem einer und oder mit für von zu zum zur bis im "
    "innerhalb nach wir sie ihnen ihre ihr unser unsere zwei drei werden wird"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,2}[.)]\s|>)")


def strip_quoted(text: str) -> str:
    """Only what this sender wrote: drop quote attributions, ">" lines and Outlook-style quotes.

    Text below an attribution that is not ">"-quoted is kept (bottom posting); an Outlook
    header block cuts the rest, unless the text starts with it (a forward, kept whole).
    """
    text = text.replace("\r\n", "\n")
    if ">" not in text and ":" not in text:
        return text
    block = _QUOTED_BLOCK.search(text)
    if block and text[: block.start()].strip():
        text = text[: block.start()]
    text = _ATTRIBUTION.sub("", text)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_signature(text: str) -> str:
    """The message without its signature block, its closing formula and "Sent from my iPhone".

    A closing formula ("Kind regards,", "Met vriendelijke groet", "Viele Grüße") on a line of its
    own cuts the rest when at most a few short lines follow it (name, title, phone). A message
    that is nothing but its closing ("Thanks,\\nAnna") is kept whole: that *is* the message.
    """
    if "\n" not in text:
        return text
    separator = _SIGNATURE_SEPARATOR.search(text)
    body = text[: separator.start()] if separator else text
    body = _SENT_FROM.sub("", body)
    lines = body.rstrip().split("\n")
    for index in range(len(lines) - 1, max(-1, len(lines) - _SIGNATURE_LINES - 2), -1):
        if _CLOSING.match(lines[index]):
            tail = [line for line in lines[index + 1 :] if line.strip()]
            if len(tail) <= _SIGNATURE_LINES and all(map(_signature_line, tail)):
                lines = lines[:index]
            break
    kept = "\n".join(lines).strip()
    return kept or text.strip()


def unwrap(text: str) -> str:
    """Join the lines of a paragraph that a mail client hard-wrapped.

    A line continues on the next when it does not end a sentence and either the next line goes
    on in lower case ("we'll" / "get back to you"), the line stops on a word no sentence ends on
    ("innerhalb von zwei" / "Wochen"), or the line is nearly as long as the paragraph's longest
    (the wrap width). Short lines that start with a capital stay apart: that
    is how people write lists and tweets ("Still no reply" / "Typical").
    """
    if "\n" not in text:
        return text
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n\n".join(_unwrap_paragraph(p) for p in paragraphs)


def _unwrap_paragraph(paragraph: str) -> str:
    lines = paragraph.split("\n")
    if len(lines) == 1:
        return paragraph
    width = max(len(line.rstrip()) for line in lines)
    out = [lines[0].rstrip()]
    for line in lines[1:]:
        previous, current = out[-1], line.strip()
        if current and previous and _continues(previous, current, width):
            out[-1] = f"{previous} {current}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _continues(previous: str, current: str, width: int) -> bool:
    if previous[-1] in _SENTENCE_END or _LIST_ITEM.match(current) or _LIST_ITEM.match(previous):
        return False
    if current[0].islower() or previous.rsplit(None, 1)[-1].lower() in _CARRY_ON:
        return True
    return width >= 40 and len(previous) >= 0.75 * width


def for_rules(text: str) -> str:
    """The text every rule reads: the author's own words, one line per sentence run."""
    if "\n" not in text and ">" not in text:
        return text
    return unwrap(strip_signature(strip_quoted(text)))
