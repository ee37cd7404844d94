"""RSS 2.0 and Atom 1.0 entries as posts: Google Alerts, a candidate's blog, a job forum.

The feeds under tests/data/feeds are hand-written in the shape of real ones (see
tests/data/README.md); they go through feedparser and the one mapping every path uses.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.base import MalformedPayloadError
from connectors.feed import html_text, post_from_entry, posts_from_document, unwrap_link
from tests.support.fake_feed_server import feed_file


def test_a_google_alerts_entry_is_the_article_it_points_to_in_plain_text():
    found, problems = posts_from_document(feed_file("google_alerts_atom.xml"), "feed:alerts")
    assert problems == []
    first = found[0]
    assert first.external_id == "tag:google.com,2013:googlealerts/feed:11111111111111111111"
    assert first.url == "https://medium.example.com/@dana/why-i-turned-down-northwind-labs-3f9a"
    assert first.subject == "Why I turned down Northwind Labs after the final round - Medium"
    assert first.text.startswith(first.subject + "\n\nThe offer from Northwind Labs came")
    assert "<b>" not in first.text and "&nbsp;" not in first.text
    # Alerts name no author: the site that published the article stands in for one.
    assert [p.author_handle for p in found] == ["medium.example.com", "technews.example.net"]
    assert first.created_at == datetime(2026, 11, 2, 11, 42, 38, tzinfo=UTC)
    assert first.thread_key == first.external_id and first.source == "feed:alerts"


def test_a_blog_s_rss_items_become_posts_with_title_summary_link_and_author():
    found, problems = posts_from_document(feed_file("candidate_blog_rss20.xml"), "feed:blog")
    post = found[0]
    assert (post.external_id, post.url) == (
        "https://jobhunt.example.org/2026/11/northwind-silence",
        "https://jobhunt.example.org/2026/11/northwind-silence",
    )
    assert post.text == (
        "Three interviews at Northwind Labs, then silence\n\n"
        "I did three rounds with Northwind Labs in October.\n\n"
        "Since then: nothing. Has anyone heard back from their recruiters?"
    )
    assert (post.author_handle, post.lang) == ("Sam Rivera", "en")
    assert found[1].external_id == "jobhunt-2026-10-take-home"  # a guid that is no link
    # The item without guid and link cannot be deduplicated: reported, not stored.
    assert [p.reason for p in problems] == ["entry has neither an id nor an http(s) link"]


def test_script_styles_and_javascript_links_in_a_summary_stay_inert():
    found, _ = posts_from_document(feed_file("candidate_blog_rss20.xml"), "feed:blog")
    hostile = found[1]
    assert (
        hostile.text == "What a good take-home looks like\n\nWatch out for nasty tricks click here"
    )
    assert "<" not in hostile.text and "alert" not in hostile.text
    assert "javascript" not in hostile.text and "stolen" not in hostile.text


def test_atom_xhtml_content_and_relative_links_and_an_undated_entry():
    found, problems = posts_from_document(feed_file("job_forum_atom10.xml"), "feed:forum")
    assert [p.url for p in found] == [
        "https://forum.example.com/t/northwind-labs-recruiter/4411/1",
        "https://forum.example.com/t/northwind-labs-recruiter/4411/2",
    ]
    assert found[1].text == (
        "Re: Northwind Labs recruiter never called back\n\nSame here, two weeks and counting."
    )
    assert [p.author_handle for p in found] == ["priya_k", "jonas"]
    assert [(p.item_id, p.reason) for p in problems] == [
        (
            "tag:forum.example.com,2026:post:undated-1",
            "entry has no readable published or updated date",
        )
    ]


def test_an_undated_entry_takes_the_time_it_was_read_when_one_is_given():
    read_at = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    found, problems = posts_from_document(
        feed_file("job_forum_atom10.xml"), "feed:forum", fallback_time=read_at
    )
    assert problems == [] and found[2].created_at == read_at


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            "https://www.google.com/url?rct=j&sa=t&url=https://blog.example.com/p%3Fa%3D1&ct=ga",
            "https://blog.example.com/p?a=1",
        ),
        (
            "https://www.google.de/url?q=https://blog.example.com/x&sa=U",
            "https://blog.example.com/x",
        ),
        (
            "https://www.google.com/url?url=javascript:alert(1)",
            "https://www.google.com/url?url=javascript:alert(1)",
        ),
        (
            "https://blog.example.com/url?url=https://elsewhere.example/",
            "https://blog.example.com/url?url=https://elsewhere.example/",
        ),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("/relative/only", None),
        ("", None),
    ],
)
def test_google_redirect_links_are_unwrapped_and_only_http_links_kept(link, expected):
    assert unwrap_link(link) == expected


def test_an_entry_without_title_and_summary_is_malformed():
    with pytest.raises(MalformedPayloadError, match="neither a title nor a summary"):
        post_from_entry({"id": "tag:x,2026:1", "published": "2026-11-02T09:00:00Z"})


def test_the_same_document_maps_to_the_same_posts_every_time():
    document = feed_file("google_alerts_atom.xml")
    assert posts_from_document(document, "a") == posts_from_document(document, "a")


def test_a_web_page_or_garbage_is_no_feed_and_says_so():
    with pytest.raises(MalformedPayloadError, match="not an RSS or Atom feed"):
        posts_from_document(b"<html><head><title>Login</title></head><body>hi</body></html>")
    with pytest.raises(
        MalformedPayloadError, match="not an RSS or Atom feed: line .*not well-formed"
    ):
        posts_from_document(b"{'this is': 'not xml'}")


def test_a_feed_that_is_not_well_formed_is_read_leniently_and_says_so():
    broken = feed_file("google_alerts_atom.xml").replace(b"</feed>", b"")
    found, problems = posts_from_document(broken, "feed:alerts")
    assert len(found) == 2
    assert [p.reason.split(":")[0] for p in problems] == ["feed read leniently"]


def test_html_text_keeps_paragraphs_and_drops_scripts():
    assert html_text("<p>one</p><script>x()</script><p>two&amp;three</p>") == "one\n\ntwo&three"


_ITEM = (
    b"<rss version='2.0'><channel><title>t</title><item><guid>g</guid><title>%s</title>"
    b"<pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>"
)


def test_entities_of_a_doctype_are_never_expanded_nor_fetched():
    """A billion-laughs entity stays unexpanded text, an external entity is not read."""
    laughs = b"".join(
        b'<!ENTITY l%d "%s">' % (n, (b"&l%d;" % (n - 1)) * 10 if n else b"lol") for n in range(10)
    )
    bomb = b"<?xml version='1.0'?><!DOCTYPE r [" + laughs + b"]>" + _ITEM % b"&l9;"
    [post], problems = posts_from_document(bomb, "feed:x")
    # expat refuses the amplification (its wording varies by version); nothing is expanded
    assert post.text == "&l9;" and len(problems) == 1
    assert problems[0].reason.startswith("feed read leniently: line 1:")
    external = (
        b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>"
        + _ITEM % b"a &x; b"
    )
    [post], _ = posts_from_document(external, "feed:x")
    assert post.text == "a  b"
