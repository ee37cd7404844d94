"""Does an inbound post need an answer from the employer, and what kind of answer?

A post needs a response when it asks the company something, asks it to act, complains to or
about it from experience, or chases an earlier unanswered message (DESIGN.md, "needs response").
A question mark alone decides little on social media: questions to the crowd ("anyone else hate
Mondays?"), exclamations ("how cool is that?"), rhetorical sighs and headlines all carry one.
So the rules look at who is addressed and what the sentence does, in a fixed order of strength:

    noise (retweets, out-of-office) -> chase -> request -> question -> complaint

English is covered fully; questions, requests and chases also in Dutch and German, because that
is where candidates of a Benelux/DACH employer write.

Every rule is a small regex over the lower-cased post, guarded by trigger words that any match
must contain. A post without a trigger word skips the regex, which keeps the whole pass at a few
microseconds for the many posts that match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.sentiment import normalise, word_set


class _Rules:
    """Regexes guarded by trigger words; one set test rejects a post none of them can match."""

    __slots__ = ("index", "triggers")

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        index: dict[str, list[re.Pattern[str]]] = {}
        for triggers, pattern in pairs:
            regex = re.compile(pattern)
            for word in triggers.split():
                index.setdefault(word, []).append(regex)
        self.index = {word: tuple(regexes) for word, regexes in index.items()}
        self.triggers = frozenset(index)

    def search(self, low: str, words: frozenset[str]) -> bool:
        hits = self.triggers.intersection(words)
        if not hits:
            return False
        tried: set[re.Pattern[str]] = set()
        for word in hits:
            for regex in self.index[word]:
                if regex not in tried:
                    if regex.search(low):
                        return True
                    tried.add(regex)
        return False


def _rules(*pairs: tuple[str, str]) -> _Rules:
    return _Rules(pairs)


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# A post that quotes a question ("'are you open to new opportunities?'") does not ask it.
_QUOTED = re.compile(r"(?:^|(?<=[\s(:]))['\"“‘][^'\"”’\n]{1,120}['\"”’]")
_URL = re.compile(r"https?://\S+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")

_NOISE = _rules(
    ("rt", r"^\s*rt\s+@"),
    (
        "office reply auto-reply autoreply afwezigheidsmelding abwesenheitsnotiz",
        r"\bout\s+of\s+(?:the\s+)?office\b|\bautomatic\s+reply\b|\bauto-?reply\b|"
        r"\bafwezigheidsmelding\b|\babwesenheitsnotiz\b",
    ),
    # newsletters and notifications: their "please" asks a click, not an answer
    (
        "unsubscribe receive link click $link",
        r"\bto\s+unsubscribe\b|\bunsubscribe\s+(?:here|below|link)\b|\bno\s+longer\s+(?:want|wish|"
        r"like)\s+to\s+receive\b|\bclick\s+(?:here|below|the\s+link)\b|\bfollow\s+the\s+link\b|"
        r"\$link\b",
    ),
)
# "If you need anything else, please let me know" offers help; it asks for nothing.
_CONDITIONAL_COURTESY = re.compile(
    r"\bif\s+(?:you\s+)?(?:have\s+any\s+(?:further\s+|other\s+)?(?:questions|concerns)|"
    r"(?:you\s+)?need\s+(?:anything|any|more|further|help|additional)|would\s+like\s+(?:more|any|"
    r"further|additional)|require\s+(?:any|more|further|additional)|there\s+(?:is|are)\s+anything)"
    r"\b[^.!?]*"
)

# Second person, @mentions and greetings show that the company itself is spoken to.
_YOU_WORDS = _words("you your yours u ur jullie uw")
_YOU = re.compile(r"\b(?:you|your|yours|u|ur|jullie|uw)\b")
_SIE_WORDS = _words("sie ihnen ihr ihre ihrem ihren ihrer")
_SIE = re.compile(r"\b(?:Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer)\b")
_GREETING_WORDS = _words("hi hey hello dear beste geachte hallo hoi sehr guten")
_GREETING = re.compile(
    r"^\W*(?:(?:@\w+[\s,:]*)+|(?:hi|hey|hello|dear|quick\s+(?:question|one)|beste|geachte|hallo|"
    r"hoi|guten\s+tag|sehr\s+geehrte[rs]?)\b[^,:.!?]{0,40}[,:.!]?\s*)+"
)
_FIRST_PERSON = _words(
    "i i'm i've i'd me my mine myself we us our ik mij mijn ich mich mir mein meine meinem meinen "
    "meiner"
)

_CHASE = _rules(
    (
        "update updates news word progress decision",
        r"\bany\s+(?:update|updates|news|word|progress|decision)\b|"
        r"\b(?:is|was)\s+there\s+(?:an?\s+|any\s+)?(?:update|news|progress|decision)\b",
    ),
    ("been", r"\bhas\s+there\s+been\s+any\b"),
    ("decision update", r"\bdecision\s+been\s+made\b|\bupdate\s+please\b"),
    (
        "follow following followup follow-up circling check checking bump bumping ping pinging nudge",
        r"\bfollow(?:ing)?[\s-]?up\b|\bcircling\s+back\b|\bcheck(?:ing)?\s+in\b|"
        r"\bcheck(?:ing)?\s+(?:the\s+status|on\s+my|whether\s+you)\b|\bbump(?:ing)?\b|"
        r"\bping(?:ing)?\s+(?:@\w+|you|again)\b|\bnudge\b",
    ),
    (
        "reminder again",
        r"\b(?:gentle|friendly|quick)\s+reminder\b|\bme\s+again\b|"
        r"\bhello\s+again\b|\basking\s+again\b",
    ),
    (
        "second third fourth fifth 2nd 3rd 4th 5th",
        r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th)\s+(?:time|message|email|e-mail|mail|"
        r"attempt|reminder|tweet)\b",
    ),
    (
        "twice times again",
        r"\b(?:i|i've|i\s+have|we|we've|we\s+have)\s+(?:already\s+)?(?:emailed|e-mailed|mailed|"
        r"asked|messaged|called|written|wrote|tweeted|dm'?d)\b[^.?!]{0,30}\b(?:twice|three\s+times|"
        r"\d+\s+times|again)\b",
    ),
    (
        "sent did chance",
        r"\bsent\s+(?:you|u)\s+(?:a|an|my)\s+(?:dm|email|e-mail|message|mail)\b|"
        r"\bdid\s+you\s+(?:receive|get|see)\s+my\b|\bhad\s+a\s+chance\s+to\b",
    ),
    (
        "anyone anybody hello",
        r"\bis\s+any(?:one|body)\s+(?:going\s+to\s+)?(?:reading|there|reply|respond|answer)\b|"
        r"\bany(?:one|body)\s+there\b|\bhello\s*\?",
    ),
    (
        "status considered active yet",
        r"\bstatus\s+of\s+my\b|\bstill\s+(?:being\s+)?(?:considered|"
        r"active)\b|\bhaven't\s+heard\s+back\s+yet\b",
    ),
    # Dutch
    (
        "al er herinnering keer gehoord hoor",
        r"\b(?:is|zijn)\s+er\s+al\b|\bal\s+(?:nieuws|updates?)\b|\bherinnering\b|"
        r"\bvoor\s+de\s+(?:tweede|derde|vierde|vijfde)\s+keer\b|\bnog\s+steeds\s+niets\s+gehoord\b|"
        r"\bwanneer\s+hoor\s+ik\b",
    ),
    (
        "geen niets aangekomen ontvangen",
        r"\bnog\s+(?:geen|niets)\s+(?:reactie|antwoord|bericht)\b|"
        r"\b(?:aangekomen|ontvangen)\s*\?",
    ),
    # German
    (
        "gibt neuigkeiten nachfragen nachhaken mal erinnerung meldet",
        r"\bgibt\s+es\s+(?:schon\s+|bereits\s+|inzwischen\s+)?(?:neuigkeiten|news|ein\s+update|"
        r"eine\s+entscheidung)\b|\bneuigkeiten\b|\bnachfragen\b|\bnachhaken\b|"
        r"\bzum\s+(?:zweiten|dritten|vierten|fünften)\s+mal\b|\berinnerung\b|"
        r"\bmeldet\s+sich\s+(?:da\s+)?(?:jemand|niemand)\b",
    ),
    (
        "keine",
        r"\bnoch\s+(?:immer\s+)?keine\s+(?:antwort|rückmeldung|reaktion|nachricht)\b|"
        r"\bimmer\s+noch\s+keine\b",
    ),
)
# Waiting without a direct nudge: a chase when said to the company, a complaint when told to others.
_PENDING = _rules(
    ("still", r"\bstill\s+(?:waiting|haven't|have\s+not|no|nothing|not|don't)\b"),
    (
        "haven't heard received",
        r"\bhaven't\s+(?:heard|received|got)\b|\bhave\s+not\s+(?:heard|received)\b",
    ),
    (
        "yet any",
        r"\bno\s+(?:reply|response|answer|confirmation|word)\s+yet\b|"
        r"\bnot\s+received\s+any\b",
    ),
    ("when", r"\bwhen\s+(?:will|do|can)\s+i\s+(?:hear|get|receive)\b"),
    (
        "wacht nog warte noch",
        r"\bwacht\s+(?:\w+\s+)?nog\b|\bnog\s+steeds\b|"
        r"\bwarte\s+(?:immer\s+)?noch\b|\bimmer\s+noch\b|\bnoch\s+nicht\b",
    ),
)
# Asking to be told something is a question in indirect form, not a request to act.
_INDIRECT_QUESTION = _rules(
    (
        "tell",
        r"\b(?:can|could)\s+(?:you|someone|somebody|anyone)(?:\s+\w+){0,3}\s+tell\s+me\s+"
        r"(?:whether|if|what|when|how|why|where|who)\b",
    ),
    ("wondering", r"\b(?:i\s+was|i'm|i\s+am)\s+wondering\s+(?:if|whether|what|when|how|why)\b"),
    (
        "weten af sagen fragen wissen",
        r"\bkönnen\s+sie\s+mir\s+sagen\b|\bwil\s+(?:ik\s+)?graag\s+weten\b|"
        r"\bik\s+vroeg\s+me\s+af\b|\bich\s+(?:wollte|möchte)\s+(?:gerne?\s+)?(?:fragen|wissen)\b|"
        r"\bich\s+würde\s+gerne?\s+wissen\b",
    ),
)
_REQUEST = _rules(
    ("please pls plz kindly mind", r"\b(?:please|pls|plz|kindly)\b|\bwould\s+you\s+mind\b"),
    (
        "you u someone somebody one",
        r"\b(?:can|could|would|will)\s+(?:you|u|someone|somebody|one\s+of\s+you)\s+(?:please\s+)?"
        r"(?:send|share|check|look|fix|update|delete|remove|forward|confirm|call|dm|email|e-mail|"
        r"reschedule|move|put|add|correct|help|explain|resend|give|provide|publish|post|get\s+back|"
        r"reply|respond|sort|arrange|book|cancel|pass|connect|follow)\b",
    ),
    (
        "i'd we'd would",
        r"\b(?:i|we)\s*(?:'d|\s+would)\s+(?:like|love|appreciate)\s+(?:it\s+if|to\s+(?:know|request|"
        r"reschedule|withdraw|ask|discuss|talk|speak|meet|receive|get|have|hear|change|move|book|"
        r"schedule|confirm|follow|set\s+up|arrange|see|invite|be\s+considered))\b",
    ),
    (
        "need want",
        r"\b(?:i|we)\s+(?:need|want)\s+(?:a|an|my|the|someone|you|to\s+(?:know|"
        r"reschedule|speak|talk|change|withdraw))\b|\bneed\s+someone\s+(?:from|at|to)\b",
    ),
    (
        "let dm email e-mail call text message send",
        r"\blet\s+me\s+know\b|\b(?:dm|email|e-mail|call|text|message|send)\s+me\b"
        r"(?!\s+if\s+(?:you're\s+|you\s+are\s+)?interested)",
    ),
    (
        "back touch add tell",
        r"\bget\s+back\s+to\s+me\b|\bput\s+me\s+in\s+touch\b|\badd\s+me\s+to\b|"
        r"\btell\s+me\s+what\b",
    ),
    (
        "request requesting appreciate would",
        r"\brequest(?:ing)?\s+(?:a|an|my|the)\b|\bappreciate\s+(?:it\s+)?if\b|"
        r"\bwould\s+(?:love|appreciate)\s+(?:some\s+|a\s+|an\s+|your\s+)?(?:feedback|response|reply|"
        r"update|answer|call)\b",
    ),
    (
        "available reached reach feel",
        r"\b(?:i\s+am|i'm|i'll\s+be|i\s+will\s+be)\s+(?:also\s+)?available\b|"
        r"\bavailable\s+to\s+(?:discuss|meet|talk|chat)\b|\bi\s+can\s+be\s+reached\b|"
        r"\byou\s+can\s+reach\s+me\b|\bfeel\s+free\s+to\s+(?:call|contact|reach|email|e-mail)\b",
    ),
    # proposals to meet or talk wait for a yes or no
    (
        "let's let",
        r"\blet(?:'s|\s+us)\s+(?:meet|discuss|schedule|talk|chat|get\s+together|regroup|plan|set\s+up|"
        r"find|have|catch\s+up|sit\s+down)\b",
    ),
    (
        "we",
        r"\b(?:can|could|shall|should)\s+we\s+(?:meet|schedule|reschedule|move|talk|discuss|set\s+up|"
        r"have|get\s+together|chat|find|arrange|postpone|push)\b",
    ),
    (
        "want wanted",
        r"\b(?:i|we)\s+(?:want|wanted)\s+to\s+(?:discuss|talk|meet|ask|check|know|schedule)\b",
    ),
    ("need want should", r"\byou\s+(?:need\s+to|(?:may|might)\s+want\s+to|should)\b"),
    ("request ask invite", r"\b(?:request|ask|asking|invite|inviting)\s+you\s+to\b"),
    # an imperative opening a sentence, minus the marketing ones ("check out", "apply", "join")
    (
        "send call email e-mail confirm tell schedule set forward review look give add remove "
        "delete fix update contact reply respond get reschedule cancel explain",
        r"(?:^|[.!?]\s+)(?:@\w+\s+)*(?:please\s+)?(?:send|call|email|e-mail|confirm|tell|schedule|"
        r"set\s+up|forward|review|look\s+(?:at|into)|give|add|remove|delete|fix|update|contact|"
        r"reply|respond|get\s+back|reschedule|cancel|explain)\b",
    ),
    ("schedule", r"\bschedule\s+(?:a|some)\s+(?:time|meeting|call)\b"),
    (
        "talk discuss meet chat",
        r"\bif\s+you\s+(?:would\s+like|want|wish)\s+to\s+(?:talk|discuss|meet|chat)\b",
    ),
    # Dutch
    (
        "graag alsjeblieft alstublieft a.u.b svp",
        r"\b(?:graag|alsjeblieft|alstublieft|a\.u\.b|svp)\b",
    ),
    (
        "kunnen willen zouden mogen kunt kan wil zou",
        r"\b(?:kunnen|willen|zouden|mogen)\s+(?:jullie|u)\b|\b(?:kunt|kan|wil|zou)\s+(?:u|je|jij)\b",
    ),
    ("laat stuur", r"\blaat\s+(?:me|mij)\s+(?:even\s+)?weten\b|\bstuur\s+(?:me|mij)\b"),
    # German
    ("bitte", r"\bbitte\b"),
    (
        "können könnten würden teilen lassen schicken senden",
        r"\b(?:können|könnten|würden)\s+(?:sie|wir)\b|\bteilen\s+sie\s+mir\b|"
        r"\blassen\s+sie\s+mich\b|\b(?:schicken|senden)\s+sie\b",
    ),
)
_QUESTION_START_WORDS = _words(
    "what when where who whom which why how is are do does did can could will would should may "
    "has have any wat wanneer waar wie waarom hoe hoeveel welke zijn hebben heeft kan kunnen kunt "
    "mag mogen bieden krijg was wann wo wer warum welche wieviel ist sind gibt haben hat kann "
    "können könnten bieten what's"
)
_QUESTION_START = re.compile(
    r"^(?:what|when|where|who|whom|which|why|how|is|are|do|does|did|can|could|will|would|should|"
    r"may|has|have|any\s+chance|wat|wanneer|waar|wie|waarom|hoe|hoeveel|welke|zijn|hebben|"
    r"heeft|kan|kunnen|kunt|mag|mogen|bieden|krijg|was|wann|wo|wer|warum|welche|wieviel|"
    r"ist|sind|gibt|haben|hat|kann|können|könnten|bieten)\b"
)
# Practical questions ("can I ...", "should we ...", "is there ...", "how about ...") ask the reader
# to settle something even when they name no one; rhetorical ones rarely start this way.
_PRACTICAL = re.compile(
    r"^(?:(?:can|could|may|shall|should|do|did|will)\s+(?:i|we)|is\s+there|are\s+there|"
    r"(?:is|would)\s+it\s+(?:be\s+)?possible|possible\s+to|how\s+about|what\s+about|"
    r"any\s+chance|(?:do\s+you\s+)?want\s+to|wanna|who\s+can|is\s+(?:this|next|that)|"
    r"kan\s+ik|mag\s+ik|kunnen\s+we|is\s+er|zijn\s+er|kann\s+ich|darf\s+ich|können\s+wir|"
    r"gibt\s+es)\b"
)
# Questions nobody at the company is expected to answer.
_CROWD = _rules(
    # "anyone from/at <the company>" speaks to its staff, not to the crowd
    (
        "anyone anybody",
        r"\bany(?:one|body)\s+(?:else|here|going|have|has|know|tried|been|interviewed|got)\b|"
        r"\b(?:does|has|did|is)\s+any(?:one|body)\b(?!\s+(?:from|at|working\s+at)\b)|"
        r"\bknow\s+any(?:one|body)\b",
    ),
    ("else only just", r"\bwho\s+else\b|\bam\s+i\s+the\s+only\b|\bis\s+it\s+just\s+me\b"),
    (
        "think pick choose do thoughts",
        r"\bwhat\s+do\s+(?:you\s+all|y'?all|you\s+guys|people|you\s+think)\b|"
        r"\b(?:which|what)\s+would\s+you\s+(?:pick|choose|do)\b|\bthoughts\s*\?",
    ),
    (
        "looking tips asking",
        r"\blooking\s+for\s+(?:honest\s+)?(?:opinions|advice|experiences|tips)\b|\bany\s+tips\b|"
        r"\basking\s+(?:the\s+void|for\s+(?:me|a\s+friend))\b",
    ),
    (
        "iemand wie",
        r"\biemand\s+(?:ervaring|tips|een\s+idee)\b|\bweet\s+iemand\b|"
        r"\bwie\s+(?:gaat|weet|heeft|kent)\b|\bwie\s+is\s+er\b",
    ),
    (
        "jemand wer euch",
        r"\bhat\s+jemand\b|\bkennt\s+jemand\b|\bweiß\s+jemand\b|"
        r"\bwer\s+(?:ist|hat|kommt)\s+(?:noch|auch)\b|\bgeht\s+es\s+euch\b",
    ),
)
# Exclamations and rhetorical sighs dressed as questions.
_EXCLAMATIVE = _rules(
    (
        "how",
        r"\bhow\s+(?:cool|awesome|amazing|great|nice|sweet|cute|lucky|crazy|wild|insane|good|"
        r"fun)\s+(?:is|was|are)\s+(?:that|this|it)\b|\bhow\s+is\s+it\s+already\b|"
        r"\bhow\s+do\s+people\s+even\b",
    ),
    (
        "knew guess believe anyone",
        r"\bwho\s+knew\b|\bguess\s+(?:who|what)\b|\bcan\s+you\s+believe\b|"
        r"\bwhy\s+would\s+anyone\b",
    ),
    ("isn't", r"\bisn't\s+(?:it|that|this)\s+(?:amazing|great|awesome|cool|wonderful|nice)\b"),
    (
        "ready go",
        r"\bwho'?s\s+ready\b|\bwho\s+is\s+ready\b|\bwhere\s+did\s+(?:the|my)\s+\w+\s+go\b",
    ),
    ("even point bother", r"\bwho\s+even\b|\bwhat's\s+the\s+point\b|\bwhy\s+bother\b"),
    (
        "always companies normal",
        r"\bwhy\s+(?:do|does|is|are)\s+(?:i|it|companies|recruiters|people|they)\s+always\b|"
        r"\bwhy\s+do\s+companies\b|\bis\s+it\s+normal\s+to\s+be\b",
    ),
    (
        "hoe toch",
        r"\bhoe\s+(?:leuk|gaaf|mooi|cool|tof|vet)\s+is\s+(?:dat|het|dit)\b|"
        r"\bwat\s+is\s+er\s+toch\b",
    ),
    ("das", r"\bwie\s+(?:cool|toll|geil|schön|super)\s+ist\s+das\b"),
)
# Rhetorical questions that carry a complaint ("Did they even call them?").
_RHETORICAL = re.compile(
    r"\b(?:even|ever|never|nooit|nie|niemals|seriously)\b|\bthis\s+is\s+how\s+you\b|"
    r"\bmake\s+it\s+make\s+sense\b"
)
# Opinions about employers in general are no one's case.
_GENERAL = _rules(
    ("companies", r"\bcompanies\b"),
    (
        "every general recruiters other rest",
        r"\bevery\s+(?:company|employer|job|interview|recruiter)\b|\bin\s+general\b|"
        r"\brecruiters\s+(?:always|never|need|should)\b|\bany\s+other\b|"
        r"\bdifferent\s+from\s+the\s+rest\b",
    ),
    ("algemeen anders sonst", r"\balgemeen\b|\bergens\s+anders\b|\bsonst\s+wer\b"),
    (
        "allgemein allgemeines allgemeine allgemeinen allgemeiner generell",
        r"\ballgemein\w*\b|\bgenerell\b",
    ),
)
# What a question about an employer is about when it does not say "you": jobs and their terms.
# Word sets plus prefixes rather than a regex: a membership test costs a fraction of a scan.
_EMPLOYMENT_WORDS = _words(
    "job jobs role roles position positions opening openings traineeship graduate apply applied "
    "applying hiring hire office offices pay visa visas relocation offer contract contracts "
    "onboarding benefits leave hybrid remote part-time assessment take-home cv portfolio stage "
    "salaris kantoor praktikum gehalt büro homeoffice cover"
)
_EMPLOYMENT_PREFIXES = (
    "vacanc",
    "intern",
    "apprentice",
    "application",
    "interview",
    "recruit",
    "salar",
    "sponsor",
    "stagiair",
    "vacature",
    "sollicit",
    "stelle",
    "bewerbung",
    "werkstudent",
    "trainee",
)
# What a complaint is about: one's own dealings with an employer.
_EXPERIENCE_WORDS = _words(
    "applied application applying offer onboarding assessment reimbursement payslip payslips "
    "payroll bonus contract feedback reply replied response responses round rounds afgewezen "
    "reactie ervaring rondes abgelehnt rückmeldung runden manager hr salary pay paid leave laptop "
    "portal careers chatbot helpline colleague colleagues probation process werkgever "
    "arbeitgeber"
)
_EXPERIENCE_PREFIXES = (
    "interview",
    "recruit",
    "reject",
    "reschedul",
    "sollicit",
    "gesprek",
    "bewerbung",
    "vorstellungsgespräch",
    "gespräch",
    "reference",
)


# A known channel settles who is spoken to; an unknown one leaves it to the text.
_ADDRESSED_BY_CHANNEL = {"direct": True, "addressed": True, "public": False}

# Something the company runs does not work, or went wrong for the author: said to the company
# it needs an answer without a "?" and without a negative word ("@Brand my order is missing").
_PROBLEM = _rules(
    ("missing lost", r"\b(?:is|are|was|were|went|still|got|goes)\s+(?:missing|lost)\b"),
    (
        "didn't didnt never not haven't havent",
        r"\b(?:didn'?t|did\s+not|never|not|haven'?t|have\s+not|hasn'?t|has\s+not)\s+(?:yet\s+)?"
        r"(?:arrive[ds]?|arrived|receive[ds]?|received|got|get|gotten|show(?:n|ed)?\s+up|come\s+"
        r"through|went\s+through|go\s+through)\b",
    ),
    (
        "can't cant cannot unable couldn't couldnt won't wont can",
        r"\b(?:can'?t|cannot|can\s+not|unable\s+to|couldn'?t|won'?t\s+let\s+me)\s+(?:even\s+)?"
        r"(?:log\s*in|login|sign\s+in|access|upload|apply|submit|find|see|open|download|reset|"
        r"change|verify|update|complete|finish|get\s+(?:in|into|past|through)|pay|book|play|use|"
        r"connect|install|load|redeem|activate|cancel|contact|reach)\b",
    ),
    (
        "doesn't doesnt isn't isnt won't wont not stopped keeps keep",
        r"\b(?:doesn'?t|does\s+not|isn'?t|is\s+not|won'?t|will\s+not|not|stopped|aren'?t)\s+"
        r"(?:work|working|load|loading|open|opening|accept|accepting|update|updating|sync|syncing|"
        r"respond(?:ing)?|show(?:ing)?|let\s+me)\b|\bkeeps?\s+(?:crashing|rejecting|failing|"
        r"logging\s+me|freezing|saying|telling|asking|timing\s+out|deleting|cancel+ing|"
        r"disconnecting)\b",
    ),
    (
        "error bug broken crash crashes crashed glitch down charged banned suspended locked hacked "
        "disabled deleted refund",
        r"\b(?:error|bug|broken|crash(?:es|ed)?|glitch(?:ed)?|is\s+down|charged\s+(?:me\s+)?"
        r"(?:twice|two\s+times|double|again)|(?:got|been|was|is|am)\s+(?:banned|suspended|locked"
        r"(?:\s+out)?|hacked|disabled|deleted|charged)|no\s+refund|still\s+no\s+refund)\b",
    ),
    (
        "wrong incorrect",
        r"\b(?:wrong|incorrect)\s+(?:amount|item|order|date|time|name|address|"
        r"salary|contract|payslip|information|details|account)\b",
    ),
    # Dutch
    (
        "niet werkt lukt kwijt",
        r"\b(?:werkt|lukt)\s+(?:het\s+)?niet\b|\bniet\s+(?:ontvangen|"
        r"aangekomen)\b|\bkwijt\b|\bkan\s+(?:niet|geen)\s+(?:inloggen|"
        r"uploaden|solliciteren)\b",
    ),
    # German
    (
        "nicht funktioniert geht",
        r"\bfunktioniert\s+(?:immer\s+noch\s+|leider\s+)?nicht\b|"
        r"\bgeht\s+(?:immer\s+noch\s+|leider\s+)?nicht\b|"
        r"\bnicht\s+(?:angekommen|erhalten)\b|\bkann\s+(?:mich\s+)?"
        r"(?:nicht|keine)\s+(?:einloggen|anmelden|hochladen|bewerben)\b",
    ),
)


def _prefix_rule(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'-])(?:" + "|".join(map(re.escape, prefixes)) + ")")


_EMPLOYMENT_START = _prefix_rule(_EMPLOYMENT_PREFIXES)
_EXPERIENCE_START = _prefix_rule(_EXPERIENCE_PREFIXES)


def _mentions(
    words: frozenset[str], low: str, exact: frozenset[str], starts: re.Pattern[str]
) -> bool:
    """A word of ``exact``, or a word starting with one of the rule's prefixes: one set test
    and one scan of the text instead of a test per word."""
    return not words.isdisjoint(exact) or starts.search(low) is not None


_ACT_TRIGGERS = (
    _CHASE.triggers
    | _PENDING.triggers
    | _INDIRECT_QUESTION.triggers
    | _REQUEST.triggers
    | _PROBLEM.triggers
)

COMPLAINT_SCORE = -0.05
# Waiting said to the company is a chase, unless the post is an outburst with nothing asked.
OUTBURST_SCORE = -0.4
# Without "I" or "you" a complaint must be clearly upset; a shrug ("got rejected, oh well") is not.
IMPERSONAL_SCORE = -0.4


def _clean(text: str) -> str:
    """Drop quoted speech and links, which say nothing about what the author asks."""
    if "http" in text:
        text = _URL.sub(" ", text)
    if '"' in text or "“" in text or " '" in text or text.startswith("'"):
        text = _QUOTED.sub(" ", text)
    return text


class _Post:
    """One post as the rules see it; who it addresses is worked out only when a rule asks."""

    __slots__ = ("text", "low", "words", "sentiment", "_addressed", "_found")

    def __init__(
        self, text: str, words: frozenset[str], sentiment: float, channel: str | None = None
    ) -> None:
        self.text = _clean(text)
        self.low = self.text.lower()
        self.words = words
        self.sentiment = sentiment
        self._addressed: bool | None = _ADDRESSED_BY_CHANNEL.get(channel or "")
        self._found: dict[int, bool] = {}  # rule set -> hit, for the whole post

    def has(self, rules: _Rules, low: str | None = None) -> bool:
        if low is not None:
            return rules.search(low, self.words)
        found = self._found.get(id(rules))
        if found is None:
            found = self._found[id(rules)] = rules.search(self.low, self.words)
        return found

    @property
    def addressed(self) -> bool:
        if self._addressed is None:
            self._addressed = self._speaks_to_someone()
        return self._addressed

    def _speaks_to_someone(self) -> bool:
        text, low, words = self.text, self.low, self.words
        if "@" in text:
            return True
        if not words.isdisjoint(_YOU_WORDS) and _YOU.search(low):
            return True
        if not words.isdisjoint(_SIE_WORDS) and _SIE.search(text):
            return True
        return not words.isdisjoint(_GREETING_WORDS) and _GREETING.match(low) is not None

    @property
    def personal(self) -> bool:
        return self.addressed or not self.words.isdisjoint(_FIRST_PERSON)


def _question_sentences(post: _Post) -> list[str]:
    """Sentences that ask; a crowd question makes the questions after it crowd questions too.

    The post's word set gates the per-sentence rules: a superset of each sentence's words.
    """
    found, crowd = [], False
    greets = not post.words.isdisjoint(_GREETING_WORDS) or "@" in post.low
    # Asked in public about the employer's jobs or process, a crowd question is the engagement
    # the team wants to see ("Anyone interviewed at Acme recently?").
    about_work = not post.addressed and _about_work(post.words, post.low)
    for raw in _SENTENCE.findall(post.low):
        sentence = _GREETING.sub("", raw.strip()) if greets else raw.strip()
        if post.has(_CROWD, sentence) and not (about_work and "?" in sentence):
            crowd = True
            continue
        asks = "?" in sentence or (post.addressed and _QUESTION_START.match(sentence))
        if asks and not crowd and not post.has(_EXCLAMATIVE, sentence):
            found.append(sentence)
    return found


def _about_work(words: frozenset[str], low: str) -> bool:
    return _mentions(words, low, _EMPLOYMENT_WORDS, _EMPLOYMENT_START) or _mentions(
        words, low, _EXPERIENCE_WORDS, _EXPERIENCE_START
    )


def _is_question(post: _Post) -> bool:
    if "?" not in post.low and (post.words.isdisjoint(_QUESTION_START_WORDS) or not post.addressed):
        return False
    questions = _question_sentences(post)
    if questions and not (
        post.addressed or _mentions(post.words, post.low, _EMPLOYMENT_WORDS, _EMPLOYMENT_START)
    ):
        questions = [q for q in questions if _PRACTICAL.match(q)]
    if post.sentiment <= COMPLAINT_SCORE:
        questions = [q for q in questions if not _RHETORICAL.search(q)]
    return bool(questions)


def _is_complaint(post: _Post) -> bool:
    """Negative and about one's own dealings with the employer, not about employers at large.

    Still waiting for something from the employer is a complaint whatever the wording's tone
    ("Day 12 and I still don't have a laptop. Fun times.").
    """
    if not _mentions(post.words, post.low, _EXPERIENCE_WORDS, _EXPERIENCE_START) or post.has(
        _GENERAL
    ):
        return False
    if post.sentiment > COMPLAINT_SCORE:
        return not post.words.isdisjoint(_FIRST_PERSON) and post.has(_PENDING)
    if post.has(_EXCLAMATIVE) or post.has(_CROWD):
        return post.addressed
    return post.personal or post.sentiment <= IMPERSONAL_SCORE


def _is_request(post: _Post) -> bool:
    low = post.low
    if "if" in post.words and not _REQUEST.triggers.isdisjoint(post.words):
        low = _CONDITIONAL_COURTESY.sub(" ", low)
    return post.has(_REQUEST, low) and not post.has(_CROWD)


def _is_chase(post: _Post) -> bool:
    if post.has(_CHASE):
        return True
    if not post.has(_PENDING) or not post.addressed or post.has(_GENERAL):
        return False
    asks = "?" in post.low or post.has(_REQUEST)
    return asks or post.sentiment > OUTBURST_SCORE


def _plainly_nothing(text: str, words: frozenset[str], sentiment: float) -> bool:
    """No question mark, no negativity and no word any rule needs: most posts stop here."""
    return (
        "?" not in text
        and sentiment > COMPLAINT_SCORE
        and _ACT_TRIGGERS.isdisjoint(words)
        and (_QUESTION_START_WORDS.isdisjoint(words) or not _opens_with_question(text))
    )


def _opens_with_question(text: str) -> bool:
    low = text.lower().lstrip()
    if low[:1] == "@" or low.split(" ", 1)[0].strip(",:!") in _GREETING_WORDS:
        low = _GREETING.sub("", low, count=1)
    return _QUESTION_START.match(low) is not None


def _is_problem(post: _Post) -> bool:
    """A problem report counts when it is told to the company, or is the author's own."""
    return post.has(_PROBLEM) and (post.addressed or post.personal) and not post.has(_GENERAL)


