"""Sentiment for employer-branding posts: VADER plus what VADER cannot know about this domain.

Plain VADER reads "ghosted", "radio silence" or "still nothing" as neutral, although for a
candidate they are the whole complaint, and it reads the courtesy of a request ("Kind regards",
"Thanks in advance", "I'd like to") as praise. It also has no Dutch or German and scores the
German article "die" as the verb "to die". The fixes are text rewrites in front of VADER, so one
`polarity_scores` call per post stays the only expensive step:

1. courtesy formulas are removed, so a polite status question stays neutral;
2. domain phrases become one synthetic lexicon word with a valence, so VADER's own negation,
   capitals and "but" rules still apply around them;
3. for Dutch and German text, sentiment and negation words are mapped to English lexicon words
   and false friends ("die", "war", "bad", "kind") are dropped.
"""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

NEGATIVE_THRESHOLD = -0.05
POSITIVE_THRESHOLD = 0.05

# Single words VADER lacks; valences on VADER's -4..+4 scale, chosen beside similar entries
# ("ignored" -1.3, "rejected" -2.3, "unprofessional" -2.3).
_DOMAIN_WORDS = {
    "ghosted": -2.4,
    "ghosting": -2.4,
    "unanswered": -1.6,
    "rescinded": -2.0,
    "condescending": -2.0,
    "disrespectful": -2.2,
    "nightmare": -2.5,
    "unpaid": -1.2,
    "ignoring": -1.5,
}

