"""The building blocks the OpenAPI document is written with: references, nullable and plain types, JSON
responses and the common parameters, named once so that every part of the document says them alike."""

from __future__ import annotations

from typing import Any

__all__ = ["ID", "NINT", "NNUM", "NSTR", "STR", "error_response", "nullable", "ref", "response"]

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
NNUM = {"type": ["number", "null"]}
NINT = {"type": ["integer", "null"]}

ID = {"name": "id", "in": "path", "required": True, "schema": STR}


def ref(name: str) -> dict[str, str]:
    """A reference to one of the document's component schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or null: for a section or a value the server may not have."""
    return {"anyOf": [schema, {"type": "null"}]}


def response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A JSON response of `schema`."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_response(description: str) -> dict[str, Any]:
    """A refusal: zmot's error object, {"error": {"code", "message"}}."""
    return response(ref("Error"), description)
