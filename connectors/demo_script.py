"""The demo workspace's script: the cast, their words, and the stories they act out.

A story is one short conversation about the fictional employer "Northwind Labs" (a question and
its answer, a complaint moved from X to e-mail, an application followed by silence), told as
platform-neutral ``Line`` values: who says what, when, in reply to which line. ``demo_payloads``
turns lines into X, Reddit, YouTube and e-mail payloads, so nothing here knows JSON or MIME.

Texts are ``str.format_map`` templates filled from a story's ``ctx``; banks are keyed by language
(``en``/``nl``/``de``) and fall back to English. Every choice comes from the ``random.Random``
the caller passes in, so one seed gives one workspace. Addresses use reserved ``example`` domains.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

CAREERS = "careers@northwindlabs.example"
NO_REPLY = "no-reply@northwindlabs.example"
CAREERS_URL = "https://northwindlabs.example/careers"
MAIL_DOMAINS = ("example.com", "example.org", "example.net")

ROLES = ("backend engineer", "senior backend engineer", "frontend developer", "data engineer",
         "engineering manager", "product designer", "site reliability engineer", "QA engineer",
         "junior Python developer", "platform engineer", "mobile developer", "data scientist")
CITIES = ("Amsterdam", "Berlin")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

RECRUITERS = (("Sanne", "Bakker"), ("Jonas", "Weber"), ("Priya", "Raman"), ("Tom", "Visser"),
              ("Lea", "Hoffmann"))

# At least 32 first and 32 last names per language: the cast's unique-name scheme relies on it.
FIRST = {
    "en": ("Alex", "Priya", "Daniel", "Maria", "James", "Sofia", "Omar", "Emma", "Lucas", "Chen",
           "Aisha", "Mateo", "Hannah", "Ravi", "Olivia", "Noah", "Yuki", "Elena", "Samuel",
           "Fatima", "Liam", "Ana", "Ethan", "Mei", "Tomasz", "Chloe", "Arjun", "Isabel", "Kwame",
           "Grace", "Diego", "Nina"),
    "nl": ("Daan", "Lotte", "Bram", "Fleur", "Sem", "Eva", "Thijs", "Anouk", "Ruben", "Lisa",
           "Jesse", "Femke", "Milan", "Iris", "Stijn", "Noor", "Lars", "Sophie", "Joost", "Maud",
           "Tim", "Roos", "Bas", "Esmee", "Niels", "Zoë", "Koen", "Julia", "Wouter", "Emma",
           "Floor", "Sven"),
    "de": ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Leon", "Laura", "Paul", "Sophie",
           "Tim", "Julia", "Finn", "Hannah", "Niklas", "Lea", "Jan", "Katharina", "Moritz",
           "Clara", "Jörg", "Sarah", "Tobias", "Johanna", "Max", "Lisa", "David", "Mia", "Simon",
           "Carla", "Florian", "Greta"),
}
LAST = {
    "en": ("Smith", "Patel", "Garcia", "Kim", "Novak", "Rossi", "Okafor", "Chen", "Silva",
           "Kowalski", "Nguyen", "Brown", "Haddad", "Fernandes", "Murphy", "Ivanova", "Lopez",
           "Singh", "Tanaka", "Costa", "Walker", "Moreau", "Mensah", "Byrne", "Santos", "Yilmaz",
           "Hughes", "Petrov", "Larsen", "Romano", "Adeyemi", "Clarke"),
    "nl": ("de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
           "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
           "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van den Berg",
           "Kok", "Jacobs", "Vermeulen", "van Dijk", "Willems", "Hoekstra", "Koster", "Prins",
           "Huisman"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
           "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler"),
}
ASCII_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ë": "e", "é": "e",
                            "ï": "i", " ": ""})
REDDIT_WORDS = ("throwaway", "quiet", "tired", "curious", "remote", "rusty", "sleepy", "async",
                "nomad", "caffeinated", "lurking", "grumpy")
REDDIT_NOUNS = ("dev", "otter", "coder", "pixel", "panda", "kernel", "heron", "lambda", "gecko",
                "compiler", "walrus", "tulip")

# (name, X handle, followers): journalists and influencers whose posts reach far.
VOICES = (("Dana Okoro", "dana_writes_tech", 182_000), ("AMS Startup Wire", "amsstartupwire",
          96_500), ("Mila Careers Coach", "CareerCoachMila", 243_000),
          ("Hiring Horror Stories", "hiring_horrors", 411_000),
          ("Berlin Tech Weekly", "berlintechweekly", 61_200), ("Daan Devrel", "devrel_daan",
          58_900))

AGENCIES = (("Mark Jensen", "mark.jensen@talentbridge.example", "TalentBridge"),
            ("Olga Brandt", "olga.brandt@hirefast.example", "HireFast Recruiting"),
            ("Kevin Doyle", "kevin@devsourcing.example", "DevSourcing Europe"))

VIDEOS = (("k3Hx9LbQ2aE", "A day with our Berlin platform team"),
          ("Qm7vN2pX8sA", "How we hire engineers at Northwind Labs"),
          ("Zt4bW8cR1yU", "Northwind Labs Amsterdam office tour"),
          ("pL9sD3fK6jM", "Meet the team: data engineering"),
          ("Xr2nB7vC5hQ", "Series C: what's next for Northwind Labs"),
          ("cV8mN1zT4wE", "Inside our four-day week pilot"),
          ("Hj5kL0pO9iU", "Backend meetup Berlin: the talks"),
          ("Ww3eR6tY2uI", "Internships at Northwind Labs"))

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
        ("Ghosted by Northwind Labs after the final round",
         "Four rounds for a {role} role in {city}: recruiter call, tech interview, take-home, "
         "final with the team. The final was {weeks} weeks ago. Since then nothing, two "
         "follow-up mails unanswered. Is this normal now?"),
        ("Northwind Labs: 4-hour take-home, zero feedback",
         "Spent a whole weekend on their take-home for {role}. Submitted it, got an automatic "
         "'thanks', and that was it. Not even a rejection. I'd like to know what they thought."),
        ("Is it normal to wait 6 weeks after a 'we'll get back to you in two weeks' mail?",
         "Applied to Northwind Labs for {role}. The automatic reply said two weeks. It's been "
         "{weeks} weeks and two e-mails, no answer. Should I just move on?"),
        ("Northwind Labs interviewer showed up 20 minutes late, then rushed me out",
         "Final round for {role}. The interviewer joined 20 minutes late, didn't apologise and "
         "ended on time, so I had 25 minutes for a 45-minute case. Rejected two days later."),
        ("Northwind Labs lost my documents. Twice.",
         "Uploaded my diploma and ID through their portal, then again when they asked. Today a "
         "third request. Does anyone know a human to e-mail there?"),
    ),
    "nl": (
        ("Geghost door Northwind Labs na de laatste ronde",
         "Vier rondes voor {role} in {city}, laatste gesprek {weeks} weken geleden. Sindsdien "
         "niets, ook niet na twee mails. Is dit normaal?"),
        ("Northwind Labs: lange thuisopdracht, geen feedback",
         "Een heel weekend aan hun opdracht voor {role} gewerkt. Automatische bevestiging en "
         "daarna stilte."),
    ),
    "de": (
        ("Nach der finalen Runde von Northwind Labs geghostet",
         "Vier Runden für {role} in {city}, das letzte Gespräch ist {weeks} Wochen her. Seitdem "
         "nichts, auch nicht auf zwei Mails. Ist das normal?"),
        ("Northwind Labs: Interviewer 20 Minuten zu spät",
         "Finale Runde für {role}. Der Interviewer kam 20 Minuten zu spät und hat pünktlich "
         "Schluss gemacht. Zwei Tage später die Absage."),
    ),
}

# Questions with the answer the brand gives when it answers.
QA = {
    "en": (
        ("Is the {role} role in {city} open to remote?",
         "the {role} role is hybrid: two days a week in our {city} office, the rest from "
         "anywhere in the EU."),
        ("How long does your hiring process usually take?",
         "usually three to four weeks from application to offer: a recruiter call, a technical "
         "conversation and a final round with the team."),
        ("Do you sponsor visas for the {city} office?",
         "yes, we sponsor work permits for {city} and help with relocation, housing search "
         "included."),
        ("Is there a salary range for the {role} opening?",
         "every ad on our careers page lists the range now; for {role} it's under 'What we "
         "offer'."),
        ("Can I apply for two roles at the same time?",
         "you can! Mention both in your application and the recruiter will find the best fit "
         "with you."),
        ("Do you hire juniors in {city}?",
         "yes, we open junior roles twice a year, in spring and autumn. Follow @NorthwindCareers "
         "for the next round."),
        ("Is Dutch or German required for the {role} position?",
         "no, our working language is English. Dutch or German only helps in a few "
         "customer-facing roles."),
        ("Are you still hiring for {role}? The ad is gone from the careers page.",
         "that one was filled last week, sorry! New {role} openings appear on the careers page "
         "first."),
        ("Is the four-day week from your video real for engineers too?",
         "it's a pilot in two {city} teams for now; we'll share the results in spring."),
        ("Do you offer part-time contracts for {role}?",
         "32 hours is possible for most engineering roles; mention it in the first call."),
        ("What does the technical interview for {role} look like?",
         "a 60-minute pairing session on a small real problem, no leetcode, no whiteboard."),
    ),
    "nl": (
        ("Is de functie {role} in {city} ook remote mogelijk?",
         "de functie is hybride: twee dagen per week op ons kantoor in {city}, de rest waar je "
         "wilt binnen de EU."),
        ("Hoe lang duurt jullie sollicitatieprocedure meestal?",
         "meestal drie tot vier weken: een gesprek met de recruiter, een technisch gesprek en "
         "een laatste ronde met het team."),
        ("Is Nederlands verplicht voor de functie {role}?",
         "nee, onze voertaal is Engels. Nederlands is alleen een pré voor een paar klantgerichte "
         "functies."),
        ("Staat er een salarisindicatie bij de vacature voor {role}?",
         "ja, elke vacature op onze careers-pagina noemt nu de salarisrange, onder 'Wat wij "
         "bieden'."),
        ("Kan ik parttime werken als {role}?",
         "32 uur is bij de meeste engineeringfuncties mogelijk. Noem het gerust in het eerste "
         "gesprek."),
    ),
    "de": (
        ("Ist die Stelle als {role} in {city} auch remote möglich?",
         "die Stelle ist hybrid: zwei Tage pro Woche im Büro in {city}, sonst remote innerhalb "
         "der EU."),
        ("Wie lange dauert euer Bewerbungsprozess normalerweise?",
         "meistens drei bis vier Wochen: ein Gespräch mit dem Recruiting, ein technisches "
         "Gespräch und eine finale Runde mit dem Team."),
        ("Muss man für die Stelle als {role} Deutsch sprechen?",
         "nein, unsere Arbeitssprache ist Englisch. Deutsch ist nur bei wenigen Rollen mit "
         "Kundenkontakt ein Plus."),
        ("Gibt es eine Gehaltsspanne für die Stelle als {role}?",
         "ja, jede Anzeige auf unserer Karriereseite nennt jetzt die Spanne, unter 'Was wir "
         "bieten'."),
        ("Bietet ihr für {role} auch Teilzeit an?",
         "32 Stunden sind bei den meisten Engineering-Rollen möglich. Sprich es gern im ersten "
         "Gespräch an."),
    ),
}

# Requests with the brand's promise and its deadline in days.
REQUESTS = {
    "en": (
        ("Please send me feedback on my interview for {role}. I'd really like to learn from it.",
         "fair ask. We're collecting the panel's notes and you'll hear from us within 5 working "
         "days.", 7),
        ("Could someone check my application for {role}? I think it went to the wrong team.",
         "we're checking with the hiring team and will DM you tomorrow.", 1),
        ("Can you send the take-home assignment again? The link expired before I opened it.",
         "sorry about that! We'll DM you a fresh link tomorrow.", 1),
        ("Could you move my interview? The invite came for a day I'm on a plane.",
         "no problem, we'll DM you new slots tomorrow.", 1),
        ("I'd like my data removed from your applicant system, please.",
         "of course. We'll confirm the deletion within two weeks.", 14),
        ("When will I hear back about my {role} interview? It was {days} days ago.",
         "sorry for the wait! The panel meets this week, you'll hear from us within 5 working "
         "days.", 7),
    ),
    "nl": (
        ("Kunnen jullie me feedback geven op mijn gesprek voor {role}?",
         "terechte vraag. We verzamelen de notities van het panel en je hoort binnen 5 werkdagen "
         "van ons.", 7),
        ("Kan iemand naar mijn sollicitatie kijken? Volgens mij is die bij het verkeerde team "
         "beland.", "we checken het bij het team en sturen je morgen een DM.", 1),
    ),
    "de": (
        ("Könnt ihr mir bitte Feedback zu meinem Interview für {role} geben?",
         "verständlicher Wunsch. Wir sammeln die Notizen des Panels, du hörst innerhalb von 5 "
         "Werktagen von uns.", 7),
        ("Der Link zur Coding-Aufgabe ist abgelaufen, könnt ihr ihn neu schicken?",
         "sorry! Wir schicken dir morgen per DM einen neuen Link.", 1),
    ),
}

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaint": {
        "en": ("Ghosted after the final round for {role}. {weeks} weeks now, not a single word.",
               "My interviewer was 20 minutes late and then cut the interview short. Not great.",
               "You lost my documents twice and now ask me to upload them again. Seriously?",
               "Applied {weeks} weeks ago, got the automatic 'we'll get back to you within two "
               "weeks' mail, then nothing.",
               "Did a 4-hour take-home for {role}. No feedback, not even a rejection.",
               "Your recruiter promised to call me yesterday. No call, no mail.",
               "Rejected three minutes after applying. Did a human even read my CV?",
               "Third interview rescheduled by your side. I took a day off for this one.",
               "Five interview rounds for {role} and then a one-line rejection. Really?"),
        "nl": ("Na de laatste ronde voor {role} nooit meer iets gehoord. Al {weeks} weken niks.",
               "Mijn interviewer was 20 minuten te laat en kapte het gesprek daarna af. Niet "
               "netjes.",
               "{weeks} weken geleden gesolliciteerd, automatische mail 'binnen twee weken hoor "
               "je van ons' en daarna niets meer."),
        "de": ("Nach der finalen Runde für {role} nichts mehr gehört. Seit {weeks} Wochen kein "
               "Wort.",
               "Mein Interviewer kam 20 Minuten zu spät und hat das Gespräch dann abgekürzt. Nicht "
               "okay.",
               "Ihr habt meine Unterlagen zweimal verloren und jetzt soll ich alles nochmal "
               "hochladen?"),
    },
    "hi": {"en": ("Hi {first}, ", "Hey {first}, ", "Hi {first}! "),
           "nl": ("Hoi {first}, ", "Hi {first}, "), "de": ("Hallo {first}, ", "Hi {first}, ")},
    "hi_late": {"en": ("Hi {first}, sorry for the slow reply. ",
                       "Hi {first}, apologies for the wait. "),
                "nl": ("Hoi {first}, sorry voor de late reactie. ",),
                "de": ("Hallo {first}, sorry für die späte Antwort. ",)},
    "apology": {
        "en": ("that's not the experience we want anyone to have, sorry. We've passed it on to "
               "the hiring team.",
               "really sorry about this. We're looking into what went wrong.",
               "thanks for telling us, and sorry. This shouldn't happen."),
        "nl": ("sorry, zo hoort het niet te gaan. We hebben het doorgegeven aan het team.",),
        "de": ("sorry, so sollte es nicht laufen. Wir haben es an das Team weitergegeben.",),
    },
    "to_mail": {
        "en": ("sorry to hear that. Could you e-mail careers@northwindlabs.example with your "
               "name and the role? We'll pick it up there.",
               "that's not how it should go. Please e-mail careers@northwindlabs.example so we "
               "can look into it privately; we'll pick it up there."),
        "nl": ("sorry, zo hoort het niet. Wil je mailen naar careers@northwindlabs.example met "
               "je naam en de functie? Dan pakken we het daar op.",),
        "de": ("sorry, so sollte es nicht laufen. Schreib uns bitte an "
               "careers@northwindlabs.example mit Namen und Stelle, wir kümmern uns dort "
               "darum.",),
    },
    "promise_dm": {
        "en": ("sorry, that shouldn't happen. We're checking with the team and will DM you "
               "tomorrow.",
               "thanks for flagging. We'll DM you tomorrow with an update."),
        "nl": ("sorry, dat had niet mogen gebeuren. We zoeken het uit en sturen je morgen een "
               "DM.",),
        "de": ("sorry, das hätte nicht passieren dürfen. Wir klären das und schreiben dir "
               "morgen per DM.",),
    },
    "kept": {
        "en": ("as promised: we've sent you a DM with the details.",
               "just sent you a DM with an update. Thanks for your patience!"),
        "nl": ("zoals beloofd: we hebben je een DM gestuurd met de details.",),
        "de": ("wie versprochen: wir haben dir eine DM mit den Details geschickt.",),
    },
    "late_dm": {
        "en": ("we've now sent you a DM. We should have done that sooner.",),
        "nl": ("we hebben je nu een DM gestuurd. Dat had eerder gemoeten.",),
        "de": ("wir haben dir jetzt eine DM geschickt. Das hätte früher passieren sollen.",),
    },
    "chase1": {
        "en": ("Any update?", "Any news on this?", "Hello? Anyone?", "Still waiting...",
               "Bumping this."),
        "nl": ("Nog nieuws?", "Nog steeds geen reactie...", "Hallo? Iemand?"),
        "de": ("Gibt es was Neues?", "Immer noch keine Antwort...", "Hallo? Jemand da?"),
    },
    "chase2": {
        "en": ("Still waiting... it's been {days} days.", "Bumping this again. Still no answer.",
               "Hello? It's been {days} days."),
        "nl": ("Hallo? Het is al {days} dagen geleden.", "Nog steeds niks gehoord."),
        "de": ("Hallo? Sind jetzt schon {days} Tage.", "Immer noch nichts gehört."),
    },
    "chase3": {
        "en": ("Third time asking. Is anyone reading this?", "Third time asking: any update?"),
        "nl": ("Voor de derde keer: is er al nieuws?",),
        "de": ("Zum dritten Mal: gibt es ein Update?",),
    },
    "chase_new": {
        "en": ("Asked you {days} days ago about my {role} application. Still no answer. Is "
               "anyone reading these?",
               "Second time asking: what's the status of my {role} application? Nothing since "
               "{days} days."),
        "nl": ("{days} dagen geleden al gevraagd hoe het met mijn sollicitatie voor {role} "
               "staat. Nog steeds geen antwoord.",),
        "de": ("Vor {days} Tagen nach meiner Bewerbung als {role} gefragt. Immer noch keine "
               "Antwort. Liest das hier jemand?",),
    },
    "chase_promise": {
        "en": ("You said you'd get back to me {when}. Still nothing.",
               "Still waiting for the update you promised. It's been {days} days."),
        "nl": ("Jullie zouden {when} reageren. Nog steeds niks.",),
        "de": ("Ihr wolltet euch {when} melden. Immer noch nichts.",),
    },
    "thanks": {
        "en": ("Thanks, that helps!", "Great, thank you!", "Thanks for getting back to me 🙏",
               "Appreciate it, thanks.", "Thanks! Good to know."),
        "nl": ("Top, bedankt!", "Dank je, dat helpt."),
        "de": ("Danke, das hilft!", "Super, vielen Dank!"),
    },
    "praise": {
        "en": ("Love the team at Northwind! Best interview experience I've had in years.",
               "First week at Northwind Labs {city} done. Kind people, real code, no nonsense.",
               "Shoutout to the Northwind recruiters: clear timeline, honest feedback, even "
               "with a rejection.",
               "Got rejected by Northwind Labs but with proper feedback. More companies should "
               "do this.",
               "The Northwind Labs post on their deploy pipeline is excellent reading."),
        "nl": ("Wat een fijn team bij Northwind Labs in {city}. Beste sollicitatie ooit.",
               "Eerste week bij Northwind Labs zit erop. Toffe collega's!"),
        "de": ("Tolles Team bei Northwind Labs! Bester Bewerbungsprozess seit Langem.",
               "Erste Woche bei Northwind Labs in {city} geschafft. Super Leute."),
    },
    "thank_back": {
        "en": ("thank you, that means a lot to the team!", "thanks! We'll pass this on 💙"),
        "nl": ("dank je wel, dat doet het team goed!",),
        "de": ("danke, das freut das ganze Team!",),
    },
    "noise": {
        "en": ("The coffee at the Northwind Labs office in Zuidas is dangerously good.",
               "Walked past the Northwind Labs office in Kreuzberg, that mural is huge.",
               "Using Northwind's open-source SDK for my thesis. Neat docs.",
               "Northwind Labs hoodies everywhere at the conference today.",
               "Northwind Labs sponsoring the local hackathon again, nice."),
        "nl": ("Het Northwind Labs-kantoor op de Zuidas heeft echt de beste koffie.",),
        "de": ("Das Wandbild am Northwind Labs Büro in Kreuzberg ist riesig.",),
    },
    "rhetorical": {
        "en": ("Why does every company, Northwind Labs included, need five interview rounds "
               "these days?",
               "Who decided take-home assignments should eat a whole weekend? Looking at you, "
               "Northwind.",
               "Why do job ads like Northwind's say 'competitive salary' instead of a number?"),
        "nl": ("Waarom hebben bedrijven als Northwind Labs tegenwoordig vijf rondes nodig?",),
        "de": ("Warum brauchen Firmen wie Northwind Labs eigentlich fünf Interviewrunden?",),
    },
    "crowd": {
        "en": ("Starting at Northwind Labs in {city} next month. Which neighbourhood is good "
               "for a family?",
               "Anyone know a good Dutch course in Amsterdam? Starting at Northwind Labs soon.",
               "Moving to {city} for a job at Northwind Labs. Tips for finding a flat that isn't "
               "a scam?",
               "Has anyone done the Northwind Labs interview recently? How was the system "
               "design round?"),
        "nl": ("Ik begin volgende maand bij Northwind Labs. Tips voor een fietsroute naar de "
               "Zuidas?",),
        "de": ("Fange bald bei Northwind Labs in Berlin an. Welcher Kiez ist gut mit Kindern?",),
    },
    "crowd_reply": {
        "en": ("Oost or De Pijp, both great with kids.", "Good luck with the housing market...",
               "Did it last spring, the system design round was fair.", "Following, curious too.",
               "Try the UvA summer course, worked for me.", "Congrats on the new job!",
               "Prenzlauer Berg if you can afford it, Wedding if you can't."),
        "nl": ("Gefeliciteerd!", "Via het Vondelpark, altijd.", "Succes met de woningmarkt..."),
        "de": ("Glückwunsch!", "Friedrichshain ist super mit Kindern.", "Viel Erfolg!"),
    },
    "op_reply": {
        "en": ("Yeah, two mails so far, nothing.", "Thanks, I'll try that.",
               "Exactly, it's exhausting.", "Appreciate it.", "Tried that too, no luck."),
        "nl": ("Ja, al twee mails gestuurd, niks.", "Dank je, ga ik proberen."),
        "de": ("Ja, schon zwei Mails geschrieben, nichts.", "Danke, probiere ich."),
    },
    "sympathy": {
        "en": ("Same here, applied in spring and nothing since.", "Name and shame, good.",
               "This is sadly normal these days.", "Happened to me elsewhere too. Hope they "
               "answer you.", "Ugh, sorry. Did you try e-mailing the recruiter directly?",
               "Same experience last year with Northwind."),
        "nl": ("Herkenbaar, bij mij precies hetzelfde.", "Balen, sterkte!"),
        "de": ("Kenne ich, war bei mir genauso.", "Mies, sorry. Viel Glück!"),
    },
    "news": {
        "en": ("Northwind Labs raises €60M Series C and plans to hire 200 engineers in Amsterdam "
               "and Berlin.",
               "Northwind Labs opens a second Berlin office in Kreuzberg.",
               "Amsterdam-based Northwind Labs ranked among the top places to work in Dutch "
               "tech.",
               "Northwind Labs pilots a four-day week for two engineering teams."),
        "nl": ("Northwind Labs haalt 60 miljoen euro op en wil 200 engineers aannemen.",),
        "de": ("Northwind Labs eröffnet ein zweites Büro in Berlin-Kreuzberg.",),
    },
    "news_reply": {
        "en": ("Maybe use some of it to answer candidates.", "Congrats to the team!",
               "Hope that means they'll finally reply to applications.",
               "Interesting, I interviewed there last year.",
               "200 engineers? Their recruiters can't even answer 20 mails."),
        "nl": ("Mooi, gefeliciteerd!", "Misschien eerst sollicitanten antwoorden?"),
        "de": ("Glückwunsch!", "Vielleicht erstmal Bewerbungen beantworten?"),
    },
    "job_ad": {
        "en": ("We're hiring a {role} in {city}: hybrid, visa sponsorship, salary range in the "
               "ad. Apply: https://northwindlabs.example/careers",
               "New opening: {role} ({city}). Small team, real ownership, 32-hour weeks "
               "possible. https://northwindlabs.example/careers"),
        "nl": ("We zoeken een {role} in {city}! Hybride, salarisrange in de vacature. "
               "https://northwindlabs.example/careers",),
        "de": ("Wir suchen eine*n {role} in {city}: hybrid, Visa-Support, Gehaltsspanne in der "
               "Anzeige. https://northwindlabs.example/careers",),
    },
    "event": {
        "en": ("Join us on {weekday} at our {city} office for a backend meetup: two talks, pizza "
               "and Q&A with our engineers. https://northwindlabs.example/events",
               "Open office evening in {city} this {weekday}: meet the team, see how we work. "
               "https://northwindlabs.example/events"),
    },
    "video_post": {
        "en": ("New video: a day with our {city} platform team, from stand-up to deploy. "
               "https://youtu.be/{video}",
               "How do we hire? Our recruiters explain every step. https://youtu.be/{video}"),
    },
    "brand_news": {
        "en": ("Big news: we've raised our Series C! More teams, more roles and a second office "
               "in Berlin. We're hiring: https://northwindlabs.example/careers",),
    },
    "ad_reply": {
        "en": ("@{friend} this one's for you", "Applied!", "Sounds great, sharing with my team.",
               "Is this the same role that's been open for six months?"),
        "nl": ("@{friend} iets voor jou?", "Gesolliciteerd!",
               "Klinkt goed, gedeeld met mijn team."),
        "de": ("@{friend} wäre das was für dich?", "Beworben!", "Klingt gut, teile ich weiter."),
    },
    "yt_noise": {
        "en": ("first", "What's the song at 2:14?", "Who's watching this the night before their "
               "interview?", "The office dog deserves a raise.", "Great editing on this one."),
    },
    "yt_noise_reply": {"en": ("Haha same.", "Came here to say this.", "Right?!", "😂",
                              "Good luck tomorrow!")},
    "yt_same": {"en": ("Same question here!", "Following, I'd like to know too.", "+1")},
    "yt_agree": {"en": ("So true.", "Agreed!", "Same experience here.", "Nice to hear!")},
    "mail_hi": {"en": ("Dear Northwind Labs team,", "Hi,", "Hello,", "Dear recruiting team,"),
                "nl": ("Beste recruiter,", "Hallo,"), "de": ("Liebes Recruiting-Team,", "Hallo,")},
    "mail_bye": {"en": ("Kind regards,", "Best,", "Thanks,", "Best regards,"),
                 "nl": ("Met vriendelijke groet,", "Groet,"),
                 "de": ("Viele Grüße,", "Beste Grüße,")},
    "brand_hi": {"en": ("Hi {first},", "Dear {first},"), "nl": ("Hoi {first},",),
                 "de": ("Hallo {first},",)},
    "brand_bye": {"en": ("Best regards,", "Kind regards,", "Best,"), "nl": ("Groet,",),
                  "de": ("Viele Grüße,",)},
    "application": {
        "en": ("I'd like to apply for the {role} position in {city}. I have {years} years of "
               "experience with Python and distributed systems, most recently at a logistics "
               "scale-up. My CV is attached through your careers form.\n\nI'm available for a "
               "call most weekdays.",
               "Please find my application for the {role} role in {city}. I've spent {years} "
               "years building data-heavy products and would love to do that at Northwind "
               "Labs."),
        "nl": ("Hierbij solliciteer ik naar de functie {role} in {city}. Ik heb {years} jaar "
               "ervaring met Python en cloudplatformen. Mijn cv heb ik via het formulier "
               "geüpload.",),
        "de": ("hiermit bewerbe ich mich auf die Stelle als {role} in {city}. Ich habe {years} "
               "Jahre Erfahrung mit Python und verteilten Systemen. Meinen Lebenslauf habe ich "
               "über das Formular hochgeladen.",),
    },
    "app_subject": {"en": ("Application: {role} ({city})", "Application for {role}, {city}"),
                    "nl": ("Sollicitatie: {role} ({city})",),
                    "de": ("Bewerbung als {role} ({city})",)},
    "auto_reply": {
        "en": ("Thank you for applying for the {role} role at Northwind Labs. We have received "
               "your application and we'll get back to you within two weeks.\n\nThis is an "
               "automatic message, please do not reply to it.\n\nNorthwind Labs Talent Team",),
    },
    "invite": {
        "en": ("Thanks for your application for {role}. We'd love to get to know you! Could you "
               "pick a slot for a 30-minute call with me? "
               "https://northwindlabs.example/book/{slug}",
               "Your profile looks like a great match for our {role} opening. Are you free for "
               "a first call this week? You can book a time here: "
               "https://northwindlabs.example/book/{slug}"),
    },
    "reject_feedback": {
        "en": ("Thank you for your time with the team. We've decided not to move forward for "
               "the {role} role. The panel liked your structured approach to the pairing "
               "exercise, but we're looking for more hands-on experience with operating "
               "services in production. Please don't hesitate to apply again next year.",),
    },
    "reject": {
        "en": ("Thank you for your interest in Northwind Labs. After careful consideration we "
               "have decided to proceed with other candidates for the {role} position. We wish "
               "you every success in your search.",),
        "nl": ("Bedankt voor je interesse in Northwind Labs. Na zorgvuldige overweging hebben "
               "we besloten verder te gaan met andere kandidaten voor de functie {role}.",),
        "de": ("vielen Dank für dein Interesse an Northwind Labs. Nach sorgfältiger Prüfung "
               "haben wir uns für andere Kandidat*innen für die Stelle als {role} entschieden.",),
    },
    "slot_reply": {
        "en": ("Thanks! I've booked Thursday at 10:00. Looking forward to it.",
               "Great, I picked a slot for Tuesday afternoon. Talk soon!"),
        "nl": ("Dank je! Ik heb donderdag 10:00 geboekt.",),
        "de": ("Danke! Ich habe mir Donnerstag um 10 Uhr gebucht.",),
    },
    "mail_chase1": {
        "en": ("I applied for the {role} position on {date} and received your automatic reply "
               "saying you'd get back to me within two weeks. It has now been {weeks} weeks. "
               "Could you let me know the status?",
               "I'm following up on my application for {role} from {date}. Is there any news?"),
        "nl": ("Ik heb op {date} gesolliciteerd naar de functie {role}. Volgens de automatische "
               "mail zou ik binnen twee weken iets horen; het is nu {weeks} weken later. Is er "
               "al nieuws?",),
        "de": ("ich habe mich am {date} als {role} beworben. Laut eurer automatischen Antwort "
               "solltet ihr euch innerhalb von zwei Wochen melden, jetzt sind es {weeks} "
               "Wochen. Gibt es schon Neuigkeiten?",),
    },
    "mail_chase2": {
        "en": ("This is the third time I'm asking about my application for {role}. Is anyone "
               "reading this mailbox?",
               "Still waiting to hear back about {role}. A short status update would be "
               "enough."),
        "nl": ("Dit is de derde keer dat ik vraag naar mijn sollicitatie voor {role}. Leest "
               "iemand deze mailbox?",),
        "de": ("ich frage jetzt zum dritten Mal nach meiner Bewerbung als {role}. Liest jemand "
               "dieses Postfach?",),
    },
    "mail_chase_promise": {
        "en": ("You wrote that I'd hear from you {when}. That was a while ago. Any update?",),
        "nl": ("Jullie schreven dat ik {when} iets zou horen. Is er al nieuws?",),
        "de": ("ihr hattet geschrieben, dass ich {when} etwas höre. Gibt es ein Update?",),
    },
    "mail_feedback_reject": {
        "en": ("I received the rejection for {role}, thank you for letting me know. Could you "
               "share any feedback from the interviews?",),
        "nl": ("Bedankt voor het bericht over {role}. Kunnen jullie me nog feedback geven?",),
        "de": ("danke für die Rückmeldung zur Stelle als {role}. Könnt ihr mir noch ein kurzes "
               "Feedback geben?",),
    },
    "mail_feedback": {
        "en": ("Thank you for the final interview on {date}. Whatever the outcome, could you "
               "send me some feedback? It would really help me.",
               "Thanks again for the interview on {date}. Could you tell me how it went and "
               "what I could do better?"),
        "nl": ("Bedankt voor het gesprek op {date}. Zouden jullie me feedback kunnen geven, "
               "wat de uitkomst ook is?",),
        "de": ("danke für das Gespräch am {date}. Könntet ihr mir, egal wie es ausgeht, ein "
               "kurzes Feedback geben?",),
    },
    "mail_promise": {
        "en": ("thank you for your patience. We're collecting the feedback from the panel and "
               "you'll hear from us within 5 working days.",
               "thanks for following up. I'm checking with the hiring manager and will get back "
               "to you within 5 working days."),
        "nl": ("bedankt voor je geduld. We verzamelen de feedback en je hoort binnen 5 "
               "werkdagen van ons.",),
        "de": ("danke für deine Geduld. Wir sammeln das Feedback, du hörst innerhalb von 5 "
               "Werktagen von uns.",),
    },
    "mail_kept": {
        "en": ("As promised, here is the panel's feedback: they liked how you broke the problem "
               "down and how clearly you talked through trade-offs. The gap was depth in "
               "database performance work. We hope this helps.",
               "Following up as promised: the hiring manager would like to invite you to the "
               "final round. I'll send two options for next week."),
    },
    "mail_complaint": {
        "en": ("I uploaded my documents twice through your portal and today I was asked again "
               "for my diploma and ID. Please confirm you have them now.",
               "My interview for {role} on {date} started 20 minutes late and was then cut short "
               "because the interviewer had another meeting. I'd like to know how this will be "
               "evaluated.",
               "I completed the take-home for {role} three weeks ago and have not heard "
               "anything since."),
        "nl": ("Ik heb mijn documenten al twee keer geüpload en word nu weer gevraagd om mijn "
               "diploma en ID. Kunnen jullie bevestigen dat jullie ze hebben?",),
        "de": ("ich habe meine Unterlagen zweimal hochgeladen und soll sie jetzt erneut "
               "schicken. Könnt ihr bitte bestätigen, dass sie angekommen sind?",),
    },
    "mail_apology": {
        "en": ("I'm sorry about this, it's not how we want to treat candidates. I've shared it "
               "with the hiring team and asked them to look at your case today.",
               "thank you for raising this. I've spoken to the team; your "
               "application is with the hiring manager now and you'll hear from them "
               "directly."),
        "nl": ("sorry hiervoor, zo willen we niet met kandidaten omgaan. Ik heb het met het "
               "team besproken en je sollicitatie ligt nu bij de hiring manager.",),
        "de": ("das tut mir leid, so wollen wir nicht mit Bewerber*innen umgehen. Ich habe es "
               "mit dem Team besprochen, deine Bewerbung liegt jetzt beim Hiring Manager.",),
    },
    "from_channel": {
        "en": ("Your team asked me on {where} to e-mail you, so here it is. ",
               "Following up here as your colleague suggested on {where}. "),
        "nl": ("Jullie vroegen me op {where} om te mailen, dus bij dezen. ",),
        "de": ("Ihr habt mich auf {where} gebeten, euch zu mailen, also hier. ",),
    },
    "from_channel_subject": {"en": ("Following up from {where}: my application",
                                    "Our conversation on {where}"),
                             "nl": ("Naar aanleiding van {where}",),
                             "de": ("Nachricht wegen {where}",)},
    "mail_late": {"en": ("Apologies for the slow reply. ",),
                  "nl": ("Sorry voor de late reactie. ",),
                  "de": ("Entschuldige die späte Antwort. ",)},
    "agency": {
        "en": ("We have three senior Python engineers available now, all open to Amsterdam or "
               "Berlin. Shall I send their profiles? Our fee is 18% of the first-year salary.",
               "Struggling to fill your {role} opening? Our pre-vetted candidates can start in "
               "four weeks. Book a call: https://calendar.example/intro"),
    },
    "agency_subject": {"en": ("Top Python talent available now", "Filling your {role} role")},
    "ooo": {
        "en": ("I'm out of the office until {weekday} with limited access to e-mail. I'll reply "
               "when I'm back.",),
        "nl": ("Ik ben afwezig tot {weekday} en lees mijn mail beperkt.",),
        "de": ("Ich bin bis {weekday} nicht im Büro und lese E-Mails nur eingeschränkt.",),
    },
    "thank_note": {
        "en": ("Thanks for the call today, it was great to learn more about the team. Looking "
               "forward to the next steps!",),
        "nl": ("Bedankt voor het gesprek vandaag, leuk om meer over het team te horen!",),
        "de": ("danke für das Gespräch heute, es war schön, mehr über das Team zu erfahren!",),
    },
    "mail_question": {"en": ("Question about the {role} role", "Question: {role} in {city}"),
                      "nl": ("Vraag over de functie {role}",),
                      "de": ("Frage zur Stelle als {role}",)},
    "mail_feedback_subject": {"en": ("Feedback on my interview", "Interview feedback, {role}"),
                              "nl": ("Feedback op mijn gesprek",),
                              "de": ("Feedback zum Interview",)},
    "mail_complaint_subject": {"en": ("My documents", "About my interview on {date}",
                                      "Take-home assignment {role}"),
                               "nl": ("Mijn documenten",), "de": ("Meine Unterlagen",)},
    "chase_subject": {"en": ("Still waiting: application {role}",
                             "Follow-up: {role} application"),
                      "nl": ("Nog steeds geen reactie: {role}",),
                      "de": ("Nachfrage: Bewerbung als {role}",)},
    "r_employer_title": {
        "en": ("Northwind Labs Berlin: anyone work there? How's the work-life balance?",
               "Northwind Labs interview process for senior backend?",
               "Northwind Labs vs. a big bank in Amsterdam, which offer would you take?",
               "What's the salary range at Northwind Labs for mid-level engineers?"),
        "nl": ("Ervaringen met Northwind Labs als werkgever?",),
        "de": ("Erfahrungen mit Northwind Labs als Arbeitgeber?",),
    },
    "r_employer_body": {
        "en": ("Got an offer from them and trying to get a feel for the place before I sign.",
               "I have the first interview next week. Anything I should know?"),
        "nl": ("Ik heb volgende week een gesprek. Iemand ervaring?",),
        "de": ("Ich habe nächste Woche ein Gespräch. Hat jemand Erfahrungen?",),
    },
    "r_employer_reply": {
        "en": ("Worked there two years. Good engineering culture, recruiting is slow though.",
               "Interviewed last spring: fair process, but it took five weeks to hear back.",
               "Pay is okay for Amsterdam, not great. Team was lovely.",
               "My friend is there and likes it. The four-day week pilot is real.",
               "Avoid if you hate meetings, otherwise solid."),
        "nl": ("Vriend van me werkt er, is heel positief.", "Goede sfeer, trage recruiters."),
        "de": ("Ein Kollege ist dort, ist zufrieden.", "Gute Kultur, aber langsames Recruiting."),
    },
    "r_question_title": {
        "en": ("Northwind Labs recruiters on here? Question about the {role} role",
               "Question for Northwind Labs about their {city} office"),
        "nl": ("Vraag aan Northwind Labs over de functie {role}",),
        "de": ("Frage an Northwind Labs zur Stelle als {role}",),
    },
    "r_praise_title": {
        "en": ("Shout-out: the smoothest interview process I've had (Northwind Labs)",),
        "nl": ("Compliment voor het sollicitatieproces van Northwind Labs",),
        "de": ("Lob an Northwind Labs für den Bewerbungsprozess",),
    },
    "r_offtopic_title": {
        "en": ("Best neighbourhoods near Zuidas? (new job at Northwind Labs)",
               "Quiet coworking spaces in Kreuzberg? My office (Northwind Labs) is loud",
               "Dutch lessons that fit around a full-time job?"),
    },
    "r_update": {
        "en": ("Update: still nothing from them, {days} days later.",
               "Update: e-mailed as they asked. Radio silence since."),
        "nl": ("Update: nog steeds niks gehoord, {days} dagen later.",),
        "de": ("Update: immer noch nichts, {days} Tage später.",),
    },
    "r_done": {
        "en": ("Done, sent you an e-mail.", "E-mailed you just now, thanks."),
        "nl": ("Gedaan, mail is verstuurd.",), "de": ("Erledigt, Mail ist raus.",),
    },
}

WHEN = {"en": {1: "the next day", 7: "within 5 working days", 14: "within two weeks"},
        "nl": {1: "de volgende dag", 7: "binnen 5 werkdagen", 14: "binnen twee weken"},
        "de": {1: "am nächsten Tag", 7: "innerhalb von 5 Werktagen", 14: "innerhalb von zwei "
               "Wochen"}}
MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"),
          "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                 "september", "oktober", "november", "december"),
          "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember")}

# How the story world behaves: tuned so about a third of what needs an answer never gets one.
NL_SHARE, DE_SHARE = 9, 7          # percent of the cast writing Dutch / German
P_ANSWER = 0.65                    # the brand answers before any chase
CHASES = (0.55, 0.4, 0.25)         # the asker writes again (1st, 2nd, 3rd time)
P_LATE = 0.35                      # a chase finally gets an answer
P_KEPT = 0.55                      # a promise is kept before its deadline
P_THANKS = 0.35                    # the asker says thanks after an answer
BRAND_MEDIAN_S, BRAND_SIGMA = 3 * 3600, 1.5   # lognormal brand reply delay
P_OFFICE = 0.85                    # share of brand replies moved into office hours
HOUR, DAY = 3600, 86400
NAME_BLOCK = 1024                  # <= 32 x 32 name pairs: unique names within each block


# ------------------------------------------------------------------------------------ the cast

@dataclass(slots=True)
class Person:
    """Someone who posts, with one identity per channel.

    A candidate keeps the same name, X handle, Reddit account, mailbox and YouTube channel in
    every story, so the product can link a tweet and a later e-mail to one person.
    """

    key: int
    first: str
    name: str
    handle: str
    reddit: str
    email: str
    lang: str
    uid: str
    rid: str
    ucid: str
    followers: int
    fmt: str = "plain"
    brand: bool = False


BRAND_CHANNEL = "UCnW7Lb3Ams0Ber1nDemo4Qx"
BRAND = Person(-100, "Northwind", "Northwind Labs", "NorthwindLabs", "NorthwindLabs_HR", CAREERS,
               "en", "1432987650112345088", "t2_9nwlb4hr", BRAND_CHANNEL, 48_210, "plain", True)
BRAND_CAREERS_X = Person(-101, "Northwind", "Northwind Labs Careers", "NorthwindCareers", "",
                         CAREERS, "en", "1587345098765432321", "", "", 9_370, "alt", True)
BRAND_NO_REPLY = Person(-102, "Northwind", "Northwind Labs", "", "", NO_REPLY, "en", "", "", "",
                        0, "alt", True)


def _mix(value: int) -> int:
    """A 32-bit integer hash: stable across runs and machines, unlike ``hash()`` of a string."""
    x = value & 0xFFFFFFFF
    x = ((x ^ (x >> 16)) * 0x7FEB352D) & 0xFFFFFFFF
    x = ((x ^ (x >> 15)) * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode(value: int, width: int, alphabet: str = _B64) -> str:
    """``value`` as ``width`` digits of ``alphabet``: ids that look like the platform's own."""
    if alphabet is _B64 and width % 4 == 0:        # same digits, computed in C
        return base64.urlsafe_b64encode(value.to_bytes(width * 3 // 4, "big")).decode()
    base = len(alphabet)
    digits = []
    for _ in range(width):
        value, rest = divmod(value, base)
        digits.append(alphabet[rest])
    return "".join(reversed(digits))


def scramble(n: int, width: int, alphabet: str = _B64) -> str:
    """``n`` as ``width`` digits that look random but stay unique (an odd multiplier that no
    prime of the base divides is a bijection modulo ``len(alphabet) ** width``)."""
    return encode(n * 0x9E3779B1 % len(alphabet) ** width, width, alphabet)


def fold(text: str) -> str:
    return text.lower().translate(ASCII_FOLD)


def _handle(first: str, last: str, style: int, suffix: str) -> str:
    """An X handle of at most 15 characters; the numeric suffix after a letter keeps it unique."""
    bases = (fold(first) + fold(last), fold(first) + "_" + fold(last)[0],
             fold(first)[0].upper() + fold(last).capitalize())
    return bases[style][: 15 - len(suffix)].rstrip("_") + suffix


def make_person(i: int, salt: int) -> Person:
    """Candidate number ``i``: derived, not stored, so a million-post cast costs no memory."""
    h = _mix(i * 0x9E3779B1 + salt)
    roll = h % 100
    lang = "nl" if roll < NL_SHARE else "de" if roll < NL_SHARE + DE_SHARE else "en"
    firsts, lasts = FIRST[lang], LAST[lang]
    pair, block = (i * 7919) % NAME_BLOCK, i // NAME_BLOCK
    first, last = firsts[pair % len(firsts)], lasts[(pair // len(firsts)) % len(lasts)]
    mailbox = f"{fold(first)}.{fold(last)}{block or ''}@{MAIL_DOMAINS[(h >> 7) % 3]}"
    reddit = (f"{REDDIT_WORDS[(h >> 9) % 12]}_{REDDIT_NOUNS[(h >> 13) % 12]}{i}"
              if h & 1 else f"{fold(first)}{fold(last)[:1]}_{i}")
    fmt_roll = (h >> 20) % 20                  # mail client: 65 % plain text, 30 % webmail HTML
    return Person(
        key=i, first=first, name=f"{first} {last}", handle=_handle(first, last, (h >> 5) % 3,
                                                                      str(i)),
        reddit=reddit, email=mailbox, lang=lang,
        uid=str(1_000_000_000 + (i * 2654435761) % 9_000_000_000),
        rid="t2_" + encode(36**7 + (i * 2654435761) % (35 * 36**7), 8, _B36),
        ucid="UC" + encode(_mix(h) << 64 | _mix(h + 1) << 32 | h, 16) + scramble(i, 6),
        followers=int(25 * math.exp(((h >> 12) % 1000) / 1000 * 5.5)),
        fmt="plain" if fmt_roll < 13 else "alt" if fmt_roll < 19 else "html")


VOICE_PEOPLE = tuple(
    Person(-(j + 1), name.split()[0], name, handle, handle, f"{handle.lower()}@example.net", "en",
           str(90_000_000 + j * 104_729), f"t2_v{j}{handle[:5].lower()}",
           "UC" + encode(_mix(j) << 64 | _mix(j + 7) << 32 | _mix(j + 9), 16) + scramble(j, 6),
           followers)
    for j, (name, handle, followers) in enumerate(VOICES))


class Cast:
    """The recurring people of one workspace: a few write a lot, most only once or twice."""

    def __init__(self, seed: int, size: int) -> None:
        self.salt = _mix(seed ^ (seed >> 32))
        self.size = max(size, 1)
        self._known: dict[int, Person] = {}

    def person(self, i: int) -> Person:
        found = self._known.get(i)
        if found is None:
            if len(self._known) >= 20_000:   # bounded: memory stays flat at any size
                self._known.clear()
            found = self._known[i] = make_person(i, self.salt)
        return found

    def candidate(self, rng: random.Random) -> Person:
        """Skewed to the head of the cast, so some candidates write many times."""
        return self.person(int(self.size * rng.random() ** 1.7))

    def anyone(self, rng: random.Random) -> Person:
        return self.person(int(self.size * rng.random()))

    def voice(self, rng: random.Random) -> Person:
        return VOICE_PEOPLE[int(rng.random() * len(VOICE_PEOPLE))]


# ----------------------------------------------------------------------------------- the clock

_SUMMER: dict[int, tuple[int, int]] = {}


def _last_sunday(year: int, month: int) -> int:
    """01:00 UTC on the last Sunday of a 31-day month: when EU summer time starts or ends."""
    last = datetime(year, month, 31, 1, tzinfo=UTC)
    return int(last.timestamp()) - ((last.weekday() + 1) % 7) * DAY


def amsterdam_offset(t: int) -> int:
    """Europe/Amsterdam's UTC offset at ``t`` by the EU rule, with no time-zone database."""
    year = 1970 + t // 31_556_952
    bounds = _SUMMER.get(year)
    if bounds is None:
        bounds = _SUMMER[year] = (_last_sunday(year, 3), _last_sunday(year, 10))
    return 7200 if bounds[0] <= t < bounds[1] else 3600


def office_hours(rng: random.Random, t: int) -> int:
    """``t`` if it falls Mon-Fri 9-17 in Amsterdam, else soon after 9:00 the next working day."""
    offset = amsterdam_offset(t)
    day, sec = divmod(t + offset, DAY)
    if (day + 3) % 7 < 5 and 9 * HOUR <= sec < 17 * HOUR:
        return t
    if (day + 3) % 7 >= 5 or sec >= 17 * HOUR:
        day += 1
        while (day + 3) % 7 >= 5:
            day += 1
    return day * DAY + 9 * HOUR + int(rng.random() ** 2 * 3 * HOUR) - offset


def brand_time(rng: random.Random, t: int) -> int:
    """When the brand answers something posted at ``t``: minutes to days, mostly office hours."""
    delay = 90 + int(BRAND_MEDIAN_S * math.exp(rng.gauss(0.0, BRAND_SIGMA)))
    return office_hours(rng, t + delay) if rng.random() < P_OFFICE else t + delay


def later(rng: random.Random, t: int, low: float, high: float) -> int:
    """A moment between ``low`` and ``high`` seconds after ``t`` (never the same second)."""
    return t + max(1, int(low + (high - low) * rng.random()))


_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 11, 12, 12, 11, 10, 10, 11, 12, 12, 10,
                 7, 4)
_HOUR_CUM = tuple(itertools.accumulate(_HOUR_WEIGHTS))


def local_time(rng: random.Random, day0: int, office: bool = False) -> int:
    """A moment of the UTC day starting at ``day0`` that people (or an office) would post at."""
    if office:
        hour = 9 + int(rng.random() * 8)
    else:
        hour = bisect.bisect_right(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])
    t = day0 + hour * HOUR + int(rng.random() * HOUR) - amsterdam_offset(day0)
    return day0 + (t - day0) % DAY


def date_text(t: int, lang: str) -> str:
    when = datetime.fromtimestamp(t, tz=UTC)
    month = MONTHS[lang][when.month - 1]
    return f"{when.day}. {month}" if lang == "de" else f"{when.day} {month}"


# ------------------------------------------------------------------------------------ the lines

class Line:
    """One post of a story before any platform formats it.

    ``parent`` is the line it replies to (``None`` starts a thread); ``kind`` says what the
    story meant by it (question, chase, answer, promise, ...), which only tests and tuning read.
    ``ext`` and ``node`` belong to the renderer: the platform id and its scratch data.
    """

    __slots__ = ("channel", "at", "who", "text", "lang", "parent", "kind", "title", "venue",
                 "auto", "ext", "node")

    def __init__(self, channel: str, at: int, who: Person, text: str, lang: str,
                 parent: Line | None = None, kind: str = "", title: str = "", venue: str = "",
                 auto: bool = False) -> None:
        self.channel, self.at, self.who, self.text, self.lang = channel, at, who, text, lang
        self.parent, self.kind, self.title, self.venue, self.auto = parent, kind, title, venue, auto
        self.ext = ""
        self.node: object = None

    @property
    def root(self) -> Line:
        line = self
        while line.parent is not None:
            line = line.parent
        return line


def _pick(rng: random.Random, options: tuple):
    return options[int(rng.random() * len(options))]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_WHERE = {"x": "X", "reddit": "Reddit", "youtube": "YouTube"}


class Scene:
    """One story being written: its random source, language, facts (``ctx``) and lines."""

    __slots__ = ("rng", "cast", "t0", "day0", "lang", "ctx", "lines", "asked")

    def __init__(self, rng: random.Random, cast: Cast, t0: int, day0: int) -> None:
        self.rng, self.cast, self.t0, self.day0 = rng, cast, t0, day0
        self.lang = "en"
        self.lines: list[Line] = []
        self.asked = t0
        rfirst, rlast = _pick(rng, RECRUITERS)
        self.ctx = {
            "first": "", "role": _pick(rng, ROLES), "city": _pick(rng, CITIES),
            "weeks": str(3 + int(rng.random() * 5)), "days": "3", "when": "",
            "recruiter": f"{rfirst} {rlast}", "rfirst": rfirst, "weekday": _pick(rng, WEEKDAYS),
            "video": _pick(rng, VIDEOS)[0], "years": str(2 + int(rng.random() * 9)),
            "date": "", "friend": "", "where": "X", "slug": f"{fold(rfirst)}-{int(t0) % 9973}"}

    # -- choosing and filling words

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, key: str) -> str:
        bank = PHRASES[key]
        return _pick(self.rng, bank.get(self.lang) or bank["en"])

    def fill(self, template: str, who: Person | None = None) -> str:
        if who is not None:
            self.ctx["first"] = who.first
        return template.format_map(self.ctx)

    def say(self, key: str, who: Person | None = None) -> str:
        return self.fill(self.pick(key), who)

    def lead(self) -> Person:
        """The story's main candidate; the story speaks their language."""
        person = self.cast.candidate(self.rng)
        self.lang = person.lang
        return person

    # -- writing lines

    def post(self, channel: str, at: int, who: Person, text: str, parent: Line | None = None,
             kind: str = "", title: str = "", venue: str = "", auto: bool = False) -> Line:
        line = Line(channel, at, who, text, self.lang, parent, kind, title,
                    venue or (parent.venue if parent else ""), auto)
        self.lines.append(line)
        return line

    def reply(self, parent: Line, at: int, who: Person, text: str, kind: str) -> Line:
        return self.post(parent.channel, at, who, text, parent, kind)

    def letter(self, who: Person, core: str, sign: str = "") -> str:
        """A candidate's e-mail around ``core``: greeting, closing, name, maybe a handle."""
        body = f"{self.pick('mail_hi')}\n\n{core}\n\n{self.pick('mail_bye')}\n{who.name}"
        return f"{body}\n{sign}" if sign else body

    def words(self, channel: str, who: Person, text: str, mention: bool = False) -> str:
        """A candidate's ``text`` as written on ``channel``."""
        if channel == "email":
            return self.letter(who, text)
        return f"@NorthwindLabs {text}" if mention and channel == "x" else text

    def brand(self, parent: Line, at: int, core: str, kind: str, late: bool = False) -> Line:
        """The brand's reply to ``parent``, worded for its channel and addressed to its author."""
        who, channel = parent.who, parent.channel
        core = self.fill(core, who)
        if channel == "email":
            late_words = self.pick("mail_late") if late else ""
            text = (f"{self.say('brand_hi', who)}\n\n{late_words}{_capital(core)}\n\n"
                    f"{self.pick('brand_bye')}\n{self.ctx['recruiter']}\n"
                    "Talent Acquisition, Northwind Labs")
            return self.reply(parent, at, BRAND, text, kind)
        hi = self.say("hi_late" if late else "hi", who)
        text = hi + (_capital(core) if hi.rstrip().endswith((".", "!")) else core)
        author = BRAND
        if channel == "reddit":
            text += f"\n\n{self.ctx['rfirst']}, Northwind Labs recruiting"
        elif channel == "x" and self.chance(0.15):
            author = BRAND_CAREERS_X
        return self.reply(parent, at, author, text, kind)

    # -- conversation patterns shared by every channel

    def await_answer(self, post: Line, core: str, p: float = P_ANSWER) -> Line | None:
        """The brand answers, maybe only after chases, or never: the backlog in one place."""
        self.asked = post.at
        last = post
        if self.chance(p):
            return self.answered(last, core)
        for n, p_chase in enumerate(CHASES):
            if not self.chance(p_chase):
                return None
            last = self.chase(last, n)
            if self.chance(P_LATE):
                return self.answered(last, core, late=True)
        return None

    def answered(self, last: Line, core: str, late: bool = False) -> Line:
        answer = self.brand(last, brand_time(self.rng, last.at), core, "answer", late)
        if self.chance(P_THANKS):
            t = later(self.rng, answer.at, 120, DAY)
            self.reply(answer, t, last.who, self.words(last.channel, last.who, self.say("thanks")),
                       "thanks")
        return answer

    def chase(self, last: Line, n: int) -> Line:
        """The asker writes again before any answer: same thread, or on X/e-mail a new one."""
        who, channel = last.who, last.channel
        t = later(self.rng, last.at, (1, 3, 5)[n] * DAY, (5, 8, 12)[n] * DAY)
        self.ctx["days"] = str(max(1, (t - self.asked) // DAY))
        if channel in ("x", "email") and n > 0 and self.chance(0.3):
            text = self.say("chase_new")
            if channel == "x":
                return self.post("x", t, who, f"@NorthwindLabs {text}", kind="chase")
            return self.post("email", t, who, self.letter(who, text), kind="chase",
                             title=self.say("chase_subject"))
        text = self.words(channel, who, self.say(("chase1", "chase2", "chase3")[n]), mention=True)
        return self.reply(last, t, who, text, "chase")

    def promise(self, target: Line, core: str, days: int, kept: str = "kept",
                chase: str = "chase_promise") -> Line:
        """A brand promise with a deadline; kept by a later brand reply, or broken and chased."""
        made = self.brand(target, brand_time(self.rng, target.at), core, "promise")
        deadline = made.at + days * DAY
        self.ctx["when"] = WHEN[self.lang][days]
        if self.chance(P_KEPT):
            t = office_hours(self.rng, made.at + int(days * DAY * (0.1 + 0.6 * self.rng.random())))
            done = self.brand(target, max(made.at + 600, min(t, deadline - 600)), self.pick(kept),
                              "kept")
            if self.chance(P_THANKS):
                self.reply(done, later(self.rng, done.at, 300, DAY), target.who,
                           self.words(target.channel, target.who, self.say("thanks")), "thanks")
        elif self.chance(0.7):
            t = later(self.rng, deadline, DAY // 2, 4 * DAY)
            self.ctx["days"] = str((t - made.at) // DAY)
            text = self.words(target.channel, target.who, self.say(chase))
            nudge = self.reply(made, t, target.who, text, "chase")
            if self.chance(0.35):
                late = "mail_kept" if target.channel == "email" else "late_dm"
                self.answered(nudge, self.pick(late), late=True)
        return made

    def to_mail(self, target: Line, complaint: str) -> None:
        """The brand asks to continue by e-mail; most candidates do, signing with their handle."""
        ask = self.brand(target, brand_time(self.rng, target.at), self.pick("to_mail"), "answer")
        who, channel = target.who, target.channel
        if not self.chance(0.75):
            return
        self.ctx["where"] = _WHERE[channel]
        sign = {"x": f"(@{who.handle} on X)", "reddit": f"(u/{who.reddit} on Reddit)",
                "youtube": f"(@{who.handle} on YouTube)"}[channel]
        t = later(self.rng, ask.at, 1200, 30 * HOUR)
        body = self.say("from_channel") + complaint
        mail = self.post("email", t, who, self.letter(who, body, sign), kind="complaint",
                         title=self.say("from_channel_subject"))
        if self.chance(0.3):
            done = self.say("r_done")
            self.reply(ask, t + 60 + int(self.rng.random() * 600), who, done, "thanks")
        if self.chance(0.5):
            self.promise(mail, self.pick("mail_promise"), 7, "mail_kept", "mail_chase_promise")
        else:
            self.await_answer(mail, self.pick("mail_apology"))

    def crowd(self, root: Line, key: str, n: int, nest: float = 0.3) -> list[Line]:
        """Bystanders reply: mostly to the root, now and then to each other."""
        bank = PHRASES[key]
        options = list(bank.get(self.lang) or bank["en"])
        self.rng.shuffle(options)                   # no two bystanders say the same thing
        said: list[Line] = []
        for k in range(n):
            parent = _pick(self.rng, said) if said and self.chance(nest) else root
            who = self.cast.anyone(self.rng)
            t = later(self.rng, parent.at, 180, 20 * HOUR)
            said.append(self.reply(parent, t, who, self.fill(options[k % len(options)], who),
                                   "crowd"))
        return said

    def qa(self) -> tuple[str, str]:
        question, answer = _pick(self.rng, QA.get(self.lang) or QA["en"])
        return self.fill(question), answer

    def request(self) -> tuple[str, str, int]:
        ask, answer, days = _pick(self.rng, REQUESTS.get(self.lang) or REQUESTS["en"])
        return self.fill(ask), answer, days


# ---------------------------------------------------------------------------------- the stories

def x_question(s: Scene) -> None:
    """A candidate asks @NorthwindLabs something; answered, chased, or left hanging."""
    who = s.lead()
    question, answer = s.qa()
    s.await_answer(s.post("x", s.t0, who, f"@NorthwindLabs {question}", kind="question"), answer)


def x_request(s: Scene) -> None:
    """A candidate asks the brand to act; the brand often promises a deadline."""
    who = s.lead()
    s.ctx["days"] = str(3 + int(s.rng.random() * 10))
    ask, promise, days = s.request()
    root = s.post("x", s.t0, who, f"@NorthwindLabs {ask}", kind="request")
    if s.chance(0.6):
        s.promise(root, promise, days)
    else:
        s.await_answer(root, promise)


def x_complaint(s: Scene) -> None:
    """A public complaint: moved to e-mail, answered with a promise, or left to be chased."""
    who = s.lead() if s.chance(0.94) else s.cast.voice(s.rng)
    complaint = s.say("complaint")
    root = s.post("x", s.t0, who, f"@NorthwindLabs {complaint}", kind="complaint")
    s.crowd(root, "sympathy", int(s.rng.random() * (6 if who.key < 0 else 3)), nest=0.1)
    roll = s.rng.random()
    if roll < 0.35:
        s.to_mail(root, complaint)
    elif roll < 0.55:
        s.promise(root, s.pick("promise_dm"), 1)
    else:
        s.await_answer(root, s.pick("apology"))


def x_broadcast(s: Scene) -> None:
    """The brand pushes (job ad, event, video, news); some replies ask it something back."""
    roll = s.rng.random()
    key = ("job_ad" if roll < 0.5 else "event" if roll < 0.7 else "video_post" if roll < 0.92
           else "brand_news")
    if key == "job_ad":                      # only job ads are posted in Dutch and German too
        s.lang = _pick(s.rng, ("en",) * 4 + ("nl", "de"))
    author = BRAND_CAREERS_X if key == "job_ad" and s.chance(0.5) else BRAND
    root = s.post("x", local_time(s.rng, s.day0, office=True), author, s.say(key),
                  kind="broadcast")
    for _ in range(int(s.rng.random() ** 1.5 * 6)):
        who = s.cast.anyone(s.rng)
        t = later(s.rng, root.at, 300, 2 * DAY)
        roll = s.rng.random()
        if roll < 0.4:
            question, answer = s.qa()
            s.await_answer(s.reply(root, t, who, question, "question"), answer)
        else:
            s.ctx["friend"] = s.cast.anyone(s.rng).handle
            s.reply(root, t, who, s.say("ad_reply", who), "crowd")


def x_praise(s: Scene) -> None:
    """Praise needs no answer, though a thank-you is the team's choice."""
    who = s.lead()
    root = s.post("x", s.t0, who, s.say("praise") + " @NorthwindLabs", kind="praise")
    if s.chance(0.4):
        s.brand(root, brand_time(s.rng, root.at), s.pick("thank_back"), "thanks")


def x_news(s: Scene) -> None:
    """A journalist or influencer with reach reports on the company; the crowd reacts."""
    who = s.cast.voice(s.rng)
    s.lang = _pick(s.rng, ("en",) * 6 + ("nl", "de"))
    link = f" https://news.example/{fold(who.handle)}/{s.t0 % 100_000}"
    root = s.post("x", s.t0, who, s.say("news") + link, kind="news")
    s.crowd(root, "news_reply", 1 + int(s.rng.random() * 5))


def x_chatter(s: Scene) -> None:
    """Mentions that need nothing from the brand: noise, rhetoric, questions to the crowd."""
    who = s.lead()
    roll = s.rng.random()
    key = "noise" if roll < 0.45 else "rhetorical" if roll < 0.7 else "crowd"
    root = s.post("x", s.t0, who, s.say(key), kind=key)
    if key == "crowd":
        s.crowd(root, "crowd_reply", int(s.rng.random() * 4))


def _subreddit(s: Scene, kind: str) -> str:
    return _pick(s.rng, SUBREDDITS[s.lang if s.lang != "en" else kind])


def r_complaint(s: Scene) -> None:
    """A complaint thread: sympathy from the crowd, maybe the brand, and the OP's updates."""
    who = s.lead()
    title, complaint = _pick(s.rng, REDDIT_COMPLAINTS.get(s.lang) or REDDIT_COMPLAINTS["en"])
    complaint = s.fill(complaint)
    root = s.post("reddit", s.t0, who, complaint, kind="complaint", title=s.fill(title),
                  venue=_subreddit(s, "complaint"))
    said = s.crowd(root, "sympathy", 1 + int(s.rng.random() * 6))
    for comment in said[: int(s.rng.random() * 3)]:
        s.reply(comment, later(s.rng, comment.at, 600, DAY), who, s.say("op_reply"), "crowd")
    roll = s.rng.random()
    if roll < 0.3:
        s.to_mail(root, complaint)
    elif roll < 0.45:
        s.promise(root, s.pick("promise_dm"), 1)
    elif s.chance(0.5):
        s.ctx["days"] = str(4 + int(s.rng.random() * 10))
        update = s.reply(root, later(s.rng, root.at, 3 * DAY, 12 * DAY), who, s.say("r_update"),
                         "chase")
        if s.chance(0.2):
            s.answered(update, s.pick("apology"), late=True)


def r_employer(s: Scene) -> None:
    """'Anyone work there?': a question to the crowd about the employer."""
    who = s.lead()
    root = s.post("reddit", s.t0, who, s.say("r_employer_body"), kind="crowd",
                  title=s.say("r_employer_title"), venue=_subreddit(s, "employer"))
    s.crowd(root, "r_employer_reply", 1 + int(s.rng.random() * 7))
    if s.chance(0.15):
        s.brand(root, brand_time(s.rng, root.at), s.qa()[1], "answer")


def r_question(s: Scene) -> None:
    """A question addressed to the company's recruiters on Reddit."""
    who = s.lead()
    question, answer = s.qa()
    root = s.post("reddit", s.t0, who, question, kind="question",
                  title=s.say("r_question_title"), venue=_subreddit(s, "employer"))
    if s.chance(0.4):
        s.crowd(root, "r_employer_reply", 1 + int(s.rng.random() * 3))
    s.await_answer(root, answer)


def r_praise(s: Scene) -> None:
    who = s.lead()
    root = s.post("reddit", s.t0, who, s.say("praise"), kind="praise",
                  title=s.say("r_praise_title"), venue=_subreddit(s, "employer"))
    s.crowd(root, "r_employer_reply", int(s.rng.random() * 4))
    if s.chance(0.35):
        s.brand(root, brand_time(s.rng, root.at), s.pick("thank_back"), "thanks")


def r_offtopic(s: Scene) -> None:
    """A thread that only mentions the company in passing."""
    who = s.lead()
    s.lang = "en"
    root = s.post("reddit", s.t0, who, s.say("crowd"), kind="crowd",
                  title=s.say("r_offtopic_title"), venue=_subreddit(s, "offtopic"))
    s.crowd(root, "crowd_reply", 1 + int(s.rng.random() * 5))


def _video_comment(s: Scene, who: Person, text: str, kind: str) -> Line:
    return s.post("youtube", s.t0, who, text, kind=kind, venue=s.ctx["video"])


def yt_question(s: Scene) -> None:
    who = s.lead()
    question, answer = s.qa()
    root = _video_comment(s, who, question, "question")
    if s.chance(0.25):
        s.crowd(root, "yt_same", 1)
    s.await_answer(root, answer)


def yt_complaint(s: Scene) -> None:
    who = s.lead()
    complaint = s.say("complaint")
    root = _video_comment(s, who, f"Nice video, but... {complaint}" if s.lang == "en" else
                          complaint, "complaint")
    if s.chance(0.35):
        s.to_mail(root, complaint)
    else:
        s.await_answer(root, s.pick("apology"))


def yt_praise(s: Scene) -> None:
    who = s.lead()
    root = _video_comment(s, who, s.say("praise"), "praise")
    if s.chance(0.35):
        s.brand(root, brand_time(s.rng, root.at), s.pick("thank_back"), "thanks")
    s.crowd(root, "yt_agree", int(s.rng.random() * 2))


def yt_chatter(s: Scene) -> None:
    who = s.lead()
    s.lang = "en"
    root = _video_comment(s, who, s.say("yt_noise"), "noise")
    s.crowd(root, "yt_noise_reply", int(s.rng.random() * 4))


def _mail(s: Scene, t: int, who: Person, core: str, subject: str, kind: str) -> Line:
    return s.post("email", t, who, s.letter(who, core), kind=kind, title=subject)


def e_application(s: Scene) -> None:
    """Apply, get the automatic two-week promise, then an answer in time or weeks of silence."""
    who = s.lead()
    app = _mail(s, s.t0, who, s.say("application"), s.say("app_subject"), "application")
    auto = f"Hi {who.first},\n\n" + s.fill(PHRASES["auto_reply"]["en"][0])
    s.post("email", later(s.rng, app.at, 15, 300), BRAND_NO_REPLY, auto, app, "promise",
           title="Thank you for applying to Northwind Labs", auto=True)
    if s.chance(0.42):
        _answered_in_time(s, app)
    else:
        _silence(s, app)


def _answered_in_time(s: Scene, app: Line) -> None:
    who = app.who
    t = office_hours(s.rng, later(s.rng, app.at, 2 * DAY, 12 * DAY))
    roll = s.rng.random()
    key = "invite" if roll < 0.6 else "reject_feedback" if roll < 0.75 else "reject"
    answer = s.brand(app, t, s.pick(key), "kept")
    if key == "invite":
        if s.chance(0.1):
            s.post("email", answer.at + 20, who, s.letter(who, s.say("ooo")), answer, "auto",
                   auto=True)
        if s.chance(0.75):
            slot = s.reply(answer, later(s.rng, answer.at, 2 * HOUR, 3 * DAY), who,
                           s.letter(who, s.say("slot_reply")), "thanks")
            if s.chance(0.35):
                _feedback_request(s, slot, later(s.rng, slot.at, 7 * DAY, 15 * DAY))
    elif key == "reject" and s.chance(0.45):
        _feedback_request(s, answer, later(s.rng, answer.at, HOUR, 3 * DAY), p_promise=0.2,
                          key="mail_feedback_reject")


def _silence(s: Scene, app: Line) -> None:
    """The story from the design: chases after the promised two weeks, maybe a late reply."""
    who = app.who
    s.ctx["date"] = date_text(app.at, s.lang)
    t = later(s.rng, app.at, 16 * DAY, 26 * DAY)
    s.ctx["weeks"] = str(round((t - app.at) / (7 * DAY)))
    last = s.reply(app, t, who, s.letter(who, s.say("mail_chase1")), "chase")
    if s.chance(0.6):
        t = later(s.rng, last.at, 5 * DAY, 12 * DAY)
        text = s.letter(who, s.say("mail_chase2"))
        last = (s.post("email", t, who, text, kind="chase", title=s.say("chase_subject"))
                if s.chance(0.3) else s.reply(last, t, who, text, "chase"))
    if s.chance(0.45):
        t = office_hours(s.rng, max(later(s.rng, app.at, 35 * DAY, 45 * DAY), last.at + DAY))
        answer = s.brand(last, t, s.pick("reject"), "answer", late=True)
        if s.chance(0.5):
            _feedback_request(s, answer, later(s.rng, answer.at, HOUR, 4 * DAY), p_promise=0.1,
                              p_answer=0.15, key="mail_feedback_reject")


def _feedback_request(s: Scene, parent: Line, t: int, p_promise: float = 0.5,
                      p_answer: float = 0.3, key: str = "mail_feedback") -> None:
    """The candidate asks for feedback: promised sometimes, answered rarely."""
    who = parent.who if not parent.who.brand else parent.parent.who
    s.ctx["date"] = date_text(t - int(2 + s.rng.random() * 5) * DAY, s.lang)
    ask = s.reply(parent, t, who, s.letter(who, s.say(key)), "request")
    if s.chance(p_promise):
        s.promise(ask, s.pick("mail_promise"), 7, "mail_kept", "mail_chase_promise")
    else:
        s.await_answer(ask, PHRASES["mail_kept"]["en"][0], p=p_answer)


def e_question(s: Scene) -> None:
    who = s.lead()
    question, answer = s.qa()
    mail = _mail(s, s.t0, who, question, s.say("mail_question"), "question")
    s.await_answer(mail, answer)


def e_feedback(s: Scene) -> None:
    who = s.lead()
    s.ctx["date"] = date_text(s.t0 - int(3 + s.rng.random() * 10) * DAY, s.lang)
    mail = _mail(s, s.t0, who, s.say("mail_feedback"), s.say("mail_feedback_subject"), "request")
    if s.chance(0.5):
        s.promise(mail, s.pick("mail_promise"), 7, "mail_kept", "mail_chase_promise")
    else:
        s.await_answer(mail, PHRASES["mail_kept"]["en"][0], p=0.4)


def e_complaint(s: Scene) -> None:
    who = s.lead()
    s.ctx["date"] = date_text(s.t0 - int(2 + s.rng.random() * 8) * DAY, s.lang)
    mail = _mail(s, s.t0, who, s.say("mail_complaint"), s.say("mail_complaint_subject"),
                 "complaint")
    if s.chance(0.3):
        s.promise(mail, s.pick("mail_promise"), 7, "mail_kept", "mail_chase_promise")
    else:
        s.await_answer(mail, s.pick("mail_apology"))


def e_noise(s: Scene) -> None:
    """Mail that needs no answer: agency pitches and thank-you notes."""
    if s.chance(0.5):
        index = int(s.rng.random() * len(AGENCIES))
        name, address, company = AGENCIES[index]
        agent = Person(-200 - index, name.split()[0], name, "", "", address, "en", "", "", "", 0,
                       "html")
        text = f"Hello,\n\n{s.say('agency')}\n\nBest,\n{name}\n{company}"
        s.post("email", local_time(s.rng, s.day0, office=True), agent, text,
               kind="noise", title=s.say("agency_subject"))
        return
    who = s.lead()
    _mail(s, s.t0, who, s.say("thank_note"), "Thank you", "praise")


STORIES = {
    "x": ((24, x_question), (12, x_complaint), (8, x_request), (14, x_broadcast), (10, x_praise),
          (6, x_news), (12, x_chatter)),
    "reddit": ((32, r_complaint), (25, r_employer), (22, r_question), (8, r_praise),
               (13, r_offtopic)),
    "youtube": ((30, yt_question), (15, yt_complaint), (25, yt_praise), (30, yt_chatter)),
    "email": ((40, e_application), (20, e_question), (15, e_feedback), (13, e_complaint),
              (12, e_noise)),
}
_STORY_CUM = {channel: (tuple(itertools.accumulate(w for w, _ in options)),
                        tuple(story for _, story in options))
              for channel, options in STORIES.items()}


def tell(channel: str, rng: random.Random, cast: Cast, t0: int, day0: int) -> list[Line]:
    """One story that starts on ``channel`` at ``t0`` (within the day starting at ``day0``).

    Its lines may spill to e-mail and into later days; the caller cuts them at its ``end``.
    """
    cum, stories = _STORY_CUM[channel]
    story = stories[bisect.bisect_right(cum, rng.random() * cum[-1])]
    scene = Scene(rng, cast, t0, day0)
    story(scene)
    return scene.lines