# Phrase families: (token, valence, trigger words, regex). A regex runs only when one of its
# trigger words is in the post, which keeps the rewrite cheap on the many posts it cannot touch;
# every alternative of a regex therefore contains one of its triggers. The match is replaced by the
# token (a synthetic lexicon word, or a regex template), or removed when the token is empty and
# the valence None: courtesy that carries no opinion about the employer.
_PHRASES: tuple[tuple[str, float | None, str, str], ...] = (
    ("", None, "regards", r"\b(?:kind|best|warm|warmest)\s+regards\b"),
    ("", None, "advance", r"\b(?:thanks|thank\s+you)\s+(?:so\s+much\s+)?in\s+advance\b"),
    ("", None, "dear",
     r"^\W*dear\s+(?=(?:mr|ms|mrs|miss|dr|sir|madam|hiring|recruit\w*|team|hr|all|"
     r"colleagues)\b|(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s*,)"),
    ("", None, "thanks thank",
     r"\b(?:thanks|thank\s+you)\s+for\s+(?:your\s+|the\s+)?(?:interest|applying|application|"
     r"patience|message|e-?mail|reaching\s+out|nudge|flagging|getting\s+back|completing|time|"
     r"invitation|invite)\b"),
    # "Thanks, Lena" closing a question or a "please" is a sign-off; "thanks Michael" alone is not
    ("\\g<asked>", None, "thanks thank cheers",
     r"(?P<asked>(?:\?|\bplease\b)[^\n]*?)(?:\b(?:many\s+)?thanks|\bthank\s+you|\bcheers)\s*"
     r"[,!.]?\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][\w.]*))?\s*$"),
    ("", None, "bedankt dank danke",
     r"\b(?:bedankt|dank)\s+voor\s+(?:je|jouw|uw)\s+(?:bericht|sollicitatie|interesse|geduld|"
     r"e-?mail|mail)\b|\b(?:vielen\s+)?danke?\s+f(?:ü|ue)r\s+(?:ihre|deine|die)\s+(?:nachricht|"
     r"bewerbung|geduld|anfrage|e-?mail|interesse)\b|\balvast\s+bedankt\b"),
    ("", None, "sorry apologies leid",
     r"\b(?:sorry|apologies)\s+(?:for|about)\s+(?:the|our)\s+(?:wait|delay|confusion|late\s+"
     r"reply)\b|\b(?:we're|we\s+are)\s+sorry\s+to\s+hear\b|\bsorry\s+voor\s+(?:het\s+wachten|"
     r"de\s+vertraging)\b|\btut\s+uns\s+leid\b"),
    ("", None, "like",
     r"\b(?:i|we)\s*(?:'d|\s+would)\s+like\s+to\s+(?=(?:know|request|reschedule|"
     r"withdraw|ask|learn|discuss|hear|meet)\b)"),
    ("", None, "please kindly pls plz",
     r"\b(?:please|kindly|pls|plz)\b(?=\s+(?:find|confirm|send|update|let|check|delete|"
     r"correct|forward|advise|reschedule|dm)\b)"),
    ("", None, "chance", r"\bany\s+chance\b"),
    ("", None, "groet groeten", r"\b(?:met\s+)?vriendelijke\s+groet(?:en)?\b"),
    ("", None, "grüßen grüssen grüße grüsse",
     r"\b(?:mit\s+)?freundlichen\s+grü(?:ß|ss)en\b|\b(?:viele|beste|liebe)\s+grü(?:ß|ss)e\b"),
    # hiring jargon whose words VADER reads as praise: "culture fit", "talent pool", "job alert"
    ("", None, "fit pool leave engineer engineers engineering alert alerts opportunity "
               "opportunities applications bonus account challenge interview invite invitation",
     r"\b(?:culture\s+fit|talent\s+pool|(?:parental|annual|sick|maternity|paternity)\s+leave|"
     r"on\s+leave|(?:security|support)\s+engineer\w*|job\s+alerts?|(?:job|career|new)\s+"
     r"opportunit(?:y|ies)|accept(?:s|ing)?\s+applications|(?:referral|signing|final|"
     r"performance)\s+bonus|create\s+an\s+account|new\s+challenge|interview\s+invit\w+|"
     r"invite\s+for)\b"),
    # waiting and silence: the core of a candidate's complaint
    ("xxsilencexx", -2.2, "silence read",
     r"\bradio\s+silence\b|\bleft\s+(?:me\s+)?on\s+read\b"),
    ("xxneverheardxx", -2.0, "never",
     r"\bnever\s+(?:heard|got)\s+(?:back|anything|a\s+(?:reply|response|word))\b|"
     r"\bnever\s+(?:replied|responded|answered|got\s+back)\b"),
    ("xxstillnothingxx", -2.0, "still",
     r"\bstill\s+(?:nothing|no\s+(?:reply|response|answer|word|news|feedback|contract|decision|"
     r"confirmation))\b"),
    ("xxstillwaitingxx", -1.2, "still",
     r"\bstill\s+(?:waiting|(?:haven't|have\s+not|don't|do\s+not)\s+(?:heard|received|got|been|"
     r"have))\b"),
    ("xxnoreplyxx", -1.8, "no zero 0 not",
     r"\b(?:no|zero|0)\s+(?:reply|replies|response|responses|answer|feedback|explanation|"
     r"follow-?up|word)\b|\bnot\s+even\s+(?:a|an|one)\s+(?:rejection|reply|response|answer|"
     r"email|e-mail)\b"),
    ("xxnobodyxx", -1.8, "nobody no no-one",
     r"\b(?:nobody|no\s+one|no-one)\s+(?:replied|answered|responded|got\s+back|knew|called|"
     r"showed)\b"),
    ("xxrepeatxx", -1.5, "second third fourth fifth 2nd 3rd 4th 5th",
     r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th)\s+(?:time\s+asking|time\s+i|message|"
     r"email|e-mail|mail|attempt|reminder)\b"),
    ("xxanyonexx", -1.2, "anyone anybody hello",
     r"\b(?:is\s+)?any(?:one|body)\s+(?:there|reading\s+(?:this|these)|going\s+to\s+(?:reply|"
     r"respond|answer))\b|\bhello\s*\?"),
    ("xxgaveupxx", -1.5, "gave wasted",
     r"\bgave\s+up\b|\bwasted\s+(?:my\s+)?(?:time|afternoon|day|evening)\b"),
    ("xxsarcasmxx", -2.2, "nothing oh touch",
     r"\bthanks\s+for\s+nothing\b|\boh\s+great\b|\breal\s+personal\s+touch\b"),
    ("xxformletterxx", -1.2, "letter one-line automated",
     r"\bform\s+letter\b|\bone-line\s+rejection\b|\bautomated\s+rejection\b"),
    ("xxnotokxx", -1.8, "ok okay treat",
     r"\bis\s+not\s+ok(?:ay)?\b|\bthis\s+is\s+how\s+you\s+treat\b"),
    ("xxfrozenxx", -1.5, "frozen freeze hold",
     r"\b(?:role|position|job|vacancy|hiring)\s+(?:was\s+|is\s+|got\s+)?(?:frozen|put\s+on\s+"
     r"hold)\b|\bhiring\s+freeze\b"),
    ("ghosted", -2.4, "geghost geghostet", r"\bgeghost(?:et)?\b"),
)
_PHRASE_RULES = tuple(
    (frozenset(triggers.split()), re.compile(pattern, re.IGNORECASE | re.MULTILINE),
     f" {token} ")
    for token, valence, triggers, pattern in _PHRASES
)


