"""The language's vocabulary: every keyword in English and Chinese.

The grammar, the checker, the formatter and the editors all read this table, so a keyword
exists in both languages or in neither.
"""

from __future__ import annotations

# Declaration keywords: English -> Chinese.
DECLARATIONS: dict[str, str] = {
    "policy": "规则集",
    "include": "引用",
    "tier": "层级",
    "role": "角色",
    "department": "部门",
    "field": "字段",
    "criterion": "排除标准",
    "list": "清单",
    "batch": "批次",
    "matter": "事项",
    "traits": "特征",
    "exit": "退出",
    "route": "分流",
    "formula": "公式",
    "input": "输入",
    "grade": "等级",
    "calendar": "日历",
    "catalog": "目录",
    "lifecycle": "全程督办",
    "on": "当",
    "classification": "分类",
    "major": "大类",
    "class": "小类",
    "referral": "转介渠道",
    "gate": "准入审查",
    "exemption": "豁免",
}

# Operators and literal words inside expressions.
OPERATORS: dict[str, tuple[str, ...]] = {
    "and": ("且", "并且"),
    "or": ("或", "或者"),
    "not": ("非", "不"),
    "in": ("属于",),
    "true": ("是", "真"),
    "false": ("否", "假"),
    "none": ("无",),
}

# Property keys, per declaration kind: English -> Chinese.
PROPERTIES: dict[str, dict[str, str]] = {
    "policy": {
        "version": "版本",
        "authority": "发布机关",
        "effective": "生效日期",
        "routing": "分流方式",
        "timezone": "时区",
        "district_code": "区划代码",
        "unknown_grid": "未知网格",
    },
    "tier": {"level": "级别", "locality": "属地"},
    "role": {"category": "类别", "assigned_by": "派出单位", "tier": "层级"},
    "department": {"tier": "层级", "short": "简称", "kind": "类别", "parent": "上级部门", "area": "辖区"},
    "field": {
        "type": "类型",
        "values": "取值",
        "default": "默认",
        "required": "必填",
        "range": "范围",
        "from": "取自",
    },
    "criterion": {"when": "条件", "basis": "依据"},
    "list": {"admission": "准入", "authority": "发布机关"},
    "batch": {"effective": "生效日期"},
    "matter": {
        "aliases": "别名",
        "batch": "批次",
        "effective": "生效日期",
        "expires": "截止日期",
        "handlers": "承办角色",
        "owner": "主管部门",
        "basis": "依据",
    },
    "traits": {},  # keys are schema field names
    "exit": {
        "matter": "事项",
        "list": "清单",
        "date": "日期",
        "approved_by": "批准机关",
        "ref": "文号",
        "reason": "理由",
    },
    "route": {
        "when": "条件",
        "tier": "层级",
        "handlers": "承办角色",
        "department": "承办部门",
        "limit": "时限",
        "escalate": "升级",
        "continue": "继续",
        "dispatch": "派单",
        "assisting": "协办部门",
        "stages": "分段时限",
        "outcome": "结果",
        "refer": "转介",
        "reason": "理由",
        "review": "复核周期",
    },
    "formula": {"value": "计算", "round": "保留小数", "grade": "等级", "range": "范围", "by": "分组"},
    "input": {"type": "类型", "range": "范围", "fields": "字段", "default": "默认", "time": "时间字段"},
    "grade": {"band": "档次", "award": "评选"},
    "calendar": {"holidays": "节假日", "workdays": "调休上班", "office_hours": "办公时间",
                 "notice": "节假日通知", "horizon": "预警期"},
    "catalog": {"entry": "条目"},
    # Case lifecycle (gridpolicy.lifecycle.check has the keys of each `on` block).
    "lifecycle": {"routes": "适用分流"},
    "on": {
        "reasons": "退回理由", "within": "退回期限", "arbiter": "审定机构", "limit": "时限", "clock": "时钟",
        "approver": "审批机构", "max": "最长", "times": "次数", "before": "提前",
        "remind": "催办", "supervise": "督办", "bulletin": "通报", "interview": "约谈",
        "followup": "回访", "redo": "重办", "by": "承办", "review": "复核", "reviewer": "复核机构",
    },
    "classification": {"type": "类型", "standard": "标准"},
    "major": {"code": "编码"},
    "class": {
        "code": "编码",
        "aliases": "别名",
        "owner": "主管部门",
        "assisting": "协办部门",
        "handlers": "承办角色",
        "register": "立案条件",
        "close": "结案条件",
        "limit": "时限",
        "stages": "分段时限",
    },
    "referral": {"kind": "类别", "contact": "联系方式", "department": "部门"},
    "gate": {"applies": "适用", "lists": "准入清单", "criteria": "适用标准", "refer": "转介", "reason": "理由"},
    "exemption": {"when": "条件", "period": "期限", "basis": "依据"},
}

# Keys every declaration accepts.
COMMON_PROPERTIES: dict[str, str] = {"note": "说明", "assumption": "假设", "source": "出处"}

# Duration units: canonical English unit -> accepted spellings.
DURATION_UNITS: dict[str, tuple[str, ...]] = {
    "minutes": ("minute", "minutes", "分钟"),
    "hours": ("hour", "hours", "小时", "个小时"),
    "days": ("day", "days", "天", "日"),
    "workdays": ("workday", "workdays", "工作日", "个工作日"),
    "workhours": ("workhour", "workhours", "工作时", "个工作时"),
    "urgent_hours": ("urgent_hour", "urgent_hours", "紧急工作时", "个紧急工作时"),
    "urgent_days": ("urgent_day", "urgent_days", "紧急工作日", "个紧急工作日"),
}

# Functions with a Chinese spelling: English -> Chinese (the formatter translates them).
FUNCTIONS: dict[str, str] = {
    "if": "如果",
    "transfer": "移交",
    "remind": "催办",
    "supervise": "督办",
    "bulletin": "通报",
    "interview": "约谈",
    "where": "筛选",
    "points": "达标得分",
}
ZH_FUNCTIONS = {zh: en for en, zh in FUNCTIONS.items()}

ZH_DECLARATIONS = {zh: en for en, zh in DECLARATIONS.items()}


def function_name(name: str, lang: str) -> str:
    """A function's name in `lang` ("zh" or "en"), for the functions that have both."""
    if lang == "zh":
        return FUNCTIONS.get(name, name)
    return ZH_FUNCTIONS.get(name, name)


def property_keys(kind: str) -> dict[str, str]:
    """Accepted keys of a declaration kind: any spelling -> canonical English key."""
    table = {**COMMON_PROPERTIES, **PROPERTIES.get(kind, {})}
    out = {en: en for en in table}
    out.update({zh: en for en, zh in table.items()})
    return out


def unit_of(spelling: str) -> str:
    for unit, spellings in DURATION_UNITS.items():
        if spelling in spellings:
            return unit
    raise KeyError(spelling)
