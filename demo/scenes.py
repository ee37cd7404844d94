"""The demo's stories: short conversations about Northwind Labs, told as platform-neutral lines.

A story is one short conversation about the fictional employer (a question and its answer, a
complaint moved from X to e-mail, an application followed by silence): who says what, when, in
reply to which line. ``demo.payloads`` turns lines into X, Reddit, YouTube and e-mail payloads,
so nothing here knows JSON or MIME.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from demo.cast import (
    BRAND,
    BRAND_CAREERS_X,
    BRAND_NO_REPLY,
    CHASES,
    DAY,
    HOUR,
    P_ANSWER,
    P_KEPT,
    P_LATE,
    P_THANKS,
    Cast,
    Person,
    brand_time,
    date_text,
    fold,
    later,
    local_time,
    office_hours,
)
from demo.feed_payloads import FEED_STORIES
from demo.hn_payloads import HN_STORIES
from demo.words import (
    AGENCIES,
    CITIES,
    PHRASES,
    QA,
    RECRUITERS,
    REDDIT_COMPLAINTS,
    REQUESTS,
    ROLES,
    SUBREDDITS,
    VIDEOS,
    WEEKDAYS,
    WHEN,
)

# ------------------------------------------------------------------------------------ the lines


class Line:
    """One post of a story before any platform formats it.

    ``parent`` is the line it replies to (``None`` starts a thread); ``kind`` says what the
    story meant by it (question, chase, answer, promise, ...), which only tests and tuning read.
    ``ext`` and ``node`` belong to the renderer: the platform id and its scratch data.
    """

    __slots__ = (
        "channel",
        "at",
        "who",
        "text",
        "lang",
        "parent",
        "kind",
        "title",
        "venue",
        "auto",
        "ext",
        "node",
    )

    def __init__(
        self,
        channel: str,
        at: int,
        who: Person,
        text: str,
        lang: str,
        parent: Line | None = None,
        kind: str = "",
        title: str = "",
        venue: str = "",
        auto: bool = False,
    ) -> None:
        self.channel, self.at, self.who, self.text, self.lang = channel, at, who, text, lang
        self.parent, self.kind, self.title, self.venue, self.auto = parent, kind, title, venue, auto
        self.ext = ""
        self.node: Any = None  # the renderer's, of its own shape per platform

    @property
    def replied(self) -> Line:
        """The line this one replies to (a reply always has one)."""
        assert self.parent is not None, "only a reply has a parent"
        return self.parent

    @property
    def root(self) -> Line:
        line = self
        while line.parent is not None:
            line = line.parent
        return line


T = TypeVar("T")


def _pick(rng: random.Random, options: Sequence[T]) -> T:
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
            "first": "",
            "role": _pick(rng, ROLES),
            "city": _pick(rng, CITIES),
            "weeks": str(3 + int(rng.random() * 5)),
            "days": "3",
            "when": "",
            "recruiter": f"{rfirst} {rlast}",
            "rfirst": rfirst,
            "weekday": _pick(rng, WEEKDAYS),
            "video": _pick(rng, VIDEOS)[0],
            "years": str(2 + int(rng.random() * 9)),
            "date": "",
            "friend": "",
            "where": "X",
            "slug": f"{fold(rfirst)}-{int(t0) % 9973}",
        }

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

    def post(
        self,
        channel: str,
        at: int,
        who: Person,
        text: str,
        parent: Line | None = None,
        kind: str = "",
        title: str = "",
        venue: str = "",
        auto: bool = False,
    ) -> Line:
        line = Line(
            channel,
            at,
            who,
            text,
            self.lang,
            parent,
            kind,
            title,
            venue or (parent.venue if parent else ""),
            auto,
        )
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
            text = (
                f"{self.say('brand_hi', who)}\n\n{late_words}{_capital(core)}\n\n"
                f"{self.pick('brand_bye')}\n{self.ctx['recruiter']}\n"
                "Talent Acquisition, Northwind Labs"
            )
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
            self.reply(
                answer,
                t,
                last.who,
                self.words(last.channel, last.who, self.say("thanks")),
                "thanks",
            )
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
            return self.post(
                "email",
                t,
                who,
                self.letter(who, text),
                kind="chase",
                title=self.say("chase_subject"),
            )
        text = self.words(channel, who, self.say(("chase1", "chase2", "chase3")[n]), mention=True)
        return self.reply(last, t, who, text, "chase")

    def promise(
        self, target: Line, core: str, days: int, kept: str = "kept", chase: str = "chase_promise"
    ) -> Line:
        """A brand promise with a deadline; kept by a later brand reply, or broken and chased."""
        made = self.brand(target, brand_time(self.rng, target.at), core, "promise")
        deadline = made.at + days * DAY
        self.ctx["when"] = WHEN[self.lang][days]
        if self.chance(P_KEPT):
            t = office_hours(self.rng, made.at + int(days * DAY * (0.1 + 0.6 * self.rng.random())))
            done = self.brand(
                target, max(made.at + 600, min(t, deadline - 600)), self.pick(kept), "kept"
            )
            if self.chance(P_THANKS):
                self.reply(
                    done,
                    later(self.rng, done.at, 300, DAY),
                    target.who,
                    self.words(target.channel, target.who, self.say("thanks")),
                    "thanks",
                )
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
        sign = {
            "x": f"(@{who.handle} on X)",
            "reddit": f"(u/{who.reddit} on Reddit)",
            "youtube": f"(@{who.handle} on YouTube)",
        }[channel]
        t = later(self.rng, ask.at, 1200, 30 * HOUR)
        body = self.say("from_channel") + complaint
        mail = self.post(
            "email",
            t,
            who,
            self.letter(who, body, sign),
            kind="complaint",
            title=self.say("from_channel_subject"),
        )
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
        self.rng.shuffle(options)  # no two bystanders say the same thing
        said: list[Line] = []
        for k in range(n):
            parent = _pick(self.rng, said) if said and self.chance(nest) else root
            who = self.cast.anyone(self.rng)
            t = later(self.rng, parent.at, 180, 20 * HOUR)
            said.append(
                self.reply(parent, t, who, self.fill(options[k % len(options)], who), "crowd")
            )
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
    key = (
        "job_ad"
        if roll < 0.5
        else "event"
        if roll < 0.7
        else "video_post"
        if roll < 0.92
        else "brand_news"
    )
    if key == "job_ad":  # only job ads are posted in Dutch and German too
        s.lang = _pick(s.rng, ("en",) * 4 + ("nl", "de"))
    author = BRAND_CAREERS_X if key == "job_ad" and s.chance(0.5) else BRAND
    root = s.post("x", local_time(s.rng, s.day0, office=True), author, s.say(key), kind="broadcast")
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
    root = s.post(
        "reddit",
        s.t0,
        who,
        complaint,
        kind="complaint",
        title=s.fill(title),
        venue=_subreddit(s, "complaint"),
    )
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
        update = s.reply(
            root, later(s.rng, root.at, 3 * DAY, 12 * DAY), who, s.say("r_update"), "chase"
        )
        if s.chance(0.2):
            s.answered(update, s.pick("apology"), late=True)


def r_employer(s: Scene) -> None:
    """'Anyone work there?': a question to the crowd about the employer."""
    who = s.lead()
    root = s.post(
        "reddit",
        s.t0,
        who,
        s.say("r_employer_body"),
        kind="crowd",
        title=s.say("r_employer_title"),
        venue=_subreddit(s, "employer"),
    )
    s.crowd(root, "r_employer_reply", 1 + int(s.rng.random() * 7))
    if s.chance(0.15):
        s.brand(root, brand_time(s.rng, root.at), s.qa()[1], "answer")


def r_question(s: Scene) -> None:
    """A question addressed to the company's recruiters on Reddit."""
    who = s.lead()
    question, answer = s.qa()
    root = s.post(
        "reddit",
        s.t0,
        who,
        question,
        kind="question",
        title=s.say("r_question_title"),
        venue=_subreddit(s, "employer"),
    )
    if s.chance(0.4):
        s.crowd(root, "r_employer_reply", 1 + int(s.rng.random() * 3))
    s.await_answer(root, answer)