def _index(rules: tuple[tuple[frozenset[str], re.Pattern[str], str], ...]) -> dict[str, list[int]]:
    """Trigger word -> positions of the rules it may fire, so a post visits only those."""
    index: dict[str, list[int]] = {}
    for position, (triggers, _, _) in enumerate(rules):
        for word in triggers:
            index.setdefault(word, []).append(position)
    return index


_PHRASE_INDEX = _index(_PHRASE_RULES)
_PHRASE_TRIGGERS = frozenset(_PHRASE_INDEX)

# Dutch and German words mapped onto VADER's English lexicon; "" drops a false friend.
_NL = {
    "die": "", "kind": "", "arm": "", "hoe": "",
    "niet": "not", "geen": "no", "nooit": "never", "niets": "nothing", "zonder": "without",
    "heel": "very", "zeer": "very", "echt": "really", "erg": "very", "super": "very",
    "slecht": "bad", "slechte": "bad", "belachelijk": "ridiculous", "teleurstellend":
    "disappointing", "teleurgesteld": "disappointed", "ramp": "disaster", "jammer": "unfortunately",
    "onprofessioneel": "unprofessional", "professioneel": "professional", "afgewezen": "rejected",
    "afgezegd": "cancelled", "laag": "low", "boos": "angry", "frustrerend": "frustrating",
    "geweldig": "great", "geweldige": "great", "gaaf": "cool", "mooi": "beautiful", "mooie":
    "beautiful", "leuk": "nice", "leuke": "nice", "fijn": "nice", "fijne": "nice", "prettig":
    "pleasant", "prettige": "pleasant", "goed": "good", "goede": "good", "beste": "best", "blij":
    "happy", "bedankt": "thanks", "dank": "thanks", "eerlijk": "fair", "eerlijke": "fair",
    "trots": "proud", "oké": "okay", "beter": "better", "zin": "excited", "top": "great",
    "maar": "but",
}
_DE = {
    "die": "", "war": "was", "bad": "", "hell": "bright", "gift": "", "kind": "", "also": "",
    "nicht": "not", "kein": "no", "keine": "no", "keinen": "no", "keiner": "no", "nie": "never",
    "niemals": "never", "nichts": "nothing", "ohne": "without", "sehr": "very", "echt": "really",
    "wirklich": "really", "super": "very", "total": "totally",
    "schlecht": "bad", "schlechte": "bad", "enttäuschend": "disappointing", "enttäuscht":
    "disappointed", "katastrophe": "disaster", "frechheit": "outrageous", "unprofessionell":
    "unprofessional", "chaotisch": "chaotic", "hasse": "hate", "hassen": "hate", "schade":
    "unfortunately", "abgelehnt": "rejected", "niedrig": "low", "mittelmäßig": "mediocre",
    "ärgerlich": "annoying", "leid": "sorry", "wertschätzend": "appreciative",
    "toll": "great", "tolles": "great", "tolle": "great", "toller": "great", "klasse": "great",
    "danke": "thanks", "dank": "thanks", "freue": "happy", "freuen": "happy", "glückwunsch":
    "congratulations", "herzlichen": "warm", "angenehm": "pleasant", "angenehme": "pleasant",
    "angenehmen": "pleasant", "beliebtesten": "popular", "geholfen": "helped", "hilfreich":
    "helpful", "ehrlich": "honest", "ehrliche": "honest", "ehrliches": "honest", "gut": "good",
    "gute": "good", "guten": "", "fair": "fair", "stimmung": "", "okay": "okay", "aber": "but",
}
_WORD_RE = {
    lang: re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, table), key=len, reverse=True))
                     + r")\b", re.IGNORECASE)
    for lang, table in (("nl", _NL), ("de", _DE))
}
_TABLES = {"nl": _NL, "de": _DE}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")



