"""The sources the rule files cite (`rules/sources.yaml`): loaded, checked, and used to link
every citation such as `practice.md §2.6` on the pages to its section of the sources page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .markdown import anchor, safe_url

KINDS = {"REG": "法规与规范性文件 regulation", "STD": "标准 standard", "GOV": "政府文件或报道 government",
         "DOC": "文库转载 copied document", "NEWS": "新闻 news", "CODE": "系统源码 source code",
         "WEAK": "参考性弱 weak"}


class SourcesError(ValueError):
    """A sources file that cannot be read; the message names the file and the field."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    issuer: str = ""
    date: str = ""  # of the document, or of the page that carries it: YYYY, YYYY-MM or YYYY-MM-DD
    url: str = ""
    kind: Literal["REG", "STD", "GOV", "DOC", "NEWS", "CODE", "WEAK"]

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: object) -> str:
        s = v.isoformat() if isinstance(v, dt.date) else str(v or "")
        if s and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s):
            raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
        return s

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and safe_url(v) is None:
            raise ValueError("url must be http or https")
        return v


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)


class Sources(BaseModel):
    """One cited document and its sections, keyed by section number ("2.6")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str = Field(min_length=1)
    title: str = Field(min_length=1)
    sections: dict[str, Section]

    @field_validator("sections", mode="before")
    @classmethod
    def _keys(cls, v: object) -> object:
        if isinstance(v, dict):
            for key in v:
                if not re.fullmatch(r"\d+(\.\d+)*", str(key)):
                    raise ValueError(f"section {key!r} must be a number like 2.6")
            return {str(k): x for k, x in v.items()}
        return v

    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.document) + r"\s*§\s*(\d+(?:\.\d+)*)")

    def section_anchor(self, key: str) -> str:
        return anchor("cite", self.document.rsplit(".", 1)[0], key.replace(".", "-"))

    def link_citations(self, escaped: str, page: str, missing: Callable[[str], None] | None = None) -> str:
        """`escaped` (Markdown-safe text) with every citation linked to `page#section`."""

        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in self.sections:
                if missing is not None:
                    missing(m.group(0))
                return f"[{m.group(0)}]({page})"
            return f"[{m.group(0)}]({page}#{self.section_anchor(key)})"

        return self.pattern().sub(repl, escaped)


    def missing(self, texts: list[str]) -> list[str]:
        """Citations in `texts` whose section this file does not list."""
        return sorted({m.group(0) for t in texts for m in self.pattern().finditer(t)
                       if m.group(1) not in self.sections})


def cited_texts(model: Any) -> list[str]:
    """Every note, source and assumption text of a policy model (where citations are)."""
    out: list[str] = []
    for meta in _metas(model):
        out += [meta.note, meta.source, *meta.assumptions]
    return [t for t in out if t]


def _metas(model: Any) -> list[Any]:
    m = model
    metas = [m.header.meta]
    for group in (m.tiers, m.departments, m.roles, m.fields, m.criteria, m.lists, m.exits, m.routes,
                  m.formulas, m.grades, m.catalogs):
        metas += [x.meta for x in group]
    for lst in m.lists:
        metas += [b.meta for b in lst.batches] + [mt.meta for mt in lst.matters]
    for f in m.formulas:
        metas += [i.meta for i in f.inputs]
    return metas


def load_sources(path: str | Path | None) -> Sources | None:
    """The sources file at `path` (None when there is none); a bad file raises SourcesError."""
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        return None
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourcesError(f"{p.as_posix()}: 无法读取出处文件 cannot read the sources file: {exc}") from exc
    try:
        return Sources.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise SourcesError(f"{p.as_posix()}: 出处文件有误 invalid sources file — {where}") from exc
