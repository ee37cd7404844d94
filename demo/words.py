"""The demo's words: roles, names, places, and the phrase banks of every kind of post, in en/nl/de.

Texts are ``str.format_map`` templates filled from a story's ``ctx``; banks are keyed by language
(``en``/``nl``/``de``) and fall back to English. Addresses use reserved ``example`` domains.
"""

from __future__ import annotations

CAREERS = "careers@northwindlabs.example"
NO_REPLY = "no-reply@northwindlabs.example"
MAIL_DOMAINS = ("example.com", "example.org", "example.net")

ROLES = (
    "backend engineer",
    "senior backend engineer",
    "frontend developer",
    "data engineer",
    "engineering manager",
    "product designer",
    "site reliability engineer",
    "QA engineer",
    "junior Python developer",
    "platform engineer",
    "mobile developer",
    "data scientist",
)
CITIES = ("Amsterdam", "Berlin")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

RECRUITERS = (
    ("Sanne", "Bakker"),
    ("Jonas", "Weber"),
    ("Priya", "Raman"),
    ("Tom", "Visser"),
    ("Lea", "Hoffmann"),
)

# At least 32 first and 32 last names per language: the cast's unique-name scheme relies on it.
FIRST = {
    "en": (
        "Alex",
        "Priya",
        "Daniel",
        "Maria",
        "James",
        "Sofia",
        "Omar",
        "Emma",
        "Lucas",
        "Chen",
        "Aisha",
        "Mateo",
        "Hannah",
        "Ravi",
        "Olivia",
        "Noah",
        "Yuki",
        "Elena",
        "Samuel",
        "Fatima",
        "Liam",
        "Ana",
        "Ethan",
        "Mei",
        "Tomasz",
        "Chloe",
        "Arjun",
        "Isabel",
        "Kwame",
        "Grace",
        "Diego",
        "Nina",
    ),
    "nl": (
        "Daan",
        "Lotte",
        "Bram",
        "Fleur",
        "Sem",
        "Eva",
        "Thijs",
        "Anouk",
        "Ruben",
        "Lisa",
        "Jesse",
        "Femke",
        "Milan",
        "Iris",
        "Stijn",
        "Noor",
        "Lars",
        "Sophie",
        "Joost",
        "Maud",
        "Tim",
        "Roos",
        "Bas",
        "Esmee",
        "Niels",
        "Zoë",
        "Koen",
        "Julia",
        "Wouter",
        "Emma",
        "Floor",
        "Sven",
    ),
    "de": (
        "Lukas",
        "Anna",
        "Felix",
        "Lena",
        "Jonas",
        "Marie",
        "Leon",
        "Laura",
        "Paul",
        "Sophie",
        "Tim",
        "Julia",
        "Finn",
        "Hannah",
        "Niklas",
        "Lea",
        "Jan",
        "Katharina",
        "Moritz",
        "Clara",
        "Jörg",
        "Sarah",
        "Tobias",
        "Johanna",
        "Max",
        "Lisa",
        "David",
        "Mia",
        "Simon",
        "Carla",
        "Florian",
        "Greta",
    ),
}
LAST = {
    "en": (
        "Smith",
        "Patel",
        "Garcia",
        "Kim",
        "Novak",
        "Rossi",
        "Okafor",
        "Chen",
        "Silva",
        "Kowalski",
        "Nguyen",
        "Brown",
        "Haddad",
        "Fernandes",
        "Murphy",
        "Ivanova",
        "Lopez",
        "Singh",
        "Tanaka",
        "Costa",
        "Walker",
        "Moreau",
        "Mensah",
        "Byrne",
        "Santos",
        "Yilmaz",
        "Hughes",
        "Petrov",
        "Larsen",
        "Romano",
        "Adeyemi",
        "Clarke",
    ),
    "nl": (
        "de Vries",
        "Jansen",
        "de Jong",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van Leeuwen",
        "Dekker",
        "Brouwer",
        "de Wit",
        "Dijkstra",
        "Smits",
        "de Graaf",
        "van der Meer",
        "van den Berg",
        "Kok",
        "Jacobs",
        "Vermeulen",
        "van Dijk",
        "Willems",
        "Hoekstra",
        "Koster",
        "Prins",
        "Huisman",
    ),
    "de": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hofmann",
        "Hartmann",
        "Lange",
        "Schmitt",
        "Werner",
        "Krause",
        "Meier",
        "Lehmann",
        "Schmid",
        "Schulze",
        "Maier",
        "Köhler",
    ),
}
ASCII_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ë": "e", "é": "e", "ï": "i", " ": ""}
)
REDDIT_WORDS = (
    "throwaway",
    "quiet",
    "tired",
    "curious",
    "remote",
    "rusty",
    "sleepy",
    "async",
    "nomad",
    "caffeinated",
    "lurking",
    "grumpy",
)
REDDIT_NOUNS = (
    "dev",
    "otter",
    "coder",
    "pixel",
    "panda",
    "kernel",
    "heron",
    "lambda",
    "gecko",
    "compiler",
    "walrus",
    "tulip",
)

# (name, X handle, followers): journalists and influencers whose posts reach far.
VOICES = (
    ("Dana Okoro", "dana_writes_tech", 182_000),
    ("AMS Startup Wire", "amsstartupwire", 96_500),
    ("Mila Careers Coach", "CareerCoachMila", 243_000),
    ("Hiring Horror Stories", "hiring_horrors", 411_000),
    ("Berlin Tech Weekly", "berlintechweekly", 61_200),
    ("Daan Devrel", "devrel_daan", 58_900),
)

AGENCIES = (
    ("Mark Jensen", "mark.jensen@talentbridge.example", "TalentBridge"),
    ("Olga Brandt", "olga.brandt@hirefast.example", "HireFast Recruiting"),
    ("Kevin Doyle", "kevin@devsourcing.example", "DevSourcing Europe"),
)

