"""Validate simulator traffic against GitHub's official OpenAPI 3.0 description.

The description is OpenAPI 3.0: schemas use ``nullable`` and ``$ref`` into
``#/components/...``. We convert ``nullable`` to plain JSON Schema once
(``type: [T, "null"]``, or ``anyOf [..., {type: null}]`` where there is no
``type``), register the whole document as one resource, and validate with
jsonschema's Draft 4 validator, whose keyword semantics (boolean
``exclusiveMinimum`` and friends) are the ones OpenAPI 3.0 borrowed.
A compiled validator is cached per (operation, request|status).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

_ROOT = "urn:ghsim:api.github.com"
# Path parameters that may contain "/" when they end the template.
_MULTI_SEGMENT = {"path", "ref", "branch"}
_METHODS = ("get", "put", "post", "patch", "delete", "head")


def _convert_nullable(node: Any) -> Any:
    """Turn OpenAPI 3.0 ``nullable: true`` into JSON Schema, in place, everywhere."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if cur.get("nullable") is True:
                del cur["nullable"]
                typ = cur.get("type")
                if isinstance(typ, str):
                    cur["type"] = [typ, "null"]
                    if "enum" in cur and None not in cur["enum"]:
                        cur["enum"] = [*cur["enum"], None]
                else:
                    inner = {k: cur.pop(k) for k in list(cur) if k not in ("description", "title")}
                    cur["anyOf"] = [inner, {"type": "null"}]
                    stack.append(inner)
                    continue
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return node


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    operation_id: str
    literal_segments: int
    regex: re.Pattern