def r_praise(s: Scene) -> None:
    who = s.lead()
    root = s.post(
        "reddit",
        s.t0,
        who,
        s.say("praise"),
        kind="praise",
        title=s.say("r_praise_title"),
        venue=_subreddit(s, "employer"),
    )
    s.crowd(root, "r_employer_reply", int(s.rng.random() * 4))
    if s.chance(0.35):
        s.brand(root, brand_time(s.rng, root.at), s.pick("thank_back"), "thanks")


def r_offtopic(s: Scene) -> None:
    """A thread that only mentions the company in passing."""
    who = s.lead()
    s.lang = "en"
    root = s.post(
        "reddit",
        s.t0,
        who,
        s.say("crowd"),
        kind="crowd",
        title=s.say("r_offtopic_title"),
        venue=_subreddit(s, "offtopic"),
    )
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
    root = _video_comment(
        s, who, f"Nice video, but... {complaint}" if s.lang == "en" else complaint, "complaint"
    )
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
    s.post(
        "email",
        later(s.rng, app.at, 15, 300),
        BRAND_NO_REPLY,
        auto,
        app,
        "promise",
        title="Thank you for applying to Northwind Labs",
        auto=True,
    )
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
            s.post(
                "email", answer.at + 20, who, s.letter(who, s.say("ooo")), answer, "auto", auto=True
            )
        if s.chance(0.75):
            slot = s.reply(
                answer,
                later(s.rng, answer.at, 2 * HOUR, 3 * DAY),
                who,
                s.letter(who, s.say("slot_reply")),
                "thanks",
            )
            if s.chance(0.35):
                _feedback_request(s, slot, later(s.rng, slot.at, 7 * DAY, 15 * DAY))
    elif key == "reject" and s.chance(0.45):
        _feedback_request(
            s,
            answer,
            later(s.rng, answer.at, HOUR, 3 * DAY),
            p_promise=0.2,
            key="mail_feedback_reject",
        )


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
        last = (
            s.post("email", t, who, text, kind="chase", title=s.say("chase_subject"))
            if s.chance(0.3)
            else s.reply(last, t, who, text, "chase")
        )
    if s.chance(0.45):
        t = office_hours(s.rng, max(later(s.rng, app.at, 35 * DAY, 45 * DAY), last.at + DAY))
        answer = s.brand(last, t, s.pick("reject"), "answer", late=True)
        if s.chance(0.5):
            _feedback_request(
                s,
                answer,
                later(s.rng, answer.at, HOUR, 4 * DAY),
                p_promise=0.1,
                p_answer=0.15,
                key="mail_feedback_reject",
            )