VIDEOS = (
    ("k3Hx9LbQ2aE", "A day with our Berlin platform team"),
    ("Qm7vN2pX8sA", "How we hire engineers at Northwind Labs"),
    ("Zt4bW8cR1yU", "Northwind Labs Amsterdam office tour"),
    ("pL9sD3fK6jM", "Meet the team: data engineering"),
    ("Xr2nB7vC5hQ", "Series C: what's next for Northwind Labs"),
    ("cV8mN1zT4wE", "Inside our four-day week pilot"),
    ("Hj5kL0pO9iU", "Backend meetup Berlin: the talks"),
    ("Ww3eR6tY2uI", "Internships at Northwind Labs"),
)

SUBREDDITS = {
    "complaint": ("recruitinghell", "cscareerquestions", "cscareerquestionsEU"),
    "employer": ("cscareerquestionsEU", "ExperiencedDevs", "berlin", "amsterdam"),
    "offtopic": ("amsterdam", "berlin", "Netherlands", "cscareerquestionsEU"),
    "nl": ("thenetherlands", "werkzaken"),
    "de": ("arbeitsleben", "de_EDV"),
}

# Reddit complaint threads: (title, selftext).
REDDIT_COMPLAINTS = {
    "en": (
        (
            "Ghosted by Northwind Labs after the final round",
            "Four rounds for a {role} role in {city}: recruiter call, tech interview, take-home, "
            "final with the team. The final was {weeks} weeks ago. Since then nothing, two "
            "follow-up mails unanswered. Is this normal now?",
        ),
        (
            "Northwind Labs: 4-hour take-home, zero feedback",
            "Spent a whole weekend on their take-home for {role}. Submitted it, got an automatic "
            "'thanks', and that was it. Not even a rejection. I'd like to know what they thought.",
        ),
        (
            "Is it normal to wait 6 weeks after a 'we'll get back to you in two weeks' mail?",
            "Applied to Northwind Labs for {role}. The automatic reply said two weeks. It's been "
            "{weeks} weeks and two e-mails, no answer. Should I just move on?",
        ),
        (
            "Northwind Labs interviewer showed up 20 minutes late, then rushed me out",
            "Final round for {role}. The interviewer joined 20 minutes late, didn't apologise and "
            "ended on time, so I had 25 minutes for a 45-minute case. Rejected two days later.",
        ),
        (
            "Northwind Labs lost my documents. Twice.",
            "Uploaded my diploma and ID through their portal, then again when they asked. Today a "
            "third request. Does anyone know a human to e-mail there?",
        ),
    ),
    "nl": (
        (
            "Geghost door Northwind Labs na de laatste ronde",
            "Vier rondes voor {role} in {city}, laatste gesprek {weeks} weken geleden. Sindsdien "
            "niets, ook niet na twee mails. Is dit normaal?",
        ),
        (
            "Northwind Labs: lange thuisopdracht, geen feedback",
            "Een heel weekend aan hun opdracht voor {role} gewerkt. Automatische bevestiging en "
            "daarna stilte.",
        ),
    ),
    "de": (
        (
            "Nach der finalen Runde von Northwind Labs geghostet",
            "Vier Runden für {role} in {city}, das letzte Gespräch ist {weeks} Wochen her. Seitdem "
            "nichts, auch nicht auf zwei Mails. Ist das normal?",
        ),
        (
            "Northwind Labs: Interviewer 20 Minuten zu spät",
            "Finale Runde für {role}. Der Interviewer kam 20 Minuten zu spät und hat pünktlich "
            "Schluss gemacht. Zwei Tage später die Absage.",
        ),
    ),
}

# Questions with the answer the brand gives when it answers.
QA = {
    "en": (
        (
            "Is the {role} role in {city} open to remote?",
            "the {role} role is hybrid: two days a week in our {city} office, the rest from "
            "anywhere in the EU.",
        ),
        (
            "How long does your hiring process usually take?",
            "usually three to four weeks from application to offer: a recruiter call, a technical "
            "conversation and a final round with the team.",
        ),
        (
            "Do you sponsor visas for the {city} office?",
            "yes, we sponsor work permits for {city} and help with relocation, housing search "
            "included.",
        ),
        (
            "Is there a salary range for the {role} opening?",
            "every ad on our careers page lists the range now; for {role} it's under 'What we "
            "offer'.",
        ),
        (
            "Can I apply for two roles at the same time?",
            "you can! Mention both in your application and the recruiter will find the best fit "
            "with you.",
        ),
        (
            "Do you hire juniors in {city}?",
            "yes, we open junior roles twice a year, in spring and autumn. Follow @NorthwindCareers "
            "for the next round.",
        ),
        (
            "Is Dutch or German required for the {role} position?",
            "no, our working language is English. Dutch or German only helps in a few "
            "customer-facing roles.",
        ),
        (
            "Are you still hiring for {role}? The ad is gone from the careers page.",
            "that one was filled last week, sorry! New {role} openings appear on the careers page "
            "first.",
        ),
        (
            "Is the four-day week from your video real for engineers too?",
            "it's a pilot in two {city} teams for now; we'll share the results in spring.",
        ),
        (
            "Do you offer part-time contracts for {role}?",
            "32 hours is possible for most engineering roles; mention it in the first call.",
        ),
        (
            "What does the technical interview for {role} look like?",
            "a 60-minute pairing session on a small real problem, no leetcode, no whiteboard.",
        ),
    ),
    "nl": (
        (
            "Is de functie {role} in {city} ook remote mogelijk?",
            "de functie is hybride: twee dagen per week op ons kantoor in {city}, de rest waar je "
            "wilt binnen de EU.",
        ),
        (
            "Hoe lang duurt jullie sollicitatieprocedure meestal?",
            "meestal drie tot vier weken: een gesprek met de recruiter, een technisch gesprek en "
            "een laatste ronde met het team.",
        ),
        (
            "Is Nederlands verplicht voor de functie {role}?",
            "nee, onze voertaal is Engels. Nederlands is alleen een pré voor een paar klantgerichte "
            "functies.",
        ),
        (
            "Staat er een salarisindicatie bij de vacature voor {role}?",
            "ja, elke vacature op onze careers-pagina noemt nu de salarisrange, onder 'Wat wij "
            "bieden'.",
        ),
        (
            "Kan ik parttime werken als {role}?",
            "32 uur is bij de meeste engineeringfuncties mogelijk. Noem het gerust in het eerste "
            "gesprek.",
        ),
    ),
    "de": (
        (
            "Ist die Stelle als {role} in {city} auch remote möglich?",
            "die Stelle ist hybrid: zwei Tage pro Woche im Büro in {city}, sonst remote innerhalb "
            "der EU.",
        ),
        (
            "Wie lange dauert euer Bewerbungsprozess normalerweise?",
            "meistens drei bis vier Wochen: ein Gespräch mit dem Recruiting, ein technisches "
            "Gespräch und eine finale Runde mit dem Team.",
        ),
        (
            "Muss man für die Stelle als {role} Deutsch sprechen?",
            "nein, unsere Arbeitssprache ist Englisch. Deutsch ist nur bei wenigen Rollen mit "
            "Kundenkontakt ein Plus.",
        ),
        (
            "Gibt es eine Gehaltsspanne für die Stelle als {role}?",
            "ja, jede Anzeige auf unserer Karriereseite nennt jetzt die Spanne, unter 'Was wir "
            "bieten'.",
        ),
        (
            "Bietet ihr für {role} auch Teilzeit an?",
            "32 Stunden sind bei den meisten Engineering-Rollen möglich. Sprich es gern im ersten "
            "Gespräch an.",
        ),
    ),
}

