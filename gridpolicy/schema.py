"""JSON Schemas for host developers: the item (with a policy's own fields and enums) and the
decision (the pydantic contract)."""

from __future__ import annotations

import copy
from typing import Any

from .contract import Decision, Item
from .engine.codegen import MAX_GRIDS
from .model import Field
from .runtime import MAX_ITEM_FIELDS, MAX_TEXT, Policy

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _field_schema(policy: Policy, f: Field) -> dict[str, Any]:
    s: dict[str, Any]
    if f.type == "enum":
        s = {"type": "string", "enum": [*f.value_codes, *(lbl for _, lbl in f.values if lbl not in f.value_codes)]}
        s["description"] = f"{f.name}. " + "; ".join(f"{c} = {lbl}" for c, lbl in f.values)
    elif f.type in ("tier", "department", "role"):
        table: tuple[Any, ...] = {"tier": policy.tiers, "department": policy.departments, "role": policy.roles}[f.type]
        codes = [x.id for x in table]
        names = [x.name for x in table if x.name not in codes]
        if f.type == "department":  # short names are accepted too
            names += [d.short for d in policy.departments if d.short and d.short not in codes and d.short not in names]
        s = {"type": "string", "enum": [*codes, *names],
             "description": f"{f.name}. {f.type}: " + "; ".join(f"{x.id} = {x.name}" for x in table)}
    elif f.type == "set":
        items: dict[str, Any] = {"type": "string"}
        if f.values:
            items["enum"] = [*f.value_codes, *(lbl for _, lbl in f.values if lbl not in f.value_codes)]
        s = {"type": "array", "items": items, "description": f.name
             + (". " + "; ".join(f"{c} = {lbl}" for c, lbl in f.values) if f.values else "")}
    elif f.type == "number":
        s = {"type": "number", "description": f.name}
        lo, hi = f.range if f.range else (-1e15, 1e15)
        s["minimum"], s["maximum"] = lo, hi
    elif f.type == "text":
        s = {"type": "string", "maxLength": MAX_TEXT, "description": f.name}
    elif f.type == "bool":
        s = {"type": "boolean", "description": f.name}
    elif f.type == "date":
        s = {"type": "string", "format": "date", "description": f.name}
    elif f.type == "datetime":
        s = {"type": "string", "format": "date-time", "description": f"{f.name} (ISO 8601 with an offset)"}
    else:  # pragma: no cover - the checker knows every type
        s = {"description": f.name}
    if f.default is not None and not isinstance(f.default, frozenset):
        s["default"] = f.default
    elif isinstance(f.default, frozenset) and f.default:
        s["default"] = sorted(f.default)
    if not f.required:
        s = {"anyOf": [s, {"type": "null"}], "description": s.pop("description", f.name),
             **({"default": s.pop("default")} if "default" in s else {})}
    s["title"] = f.name
    return s


def item_schema(policy: Policy | None = None, *, dialect: bool = True) -> dict[str, Any]:
    """The JSON Schema of an item. With a policy: its fields and enums, unknown fields rejected
    (as `Policy.validate` does); without: the envelope only, other fields allowed."""
    s = copy.deepcopy(Item.model_json_schema())
    props = s["properties"]
    # The envelope as Policy.validate checks it.
    props["id"].update(minLength=1, maxLength=200)
    for key in ("matter", "grid"):
        props[key]["anyOf"][0]["maxLength"] = 200
    props["reported_at"]["anyOf"][0].update(maxLength=40)
    props["grids"]["anyOf"][0].update(maxItems=MAX_GRIDS)
    props["grids"]["anyOf"][0]["items"].update(minLength=1, maxLength=200)
    if policy is not None:
        for f in policy.fields:
            props[f.id] = _field_schema(policy, f)
        required = [*s.get("required", []), *(f.id for f in policy.fields if f.required)]
        s["required"] = required
        s["additionalProperties"] = False
        s["maxProperties"] = MAX_ITEM_FIELDS
        matters = sorted({k for m in policy.matters for k in (m.code, m.name, *m.aliases)})
        props["matter"]["description"] += " Listed: " + ", ".join(
            f"{m.code} {m.name}" for m in policy.matters)
        if policy.model.classes:
            props["matter"]["description"] += ". Classes of the event catalogue (id, code, name or alias): " + \
                ", ".join(f"{c.id} {c.name}" for c in policy.model.classes)
            matters += sorted({c.name for c in policy.model.classes} - set(matters))
        props["matter"]["examples"] = matters[:20]
        h = policy.header
        s["description"] = (f"事项 — an item for policy {h.id} 「{h.name}」 version {h.version} "
                            f"(digest {policy.digest[:12]}).")
    else:
        s["additionalProperties"] = True
    if dialect:
        s = {"$schema": DIALECT, **s}
    return s


def decision_schema(*, dialect: bool = True) -> dict[str, Any]:
    """The JSON Schema of a decision (pydantic `Decision`)."""
    s = Decision.model_json_schema()
    return {"$schema": DIALECT, **s} if dialect else s
