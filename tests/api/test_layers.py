"""The API's structure: one base for every resource, and a platform that imports no app.

``bwise/api`` holds the shared bases (viewsets that write through services, scoped
relation fields); the apps import them, never the other way round, and never each
other's API modules.
"""

import ast
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import mixins

from bwise.api.viewsets import CreateWithService, DestroyWithService, ScopedViewSet, UpdateWithService

ROOT = Path(settings.BASE_DIR)
APPS = ("trajects", "partners", "competenties")


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def _api_viewsets(patterns=None) -> set[type]:
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= _api_viewsets(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "actions", None):
            found.add(pattern.callback.cls)
    return found


def test_the_api_platform_imports_no_app():
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "bwise" / "api").rglob("*.py"))
        for module in sorted(_imported_modules(path))
        if module.split(".")[0] in APPS
    ]
    assert offending == []


def test_no_app_imports_another_apps_api():
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in sorted(_imported_modules(path))
        if module.split(".")[0] in APPS and module.split(".")[0] != app and module.endswith(".api")
    ]
    assert offending == []


def test_every_api_resource_reads_and_writes_through_the_one_base():
    viewsets = _api_viewsets()
    assert len(viewsets) > 20
    for viewset in viewsets:
        assert issubclass(viewset, ScopedViewSet), viewset
        # A write that DRF would do with serializer.save() must go through the service hooks.
        if issubclass(viewset, mixins.CreateModelMixin):
            assert issubclass(viewset, CreateWithService), viewset
        if issubclass(viewset, mixins.UpdateModelMixin):
            assert issubclass(viewset, UpdateWithService), viewset
        if issubclass(viewset, mixins.DestroyModelMixin):
            assert issubclass(viewset, DestroyWithService), viewset