# Requests with the brand's promise and its deadline in days.
REQUESTS = {
    "en": (
        (
            "Please send me feedback on my interview for {role}. I'd really like to learn from it.",
            "fair ask. We're collecting the panel's notes and you'll hear from us within 5 working "
            "days.",
            7,
        ),
        (
            "Could someone check my application for {role}? I think it went to the wrong team.",
            "we're checking with the hiring team and will DM you tomorrow.",
            1,
        ),
        (
            "Can you send the take-home assignment again? The link expired before I opened it.",
            "sorry about that! We'll DM you a fresh link tomorrow.",
            1,
        ),
        (
            "Could you move my interview? The invite came for a day I'm on a plane.",
            "no problem, we'll DM you new slots tomorrow.",
            1,
        ),
        (
            "I'd like my data removed from your applicant system, please.",
            "of course. We'll confirm the deletion within two weeks.",
            14,
        ),
        (
            "When will I hear back about my {role} interview? It was {days} days ago.",
            "sorry for the wait! The panel meets this week, you'll hear from us within 5 working "
            "days.",
            7,
        ),
    ),
    "nl": (
        (
            "Kunnen jullie me feedback geven op mijn gesprek voor {role}?",
            "terechte vraag. We verzamelen de notities van het panel en je hoort binnen 5 werkdagen "
            "van ons.",
            7,
        ),
        (
            "Kan iemand naar mijn sollicitatie kijken? Volgens mij is die bij het verkeerde team "
            "beland.",
            "we checken het bij het team en sturen je morgen een DM.",
            1,
        ),
    ),
    "de": (
        (
            "Könnt ihr mir bitte Feedback zu meinem Interview für {role} geben?",
            "verständlicher Wunsch. Wir sammeln die Notizen des Panels, du hörst innerhalb von 5 "
            "Werktagen von uns.",
            7,
        ),
        (
            "Der Link zur Coding-Aufgabe ist abgelaufen, könnt ihr ihn neu schicken?",
            "sorry! Wir schicken dir morgen per DM einen neuen Link.",
            1,
        ),
    ),
}

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaint": {
        "en": (
            "Ghosted after the final round for {role}. {weeks} weeks now, not a single word.",
            "My interviewer was 20 minutes late and then cut the interview short. Not great.",
            "You lost my documents twice and now ask me to upload them again. Seriously?",
            "Applied {weeks} weeks ago, got the automatic 'we'll get back to you within two "
            "weeks' mail, then nothing.",
            "Did a 4-hour take-home for {role}. No feedback, not even a rejection.",
            "Your recruiter promised to call me yesterday. No call, no mail.",
            "Rejected three minutes after applying. Did a human even read my CV?",
            "Third interview rescheduled by your side. I took a day off for this one.",
            "Five interview rounds for {role} and then a one-line rejection. Really?",
        ),
        "nl": (
            "Na de laatste ronde voor {role} nooit meer iets gehoord. Al {weeks} weken niks.",
            "Mijn interviewer was 20 minuten te laat en kapte het gesprek daarna af. Niet netjes.",
            "{weeks} weken geleden gesolliciteerd, automatische mail 'binnen twee weken hoor "
            "je van ons' en daarna niets meer.",
        ),
        "de": (
            "Nach der finalen Runde für {role} nichts mehr gehört. Seit {weeks} Wochen kein Wort.",
            "Mein Interviewer kam 20 Minuten zu spät und hat das Gespräch dann abgekürzt. Nicht "
            "okay.",
            "Ihr habt meine Unterlagen zweimal verloren und jetzt soll ich alles nochmal "
            "hochladen?",
        ),
    },
    "hi": {
        "en": ("Hi {first}, ", "Hey {first}, ", "Hi {first}! "),
        "nl": ("Hoi {first}, ", "Hi {first}, "),
        "de": ("Hallo {first}, ", "Hi {first}, "),
    },
    "hi_late": {
        "en": ("Hi {first}, sorry for the slow reply. ", "Hi {first}, apologies for the wait. "),
        "nl": ("Hoi {first}, sorry voor de late reactie. ",),
        "de": ("Hallo {first}, sorry für die späte Antwort. ",),
    },
    "apology": {
        "en": (
            "that's not the experience we want anyone to have, sorry. We've passed it on to "
            "the hiring team.",
            "really sorry about this. We're looking into what went wrong.",
            "thanks for telling us, and sorry. This shouldn't happen.",
        ),
        "nl": ("sorry, zo hoort het niet te gaan. We hebben het doorgegeven aan het team.",),
        "de": ("sorry, so sollte es nicht laufen. Wir haben es an das Team weitergegeben.",),
    },
    "to_mail": {
        "en": (
            "sorry to hear that. Could you e-mail careers@northwindlabs.example with your "
            "name and the role? We'll pick it up there.",
            "that's not how it should go. Please e-mail careers@northwindlabs.example so we "
            "can look into it privately; we'll pick it up there.",
        ),
        "nl": (
            "sorry, zo hoort het niet. Wil je mailen naar careers@northwindlabs.example met "
            "je naam en de functie? Dan pakken we het daar op.",
        ),
        "de": (
            "sorry, so sollte es nicht laufen. Schreib uns bitte an "
            "careers@northwindlabs.example mit Namen und Stelle, wir kümmern uns dort "
            "darum.",
        ),
    },
    "promise_dm": {
        "en": (
            "sorry, that shouldn't happen. We're checking with the team and will DM you tomorrow.",
            "thanks for flagging. We'll DM you tomorrow with an update.",
        ),
        "nl": (
            "sorry, dat had niet mogen gebeuren. We zoeken het uit en sturen je morgen een DM.",
        ),
        "de": (
            "sorry, das hätte nicht passieren dürfen. Wir klären das und schreiben dir "
            "morgen per DM.",
        ),
    },
    "kept": {
        "en": (
            "as promised: we've sent you a DM with the details.",
            "just sent you a DM with an update. Thanks for your patience!",
        ),
        "nl": ("zoals beloofd: we hebben je een DM gestuurd met de details.",),
        "de": ("wie versprochen: wir haben dir eine DM mit den Details geschickt.",),
    },
    "late_dm": {
        "en": ("we've now sent you a DM. We should have done that sooner.",),
        "nl": ("we hebben je nu een DM gestuurd. Dat had eerder gemoeten.",),
        "de": ("wir haben dir jetzt eine DM geschickt. Das hätte früher passieren sollen.",),
    },
    "chase1": {
        "en": (
            "Any update?",
            "Any news on this?",
            "Hello? Anyone?",
            "Still waiting...",
            "Bumping this.",
        ),
        "nl": ("Nog nieuws?", "Nog steeds geen reactie...", "Hallo? Iemand?"),
        "de": ("Gibt es was Neues?", "Immer noch keine Antwort...", "Hallo? Jemand da?"),
    },
    "chase2": {
        "en": (
            "Still waiting... it's been {days} days.",
            "Bumping this again. Still no answer.",
            "Hello? It's been {days} days.",
        ),
        "nl": ("Hallo? Het is al {days} dagen geleden.", "Nog steeds niks gehoord."),
        "de": ("Hallo? Sind jetzt schon {days} Tage.", "Immer noch nichts gehört."),
    },
    "chase3": {
        "en": ("Third time asking. Is anyone reading this?", "Third time asking: any update?"),
        "nl": ("Voor de derde keer: is er al nieuws?",),
        "de": ("Zum dritten Mal: gibt es ein Update?",),
    },
    "chase_new": {
        "en": (
            "Asked you {days} days ago about my {role} application. Still no answer. Is "
            "anyone reading these?",
            "Second time asking: what's the status of my {role} application? Nothing since "
            "{days} days.",
        ),
        "nl": (
            "{days} dagen geleden al gevraagd hoe het met mijn sollicitatie voor {role} "
            "staat. Nog steeds geen antwoord.",
        ),
        "de": (
            "Vor {days} Tagen nach meiner Bewerbung als {role} gefragt. Immer noch keine "
            "Antwort. Liest das hier jemand?",
        ),
    },
    "chase_promise": {
        "en": (
            "You said you'd get back to me {when}. Still nothing.",
            "Still waiting for the update you promised. It's been {days} days.",
        ),
        "nl": ("Jullie zouden {when} reageren. Nog steeds niks.",),
        "de": ("Ihr wolltet euch {when} melden. Immer noch nichts.",),
    },
    "thanks": {
        "en": (
            "Thanks, that helps!",
            "Great, thank you!",
            "Thanks for getting back to me 🙏",
            "Appreciate it, thanks.",
            "Thanks! Good to know.",
        ),
        "nl": ("Top, bedankt!", "Dank je, dat helpt."),
        "de": ("Danke, das hilft!", "Super, vielen Dank!"),
    },
    "praise": {
        "en": (
            "Love the team at Northwind! Best interview experience I've had in years.",
            "First week at Northwind Labs {city} done. Kind people, real code, no nonsense.",
            "Shoutout to the Northwind recruiters: clear timeline, honest feedback, even "
            "with a rejection.",
            "Got rejected by Northwind Labs but with proper feedback. More companies should "
            "do this.",
            "The Northwind Labs post on their deploy pipeline is excellent reading.",
        ),
        "nl": (
            "Wat een fijn team bij Northwind Labs in {city}. Beste sollicitatie ooit.",
            "Eerste week bij Northwind Labs zit erop. Toffe collega's!",
        ),
        "de": (
            "Tolles Team bei Northwind Labs! Bester Bewerbungsprozess seit Langem.",
            "Erste Woche bei Northwind Labs in {city} geschafft. Super Leute.",
        ),
    },
    "thank_back": {
        "en": ("thank you, that means a lot to the team!", "thanks! We'll pass this on 💙"),
        "nl": ("dank je wel, dat doet het team goed!",),
        "de": ("danke, das freut das ganze Team!",),
    },
    "noise": {
        "en": (
            "The coffee at the Northwind Labs office in Zuidas is dangerously good.",
            "Walked past the Northwind Labs office in Kreuzberg, that mural is huge.",
            "Using Northwind's open-source SDK for my thesis. Neat docs.",
            "Northwind Labs hoodies everywhere at the conference today.",
            "Northwind Labs sponsoring the local hackathon again, nice.",
        ),
        "nl": ("Het Northwind Labs-kantoor op de Zuidas heeft echt de beste koffie.",),
        "de": ("Das Wandbild am Northwind Labs Büro in Kreuzberg ist riesig.",),
    },
    "rhetorical": {
        "en": (
            "Why does every company, Northwind Labs included, need five interview rounds "
            "these days?",
            "Who decided take-home assignments should eat a whole weekend? Looking at you, "
            "Northwind.",
            "Why do job ads like Northwind's say 'competitive salary' instead of a number?",
        ),
        "nl": ("Waarom hebben bedrijven als Northwind Labs tegenwoordig vijf rondes nodig?",),
        "de": ("Warum brauchen Firmen wie Northwind Labs eigentlich fünf Interviewrunden?",),
    },
    "crowd": {
        "en": (
            "Starting at Northwind Labs in {city} next month. Which neighbourhood is good "
            "for a family?",
            "Anyone know a good Dutch course in Amsterdam? Starting at Northwind Labs soon.",
            "Moving to {city} for a job at Northwind Labs. Tips for finding a flat that isn't "
            "a scam?",
            "Has anyone done the Northwind Labs interview recently? How was the system "
            "design round?",
        ),
        "nl": (
            "Ik begin volgende maand bij Northwind Labs. Tips voor een fietsroute naar de Zuidas?",
        ),
        "de": ("Fange bald bei Northwind Labs in Berlin an. Welcher Kiez ist gut mit Kindern?",),
    },
    "crowd_reply": {
        "en": (
            "Oost or De Pijp, both great with kids.",
            "Good luck with the housing market...",
            "Did it last spring, the system design round was fair.",
            "Following, curious too.",
            "Try the UvA summer course, worked for me.",
            "Congrats on the new job!",
            "Prenzlauer Berg if you can afford it, Wedding if you can't.",
        ),
        "nl": ("Gefeliciteerd!", "Via het Vondelpark, altijd.", "Succes met de woningmarkt..."),
        "de": ("Glückwunsch!", "Friedrichshain ist super mit Kindern.", "Viel Erfolg!"),
    },
    "op_reply": {
        "en": (
            "Yeah, two mails so far, nothing.",
            "Thanks, I'll try that.",
            "Exactly, it's exhausting.",
            "Appreciate it.",
            "Tried that too, no luck.",
        ),
        "nl": ("Ja, al twee mails gestuurd, niks.", "Dank je, ga ik proberen."),
        "de": ("Ja, schon zwei Mails geschrieben, nichts.", "Danke, probiere ich."),
    },
    "sympathy": {
        "en": (
            "Same here, applied in spring and nothing since.",
            "Name and shame, good.",
            "This is sadly normal these days.",
            "Happened to me elsewhere too. Hope they answer you.",
            "Ugh, sorry. Did you try e-mailing the recruiter directly?",
            "Same experience last year with Northwind.",
        ),
        "nl": ("Herkenbaar, bij mij precies hetzelfde.", "Balen, sterkte!"),
        "de": ("Kenne ich, war bei mir genauso.", "Mies, sorry. Viel Glück!"),
    },
    "news": {
        "en": (
            "Northwind Labs raises €60M Series C and plans to hire 200 engineers in Amsterdam "
            "and Berlin.",
            "Northwind Labs opens a second Berlin office in Kreuzberg.",
            "Amsterdam-based Northwind Labs ranked among the top places to work in Dutch tech.",
            "Northwind Labs pilots a four-day week for two engineering teams.",
        ),
        "nl": ("Northwind Labs haalt 60 miljoen euro op en wil 200 engineers aannemen.",),
        "de": ("Northwind Labs eröffnet ein zweites Büro in Berlin-Kreuzberg.",),
    },
    "news_reply": {
        "en": (
            "Maybe use some of it to answer candidates.",
            "Congrats to the team!",
            "Hope that means they'll finally reply to applications.",
            "Interesting, I interviewed there last year.",
            "200 engineers? Their recruiters can't even answer 20 mails.",
        ),
        "nl": ("Mooi, gefeliciteerd!", "Misschien eerst sollicitanten antwoorden?"),
        "de": ("Glückwunsch!", "Vielleicht erstmal Bewerbungen beantworten?"),
    },
    "job_ad": {
        "en": (
            "We're hiring a {role} in {city}: hybrid, visa sponsorship, salary range in the "
            "ad. Apply: https://northwindlabs.example/careers",
            "New opening: {role} ({city}). Small team, real ownership, 32-hour weeks "
            "possible. https://northwindlabs.example/careers",
        ),
        "nl": (
            "We zoeken een {role} in {city}! Hybride, salarisrange in de vacature. "
            "https://northwindlabs.example/careers",
        ),
        "de": (
            "Wir suchen eine*n {role} in {city}: hybrid, Visa-Support, Gehaltsspanne in der "
            "Anzeige. https://northwindlabs.example/careers",
        ),
    },
    "event": {
        "en": (
            "Join us on {weekday} at our {city} office for a backend meetup: two talks, pizza "
            "and Q&A with our engineers. https://northwindlabs.example/events",
            "Open office evening in {city} this {weekday}: meet the team, see how we work. "
            "https://northwindlabs.example/events",
        ),
    },
    "video_post": {
        "en": (
            "New video: a day with our {city} platform team, from stand-up to deploy. "
            "https://youtu.be/{video}",
            "How do we hire? Our recruiters explain every step. https://youtu.be/{video}",
        ),
    },
    "brand_news": {
        "en": (
            "Big news: we've raised our Series C! More teams, more roles and a second office "
            "in Berlin. We're hiring: https://northwindlabs.example/careers",
        ),
    },
    "ad_reply": {
        "en": (
            "@{friend} this one's for you",
            "Applied!",
            "Sounds great, sharing with my team.",
            "Is this the same role that's been open for six months?",
        ),
        "nl": (
            "@{friend} iets voor jou?",
            "Gesolliciteerd!",
            "Klinkt goed, gedeeld met mijn team.",
        ),
        "de": ("@{friend} wäre das was für dich?", "Beworben!", "Klingt gut, teile ich weiter."),
    },
    "yt_noise": {
        "en": (
            "first",
            "What's the song at 2:14?",
            "Who's watching this the night before their interview?",
            "The office dog deserves a raise.",
            "Great editing on this one.",
        ),
    },
    "yt_noise_reply": {
        "en": ("Haha same.", "Came here to say this.", "Right?!", "😂", "Good luck tomorrow!")
    },
    "yt_same": {"en": ("Same question here!", "Following, I'd like to know too.", "+1")},
    "yt_agree": {"en": ("So true.", "Agreed!", "Same experience here.", "Nice to hear!")},
    "mail_hi": {
        "en": ("Dear Northwind Labs team,", "Hi,", "Hello,", "Dear recruiting team,"),
        "nl": ("Beste recruiter,", "Hallo,"),
        "de": ("Liebes Recruiting-Team,", "Hallo,"),
    },
    "mail_bye": {
        "en": ("Kind regards,", "Best,", "Thanks,", "Best regards,"),
        "nl": ("Met vriendelijke groet,", "Groet,"),
        "de": ("Viele Grüße,", "Beste Grüße,"),
    },
    "brand_hi": {
        "en": ("Hi {first},", "Dear {first},"),
        "nl": ("Hoi {first},",),
        "de": ("Hallo {first},",),
    },
    "brand_bye": {
        "en": ("Best regards,", "Kind regards,", "Best,"),
        "nl": ("Groet,",),
        "de": ("Viele Grüße,",),
    },
    "application": {
        "en": (
            "I'd like to apply for the {role} position in {city}. I have {years} years of "
            "experience with Python and distributed systems, most recently at a logistics "
            "scale-up. My CV is attached through your careers form.\n\nI'm available for a "
            "call most weekdays.",
            "Please find my application for the {role} role in {city}. I've spent {years} "
            "years building data-heavy products and would love to do that at Northwind "
            "Labs.",
        ),
        "nl": (
            "Hierbij solliciteer ik naar de functie {role} in {city}. Ik heb {years} jaar "
            "ervaring met Python en cloudplatformen. Mijn cv heb ik via het formulier "
            "geüpload.",
        ),
        "de": (
            "hiermit bewerbe ich mich auf die Stelle als {role} in {city}. Ich habe {years} "
            "Jahre Erfahrung mit Python und verteilten Systemen. Meinen Lebenslauf habe ich "
            "über das Formular hochgeladen.",
        ),
    },
    "app_subject": {
        "en": ("Application: {role} ({city})", "Application for {role}, {city}"),
        "nl": ("Sollicitatie: {role} ({city})",),
        "de": ("Bewerbung als {role} ({city})",),
    },
    "auto_reply": {
        "en": (
            "Thank you for applying for the {role} role at Northwind Labs. We have received "
            "your application and we'll get back to you within two weeks.\n\nThis is an "
            "automatic message, please do not reply to it.\n\nNorthwind Labs Talent Team",
        ),
    },
    "invite": {
        "en": (
            "Thanks for your application for {role}. We'd love to get to know you! Could you "
            "pick a slot for a 30-minute call with me? "
            "https://northwindlabs.example/book/{slug}",
            "Your profile looks like a great match for our {role} opening. Are you free for "
            "a first call this week? You can book a time here: "
            "https://northwindlabs.example/book/{slug}",
        ),
    },
    "reject_feedback": {
        "en": (
            "Thank you for your time with the team. We've decided not to move forward for "
            "the {role} role. The panel liked your structured approach to the pairing "
            "exercise, but we're looking for more hands-on experience with operating "
            "services in production. Please don't hesitate to apply again next year.",
        ),
    },
    "reject": {
        "en": (
            "Thank you for your interest in Northwind Labs. After careful consideration we "
            "have decided to proceed with other candidates for the {role} position. We wish "
            "you every success in your search.",
        ),
        "nl": (
            "Bedankt voor je interesse in Northwind Labs. Na zorgvuldige overweging hebben "
            "we besloten verder te gaan met andere kandidaten voor de functie {role}.",
        ),
        "de": (
            "vielen Dank für dein Interesse an Northwind Labs. Nach sorgfältiger Prüfung "
            "haben wir uns für andere Kandidat*innen für die Stelle als {role} entschieden.",
        ),
    },
    "slot_reply": {
        "en": (
            "Thanks! I've booked Thursday at 10:00. Looking forward to it.",
            "Great, I picked a slot for Tuesday afternoon. Talk soon!",
        ),
        "nl": ("Dank je! Ik heb donderdag 10:00 geboekt.",),
        "de": ("Danke! Ich habe mir Donnerstag um 10 Uhr gebucht.",),
    },
    "mail_chase1": {
        "en": (
            "I applied for the {role} position on {date} and received your automatic reply "
            "saying you'd get back to me within two weeks. It has now been {weeks} weeks. "
            "Could you let me know the status?",
            "I'm following up on my application for {role} from {date}. Is there any news?",
        ),
        "nl": (
            "Ik heb op {date} gesolliciteerd naar de functie {role}. Volgens de automatische "
            "mail zou ik binnen twee weken iets horen; het is nu {weeks} weken later. Is er "
            "al nieuws?",
        ),
        "de": (
            "ich habe mich am {date} als {role} beworben. Laut eurer automatischen Antwort "
            "solltet ihr euch innerhalb von zwei Wochen melden, jetzt sind es {weeks} "
            "Wochen. Gibt es schon Neuigkeiten?",
        ),
    },
    "mail_chase2": {
        "en": (
            "This is the third time I'm asking about my application for {role}. Is anyone "
            "reading this mailbox?",
            "Still waiting to hear back about {role}. A short status update would be enough.",
        ),
        "nl": (
            "Dit is de derde keer dat ik vraag naar mijn sollicitatie voor {role}. Leest "
            "iemand deze mailbox?",
        ),
        "de": (
            "ich frage jetzt zum dritten Mal nach meiner Bewerbung als {role}. Liest jemand "
            "dieses Postfach?",
        ),
    },
    "mail_chase_promise": {
        "en": ("You wrote that I'd hear from you {when}. That was a while ago. Any update?",),
        "nl": ("Jullie schreven dat ik {when} iets zou horen. Is er al nieuws?",),
        "de": ("ihr hattet geschrieben, dass ich {when} etwas höre. Gibt es ein Update?",),
    },
    "mail_feedback_reject": {
        "en": (
            "I received the rejection for {role}, thank you for letting me know. Could you "
            "share any feedback from the interviews?",
        ),
        "nl": ("Bedankt voor het bericht over {role}. Kunnen jullie me nog feedback geven?",),
        "de": (
            "danke für die Rückmeldung zur Stelle als {role}. Könnt ihr mir noch ein kurzes "
            "Feedback geben?",
        ),
    },
    "mail_feedback": {
        "en": (
            "Thank you for the final interview on {date}. Whatever the outcome, could you "
            "send me some feedback? It would really help me.",
            "Thanks again for the interview on {date}. Could you tell me how it went and "
            "what I could do better?",
        ),
        "nl": (
            "Bedankt voor het gesprek op {date}. Zouden jullie me feedback kunnen geven, "
            "wat de uitkomst ook is?",
        ),
        "de": (
            "danke für das Gespräch am {date}. Könntet ihr mir, egal wie es ausgeht, ein "
            "kurzes Feedback geben?",
        ),
    },
    "mail_promise": {
        "en": (
            "thank you for your patience. We're collecting the feedback from the panel and "
            "you'll hear from us within 5 working days.",
            "thanks for following up. I'm checking with the hiring manager and will get back "
            "to you within 5 working days.",
        ),
        "nl": (
            "bedankt voor je geduld. We verzamelen de feedback en je hoort binnen 5 "
            "werkdagen van ons.",
        ),
        "de": (
            "danke für deine Geduld. Wir sammeln das Feedback, du hörst innerhalb von 5 "
            "Werktagen von uns.",
        ),
    },
    "mail_kept": {
        "en": (
            "As promised, here is the panel's feedback: they liked how you broke the problem "
            "down and how clearly you talked through trade-offs. The gap was depth in "
            "database performance work. We hope this helps.",
            "Following up as promised: the hiring manager would like to invite you to the "
            "final round. I'll send two options for next week.",
        ),
    },
    "mail_complaint": {
        "en": (
            "I uploaded my documents twice through your portal and today I was asked again "
            "for my diploma and ID. Please confirm you have them now.",
            "My interview for {role} on {date} started 20 minutes late and was then cut short "
            "because the interviewer had another meeting. I'd like to know how this will be "
            "evaluated.",
            "I completed the take-home for {role} three weeks ago and have not heard "
            "anything since.",
        ),
        "nl": (
            "Ik heb mijn documenten al twee keer geüpload en word nu weer gevraagd om mijn "
            "diploma en ID. Kunnen jullie bevestigen dat jullie ze hebben?",
        ),
        "de": (
            "ich habe meine Unterlagen zweimal hochgeladen und soll sie jetzt erneut "
            "schicken. Könnt ihr bitte bestätigen, dass sie angekommen sind?",
        ),
    },
    "mail_apology": {
        "en": (
            "I'm sorry about this, it's not how we want to treat candidates. I've shared it "
            "with the hiring team and asked them to look at your case today.",
            "thank you for raising this. I've spoken to the team; your "
            "application is with the hiring manager now and you'll hear from them "
            "directly.",
        ),
        "nl": (
            "sorry hiervoor, zo willen we niet met kandidaten omgaan. Ik heb het met het "
            "team besproken en je sollicitatie ligt nu bij de hiring manager.",
        ),
        "de": (
            "das tut mir leid, so wollen wir nicht mit Bewerber*innen umgehen. Ich habe es "
            "mit dem Team besprochen, deine Bewerbung liegt jetzt beim Hiring Manager.",
        ),
    },
    "from_channel": {
        "en": (
            "Your team asked me on {where} to e-mail you, so here it is. ",
            "Following up here as your colleague suggested on {where}. ",
        ),
        "nl": ("Jullie vroegen me op {where} om te mailen, dus bij dezen. ",),
        "de": ("Ihr habt mich auf {where} gebeten, euch zu mailen, also hier. ",),
    },
    "from_channel_subject": {
        "en": ("Following up from {where}: my application", "Our conversation on {where}"),
        "nl": ("Naar aanleiding van {where}",),
        "de": ("Nachricht wegen {where}",),
    },
    "mail_late": {
        "en": ("Apologies for the slow reply. ",),
        "nl": ("Sorry voor de late reactie. ",),
        "de": ("Entschuldige die späte Antwort. ",),
    },
    "agency": {
        "en": (
            "We have three senior Python engineers available now, all open to Amsterdam or "
            "Berlin. Shall I send their profiles? Our fee is 18% of the first-year salary.",
            "Struggling to fill your {role} opening? Our pre-vetted candidates can start in "
            "four weeks. Book a call: https://calendar.example/intro",
        ),
    },
    "agency_subject": {"en": ("Top Python talent available now", "Filling your {role} role")},
    "ooo": {
        "en": (
            "I'm out of the office until {weekday} with limited access to e-mail. I'll reply "
            "when I'm back.",
        ),
        "nl": ("Ik ben afwezig tot {weekday} en lees mijn mail beperkt.",),
        "de": ("Ich bin bis {weekday} nicht im Büro und lese E-Mails nur eingeschränkt.",),
    },
    "thank_note": {
        "en": (
            "Thanks for the call today, it was great to learn more about the team. Looking "
            "forward to the next steps!",
        ),
        "nl": ("Bedankt voor het gesprek vandaag, leuk om meer over het team te horen!",),
        "de": ("danke für das Gespräch heute, es war schön, mehr über das Team zu erfahren!",),
    },
    "mail_question": {
        "en": ("Question about the {role} role", "Question: {role} in {city}"),
        "nl": ("Vraag over de functie {role}",),
        "de": ("Frage zur Stelle als {role}",),
    },
    "mail_feedback_subject": {
        "en": ("Feedback on my interview", "Interview feedback, {role}"),
        "nl": ("Feedback op mijn gesprek",),
        "de": ("Feedback zum Interview",),
    },
    "mail_complaint_subject": {
        "en": ("My documents", "About my interview on {date}", "Take-home assignment {role}"),
        "nl": ("Mijn documenten",),
        "de": ("Meine Unterlagen",),
    },
    "chase_subject": {
        "en": ("Still waiting: application {role}", "Follow-up: {role} application"),
        "nl": ("Nog steeds geen reactie: {role}",),
        "de": ("Nachfrage: Bewerbung als {role}",),
    },
    "r_employer_title": {
        "en": (
            "Northwind Labs Berlin: anyone work there? How's the work-life balance?",
            "Northwind Labs interview process for senior backend?",
            "Northwind Labs vs. a big bank in Amsterdam, which offer would you take?",
            "What's the salary range at Northwind Labs for mid-level engineers?",
        ),
        "nl": ("Ervaringen met Northwind Labs als werkgever?",),
        "de": ("Erfahrungen mit Northwind Labs als Arbeitgeber?",),
    },
    "r_employer_body": {
        "en": (
            "Got an offer from them and trying to get a feel for the place before I sign.",
            "I have the first interview next week. Anything I should know?",
        ),
        "nl": ("Ik heb volgende week een gesprek. Iemand ervaring?",),
        "de": ("Ich habe nächste Woche ein Gespräch. Hat jemand Erfahrungen?",),
    },
    "r_employer_reply": {
        "en": (
            "Worked there two years. Good engineering culture, recruiting is slow though.",
            "Interviewed last spring: fair process, but it took five weeks to hear back.",
            "Pay is okay for Amsterdam, not great. Team was lovely.",
            "My friend is there and likes it. The four-day week pilot is real.",
            "Avoid if you hate meetings, otherwise solid.",
        ),
        "nl": ("Vriend van me werkt er, is heel positief.", "Goede sfeer, trage recruiters."),
        "de": ("Ein Kollege ist dort, ist zufrieden.", "Gute Kultur, aber langsames Recruiting."),
    },
    "r_question_title": {
        "en": (
            "Northwind Labs recruiters on here? Question about the {role} role",
            "Question for Northwind Labs about their {city} office",
        ),
        "nl": ("Vraag aan Northwind Labs over de functie {role}",),
        "de": ("Frage an Northwind Labs zur Stelle als {role}",),
    },
    "r_praise_title": {
        "en": ("Shout-out: the smoothest interview process I've had (Northwind Labs)",),
        "nl": ("Compliment voor het sollicitatieproces van Northwind Labs",),
        "de": ("Lob an Northwind Labs für den Bewerbungsprozess",),
    },
    "r_offtopic_title": {
        "en": (
            "Best neighbourhoods near Zuidas? (new job at Northwind Labs)",
            "Quiet coworking spaces in Kreuzberg? My office (Northwind Labs) is loud",
            "Dutch lessons that fit around a full-time job?",
        ),
    },
    "r_update": {
        "en": (
            "Update: still nothing from them, {days} days later.",
            "Update: e-mailed as they asked. Radio silence since.",
        ),
        "nl": ("Update: nog steeds niks gehoord, {days} dagen later.",),
        "de": ("Update: immer noch nichts, {days} Tage später.",),
    },
    "r_done": {
        "en": ("Done, sent you an e-mail.", "E-mailed you just now, thanks."),
        "nl": ("Gedaan, mail is verstuurd.",),
        "de": ("Erledigt, Mail ist raus.",),
    },
}

WHEN = {
    "en": {1: "the next day", 7: "within 5 working days", 14: "within two weeks"},
    "nl": {1: "de volgende dag", 7: "binnen 5 werkdagen", 14: "binnen twee weken"},
    "de": {1: "am nächsten Tag", 7: "innerhalb von 5 Werktagen", 14: "innerhalb von zwei Wochen"},
}
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}
