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

import heapq
import re

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    negated,
    scalar_inc_dec,
)

NEGATIVE_THRESHOLD = -0.05
POSITIVE_THRESHOLD = 0.05
MAX_SCORED_CHARS = 100_000  # see ``score``

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
    (
        "",
        None,
        "dear",
        r"^\W*dear\s+(?=(?:mr|ms|mrs|miss|dr|sir|madam|hiring|recruit\w*|team|hr|all|"
        r"colleagues)\b|(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s*,)",
    ),
    (
        "",
        None,
        "thanks thank",
        r"\b(?:thanks|thank\s+you)\s+for\s+(?:your\s+|the\s+)?(?:interest|applying|application|"
        r"patience|message|e-?mail|reaching\s+out|nudge|flagging|getting\s+back|completing|time|"
        r"invitation|invite)\b",
    ),
    # "Thanks, Lena" closing a question or a "please" is a sign-off; "thanks Michael" alone is not
    (
        "\\g<asked>",
        None,
        "thanks thank cheers",
        r"(?P<asked>(?:\?|\bplease\b)[^\n]*?)(?:\b(?:many\s+)?thanks|\bthank\s+you|\bcheers)\s*"
        r"[,!.]?\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][\w.]*))?\s*$",
    ),
    (
        "",
        None,
        "bedankt dank danke",
        r"\b(?:bedankt|dank)\s+voor\s+(?:je|jouw|uw)\s+(?:bericht|sollicitatie|interesse|geduld|"
        r"e-?mail|mail)\b|\b(?:vielen\s+)?danke?\s+f(?:ü|ue)r\s+(?:ihre|deine|die)\s+(?:nachricht|"
        r"bewerbung|geduld|anfrage|e-?mail|interesse)\b|\balvast\s+bedankt\b",
    ),
    (
        "",
        None,
        "sorry apologies leid",
        r"\b(?:sorry|apologies)\s+(?:for|about)\s+(?:the|our)\s+(?:wait|delay|confusion|late\s+"
        r"reply)\b|\b(?:we're|we\s+are)\s+sorry\s+to\s+hear\b|\bsorry\s+voor\s+(?:het\s+wachten|"
        r"de\s+vertraging)\b|\btut\s+uns\s+leid\b",
    ),
    (
        "",
        None,
        "like",
        r"\b(?:i|we)\s*(?:'d|\s+would)\s+like\s+to\s+(?=(?:know|request|reschedule|"
        r"withdraw|ask|learn|discuss|hear|meet)\b)",
    ),
    (
        "",
        None,
        "please kindly pls plz",
        r"\b(?:please|kindly|pls|plz)\b(?=\s+(?:find|confirm|send|update|let|check|delete|"
        r"correct|forward|advise|reschedule|dm)\b)",
    ),
    ("", None, "chance", r"\bany\s+chance\b"),
    ("", None, "groet groeten", r"\b(?:met\s+)?vriendelijke\s+groet(?:en)?\b"),
    (
        "",
        None,
        "grüßen grüssen grüße grüsse",
        r"\b(?:mit\s+)?freundlichen\s+grü(?:ß|ss)en\b|\b(?:viele|beste|liebe)\s+grü(?:ß|ss)e\b",
    ),
    # hiring jargon whose words VADER reads as praise: "culture fit", "talent pool", "job alert"
    (
        "",
        None,
        "fit pool leave engineer engineers engineering alert alerts opportunity "
        "opportunities applications bonus account challenge interview invite invitation",
        r"\b(?:culture\s+fit|talent\s+pool|(?:parental|annual|sick|maternity|paternity)\s+leave|"
        r"on\s+leave|(?:security|support)\s+engineer\w*|job\s+alerts?|(?:job|career|new)\s+"
        r"opportunit(?:y|ies)|accept(?:s|ing)?\s+applications|(?:referral|signing|final|"
        r"performance)\s+bonus|create\s+an\s+account|new\s+challenge|interview\s+invit\w+|"
        r"invite\s+for)\b",
    ),
    # waiting and silence: the core of a candidate's complaint
    ("xxsilencexx", -2.2, "silence read", r"\bradio\s+silence\b|\bleft\s+(?:me\s+)?on\s+read\b"),
    (
        "xxneverheardxx",
        -2.0,
        "never",
        r"\bnever\s+(?:heard|got)\s+(?:back|anything|a\s+(?:reply|response|word))\b|"
        r"\bnever\s+(?:replied|responded|answered|got\s+back)\b",
    ),
    (
        "xxstillnothingxx",
        -2.0,
        "still",
        r"\bstill\s+(?:nothing|no\s+(?:reply|response|answer|word|news|feedback|contract|decision|"
        r"confirmation))\b",
    ),
    (
        "xxstillwaitingxx",
        -1.2,
        "still",
        r"\bstill\s+(?:waiting|(?:haven't|have\s+not|don't|do\s+not)\s+(?:heard|received|got|been|"
        r"have))\b",
    ),
    (
        "xxnoreplyxx",
        -1.8,
        "no zero 0 not",
        r"\b(?:no|zero|0)\s+(?:reply|replies|response|responses|answer|feedback|explanation|"
        r"follow-?up|word)\b|\bnot\s+even\s+(?:a|an|one)\s+(?:rejection|reply|response|answer|"
        r"email|e-mail)\b",
    ),
    (
        "xxnobodyxx",
        -1.8,
        "nobody no no-one",
        r"\b(?:nobody|no\s+one|no-one)\s+(?:replied|answered|responded|got\s+back|knew|called|"
        r"showed)\b",
    ),
    (
        "xxrepeatxx",
        -1.5,
        "second third fourth fifth 2nd 3rd 4th 5th",
        r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th)\s+(?:time\s+asking|time\s+i|message|"
        r"email|e-mail|mail|attempt|reminder)\b",
    ),
    (
        "xxanyonexx",
        -1.2,
        "anyone anybody hello",
        r"\b(?:is\s+)?any(?:one|body)\s+(?:there|reading\s+(?:this|these)|going\s+to\s+(?:reply|"
        r"respond|answer))\b|\bhello\s*\?",
    ),
    (
        "xxgaveupxx",
        -1.5,
        "gave wasted",
        r"\bgave\s+up\b|\bwasted\s+(?:my\s+)?(?:time|afternoon|day|evening)\b",
    ),
    (
        "xxsarcasmxx",
        -2.2,
        "nothing oh touch",
        r"\bthanks\s+for\s+nothing\b|\boh\s+great\b|\breal\s+personal\s+touch\b",
    ),
    (
        "xxformletterxx",
        -1.2,
        "letter one-line automated",
        r"\bform\s+letter\b|\bone-line\s+rejection\b|\bautomated\s+rejection\b",
    ),
    (
        "xxnotokxx",
        -1.8,
        "ok okay treat",
        r"\bis\s+not\s+ok(?:ay)?\b|\bthis\s+is\s+how\s+you\s+treat\b",
    ),
    (
        "xxfrozenxx",
        -1.5,
        "frozen freeze hold",
        r"\b(?:role|position|job|vacancy|hiring)\s+(?:was\s+|is\s+|got\s+)?(?:frozen|put\s+on\s+"
        r"hold)\b|\bhiring\s+freeze\b",
    ),
    ("ghosted", -2.4, "geghost geghostet", r"\bgeghost(?:et)?\b"),
)
_PHRASE_RULES = tuple(
    (frozenset(triggers.split()), re.compile(pattern, re.IGNORECASE | re.MULTILINE), f" {token} ")
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

# The sign-off rule ("…? Thanks, Lena") is the one whose regex costs the square of a line's
# length: from every "?" or "please" its lazy ``[^\n]*?`` walks to the end of the line looking
# for the sign-off, and each walk past a long run of spaces backtracks ``\s*[,!.]?\s+`` once
# per space. ``_strip_signoffs`` gives exactly its result in linear time.
SIGNOFF_RULE = next(regex for _, regex, replacement in _PHRASE_RULES if "\\g<asked>" in replacement)
_ASKED = re.compile(r"\?|\bplease\b", re.IGNORECASE)
_SIGNOFF_WORD = re.compile(r"\b(?:many|thank|cheers)", re.IGNORECASE)
# The rule's tail after ``asked``, with the gap before the name atomic: the name starts with a
# letter, so the gap can only end at the first character that is neither space nor [,!.], which
# is where the atomic group ends too; it just stops retrying every shorter gap on failure.
_SIGNOFF = re.compile(
    r"(?:\b(?:many\s+)?thanks|\bthank\s+you|\bcheers)(?>\s*[,!.]?\s+)(?-i:[A-Z][a-z]+)"
    r"(?:\s+(?-i:[A-Z][\w.]*))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def _strip_signoffs(text: str) -> str:
    """``SIGNOFF_RULE.sub(" \\g<asked> ", text)``, the same string, in linear time.

    A match starts at the first "?" or "please" of a line that has the sign-off after it, and
    ``asked`` ends where the first sign-off that completes the rule starts. When the first one
    of a line has no sign-off after it, no later one of that line can have one, so the line is
    done: that is what the regex engine, retrying every start, does not know.
    """
    parts: list[str] = []
    done = pos = 0
    while (asked := _ASKED.search(text, pos)) is not None:
        line_end = text.find("\n", asked.start())
        line_end = len(text) if line_end < 0 else line_end
        found = None
        for word in _SIGNOFF_WORD.finditer(text, asked.end(), line_end):
            found = _SIGNOFF.match(text, word.start())
            if found is not None:
                break
        if found is None:
            pos = line_end + 1
            continue
        parts += [text[done : asked.start()], " ", text[asked.start() : found.start()], " "]
        done = pos = found.end()
    return "".join([*parts, text[done:]])


# Dutch and German words mapped onto VADER's English lexicon; "" drops a false friend.
_NL = {
    "die": "",
    "kind": "",
    "arm": "",
    "hoe": "",
    "niet": "not",
    "geen": "no",
    "nooit": "never",
    "niets": "nothing",
    "zonder": "without",
    "heel": "very",
    "zeer": "very",
    "echt": "really",
    "erg": "very",
    "super": "very",
    "slecht": "bad",
    "slechte": "bad",
    "belachelijk": "ridiculous",
    "teleurstellend": "disappointing",
    "teleurgesteld": "disappointed",
    "ramp": "disaster",
    "jammer": "unfortunately",
    "onprofessioneel": "unprofessional",
    "professioneel": "professional",
    "afgewezen": "rejected",
    "afgezegd": "cancelled",
    "laag": "low",
    "boos": "angry",
    "frustrerend": "frustrating",
    "geweldig": "great",
    "geweldige": "great",
    "gaaf": "cool",
    "mooi": "beautiful",
    "mooie": "beautiful",
    "leuk": "nice",
    "leuke": "nice",
    "fijn": "nice",
    "fijne": "nice",
    "prettig": "pleasant",
    "prettige": "pleasant",
    "goed": "good",
    "goede": "good",
    "beste": "best",
    "blij": "happy",
    "bedankt": "thanks",
    "dank": "thanks",
    "eerlijk": "fair",
    "eerlijke": "fair",
    "trots": "proud",
    "oké": "okay",
    "beter": "better",
    "zin": "excited",
    "top": "great",
    "maar": "but",
}
_DE = {
    "die": "",
    "war": "was",
    "bad": "",
    "hell": "bright",
    "gift": "",
    "kind": "",
    "also": "",
    "nicht": "not",
    "kein": "no",
    "keine": "no",
    "keinen": "no",
    "keiner": "no",
    "nie": "never",
    "niemals": "never",
    "nichts": "nothing",
    "ohne": "without",
    "sehr": "very",
    "echt": "really",
    "wirklich": "really",
    "super": "very",
    "total": "totally",
    "schlecht": "bad",
    "schlechte": "bad",
    "enttäuschend": "disappointing",
    "enttäuscht": "disappointed",
    "katastrophe": "disaster",
    "frechheit": "outrageous",
    "unprofessionell": "unprofessional",
    "chaotisch": "chaotic",
    "hasse": "hate",
    "hassen": "hate",
    "schade": "unfortunately",
    "abgelehnt": "rejected",
    "niedrig": "low",
    "mittelmäßig": "mediocre",
    "ärgerlich": "annoying",
    "leid": "sorry",
    "wertschätzend": "appreciative",
    "toll": "great",
    "tolles": "great",
    "tolle": "great",
    "toller": "great",
    "klasse": "great",
    "danke": "thanks",
    "dank": "thanks",
    "freue": "happy",
    "freuen": "happy",
    "glückwunsch": "congratulations",
    "herzlichen": "warm",
    "angenehm": "pleasant",
    "angenehme": "pleasant",
    "angenehmen": "pleasant",
    "beliebtesten": "popular",
    "geholfen": "helped",
    "hilfreich": "helpful",
    "ehrlich": "honest",
    "ehrliche": "honest",
    "ehrliches": "honest",
    "gut": "good",
    "gute": "good",
    "guten": "",
    "fair": "fair",
    "stimmung": "",
    "okay": "okay",
    "aber": "but",
}
_WORD_RE = {
    lang: re.compile(
        r"\b(?:" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    for lang, table in (("nl", _NL), ("de", _DE))
}
_TABLES = {"nl": _NL, "de": _DE}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


class _Analyzer(SentimentIntensityAnalyzer):
    """VADER 3.3.2 in time linear in the text; its scores are the library's, bit for bit.

    The library turns emojis into words by growing a string one character at a time, which costs
    as much as the scoring itself on a tweet. Here ASCII text skips that step and other text
    builds a list.

    Worse, for every sentiment word ``_negation_check`` (three times) and
    ``_special_idioms_check`` lower-case the *whole* word list again, and ``_but_check`` looks
    each score up with ``list.index``: the cost grows with the square of the text (128 KB of
    "any update? 😊" lines took two minutes). Here the lower-cased list is built once per text
    and passed to copies of those two checks, which read it instead of rebuilding it, and the
    "but" rule keeps, per score value, a heap of the positions holding it, so finding "the first
    position holding this value" — what ``list.index`` answers — costs a heap read. Every other
    step is the library's own code, called in the library's order.
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
        lowered = [str(word).lower() for word in words]
        sentitext.lowered = lowered
        sentiments: list[float] = []
        lexicon = self.lexicon
        for i, item in enumerate(words):
            low = lowered[i]
            if (
                low in BOOSTER_DICT
                or low not in lexicon
                or (i < len(words) - 1 and low == "kind" and lowered[i + 1] == "of")
            ):
                sentiments.append(0)  # what sentiment_valence gives a word not in the lexicon
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

    def sentiment_valence(
        self, valence: float, sentitext: SentiText, item: str, i: int, sentiments: list[float]
    ) -> list[float]:
        """The library's method, reading the lower-cased words computed once per text."""
        is_cap_diff = sentitext.is_cap_diff
        words = sentitext.words_and_emoticons
        lowered = getattr(sentitext, "lowered", None) or [str(w).lower() for w in words]
        item_lowercase = lowered[i]
        if item_lowercase in self.lexicon:
            valence = self.lexicon[item_lowercase]
            if item_lowercase == "no" and i != len(words) - 1 and lowered[i + 1] in self.lexicon:
                valence = 0.0
            if (
                (i > 0 and lowered[i - 1] == "no")
                or (i > 1 and lowered[i - 2] == "no")
                or (i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in ["or", "nor"])
            ):
                valence = self.lexicon[item_lowercase] * N_SCALAR
            if item.isupper() and is_cap_diff:
                valence = valence + C_INCR if valence > 0 else valence - C_INCR
            for start_i in range(0, 3):
                if i > start_i and lowered[i - (start_i + 1)] not in self.lexicon:
                    s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                    if start_i == 1 and s != 0:
                        s = s * 0.95
                    if start_i == 2 and s != 0:
                        s = s * 0.9
                    valence = valence + s
                    valence = self._negation_check(valence, lowered, start_i, i)
                    if start_i == 2:
                        valence = self._special_idioms_check(valence, lowered, i)
            valence = self._least_check(valence, words, i)
        sentiments.append(valence)
        return sentiments

    @staticmethod
    def _negation_check(valence: float, lowered: list[str], start_i: int, i: int) -> float:
        """The library's check, given the words already lower-cased."""
        if start_i == 0 and negated([lowered[i - 1]]):
            valence = valence * N_SCALAR
        if start_i == 1:
            if lowered[i - 2] == "never" and lowered[i - 1] in ("so", "this"):
                valence = valence * 1.25
            elif lowered[i - 2] == "without" and lowered[i - 1] == "doubt":
                pass
            elif negated([lowered[i - 2]]):
                valence = valence * N_SCALAR
        if start_i == 2:
            if (
                lowered[i - 3] == "never"
                and lowered[i - 2] in ("so", "this")
                or (lowered[i - 1] in ("so", "this"))
            ):
                valence = valence * 1.25
            elif lowered[i - 3] == "without" and "doubt" in (lowered[i - 2], lowered[i - 1]):
                pass
            elif negated([lowered[i - 3]]):
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, lowered: list[str], i: int) -> float:
        """The library's check, given the words already lower-cased."""
        onezero = f"{lowered[i - 1]} {lowered[i]}"
        twoonezero = f"{lowered[i - 2]} {lowered[i - 1]} {lowered[i]}"
        twoone = f"{lowered[i - 2]} {lowered[i - 1]}"
        threetwoone = f"{lowered[i - 3]} {lowered[i - 2]} {lowered[i - 1]}"
        threetwo = f"{lowered[i - 3]} {lowered[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if len(lowered) - 1 > i:
            zeroone = f"{lowered[i]} {lowered[i + 1]}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(lowered) - 1 > i + 1:
            zeroonetwo = f"{lowered[i]} {lowered[i + 1]} {lowered[i + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence

    @staticmethod
    def _but_check(words: list[str], sentiments: list[float]) -> list[float]:
        """The library's "but" rule with its exact quirk, in n log n instead of n².

        The library walks the scores and, for each, rescales the *first* position holding an
        equal value (``list.index``): halved before the first "but", times 1.5 after it.
        """
        lowered = [str(w).lower() for w in words]
        if "but" not in lowered:
            return sentiments
        bi = lowered.index("but")
        holding: dict[float, list[int]] = {}
        for position, value in enumerate(sentiments):
            holding.setdefault(value, []).append(position)  # ascending: already a heap
        for k in range(len(sentiments)):
            value = sentiments[k]
            si = holding[value][0]
            if si == bi:
                continue
            new = value * 0.5 if si < bi else value * 1.5
            if new == value:  # a zero stays a zero: nothing moves
                continue
            heapq.heappop(holding[value])
            if not holding[value]:
                del holding[value]
            sentiments[si] = new
            heapq.heappush(holding.setdefault(new, []), si)
        return sentiments


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
        text = _strip_signoffs(text) if regex is SIGNOFF_RULE else regex.sub(replacement, text)
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
    """Compound score in -1..1 from a single VADER pass over the prepared text.

    Only the first ``MAX_SCORED_CHARS`` characters are scored. Scoring is linear now, but still
    about a second per megabyte, and an import may carry a 16 MB CSV field or a pasted log: no
    platform allows a post that long (Reddit's 40,000 characters is the longest), and long
    before that size the compound has saturated, so the cut changes no real post's score while
    bounding what one hostile post can cost ingest.
    """
    return _ANALYZER.polarity_scores(prepare(text[:MAX_SCORED_CHARS], lang, words))["compound"]


def label(
    compound: float, negative: float = NEGATIVE_THRESHOLD, positive: float = POSITIVE_THRESHOLD
) -> str:
    """VADER's own convention (±0.05) unless a caller wants a wider neutral band."""
    if compound >= positive:
        return "positive"
    if compound <= negative:
        return "negative"
    return "neutral"
