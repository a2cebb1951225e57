"""What the schema promises about errors: every operation lists the statuses it can answer
with besides its success, each with the one problem body of ``bwise.api.exceptions``.

A drf-spectacular postprocessing hook, so that no resource has to repeat them: any call can
be unauthenticated (401), refused for the caller's role or a read-only token (403), be
throttled (429); a call that names a record or a page can find nothing (404); a call with
input, and any write (a business rule), can be refused (400); a versioned update can be
stale (412). A choice filter also takes
the empty value, which does not filter.
"""

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `title` and `detail` are in the "
    "caller's language (Accept-Language, Dutch otherwise).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string", "nullable": True},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
                "required": ["field", "code", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": _CONTENT}
    if headers:
        response["headers"] = headers
    return response


def _header(description: str, type_: str = "string") -> dict:
    return {"description": description, "required": True, "schema": {"type": type_}}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                enum = parameter.get("schema", {}).get("enum")
                if parameter.get("in") == "query" and enum and "" not in enum:
                    # django-filter reads an empty choice as "no filter", as a form sends it.
                    parameter["schema"]["enum"] = [*enum, ""]
            writes = method in ("post", "put", "patch", "delete")
            has_input = (
                writes or "requestBody" in operation or any(p.get("in") == "query" for p in parameters)
            )
            names_something = "{" in path or any(p.get("name") == "page" for p in parameters)
            responses = operation["responses"]
            if has_input:
                responses.setdefault("400", _response("The input was refused; `errors` names each field."))
            responses.setdefault(
                "401",
                _response(
                    "No valid token or session.",
                    {"WWW-Authenticate": _header("The scheme to authenticate with: Bearer.")},
                ),
            )
            responses.setdefault("403", _response("The caller's role or token may not do this."))
            if names_something:
                responses.setdefault("404", _response("No such record for the caller, or no such page."))
            if any(p.get("name") == "If-Match" for p in parameters):
                responses.setdefault("412", _response("The record changed since the If-Match version."))
            responses.setdefault(
                "429",
                _response(
                    "Too many requests; try again after Retry-After seconds.",
                    {"Retry-After": _header("Seconds to wait.", "integer")},
                ),
            )
    return result
