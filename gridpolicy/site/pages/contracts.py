"""The JSON contracts as JSON Schemas, from the pydantic models (and this policy's fields)."""

from __future__ import annotations

import json
from typing import Any

from ..context import Context
from ..markdown import fenced
from .common import head


def build(ctx: Context) -> dict[str, str]:
    from ... import schema
    from ...contract import AdmitResult, Evaluation, ItemErrorDetail

    lines = head("JSON 契约 JSON contracts",
                 "对接系统交换的 JSON 结构，由代码中的数据模型自动导出（JSON Schema 2020-12）。事项的字段来自本规则集。 "
                 "The JSON that host systems exchange, exported from the code's models (JSON Schema "
                 "2020-12); the item's fields come from this policy.")
    schemas: list[tuple[str, str, dict[str, Any]]] = [
        ("事项 Item（输入 input）", "item", schema.item_schema(ctx.policy)),
        ("决定 Decision（输出 output）", "decision", schema.decision_schema()),
        ("准入审查结果 AdmitResult", "admitresult", AdmitResult.model_json_schema()),
        ("评价结果 Evaluation", "evaluation", Evaluation.model_json_schema()),
        ("数据错误 ItemError", "itemerror", {
            "type": "object", "required": ["error", "details"],
            "properties": {"error": {"const": "invalid_item"},
                           "details": {"type": "array", "items": ItemErrorDetail.model_json_schema()}}}),
    ]
    for title, name, body in schemas:
        lines += [f"## {title} {{ #{name} }}", "",
                  *fenced(json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True), "json"), ""]
    return {"contracts.md": "\n".join(lines)}
