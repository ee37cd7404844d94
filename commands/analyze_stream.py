"""``cli.py analyze``: JSONL in, JSONL out, one line at a time so any input size streams.

A bad line is reported on stderr with its number and skipped; the caller exits 1 at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from analysis.text import TextFacts, analyse_text


class BadLine(ValueError):
    """An input line that is not a post object."""


def _reject_constant(name: str) -> None:
    raise BadLine(f"not JSON ({name} is not a JSON value)")


CHANNELS = ("direct", "addressed", "public")
DIRECT_PLATFORMS = ("email",)


def parse_line(line: str) -> tuple[Any, str, bool, str | None, str | None, bool]:
    """The post of one line. Every way ``json.loads`` fails is a ``BadLine``: bad syntax,
    nesting deeper than the stack (``RecursionError``), an integer of more than 4,300 digits
    (``ValueError``), and NaN or Infinity, which are not JSON and could not be echoed back."""
    try:
        item = json.loads(line, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise BadLine("not JSON (nested too deeply)") from exc
    except BadLine:
        raise
    except ValueError as exc:
        raise BadLine("not JSON (a number too long to read)") from exc
    if not isinstance(item, dict):
        raise BadLine("not a JSON object")
    if "id" not in item:
        raise BadLine('no "id"')
    text, is_brand, lang = item.get("text"), item.get("is_brand", False), item.get("lang")
    if not isinstance(text, str):
        raise BadLine('"text" is missing or not a string')
    if not isinstance(is_brand, bool):
        raise BadLine('"is_brand" must be true or false')
    if lang is not None and not isinstance(lang, str):
        raise BadLine('"lang" must be a string or null')
    return (item["id"], text, is_brand, lang, _channel(item), _flag(item, "automated"))


def _channel(item: dict) -> str | None:
    """The post's channel: given, or "direct" for a mail; None lets the text decide."""
    channel, platform = item.get("channel"), item.get("platform")
    if channel is not None and channel not in CHANNELS:
        raise BadLine(f'"channel" must be one of {", ".join(CHANNELS)} or null')
    if platform is not None and not isinstance(platform, str):
        raise BadLine('"platform" must be a string or null')
    return channel or ("direct" if platform in DIRECT_PLATFORMS else None)


def _flag(item: dict, name: str) -> bool:
    value = item.get(name, False)
    if not isinstance(value, bool):
        raise BadLine(f'"{name}" must be true or false')
    return value


def result_line(item_id: Any, facts: TextFacts) -> str:
    """The answer for one post. ASCII-only JSON: the id is echoed exactly as it came, and an id
    holding a lone surrogate (a JSON "\\ud800" escape) stays an escape instead of making the
    UTF-8 output stream fail."""
    return json.dumps(
        {
            "id": item_id,
            "needs_response": facts.needs_response,
            "intent": facts.intent,
            "sentiment": round(facts.sentiment, 4),
            "sentiment_label": facts.sentiment_label,
            "promise_hours": facts.promise.hours if facts.promise else None,
            "reason": facts.reason,
        },
        ensure_ascii=True,
    )


def analyze_stream(lines: Iterable[bytes], out: TextIO, errors: TextIO) -> int:
    """Analyse every line (bytes, so bad encodings are reported, not fatal); returns failures.

    Each answer is flushed at once: a caller feeding a pipe line by line gets its answer
    without waiting for the end of the input.
    """
    failures = 0
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            failures += 1
            errors.write(f"line {number}: not UTF-8 text (byte {exc.start + 1})\n")
            continue
        if not line.strip():
            continue
        try:
            item_id, text, is_brand, lang, channel, automated = parse_line(line)
            answer = result_line(item_id, analyse_text(text, is_brand, lang, channel, automated))
        except BadLine as exc:
            failures += 1
            errors.write(f"line {number}: {exc}\n")
            continue
        except RecursionError:
            failures += 1
            errors.write(f'line {number}: "id" is nested too deeply to echo back\n')
            continue
        out.write(answer + "\n")
        out.flush()
    return failures
