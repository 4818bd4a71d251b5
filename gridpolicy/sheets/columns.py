"""What each sheet of the matter-list workbook holds: its rows' declaration kind, where they sit,
and one column per property, with the conversion between a property as written in rule text
and the text of a cell.

A cell holds a property's value the way a person reads it: a string without quotes, names and
aliases separated by 「、」, a date as 2024-03-01, `是`/`否` for true/false. `dsl()` turns a cell
back into rule text; `CellError` says in Chinese and English why it cannot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..syntax import keywords as kw
from ..syntax.nodes import Decl, Literal, Name, Prop
from ..syntax.printer import expr_text, quote

SEP = "、"
SPLIT = re.compile(r"[、,，;；\s]+")
NAME_RE = re.compile(r"^[^\W\d]\w*$")
DATE_RES = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
            re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"))
TRUE_WORDS = ("是", "true", "真", "yes")
FALSE_WORDS = ("否", "false", "假", "no")


class CellError(ValueError):
    """A cell's text cannot be written as rule text."""

    def __init__(self, zh: str, en: str):
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True)
class Column:
    """One column. `key` is a property key (canonical English), or `@id`, `@label`, `@traits`,
    `@parent` / `@grandparent` (the declarations the row sits in)."""

    key: str
    zh: str
    en: str
    kind: str  # id | label | parent | text | texts | name | names | date | bool | traits
    width: int = 16

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


@dataclass(frozen=True)
class SheetSpec:
    """A sheet: rows are declarations of `kind`, inside `parents` (outermost first)."""

    name: str
    en: str
    kind: str
    parents: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _common() -> tuple[Column, ...]:
    return (Column("source", "出处", "source", "text", 40), Column("assumption", "假设", "assumption", "text", 40),
            Column("note", "说明", "note", "text", 30))


ID = Column("@id", "编号", "id", "id", 10)
LABEL = Column("@label", "名称", "name", "label", 24)

ADMISSION = SheetSpec("准入事项清单", "admission list", "matter", ("list",), (
    Column("@parent", "清单", "list", "parent", 12), ID, LABEL,
    Column("aliases", "别名", "aliases", "texts", 20), Column("batch", "批次", "batch", "name", 8),
    Column("effective", "生效日期", "effective", "date", 12), Column("expires", "截止日期", "expires", "date", 12),
    Column("handlers", "承办角色", "handlers", "names", 30), Column("owner", "主管部门", "owner", "name", 12),
    Column("basis", "依据", "basis", "text", 30), Column("@traits", "特征", "traits", "traits", 24), *_common()))

EXITS = SheetSpec("退出事项", "exits", "exit", (), (
    ID, LABEL, Column("matter", "事项", "matter", "name", 10), Column("list", "清单", "list", "name", 12),
    Column("date", "日期", "date", "date", 12), Column("approved_by", "批准机关", "approved by", "text", 20),
    Column("ref", "文号", "reference", "text", 20), Column("reason", "理由", "reason", "text", 40), *_common()))

CATALOGUE = SheetSpec("事件分类", "catalogue", "class", ("classification", "major"), (
    Column("@grandparent", "分类", "classification", "parent", 12), Column("@parent", "大类", "major", "parent", 8),
    ID, LABEL, Column("code", "编码", "code", "text", 8), Column("aliases", "别名", "aliases", "texts", 24),
    Column("owner", "主管部门", "owner", "name", 12), Column("assisting", "协办部门", "assisting", "names", 16),
    Column("handlers", "承办角色", "handlers", "names", 20), Column("@traits", "特征", "traits", "traits", 24),
    Column("register", "立案条件", "register", "text", 30), Column("close", "结案条件", "close", "text", 30),
    *_common()))

DEPARTMENTS = SheetSpec("部门", "departments", "department", (), (
    ID, LABEL, Column("tier", "层级", "tier", "name", 10), Column("kind", "类别", "kind", "name", 10),
    Column("short", "简称", "short name", "text", 16), Column("parent", "上级部门", "parent", "name", 12),
    *_common()))

RULE_SHEETS = (ADMISSION, EXITS, CATALOGUE, DEPARTMENTS)


# ---- property -> cell ------------------------------------------------------------------------


def prop_of(decl: Decl, key: str) -> Prop | None:
    keys = kw.property_keys(decl.kind)
    return next((p for p in decl.props if keys.get(p.key) == key), None)


def traits_of(decl: Decl) -> Decl | None:
    return next((c for c in decl.children if c.kind == "traits"), None)


