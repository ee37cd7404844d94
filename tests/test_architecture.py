"""The layers hold: who may import whom, where SQL and Streamlit live, and no import cycles.

The contracts below are the architecture; the README's architecture section is checked against
them (its table is ``contracts_table()``, word for word), so the two cannot drift apart.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

# component -> the components it may import (its own modules always)
CONTRACTS: dict[str, frozenset[str]] = {
    "settings": frozenset(),
    "analysis": frozenset(),
    # A mapping may use analysis's pure text functions (the mail connector strips quoted
    # replies with the same rules the analysis normalises by).
    "connectors": frozenset({"analysis"}),
    "store": frozenset({"analysis"}),
    "demo": frozenset({"connectors"}),
    "corpus": frozenset({"analysis"}),
    "pipeline": frozenset({"analysis", "connectors", "demo", "settings", "store"}),
    "engagement": frozenset({"analysis", "connectors", "pipeline", "settings", "store"}),
    "dashboard": frozenset(
        {"analysis", "connectors", "engagement", "pipeline", "settings", "store"}
    ),
    "pages": frozenset(
        {"analysis", "connectors", "dashboard", "engagement", "pipeline", "settings", "store"}
    ),
    "app": frozenset({"dashboard"}),
    "cli": frozenset(
        {"analysis", "connectors", "corpus", "demo", "engagement", "pipeline", "settings", "store"}
    ),
}
ROLES = {
    "settings": "configuration from the environment and secrets.toml; no Streamlit",
    "analysis": "pure functions: text facts, case rules, metrics (reads only its model file)",
    "connectors": "one module per platform: fetch pages, map payloads to `Post` (pure)",
    "store": "the only SQL: schema, migrations, queries, writes",
    "demo": "the demo employer's posts, as platform payloads",
    "corpus": "the labelled corpus and the script that trains the shipped model on it",
    "pipeline": "sources, sync, ingest, the case writer, the workspace, the report",
    "engagement": "what we send: replies once per draft, move to e-mail, alerts",
    "dashboard": "the dashboard's session, widgets, charts and composer",
    "pages": "one Streamlit page per file, thin",
    "app": "`app.py`: navigation, sign-in, the shared sidebar",
    "cli": "`cli.py` and `commands/`: the command line",
}
STREAMLIT = frozenset({"dashboard", "pages", "app"})
# Outside store/, SQLAlchemy appears only as the types a connection is passed around as.
SQLALCHEMY_TYPES = frozenset({"Connection", "Engine"})
SKIPPED = ("tests", "bench", ".venv", ".venv-audit", "labelwork", "migrations", "todo", ".git")


FOLDERS = {"commands": "cli"}  # cli.py's commands live in commands/


def component(path: Path) -> str:
    name = path.relative_to(ROOT).parts[0].removesuffix(".py")
    return FOLDERS.get(name, name)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if not any(part in SKIPPED for part in p.relative_to(ROOT).parts)
    )


def imports(path: Path, source: str | None = None) -> Iterator[tuple[str, list[str]]]:
    """(module, names) of every import in the file, at any depth (function-level too)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def internal(module: str) -> str | None:
    top = FOLDERS.get(module.split(".")[0], module.split(".")[0])
    return top if top in CONTRACTS else None


def violations(sources: dict[Path, str] | None = None) -> list[str]:
    """Every broken rule in the project's files (or in ``sources``: path -> text, for the
    checker's own test, which must not write into the tree other tests are reading)."""
    found = []
    for path in sources or project_files():
        own = component(path)
        if own not in CONTRACTS:
            found.append(f"{path.relative_to(ROOT)}: not in any component; add it to CONTRACTS")
            continue
        for module, names in imports(path, (sources or {}).get(path)):
            target = internal(module)
            if target and target != own and target not in CONTRACTS[own]:
                found.append(f"{path.relative_to(ROOT)}: {own} may not import {module}")
            if module.split(".")[0] == "streamlit" and own not in STREAMLIT:
                found.append(f"{path.relative_to(ROOT)}: only the dashboard imports streamlit")
            if (
                module.split(".")[0] in ("sqlalchemy", "alembic")
                and own != "store"
                and (module != "sqlalchemy" or not set(names) <= SQLALCHEMY_TYPES)
            ):
                found.append(
                    f"{path.relative_to(ROOT)}: SQL outside store/ ({module} {', '.join(names)})"
                )
    return found


def module_cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module in the import graph."""
    graph: dict[str, set[str]] = {}
    names = {module_name(p) for p in project_files()}
    for path in project_files():
        edges = graph.setdefault(module_name(path), set())
        for module, imported in imports(path):
            for candidate in [module, *(f"{module}.{n}" for n in imported)]:
                if candidate in names and candidate != module_name(path):
                    edges.add(candidate)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def contracts_table() -> str:
    """The README's architecture table, made from the contracts."""
    rows = ["| Component | What it is | May import |", "|---|---|---|"]
    for name, allowed in CONTRACTS.items():
        shown = ", ".join(f"`{a}`" for a in sorted(allowed)) or "nothing of ours"
        rows.append(f"| `{name}` | {ROLES[name]} | {shown} |")
    return "\n".join(rows)


def test_every_import_keeps_to_the_contracts():
    assert violations() == []


def test_there_are_no_import_cycles():
    assert module_cycles() == []


def test_the_readme_architecture_table_is_the_contracts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert contracts_table() in readme, "paste tests/test_architecture.contracts_table()"


def test_the_components_are_the_folders_and_entry_points():
    found = {component(p) for p in project_files()}
    assert found == set(CONTRACTS)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("from store import posts\n", "analysis may not import store"),
        ("import streamlit as st\n", "only the dashboard imports streamlit"),
        ("from sqlalchemy import select\n", "SQL outside store/"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path, monkeypatch, code, message):
    """The checker itself: a throw-away module in analysis/ that breaks a rule is reported."""
    probe = ROOT / "analysis" / "_contract_probe.py"
    assert any(message in v for v in violations({probe: code}))
