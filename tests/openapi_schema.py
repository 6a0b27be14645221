"""JSON Schema validators built from LINE's official OpenAPI documents (a copy in tests/line-openapi, see its SOURCE).

OpenAPI 3.0 is not JSON Schema: `nullable`, `discriminator` and `allOf` inheritance need translating. A schema with a
discriminator (Message, Action, Event, ...) becomes two definitions: `X__base` (its own properties, what subtypes
inherit through allOf) and `X` (the base plus "if type is 'text' then TextMessage", with unknown types rejected).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

# Vendored unchanged from LINE's line-openapi repository (Apache-2.0: LICENSE and SOURCE beside the files), so a fresh
# clone validates against the official spec with nothing else present.
OPENAPI_DIR = Path(__file__).resolve().parent / "line-openapi"
FILES = ("messaging-api.yml", "webhook.yml", "insight.yml")
UNAVAILABLE = "tests/line-openapi (the copy of LINE's messaging-api.yml, webhook.yml and insight.yml) is missing"
_REF = "#/components/schemas/"
_DROP = {
    "discriminator",
    "externalDocs",
    "example",
    "description",
    "nullable",
    "x-enum-varnames",
    "x-enum-descriptions",
}


def available() -> bool:
    return all((OPENAPI_DIR / name).is_file() for name in FILES)


def _name(ref: str) -> str:
    if not ref.startswith(_REF):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(_REF) :]


class OpenApiSchemas:
    """Validators for one OpenAPI document's components/schemas and its operations' request bodies."""

    def __init__(self, path: Path):
        self.path = path
        self.document = yaml.safe_load(path.read_text(encoding="utf-8"))
        schemas: dict[str, Any] = self.document["components"]["schemas"]
        self.discriminated = {name for name, s in schemas.items() if "discriminator" in s}
        defs: dict[str, Any] = {}
        for name, schema in schemas.items():
            converted = self._convert(schema)
            if name in self.discriminated:
                defs[name + "__base"] = converted
                defs[name] = self._dispatch(name, schema["discriminator"])
            else:
                defs[name] = converted
        self.defs = defs
        self._operations = self._index_operations()

    # ---- OpenAPI -> JSON Schema ----
    def _convert(self, node: Any, *, in_all_of: bool = False) -> Any:
        if isinstance(node, list):
            return [self._convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = _name(node["$ref"])
            # A subtype's allOf inherits the base's own properties, not the dispatch (which would loop).
            suffix = "__base" if in_all_of and target in self.discriminated else ""
            return {"$ref": f"#/$defs/{target}{suffix}"}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {prop: self._convert(schema) for prop, schema in value.items()}
            elif key == "allOf":
                out[key] = [self._convert(item, in_all_of=True) for item in value]
            elif key in ("items", "additionalProperties", "not"):
                out[key] = self._convert(value)
            elif key in ("anyOf", "oneOf"):
                out[key] = [self._convert(item) for item in value]
            else:
                out[key] = value
        if node.get("nullable"):
            return {"anyOf": [out, {"type": "null"}]}
        return out

    def _dispatch(self, name: str, discriminator: dict[str, Any]) -> dict[str, Any]:
        prop = discriminator["propertyName"]
        mapping = {value: _name(ref) for value, ref in discriminator.get("mapping", {}).items()}
        branches = [
            {"if": {"properties": {prop: {"const": value}}}, "then": {"$ref": f"#/$defs/{target}"}}
            for value, target in mapping.items()
        ]
        return {
            "type": "object",
            "required": [prop],
            "properties": {prop: {"enum": sorted(mapping)}},
            "allOf": [{"$ref": f"#/$defs/{name}__base"}, *branches],
        }

    # ---- validators ----
    @functools.cache  # noqa: B019 - one schema document per test run: nothing to leak
    def validator(self, schema_name: str) -> Draft202012Validator:
        if schema_name not in self.defs:
            raise KeyError(f"{self.path.name} has no schema {schema_name!r}")
        return Draft202012Validator({"$defs": self.defs, "$ref": f"#/$defs/{schema_name}"})

    def errors(self, schema_name: str, instance: Any) -> list[str]:
        """Readable problems ('messages/0/text: ...'); empty when the instance is valid."""
        found = sorted(self.validator(schema_name).iter_errors(instance), key=lambda e: list(e.absolute_path))
        return list(dict.fromkeys(_describe(e) for e in found))

    def _index_operations(self) -> list[tuple[str, re.Pattern, str | None]]:
        operations = []
        for template, item in self.document.get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            for method, op in item.items():
                if not isinstance(op, dict):
                    continue
                body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
                ref = body.get("schema", {}).get("$ref")
                operations.append((method.upper(), pattern, _name(ref) if ref else None))
        return operations

    def request_schema(self, method: str, path: str) -> str | None:
        """The schema name of the JSON body of `METHOD path` (None if the operation has no JSON body or is unknown)."""
        for op_method, pattern, schema in self._operations:
            if op_method == method.upper() and pattern.match(path):
                return schema
        return None

    def knows(self, method: str, path: str) -> bool:
        return any(op_method == method.upper() and pattern.match(path) for op_method, pattern, _ in self._operations)

    def query_errors(self, method: str, path: str, query: dict[str, str]) -> list[str]:
        """Problems with a request's query string against the operation's parameters: required ones missing, unknown
        ones, values that do not match their schema (every query value is a string on the wire)."""
        for template, item in self.document.get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            operation = item.get(method.lower()) if pattern.match(path) else None
            if isinstance(operation, dict):
                break
        else:
            return [f"{method} {path}: no such operation"]
        declared = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
        problems = [f"{name}: required" for name, p in declared.items() if p.get("required") and name not in query]
        problems += [f"{name}: unknown parameter" for name in query if name not in declared]
        for name, value in query.items():
            if name in declared:
                schema = self._convert(declared[name].get("schema", {}))
                found = Draft202012Validator({"$defs": self.defs, **schema}).iter_errors(value)
                problems += [f"{name}: {error.message}" for error in found]
        return problems


def _describe(error) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(body)"
    # For an if/then failure the useful detail is in the innermost error.
    while error.context:
        error = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        where = "/".join(str(p) for p in error.absolute_path) or where
    return f"{where}: {error.message}"


@functools.cache
def messaging_api() -> OpenApiSchemas:
    return OpenApiSchemas(OPENAPI_DIR / "messaging-api.yml")


@functools.cache
def webhook() -> OpenApiSchemas:
    return OpenApiSchemas(OPENAPI_DIR / "webhook.yml")


@functools.cache
def insight() -> OpenApiSchemas:
    return OpenApiSchemas(OPENAPI_DIR / "insight.yml")