def cell_of(decl: Decl, column: Column) -> str | dt.date:
    """The cell for `column` of the row `decl` ("" if the property is not written)."""
    if column.kind == "id":
        return decl.ident
    if column.kind == "label":
        return decl.label or ""
    if column.kind == "traits":
        t = traits_of(decl)
        return "" if t is None else "\n".join(f"{p.key} {', '.join(expr_text(a.value) for a in p.args)}"
                                              for p in t.props)
    prop = prop_of(decl, column.key)
    if prop is None:
        return ""
    values = [a.value for a in prop.args]
    if column.kind == "date" and len(values) == 1 and isinstance(values[0], Literal) and values[0].kind == "date":
        date = values[0].value
        return date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    if column.kind == "bool" and len(values) == 1 and isinstance(values[0], Literal) and values[0].kind == "bool":
        return "是" if values[0].value else "否"
    if column.kind in ("text", "texts") and all(isinstance(v, Literal) and v.kind == "string" for v in values):
        texts = [str(v.value) for v in values if isinstance(v, Literal)]
        return ("\n" if any(SEP in t for t in texts) else SEP).join(texts)
    if column.kind in ("name", "names") and all(isinstance(v, Name) for v in values):
        return SEP.join(v.id for v in values if isinstance(v, Name))
    # Anything else is shown as rule text and read back as rule text.
    return "=" + ", ".join(expr_text(v) for v in values)


# ---- cell -> rule text -----------------------------------------------------------------------


def normal(value: object) -> str:
    """A cell's value as text: dates as 2024-03-01, whole numbers without a decimal point,
    surrounding blanks removed, Windows line ends made LF."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"应为日期（不含时间），而不是 {value:%Y-%m-%d %H:%M}",
                            f"a date without a time is expected, not {value:%Y-%m-%d %H:%M}")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def split_names(text: str) -> list[str]:
    return [p for p in SPLIT.split(text) if p]


def split_texts(text: str) -> list[str]:
    parts = text.split("\n") if "\n" in text else re.split(r"[、，,]", text)
    return [p.strip() for p in parts if p.strip()]


def date_text(text: str) -> str:
    for pattern in DATE_RES:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d).isoformat()
            except ValueError:
                break
    raise CellError(f"“{text}”不是日期；请写成 2024-03-01（也可写 2024/3/1 或 2024年3月1日）",
                    f"'{text}' is not a date; write it as 2024-03-01 (2024/3/1 and 2024年3月1日 are read too)")


def canonical(column: Column, text: str) -> str:
    """The cell text as export would write it, so an unchanged cell compares equal."""
    if not text:
        return ""
    if text.startswith("="):
        return "=" + text[1:].strip()
    if column.kind == "date":
        return date_text(text)
    if column.kind in ("names", "name"):
        return SEP.join(split_names(text))
    if column.kind == "texts":
        parts = split_texts(text)
        return ("\n" if any(SEP in p for p in parts) else SEP).join(parts)
    if column.kind == "bool":
        return "是" if text.lower() in TRUE_WORDS else "否" if text.lower() in FALSE_WORDS else text
    if column.kind == "traits":
        return "\n".join(line.strip() for line in text.split("\n") if line.strip())
    return text


def dsl(column: Column, text: str, resolve: dict[str, str] | None = None) -> str:
    """The arguments of `column`'s property in rule text for a (canonical) cell text.
    `resolve` maps Chinese names (labels, short names) to ids."""
    if text.startswith("="):
        return text[1:].strip()
    if column.kind == "text":
        return quote(text)
    if column.kind == "texts":
        return ", ".join(quote(p) for p in split_texts(text))
    if column.kind in ("name", "names"):
        names = split_names(text)
        if column.kind == "name" and len(names) != 1:
            raise CellError(f"此处只能写一个编号，而不是 {len(names)} 个：“{text}”",
                            f"one id is expected here, not {len(names)}: '{text}'")
        out = []
        for n in names:
            n = (resolve or {}).get(n, n)
            if not NAME_RE.match(n):
                raise CellError(f"“{n}”不是编号；编号由字母、数字和下划线组成，以字母开头，如 zhengfawei",
                                f"'{n}' is not an id; an id is letters, digits and underscores, starting "
                                f"with a letter, e.g. zhengfawei")
            out.append(n)
        return ", ".join(out)
    if column.kind == "date":
        return date_text(text)
    if column.kind == "bool":
        if text in ("是", "否"):
            return "true" if text == "是" else "false"
        raise CellError(f"“{text}”应为 是 或 否", f"'{text}' should be 是 (yes) or 否 (no)")
    raise ValueError(column.kind)  # pragma: no cover - ids, labels and traits are not properties


def traits_text(text: str) -> str:
    """The body of a `traits { ... }` block for a traits cell (one `field value` a line)."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