def _feedback_request(
    s: Scene,
    parent: Line,
    t: int,
    p_promise: float = 0.5,
    p_answer: float = 0.3,
    key: str = "mail_feedback",
) -> None:
    """The candidate asks for feedback: promised sometimes, answered rarely."""
    asker = parent.parent if parent.who.brand else parent
    assert asker is not None, "a brand line answers someone"
    who = asker.who
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
    mail = _mail(
        s, s.t0, who, s.say("mail_complaint"), s.say("mail_complaint_subject"), "complaint"
    )
    if s.chance(0.3):
        s.promise(mail, s.pick("mail_promise"), 7, "mail_kept", "mail_chase_promise")
    else:
        s.await_answer(mail, s.pick("mail_apology"))


def e_noise(s: Scene) -> None:
    """Mail that needs no answer: agency pitches and thank-you notes."""
    if s.chance(0.5):
        index = int(s.rng.random() * len(AGENCIES))
        name, address, company = AGENCIES[index]
        agent = Person(
            -200 - index, name.split()[0], name, "", "", address, "en", "", "", "", 0, "html"
        )
        text = f"Hello,\n\n{s.say('agency')}\n\nBest,\n{name}\n{company}"
        s.post(
            "email",
            local_time(s.rng, s.day0, office=True),
            agent,
            text,
            kind="noise",
            title=s.say("agency_subject"),
        )
        return
    who = s.lead()
    _mail(s, s.t0, who, s.say("thank_note"), "Thank you", "praise")


STORIES = {
    "x": (
        (24, x_question),
        (12, x_complaint),
        (8, x_request),
        (14, x_broadcast),
        (10, x_praise),
        (6, x_news),
        (12, x_chatter),
    ),
    "reddit": (
        (32, r_complaint),
        (25, r_employer),
        (22, r_question),
        (8, r_praise),
        (13, r_offtopic),
    ),
    "youtube": ((30, yt_question), (15, yt_complaint), (25, yt_praise), (30, yt_chatter)),
    "hn": HN_STORIES,
    "email": (
        (40, e_application),
        (20, e_question),
        (15, e_feedback),
        (13, e_complaint),
        (12, e_noise),
    ),
    "feed": FEED_STORIES,
}
STORIES["bluesky"] = STORIES["x"]  # told like on X; demo.bluesky_payloads writes them
_STORY_CUM = {
    channel: (
        tuple(itertools.accumulate(w for w, _ in options)),
        tuple(story for _, story in options),
    )
    for channel, options in STORIES.items()
}


def tell(channel: str, rng: random.Random, cast: Cast, t0: int, day0: int) -> list[Line]:
    """One story that starts on ``channel`` at ``t0`` (within the day starting at ``day0``).

    Its lines may spill to e-mail and into later days; the caller cuts them at its ``end``.
    """
    cum, stories = _STORY_CUM[channel]
    story = stories[bisect.bisect_right(cum, rng.random() * cum[-1])]
    scene = Scene(rng, cast, t0, day0)
    story(scene)
    return scene.lines
