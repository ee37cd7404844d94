"""Text analysis on the command line: a JSONL stream, and the team's corrections as training."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from commands.common import app, err, fail, labels_app, workspace


@app.command()
def analyze() -> None:
    """Read JSONL posts on stdin, write their analysis as JSONL on stdout (streaming; bulk
    input uses FULLCIRCLE_WORKERS processes)."""
    from commands.analyze_stream import analyze_fd
    from pipeline.model_choice import use_model
    from settings import ConfigError, load_settings

    try:
        settings = load_settings()
        use_model(settings)
        workers = settings.workers
    except ConfigError as exc:
        fail(exc)
    failures = analyze_fd(sys.stdin.fileno(), sys.stdout, sys.stderr, workers)
    raise typer.Exit(1 if failures else 0)


@labels_app.command("export")
def labels_export(
    output: Path | None = typer.Option(None, help="Write the JSONL here instead of stdout."),
    answered: bool = typer.Option(
        True, help="Also export posts the brand answered although the text rules did not flag them."
    ),
) -> None:
    """Export the team's corrections ("no answer needed", "add to the backlog") as JSONL
    training rows in the corpus's format."""
    from store.labels import training_rows

    with workspace() as ws, ws.engine.connect() as conn:
        rows = training_rows(conn, answered=answered)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    err.print(f"Exported {len(rows)} training row(s).")


@labels_app.command("train")
def labels_train(
    output: Path = typer.Option(
        Path("data/text_model.json"), help="Where to write the retrained model."
    ),
) -> None:
    """Retrain the text model on the shipped corpus plus this workspace's corrections; use it
    by setting FULLCIRCLE_MODEL to the file it writes."""
    import corpus
    from corpus.train import build
    from store.labels import training_rows

    with workspace() as ws, ws.engine.connect() as conn:
        corrections = training_rows(conn)
    table, report = build([*corpus.rows("train"), *corrections])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
    chosen = report["needs"]["chosen"]
    scores = report["needs"]["candidates"][
        f"{'words+rules' if chosen['with_rules'] else 'words'} C={chosen['C']}"
    ]
    err.print(
        f"Trained on {report['rows']} rows ({len(corrections)} from this workspace); "
        f"cross-validated needs-response F1 {scores['f1']:.3f}. Wrote {output}: set "
        f"FULLCIRCLE_MODEL={output} and restart the dashboard and workers to use it."
    )
