"""``cli.py analyze``: JSONL in, JSONL out, one line at a time so any input size streams.

A bad line is reported on stderr with its number and skipped; the caller exits 1 at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing import get_context
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


def answer_lines(lines: Sequence[bytes], first: int) -> tuple[str, str, int]:
    """(answers, error lines, failures) for consecutive input lines numbered from ``first``."""
    answers: list[str] = []
    problems: list[str] = []
    for number, raw in enumerate(lines, start=first):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"line {number}: not UTF-8 text (byte {exc.start + 1})\n")
            continue
        if not line.strip():
            continue
        try:
            item_id, text, is_brand, lang, channel, automated = parse_line(line)
            answer = result_line(item_id, analyse_text(text, is_brand, lang, channel, automated))
        except BadLine as exc:
            problems.append(f"line {number}: {exc}\n")
            continue
        except RecursionError:
            problems.append(f'line {number}: "id" is nested too deeply to echo back\n')
            continue
        answers.append(answer + "\n")
    return "".join(answers), "".join(problems), len(problems)


def analyze_stream(lines: Iterable[bytes], out: TextIO, errors: TextIO) -> int:
    """Analyse every line (bytes, so bad encodings are reported, not fatal); returns failures.

    Each answer is flushed at once: a caller feeding a pipe line by line gets its answer
    without waiting for the end of the input.
    """
    failures = 0
    for number, raw in enumerate(lines, start=1):
        answers, problems, failed = answer_lines([raw], number)
        failures += failed
        errors.write(problems)
        if answers:
            out.write(answers)
            out.flush()
    return failures


# A read that brings at least this many lines at once is bulk input: worth the other cores.
BULK_LINES = 200
READ_BYTES = 1 << 16
CHUNKS_AHEAD = 8


def chunks(fd: int) -> Iterator[list[bytes]]:
    """The input as lists of whole lines, one list per read: whatever has arrived, so a line
    typed into a pipe comes out at once and a file comes in blocks of about 64 KB."""
    rest = b""
    while block := os.read(fd, READ_BYTES):
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        if lines:
            yield [line + b"\n" for line in lines]
    if rest:
        yield [rest]


def analyze_fd(fd: int, out: TextIO, errors: TextIO, workers: int) -> int:
    """Analyse the stream on ``fd``; bulk input is spread over ``workers`` processes, in order.

    Input that arrives a line at a time is answered in this process, line by line, as it
    comes; once a single read brings ``BULK_LINES`` lines (a file or a fast pipe), a pool of
    forked workers (they inherit the loaded model) analyses the blocks while this process
    reads ahead and writes the answers back in input order.
    """
    failures, number = 0, 1
    stream = chunks(fd)
    for block in stream:
        if workers > 1 and len(block) >= BULK_LINES:
            return failures + _pooled(
                itertools.chain([block], stream), number, out, errors, workers
            )
        answers, problems, failed = answer_lines(block, number)
        number += len(block)
        failures += failed
        errors.write(problems)
        out.write(answers)
        out.flush()
    return failures


def _pooled(
    blocks: Iterator[list[bytes]], number: int, out: TextIO, errors: TextIO, workers: int
) -> int:
    failures = 0
    ahead = threading.BoundedSemaphore(CHUNKS_AHEAD * workers)

    def numbered() -> Iterator[tuple[list[bytes], int]]:
        start = number
        for block in blocks:
            ahead.acquire()
            yield block, start
            start += len(block)

    with get_context("fork").Pool(workers) as pool:
        for answers, problems, failed in pool.imap(_answer_block, numbered()):
            ahead.release()
            failures += failed
            errors.write(problems)
            out.write(answers)
            out.flush()
    return failures


def _answer_block(job: tuple[list[bytes], int]) -> tuple[str, str, int]:
    return answer_lines(*job)
