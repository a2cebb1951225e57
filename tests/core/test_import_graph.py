"""The apps import each other in one direction only.

Every non-migration module under bwise/, trajects/, competenties/ and partners/ is parsed
with ``ast``; every import in it counts (module level and inside functions: an import
moved into a function is still a dependency), except those under ``if TYPE_CHECKING:``.
A module belongs to its app: ``trajects``, ``competenties``, ``partners``, each package
under bwise/ (``bwise.core``, ``bwise.privacy``, ...), and ``bwise`` for the platform's
top-level modules (``bwise/access.py``, ``bwise/roles.py``, ``bwise/privacy/exports.py``). The
composition root (``bwise/urls.py``, ``settings.py``, ``celery.py``, ``wsgi.py``,
``asgi.py``) wires every app together and may import anything, so it is left out.

The layers, bottom first. An app imports only apps of its own layer or below, and two apps
never import each other:

0. ``bwise.audit``: the append-only access log (rows, hash chain, database roles). Everybody
   writes to it; it reads nobody.
1. ``bwise``: roles and the access layer (capabilities, row scopes; it depends on roles
   only), the export helpers.
2. ``bwise.core``: shared view bases, filters, parameters, navigation, PDF output.
3. ``bwise.privacy``: the privacy declaration and minimisation, history as a reader may see
   it, data-subject rights and the access-log page. It reaches worker records through
   the data-subject registry the domain app fills (``bwise.privacy.subjects``).
4. ``bwise.accounts``: organisations, users, sign-in, demo data's organisations and users.
5. ``bwise.api``, ``bwise.documents``, ``bwise.reminders``: bases and registries the domain
   apps fill (endpoints, document kinds, scanners).
6. The domain and what reads it: ``trajects``, ``competenties``, ``partners``,
   ``bwise.dashboard``, ``bwise.readiness``, and ``bwise.portal`` (the worker's own pages,
   which read the plan, the rounds and the appointments). Within this layer the order is
   trajects < competenties < dashboard < partners < portal; the no-two-way rule keeps it.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bwise", "trajects", "competenties", "partners")
COMPOSITION_ROOT = {"bwise.urls", "bwise.settings", "bwise.celery", "bwise.wsgi", "bwise.asgi"}

LAYERS = [
    {"bwise.audit"},
    {"bwise"},
    {"bwise.core"},
    {"bwise.privacy"},
    {"bwise.accounts"},
    {"bwise.api", "bwise.documents", "bwise.reminders"},
    {"trajects", "competenties", "partners", "bwise.dashboard", "bwise.readiness", "bwise.portal"},
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# Two-way dependencies still being removed; nothing may be added to it.
KNOWN: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """The app a module belongs to; None outside the apps and for the composition root."""
    parts = module.split(".")
    if parts[0] not in SOURCES or ".".join(parts[:2]) in COMPOSITION_ROOT:
        return None
    if parts[0] == "bwise":
        if len(parts) > 1 and (ROOT / "bwise" / parts[1]).is_dir():
            return f"bwise.{parts[1]}"
        return "bwise"
    return parts[0]


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str):
    """Yield (line, imported module or module.name) for every import outside TYPE_CHECKING."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            yield node.lineno, module
            # ``from bwise import access`` imports the module bwise.access.
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"
        stack.extend(ast.iter_child_nodes(node))


def dependencies() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) -> the places, as ``path:line``."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = _module_name(path)
            app = app_of(module)
            if app is None:
                continue
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, imported in _imports(tree, package):
                target = app_of(imported)
                if target is not None and target != app:
                    edges[(app, target)].add(f"{path.relative_to(ROOT)}:{line}")
    return edges


def _describe(edges, pairs) -> str:
    lines = []
    for a, b in pairs:
        lines.append(f"{a} <-> {b}")
        lines += [f"    {a} -> {b}: {place}" for place in sorted(edges[(a, b)])]
        lines += [f"    {b} -> {a}: {place}" for place in sorted(edges[(b, a)])]
    return "\n".join(lines)


def test_every_app_is_placed_in_a_layer():
    apps = {app for edge in dependencies() for app in edge}
    assert apps - set(LAYER_OF) == set(), "place the new app in LAYERS (and say why in the docstring)"


def test_no_two_apps_import_each_other():
    edges = dependencies()
    pairs = sorted({tuple(sorted(edge)) for edge in edges if edge[::-1] in edges})
    unexpected = [pair for pair in pairs if pair not in KNOWN]
    assert unexpected == [], "two-way dependencies between apps:\n" + _describe(edges, unexpected)


def test_known_two_way_dependencies_still_exist():
    # A pair that was resolved leaves KNOWN at once, so that it cannot come back unnoticed.
    edges = dependencies()
    resolved = [pair for pair in sorted(KNOWN) if not (pair in edges and pair[::-1] in edges)]
    assert resolved == [], f"remove from KNOWN: {resolved}"


def test_lower_layers_never_import_higher_ones():
    edges = dependencies()
    upward = sorted(
        (a, b)
        for a, b in edges
        if LAYER_OF.get(a, 0) < LAYER_OF.get(b, 0) and tuple(sorted((a, b))) not in KNOWN
    )
    assert upward == [], "imports from a lower layer into a higher one:\n" + "\n".join(
        f"{a} -> {b}: {', '.join(sorted(edges[(a, b)]))}" for a, b in upward
    )


def test_the_scanner_sees_imports_inside_functions_and_relative_ones():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from trajects.models import Worker\n"
        "def f():\n    from bwise.privacy.minimise import Minimiser\n"
        "from . import selectors\n"
    )
    found = {module for _, module in _imports(tree, "bwise.core")}
    assert "bwise.privacy.minimise" in found
    assert "bwise.core.selectors" in found
    assert "trajects.models" not in found
