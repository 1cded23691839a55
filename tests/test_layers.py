"""The layers: the foundations (settings, snapshot, errors, jobs, locks, intervals, facts) import no module above them.

Every import counts, also one inside a function: a lower layer that reaches up makes the package a knot.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
FOUNDATIONS = ("errors", "settings", "snapshot", "jobs", "locks", "intervals", "paths", "kinds")
ABOVE = ("generator.scheduling", "generator.desk", "generator.alerts", "generator.cli", "generator.pipeline",
         "generator.publishing", "generator.drafting", "generator.batch")


def imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("name", FOUNDATIONS)
def test_a_foundation_imports_nothing_above_it(name: str) -> None:
    path = PACKAGE / f"{name}.py"
    reaching_up = sorted(m for m in imports(path) if m.startswith(ABOVE))
    assert not reaching_up, f"generator/{name}.py imports {reaching_up}"


def test_desk_publishing_does_not_import_the_scheduler() -> None:
    assert not {m for m in imports(PACKAGE / "desk" / "publish.py") if m.startswith("generator.scheduling")}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _cycles(package: str) -> list[list[str]]:
    """Import cycles among the modules of ``package`` (type-checking imports count too)."""
    modules = {_module_name(p): p for p in (PACKAGE.parent / package.replace(".", "/")).rglob("*.py")}
    graph = {m: sorted(i for i in imports(p) if i in modules and i != m) for m, p in modules.items()}
    found, state = [], dict.fromkeys(graph, 0)  # 0 new, 1 on the path, 2 done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in graph[m]:
            if state[n] == 1:
                found.append([*path[path.index(n):], n])
            elif state[n] == 0:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if state[m] == 0:
            visit(m, [m])
    return found


def test_the_fact_check_has_no_import_cycles() -> None:
    # bind <-> evidence was one: the Binding both use lives in binding.py.
    assert _cycles("generator.factcheck") == []