class _Analyzer(SentimentIntensityAnalyzer):
    """VADER 3.3.2 with the emoji step rewritten; its scores are the library's, bit for bit.

    The library turns emojis into words by growing a string one character at a time, which costs
    as much as the scoring itself on a tweet. Here ASCII text skips that step and other text
    builds a list. The rest of `polarity_scores` is the library's own sequence of calls.
    """

    def _describe_emojis(self, text: str) -> str:
        if text.isascii():
            return text.strip()
        parts: list[str] = []
        prev_space = True
        for char in text:
            description = self.emojis.get(char)
            if description is None:
                parts.append(char)
                prev_space = char == " "
            else:
                if not prev_space:
                    parts.append(" ")
                parts.append(description)
                prev_space = False
        return "".join(parts).strip()

    def polarity_scores(self, text: str) -> dict[str, float]:
        text = self._describe_emojis(text)
        sentitext = SentiText(text)
        words = sentitext.words_and_emoticons
        sentiments: list[float] = []
        for i, item in enumerate(words):
            lowered = item.lower()
            if lowered in BOOSTER_DICT or (
                    i < len(words) - 1 and lowered == "kind" and words[i + 1].lower() == "of"):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)


_ANALYZER = _Analyzer()
_ANALYZER.lexicon.update(_DOMAIN_WORDS)
_ANALYZER.lexicon.update({tok: val for tok, val, _, _ in _PHRASES if val is not None and tok})

# Word sets are shared by all rule modules: one tokenisation per post gates every regex.
# Only the ends of a word are stripped, so "follow-up" and "e-mail" stay one word each.
_EDGES = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”„«»…"


def normalise(text: str) -> str:
    """Typographic apostrophes to ASCII, so "don’t" negates like "don't" does in VADER."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def word_set(text: str) -> frozenset[str]:
    """Lower-cased words of a normalised text, apostrophes kept ("haven't", "i'm")."""
    return frozenset([word.strip(_EDGES) for word in text.lower().split()])


def _rewrite(text: str, words: frozenset[str]) -> str:
    """Apply the phrase rules whose trigger words occur, in their listed order."""
    hits = _PHRASE_TRIGGERS.intersection(words)
    if not hits:
        return text
    positions = sorted({i for word in hits for i in _PHRASE_INDEX[word]})
    for position in positions:
        _, regex, replacement = _PHRASE_RULES[position]
        text = regex.sub(replacement, text)
    return text


def _translate(text: str, lang: str) -> str:
    """Map nl/de sentiment words onto VADER's lexicon; other languages pass through.

    Dutch and German put the negation after the verb, often last in its sentence ("reageert
    nooit op sollicitaties? Slechte ervaring"), where VADER's three-word look-back would let it
    flip the next sentence; neutral filler words after each sentence end stop that.
    """
    table = _TABLES.get(lang)
    if table is None:
        return text
    text = _WORD_RE[lang].sub(lambda m: table[m.group(0).lower()], text)
    return _SENTENCE_END.sub(" xxstop xxstop xxstop ", text)


def prepare(text: str, lang: str = "en", words: frozenset[str] | None = None) -> str:
    """The text VADER actually scores; exposed so tests can show what a rule did."""
    text = normalise(text)
    return _translate(_rewrite(text, word_set(text) if words is None else words), lang)


def score(text: str, lang: str = "en", words: frozenset[str] | None = None) -> float:
    """Compound score in -1..1 from a single VADER pass over the prepared text."""
    return _ANALYZER.polarity_scores(prepare(text, lang, words))["compound"]


def label(compound: float, negative: float = NEGATIVE_THRESHOLD,
          positive: float = POSITIVE_THRESHOLD) -> str:
    """VADER's own convention (±0.05) unless a caller wants a wider neutral band."""
    if compound >= positive:
        return "positive"
    if compound <= negative:
        return "negative"
    return "neutral"