class OpenAPIValidator:
    def __init__(self, spec_path: str | Path):
        with open(spec_path, "rb") as fh:
            doc = json.load(fh)
        self.version = doc.get("info", {}).get("version")
        self.doc = _convert_nullable(doc)
        self.registry = Registry().with_resource(
            _ROOT, Resource.from_contents(self.doc, default_specification=DRAFT4)
        )
        self._ops: list[Operation] = []
        for template, item in self.doc["paths"].items():
            segs = template.strip("/").split("/")
            pattern = ""
            for i, seg in enumerate(segs):
                if seg.startswith("{") and seg.endswith("}"):
                    # The last parameter may span segments (contents/{path}, git/ref/{ref}).
                    greedy = i == len(segs) - 1 and seg[1:-1] in _MULTI_SEGMENT
                    body = ".*" if seg == "{path}" else ".+"  # contents/ = the root directory
                    pattern += f"/({body})" if greedy else "/([^/]+)"
                else:
                    pattern += "/" + re.escape(seg)
            literal = sum(1 for s in segs if not s.startswith("{"))
            for method, op in item.items():
                if method in _METHODS:
                    self._ops.append(Operation(template, method.upper(), op.get("operationId", ""),
                                               literal, re.compile(pattern + "$")))
        # Most literal segments first, so /issues/comments/{id} beats /issues/{n}/comments.
        self._ops.sort(key=lambda o: (-o.literal_segments, -len(o.template)))
        self._validators: dict[tuple, Draft4Validator | None] = {}
        self._lock = threading.Lock()

    # -- lookup -----------------------------------------------------------
    def match(self, method: str, path: str) -> Operation | None:
        method = method.upper()
        for op in self._ops:
            if op.method == method and op.regex.match(path):
                return op
        return None

    def operation(self, template: str, method: str) -> dict | None:
        return self.doc["paths"].get(template, {}).get(method.lower())

    def _validator(self, template: str, method: str, key: str) -> Draft4Validator | None:
        cache_key = (template, method, key)
        with self._lock:
            if cache_key in self._validators:
                return self._validators[cache_key]
        op = self.operation(template, method) or {}
        base = ["paths", template, method.lower()]
        if key == "request":
            body = op.get("requestBody")
            parts = base + ["requestBody"]
            if body and "$ref" in body:
                body = self._resolve(body["$ref"])
                parts = body_ref_parts(op["requestBody"]["$ref"])
        else:
            body = op.get("responses", {}).get(key)
            parts = base + ["responses", key]
            if body and "$ref" in body:
                parts = body_ref_parts(body["$ref"])
                body = self._resolve(body["$ref"])
        validator = None
        if body and "application/json" in body.get("content", {}) and \
                "schema" in body["content"]["application/json"]:
            ref = _ROOT + "#/" + _pointer(*parts, "content", "application/json", "schema")
            validator = Draft4Validator({"$ref": ref}, registry=self.registry)
        with self._lock:
            self._validators[cache_key] = validator
        return validator

    def _resolve(self, ref: str) -> dict:
        node: Any = self.doc
        for part in body_ref_parts(ref):
            node = node[part]
        return node

    # -- checks -------------------------------------------------------------
    def check_request(self, method: str, path: str, query: dict[str, list[str]],
                      body: Any, has_body: bool) -> tuple[Operation | None, list[str]]:
        op = self.match(method, path)
        if op is None:
            return None, [f"{method} {path}: no such operation in the OpenAPI description"]
        problems = []
        spec_op = self.operation(op.template, op.method) or {}
        params = spec_op.get("parameters", []) + \
            self.doc["paths"][op.template].get("parameters", [])
        names = set()
        for p in params:
            if "$ref" in p:
                p = self._resolve(p["$ref"])
            if p.get("in") == "query":
                names.add(p["name"])
        for name in query:
            if name not in names:
                problems.append(f"{method} {op.template}: query parameter {name!r} is not documented")
        if has_body:
            validator = self._validator(op.template, op.method, "request")
            if validator is None and "requestBody" not in spec_op:
                problems.append(f"{method} {op.template}: sent a body, operation takes none")
            elif validator is not None:
                problems += [f"{method} {op.template} request: {e}" for e in _errors(validator, body)]
        elif spec_op.get("requestBody", {}).get("required"):
            problems.append(f"{method} {op.template}: required request body missing")
        return op, problems

    def check_response(self, op: Operation, status: int, body: Any) -> list[str]:
        spec_op = self.operation(op.template, op.method) or {}
        responses = spec_op.get("responses", {})
        key = str(status)
        if key not in responses:
            if "default" in responses:
                key = "default"
            else:
                return [f"{op.method} {op.template}: status {status} is not documented "
                        f"(documented: {', '.join(sorted(responses))})"]
        validator = self._validator(op.template, op.method, key)
        if validator is None or body is None:
            return []
        return [f"{op.method} {op.template} -> {status}: {e}" for e in _errors(validator, body)]


    def check_webhook(self, event: str, action: str | None, payload: Any) -> list[str]:
        """Validate a webhook payload against the description's x-webhooks schema."""
        key = event.replace("_", "-") + (f"-{action.replace('_', '-')}" if action else "")
        hooks = self.doc.get("x-webhooks", {})
        if key not in hooks:
            return [f"webhook {key}: not in x-webhooks"]
        cache_key = ("x-webhooks", key, "post")
        with self._lock:
            validator = self._validators.get(cache_key)
        if validator is None:
            ref = _ROOT + "#/" + _pointer("x-webhooks", key, "post", "requestBody", "content",
                                          "application/json", "schema")
            validator = Draft4Validator({"$ref": ref}, registry=self.registry)
            with self._lock:
                self._validators[cache_key] = validator
        return [f"webhook {key}: {e}" for e in _errors(validator, payload)]


def body_ref_parts(ref: str) -> list[str]:
    assert ref.startswith("#/"), ref
    return [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]


def _errors(validator: Draft4Validator, instance: Any, limit: int = 5) -> list[str]:
    out = []
    for err in validator.iter_errors(instance):
        where = "/".join(str(p) for p in err.absolute_path) or "<root>"
        out.append(f"at {where}: {err.message[:300]}")
        if len(out) >= limit:
            break
    return out


_instances: dict[str, OpenAPIValidator] = {}
_instances_lock = threading.Lock()


def get_validator(spec_path: str | Path) -> OpenAPIValidator:
    """One validator per spec file per process (loading takes about a second)."""
    key = str(spec_path)
    with _instances_lock:
        if key not in _instances:
            _instances[key] = OpenAPIValidator(spec_path)
        return _instances[key]
