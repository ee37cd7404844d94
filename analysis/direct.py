"""The direct channel: what in a recruiting mailbox or a DM does *not* need an answer.

On a direct channel every human message is owed an answer (DESIGN.md): an application above all,
but also the candidate who sends the documents asked for or confirms a time. So the question there
is turned around: is this message a machine's (an out-of-office, a newsletter, a job alert, a
notification) or a closing courtesy that asks and adds nothing ("Thanks, that's all!")? And, for
the team's queue, is it an application?

The mail headers decide most automated mail before any text is read (``Post.is_auto_reply``);
these rules catch what arrives without them: forwarded alerts, imports, DMs from bots.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

_OUT_OF_OFFICE = re.compile(
    r"\bout\s+of\s+(?:the\s+)?office\b|\bautomatic\s+reply\b|\bauto-?reply\b|"
    r"\bthis\s+is\s+an\s+auto(?:mated|matic)\s+(?:message|e-?mail|reply|response)\b|"
    r"\bafwezigheidsmelding\b|\bautomatisch\s+(?:antwoord|bericht)\b|"
    r"\babwesenheitsnotiz\b|\bautomatische\s+antwort\b",
    _I,
)
_AWAY = re.compile(
    r"\b(?:i\s+am|i'm|ich\s+bin|ik\s+ben)\b[^.!?\n]{0,40}\b(?:away|on\s+(?:annual\s+)?leave|"
    r"on\s+holiday|on\s+vacation|out\s+of\s+the\s+country|abwesend|im\s+urlaub|afwezig|"
    r"met\s+vakantie|niet\s+aanwezig|nicht\s+im\s+büro)\b",
    _I,
)
_AWAY_DETAIL = re.compile(
    r"\b(?:limited|no)\s+access\b|\breturn(?:ing)?\s+(?:on|to)\b|\bback\s+(?:in|on|at)\b|"
    r"\bin\s+urgent\s+cases\b|\bfor\s+urgent\b|\bdringend\w*\b|\bterug\s+op\b|\bweer\s+aanwezig\b|"
    r"\bzurück\b|\bwieder\s+(?:im\s+büro|erreichbar)\b|\bwill\s+respond\s+(?:upon|when)\b",
    _I,
)
_BULK = re.compile(
    r"\bunsubscribe\b|\buitschrijven\b|\bafmelden\s+voor\b|\babmelden\b|\babbestellen\b|"
    r"\bnewsletter\b|\bnieuwsbrief\b|\bjob\s+alerts?\b|\bvacature-?alerts?\b|\bjobs?\s+for\s+you\b|"
    r"\bnew\s+jobs?\s+(?:matching|that\s+match|for)\b|\bjobs\s+you\s+may\s+be\s+interested\b|"
    r"\bview\s+(?:this\s+(?:e-?mail|message)|it|online)\s+in\s+(?:your|a)\s+browser\b|"
    r"\byou(?:'re|\s+are)\s+receiving\s+this\b|\bmanage\s+(?:your\s+)?(?:e-?mail\s+|notification"
    r"\s+)?(?:preferences|settings)\b|\bnotification\s+settings\b|"
    r"\bdo\s+not\s+reply\s+(?:to\s+)?(?:this|directly)\b|\bdon't\s+reply\s+to\s+this\b|"
    r"\bplease\s+do\s+not\s+reply\b|\bno-?reply\b|\bdies\s+ist\s+eine\s+automatisch\w*\b|"
    r"\bnicht\s+auf\s+diese\s+(?:e-?mail|nachricht)\s+antworten\b|"
    r"\bniet\s+(?:beantwoorden|op\s+(?:deze|dit)\s+(?:e-?mail|bericht)\s+reageren)\b",
    _I,
)

# Applying, in the words people use: "I would like to apply", "Attached is my CV for",
# "Hierbij solliciteer ik", "Anbei erhalten Sie meine Bewerbung".
_APPLICATION = re.compile(
    r"\b(?:i|we)\s*(?:'d|\s+would|\s+want\s+to|\s+wish\s+to|'m|\s+am|\s+hereby)\s+(?:like\s+to\s+|"
    r"love\s+to\s+)?(?:apply|applying|submit(?:ting)?\s+my\s+(?:application|cv|resume|"
    r"candidacy))\b|"
    r"\b(?:writing|write)\s+to\s+(?:apply|express\s+my\s+interest)\b|"
    r"\b(?:express(?:ing)?|register(?:ing)?)\s+my\s+interest\s+in\b|"
    r"\bplease\s+(?:find|see)\s+(?:attached|enclosed|my)\b[^.!?\n]{0,40}\b(?:cv|resume|résumé|"
    r"application|cover\s+letter|portfolio)\b|"
    r"\b(?:attached|enclosed)\s+(?:is|are|please\s+find|you(?:'ll|\s+will)\s+find)\s+my\b|"
    r"\bmy\s+(?:cv|resume|résumé|application|cover\s+letter|portfolio)\s+(?:is\s+|are\s+)?"
    r"(?:attached|enclosed)\b|\b(?:cv|resume|résumé)\s+(?:attached|enclosed)\b|"
    r"\bi\s+(?:have\s+)?attached\s+my\b|\b(?:consider|considering)\s+me\s+for\b|"
    r"\bapplication\s+for\s+the\b[^.!?\n]{0,60}\b(?:role|position|vacancy|opening|job|post)\b|"
    r"\bput\s+(?:myself|my\s+name)\s+forward\b|\bmy\s+candidacy\b|"
    r"\bsend(?:ing)?\s+(?:you\s+)?my\s+(?:cv|resume|résumé|application|portfolio)\b|"
    r"\bhere(?:'s|\s+is|\s+are)\s+my\s+(?:cv|resume|résumé|application|portfolio)\b|"
    # Dutch
    r"\bsollicit(?:eer|eren)\b|\bsollicitatie\s+(?:voor|naar|als|op)\b|\bhierbij\s+(?:mijn|stuur)\b|"
    r"\b(?:in\s+de\s+)?bijlage\s+(?:vindt|vind|treft)\s+(?:u|je|jij)\s+mijn\b|"
    r"\bbijgaand\s+(?:mijn|stuur|treft)\b|\breageren\s+op\s+(?:de|uw|jullie|jouw)\s+vacature\b|"
    r"\bmijn\s+(?:cv|motivatie(?:brief)?)\b[^.!?\n]{0,30}\b(?:bijlage|bijgevoegd|toegevoegd)\b|"
    r"\bbijlage\b[^.!?\n]{0,30}\b(?:mijn\s+)?(?:cv|motivatie(?:brief)?|sollicitatie)\b|"
    # German
    r"\bbewerbe\s+(?:ich\s+)?mich\b|\bhiermit\s+(?:bewerbe|sende|übersende)\b|"
    r"\banbei\s+(?:erhalten|finden|sende|übersende|schicke)\b|\bmeine\s+bewerbung(?:sunterlagen)?"
    r"\s+(?:für|als|um|auf)\b|\binitiativbewerbung\b|\bbewerbungsunterlagen\b|"
    r"\bmich\s+(?:\w+\s+){0,5}(?:zu\s+)?bewerben\b(?![^.!?\n]*\?)|"
    r"\blebenslauf\b[^.!?\n]{0,40}\b(?:anbei|im\s+anhang|angehängt|beigefügt)\b|"
    r"\b(?:anbei|im\s+anhang)\b[^.!?\n]{0,40}\blebenslauf\b|\bsende\s+ihnen\s+mein(?:en)?\s+"
    r"(?:lebenslauf|bewerbung)\b|"
    r"\binteressiere\s+mich\s+(?:sehr\s+)?für\s+(?:die|ihre|eure|deine)\s+(?:ausgeschriebene\s+)?"
    r"(?:stelle|position|ausschreibung)\b",
    _I,
)

# A message made only of thanks, agreement and good wishes: what is left when those are gone is
# a name at most.
_COURTESY = re.compile(
    r"\b(?:(?:many\s+|big\s+)?thanks?(?:\s+(?:a\s+lot|so\s+much|again|very\s+much|for\s+"
    r"(?:everything|all\s+(?:your\s+)?(?:help|the\s+help)|your\s+help|the\s+(?:update|info|"
    r"information|reply|quick\s+reply|help)|letting\s+me\s+know|getting\s+back(?:\s+to\s+me)?)))?"
    r"|thank\s+you(?:\s+(?:so|very)\s+much|\s+again|\s+for\s+(?:everything|your\s+help|the\s+"
    r"(?:update|info|reply|help)|letting\s+me\s+know))?|cheers|great|perfect|wonderful|lovely|"
    r"brilliant|awesome|ok(?:ay)?|alright|all\s+good|sounds\s+good|noted|understood|got\s+it|"
    r"will\s+do|that's\s+all|that\s+is\s+all|nothing\s+(?:else|more)|no\s+(?:further\s+)?"
    r"questions?|have\s+a\s+(?:nice|great|good|lovely)\s+(?:day|weekend|evening|week)|"
    r"(?:kind\s+|best\s+)?regards|best|bye|see\s+you(?:\s+then)?|take\s+care|much\s+appreciated|"
    r"appreciate\s+it|"
    r"(?:heel\s+erg\s+|hartelijk\s+)?bedankt|dank(?:\s+je(?:wel)?|\s+u(?:wel)?)?(?:\s+wel)?|top|"
    r"prima|helemaal\s+goed|fijne\s+dag|fijn\s+weekend|tot\s+(?:dan|snel|ziens)|groet(?:en|jes)?|"
    r"(?:vielen\s+)?dank|danke(?:\s+schön|\s+sehr)?|super|alles\s+klar|passt|perfekt|"
    r"schönen\s+(?:tag|abend)|schönes\s+wochenende|bis\s+(?:dann|bald)|(?:viele\s+)?grüße|lg)"
    r"\b[\s,.!:;)(-]*",
    _I,
)
_COURTESY_MAX_WORDS = 25
_NAME_WORDS = 3
# Small words a courtesy leaves behind ("see you *on* Thursday", "thanks *again*").
_FILLER = frozenset(
    {
        "on",
        "at",
        "then",
        "soon",
        "tomorrow",
        "again",
        "and",
        "so",
        "too",
        "very",
        "much",
        "you",
        "all",
        "for",
        "that",
        "it",
        "now",
        "x",
        "xx",
        "op",
        "dan",
        "morgen",
        "en",
        "und",
        "am",
        "dann",
        "auch",
        "nochmal",
        "nogmaals",
        "i",
        "will",
        "do",
    }
)


def is_automated(text: str) -> bool:
    """An out-of-office or auto-reply told by its text."""
    if "?" in text and _OUT_OF_OFFICE.search(text) is None:
        return False
    if _OUT_OF_OFFICE.search(text):
        return True
    return bool(_AWAY.search(text) and _AWAY_DETAIL.search(text))


def is_bulk(text: str) -> bool:
    """A newsletter, job alert, notification or marketing mail told by its text."""
    return _BULK.search(text) is not None


def is_courtesy(text: str) -> bool:
    """Thanks, agreement and good wishes only: nothing asked, nothing added."""
    if "?" in text or len(text.split()) > _COURTESY_MAX_WORDS:
        return False
    rest = _COURTESY.sub(" ", text)
    words = [w for w in re.split(r"[\s,.!:;()\-–—😊🙂👍🙏]+", rest) if w]
    rest_words = [w for w in words if w.lower() not in _FILLER]
    return len(rest_words) <= _NAME_WORDS and all(
        w[:1].isupper() or not w.isalpha() for w in rest_words
    )


def is_application(text: str) -> bool:
    """Applies for a job or sends the application documents."""
    return _APPLICATION.search(text) is not None