def detect(
    text: str, sentiment: float, words: frozenset[str] | None = None, channel: str | None = None
) -> str | None:
    """Intent of an inbound post ("question", "request", "problem", "complaint", "chase") or
    None.

    `sentiment` is the post's compound score; `words` its `word_set`, when the caller has it;
    `channel` settles whether the company is spoken to ("addressed", "direct") or not
    ("public"); None leaves that to the text.
    """
    text = normalise(text)
    words = word_set(text) if words is None else words
    if _plainly_nothing(text, words, sentiment):
        return None
    return _verdict(_Post(text, words, sentiment, channel))


def _verdict(post: _Post) -> str | None:
    if post.has(_NOISE):
        return None
    if _is_chase(post):
        return "chase"
    if post.has(_INDIRECT_QUESTION):
        return "question"
    if _is_request(post):
        return "request"
    if _is_question(post):
        return "question"
    if _is_problem(post):
        return "problem"
    if _is_complaint(post):
        return "complaint"
    return None


def signals(
    text: str, sentiment: float, words: frozenset[str], channel: str | None = None
) -> tuple[str | None, frozenset[str]]:
    """The rules' verdict (as ``detect``) and every rule that fired, as names.

    The learned model reads these beside the words, so it can lean on a rule where the rule
    generalises and overrule it where it does not.
    """
    text = normalise(text)
    if _plainly_nothing(text, words, sentiment):
        return None, frozenset({"plain"})
    post = _Post(text, words, sentiment, channel)
    fired = {name for name, rules in _SIGNAL_RULES if post.has(rules)}
    if post.addressed:
        fired.add("addressed")
    if post.personal:
        fired.add("personal")
    if _about_work(words, post.low):
        fired.add("about_work")
    if "?" in post.low:
        fired.add("qmark")
    return _verdict(post), frozenset(fired)


_SIGNAL_RULES = (
    ("noise", _NOISE),
    ("chase", _CHASE),
    ("pending", _PENDING),
    ("indirect", _INDIRECT_QUESTION),
    ("request", _REQUEST),
    ("crowd", _CROWD),
    ("exclamative", _EXCLAMATIVE),
    ("general", _GENERAL),
    ("problem", _PROBLEM),
)
