"""The function-word shortcut in front of lingua: it names a post's language only where lingua
would name the same one or misread it, so the language split cannot get worse for the speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.language_id import SHORT_CHARS, detect, read_by_lingua, speech, sure_language

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _labelled_posts() -> list[tuple[str, str]]:
    """(label, cleaned words) of every English, Dutch and German post of the corpus, once."""
    seen: dict[str, str] = {}
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            words = speech(row["text"])
            if row.get("lang") in ("en", "nl", "de") and words:
                seen.setdefault(words, row["lang"])
    return [(label, words) for words, label in seen.items()]


def test_on_the_corpus_the_shortcut_agrees_with_lingua_or_with_the_label():
    """Where the shortcut answers, it says what lingua says; where the two differ, the post's
    label sides with the shortcut. It answers for a good share of the longer posts."""
    posts = _labelled_posts()
    answered = [(label, words, sure_language(words)) for label, words in posts]
    answered = [(label, words, sure) for label, words, sure in answered if sure is not None]
    long_posts = [words for _, words in posts if len(words) >= SHORT_CHARS]
    assert len(answered) >= 0.4 * len(long_posts)
    differing = [
        (label, sure, read_by_lingua(words), words)
        for label, words, sure in answered
        if sure != read_by_lingua(words)
    ]
    assert all(label == sure for label, sure, _, _ in differing), differing
    assert len(differing) <= 0.005 * len(answered)


def test_the_language_figures_of_the_corpus_are_no_worse_than_linguas():
    posts = _labelled_posts()
    with_shortcut = sum(detect(words) == label for label, words in posts)
    lingua_alone = sum(read_by_lingua(words) == label for label, words in posts)
    assert with_shortcut >= lingua_alone


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Hoi, ik heb twee weken geleden gesolliciteerd maar nog niets gehoord. Kunnen jullie "
            "laten weten hoe het ervoor staat?",
            "nl",
        ),
        (
            "Hallo, ich habe mich vor drei Wochen beworben und noch keine Antwort bekommen. "
            "Koennen Sie mir sagen, ob es schon Neuigkeiten gibt?",
            "de",
        ),
        (
            "Hallo, ich habe mich vor drei Wochen beworben und noch keine Antwort bekommen. "
            "Können Sie mir sagen, ob es schon Neuigkeiten gibt?",
            "de",
        ),
        (
            "Hi, is the Berlin role still open? I applied three weeks ago and have not heard "
            "anything about my application.",
            "en",
        ),
    ],
)
def test_plain_english_dutch_and_german_posts_get_lingua_s_language(text, code):
    """Dutch and German written in plain ASCII too (no umlauts), as on a phone."""
    words = speech(text)
    assert sure_language(words) == code
    assert read_by_lingua(words) == code


@pytest.mark.parametrize(
    "text",
    [
        # Swedish with an English loan word and "just": lingua reads it
        "Hej, jag har just sökt jobbet som data engineer men inte fått något svar än. Tack!",
        # a Danish reply: "for", "and" (duck) and "mit" mark no language here
        "Tak for svaret, jeg har sendt mit CV og venter spændt på at høre fra jer igen.",
        # a Dutch mail with an English sign-off: the two languages rule each other out
        "Beste recruiter, ik heb mijn documenten al twee keer geupload. Thank you and best "
        "regards, Bram",
        # French in ASCII: no marker of any of the three
        "Bonjour, est-ce que le poste de developpeur a Paris est toujours ouvert pour les juniors?",
        # too short for lingua's long path: lingua's confidence rule decides
        "Thanks, and have a nice day!",
    ],
)
def test_other_languages_mixed_and_short_posts_are_left_to_lingua(text):
    assert sure_language(speech(text)) is None
