"""The rule-site generator: pages come from the policy model, deterministically, and cover it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy.site import (
    MARKER,
    Context,
    SourcesError,
    display_name,
    generate,
    is_generated,
    load_registry,
    load_sources,
    source_page,
    write,
)
from gridpolicy.site.markdown import cell, safe_url, text
from gridpolicy.site.pages.assumptions import assumptions
from gridpolicy.site.pages.chart import flow
from gridpolicy.site.pages.samples import sample_inputs
from gridpolicy.site.sources import cited_texts
from gridpolicy.site.words import Words

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def shipped() -> gridpolicy.Policy:
    return gridpolicy.load(REPO / "rules")


@pytest.fixture(scope="module")
def shipped_pages(shipped: gridpolicy.Policy) -> dict[str, str]:
    grids, note = load_registry(REPO / "rules" / "registry")
    return generate(shipped, AS_OF, registry=grids, registry_note=note)


def test_every_shipped_declaration_appears(shipped: gridpolicy.Policy, shipped_pages: dict[str, str]) -> None:
    matters, exits = shipped_pages["matters.md"], shipped_pages["exits.md"]
    routing, evaluation = shipped_pages["routing.md"], shipped_pages["evaluation.md"]
    criteria = shipped_pages["criteria.md"]
    for m in shipped.matters:
        assert f"#### {m.code} {m.name} {{ #matter-{m.code.lower()} }}" in matters, m.code
        for alias in m.aliases:
            assert alias in matters
    for e in shipped.exits:
        assert f"## {e.id} {e.name}" in exits and e.ref in exits and " ".join(e.reason.split()) in exits
    for n, r in enumerate(shipped.routes, 1):
        assert f"### {n}. {r.name} {{ #route-{r.id.lower()} }}" in routing, r.id
        if r.text:
            assert " ".join(r.text.split()).replace("|", "\\|") in routing
    for f in shipped.formulas:
        assert f"## {f.name} {{ #formula-{f.id.lower()} }}" in evaluation, f.id
        assert f.text in evaluation
    for g in shipped.grades:
        for b in g.bands:
            assert f"| {b.label}（`{b.id}`） |" in evaluation
    for c in shipped.criteria:
        assert f"## {c.name}" in criteria and c.text in criteria
    assert shipped.exits and shipped.formulas, "the shipped rules are expected to have exits and formulas"


def test_every_assumption_is_listed(shipped: gridpolicy.Policy, shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["assumptions.md"]
    expected = assumptions(Context(shipped, AS_OF))
    assert expected
    for _, _, body, _, _ in expected:
        assert cell(body) in page
    assert page.count('<li markdown="block">') == len(expected)


def test_statuses_follow_the_runtime(shipped: gridpolicy.Policy, shipped_pages: dict[str, str]) -> None:
    labels = {"in_force": "✅ 有效", "not_yet_in_force": "🕒 尚未生效", "exited": "⛔ 已退出",
              "expired": "⌛ 临时准入已到期"}
    page = shipped_pages["matters.md"]
    for m in shipped.matters:
        card = page.split(f"{{ #matter-{m.code.lower()} }}", 1)[1].split("</div>", 1)[0]
        status = shipped.matter_status(m, AS_OF)
        admission = next(lst for lst in shipped.lists if lst.id == m.list).admission
        expected = "📋 在列" if status == "in_force" and not admission else labels[status]
        assert f'<span class="gp-status__label">{expected} ' in card, m.code
        assert f'data-effective="{m.effective.isoformat() if m.effective else ""}"' in card
        assert f"生效 Effective {m.effective.isoformat() if m.effective else '—'}" in card
        if m.expires:
            assert f"有效期至 Valid through {m.expires.isoformat()}（含当日 inclusive" in card


def test_worked_examples_are_computed_by_the_runtime(shipped: gridpolicy.Policy,
                                                     shipped_pages: dict[str, str]) -> None:
    page = shipped_pages["evaluation.md"]
    ctx = Context(shipped, AS_OF)
    for f in shipped.formulas:
        result = shipped.evaluate(f.id, sample_inputs(ctx, f))
        section = page.split(f"{{ #formula-{f.id.lower()} }}", 1)[1].split("\n## ", 1)[0]
        value = str(int(result.value)) if result.value.is_integer() else f"{result.value:g}"
        assert f"结果 Result：**{value}**" in section, f.id
        if result.grade:
            assert f"等级 **{result.grade.name}**" in section


def test_source_links_point_at_declaration_lines(shipped: gridpolicy.Policy, shipped_pages: dict[str, str]) -> None:
    links = re.findall(r"\[`([^`]+):(\d+)`\]\((?:\.\./)*(source/[^)#]+)#__codelineno-0-(\d+)\)",
                       "\n".join(shipped_pages.values()))
    assert len(links) > 50
    files = {display_name(f): f for f in shipped.model.sources}
    for name, line, page, anchor in links:
        assert page == source_page(files[name]) and line == anchor
        assert page in shipped_pages
        assert 1 <= int(line) <= len(shipped.model.sources[files[name]].splitlines())
    for r in shipped.routes:
        assert f"[`{display_name(r.span.file)}:{r.span.line}`]" in shipped_pages["routing.md"]
        text = shipped.model.sources[r.span.file].splitlines()[r.span.line - 1]
        assert r.id in text


def test_notice_board_per_registry_grid(shipped_pages: dict[str, str]) -> None:
    registry = pytest.importorskip("gridpolicy.registry")
    loaded = registry.load_registry(REPO / "rules" / "registry" / "grids.yaml")
    for entry in loaded.registry.grids():
        g = entry.grid
        page = shipped_pages[f"grids/{g.code.lower()}.md"]
        for shown in (g.name, entry.community.name, g.boundaries.east, g.boundaries.north, g.leader.contact):
            assert shown in page
        assert f"({g.code.lower()}.md)" in shipped_pages["grids/index.md"]


def test_missing_registry_is_a_note_not_an_error(tmp_path: Path) -> None:
    grids, note = load_registry(tmp_path / "nowhere")
    assert grids == [] and "nowhere" in note
    pages = generate(gridpolicy.loads(BASE), AS_OF, registry=grids, registry_note=note)
    assert cell(note) in pages["grids/index.md"]


def test_deterministic_and_marked(shipped: gridpolicy.Policy, shipped_pages: dict[str, str]) -> None:
    again = generate(shipped, AS_OF, **dict(zip(("registry", "registry_note"),
                                                 load_registry(REPO / "rules" / "registry"), strict=True)))
    assert again == shipped_pages
    assert all(is_generated(text) and text.startswith("# ") for text in shipped_pages.values())


def test_status_depends_on_the_date() -> None:
    policy = gridpolicy.loads(BASE)
    before = generate(policy, dt.date(2024, 2, 1))["matters.md"]
    after = generate(policy, dt.date(2025, 10, 1))["matters.md"]
    assert "#### M01 " in before
    assert "🕒 尚未生效" in before and "⛔ 已退出" not in before
    assert "⛔ 已退出" in after and "⌛ 临时准入已到期" in after


def test_conditions_in_words() -> None:
    policy = gridpolicy.loads(BASE)
    words_ = Words(Context(policy, AS_OF))
    words = {r.id: words_.condition(r.condition) for r in policy.routes}
    assert words["emergency"] == "紧急程度为「特急」"
    assert words["reopen"] == "回访为「不满意」，并且已填写原处理层级"
    assert words["wide"] == "范围高于「网格」"
    assert words["local"] == "所有事项（兜底）"
    assert words_.condition(policy.criteria[0].condition) == "所需能力包含「专业技术」"
    score = next(f for f in policy.formulas if f.id == "score")
    assert Words(Context(policy, AS_OF), {i.id: i.name for i in score.inputs}).notation(score.value) == \
        "四舍五入(0.4 × 联系服务 + 0.6 × 任务完成，保留 1 位小数)"


def test_flow_chart_has_every_tier_and_route() -> None:
    policy = gridpolicy.loads(BASE)
    ctx = Context(policy, AS_OF)
    f = flow(ctx)
    placed = {r.id for rs in f.by_tier.values() for _, r in rs} | {r.id for _, r in f.dynamic + f.extra}
    assert placed == {r.id for r in policy.routes}
    assert f.edges[("grid", "community")] == ["1个工作日"]
    assert f.edges[("community", "street")] == ["3个工作日"]
    assert f.edges[("street", "district")] == ["2小时"]
    assert [r.id for _, r in f.by_tier["street"]][0] == "emergency"
    page = generate(policy, AS_OF)["routing.md"]
    for t in policy.tiers:
        assert f"<strong>第 {t.level} 级 · {t.name}</strong>" in page


def test_write_removes_stale_generated_pages_only(tmp_path: Path) -> None:
    policy = gridpolicy.loads(BASE)
    pages = generate(policy, AS_OF)
    (tmp_path / "grids").mkdir()
    (tmp_path / "grids" / "old-grid.md").write_text("# old\n\n" + MARKER + "\n", encoding="utf-8")
    (tmp_path / "handwritten.md").write_text("# mine\n", encoding="utf-8")
    write(pages, tmp_path)
    assert not (tmp_path / "grids" / "old-grid.md").exists()
    assert (tmp_path / "handwritten.md").exists()
    assert (tmp_path / "routing.md").read_text(encoding="utf-8") == pages["routing.md"]


def test_cli_writes_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gridpolicy.cli import main

    out = tmp_path / "site"
    assert main(["docs", str(REPO / "rules"), "--out", str(out), "--as-of", "2026-03-02"]) == 0
    assert (out / "matters.md").exists() and (out / "routing.md").exists()
    assert "2026-03-02" in capsys.readouterr().out


# ---- escaping, links and sources ------------------------------------------------------------


@pytest.mark.parametrize("raw, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src=x onerror="x()">', '&lt;img src=x onerror="x()"&gt;'),
    ("2026.1 版", "2026.1 版"),
    ("a & b", "a &amp; b"),
    ("[点我](javascript:alert(1))", "\\[点我\\](javascript:alert(1))"),
    ("a | b", "a \\| b"),
    ("*粗* _斜_ `码`", "\\*粗\\* \\_斜\\_ \\`码\\`"),
    ("# 标题", "\\# 标题"),
    ("1. 列表", "1\\. 列表"),
    ("- 列表", "\\- 列表"),
    ("{ #id }", "\\{ #id \\}"),
    ("普通文字 plain", "普通文字 plain"),
])
def test_rule_text_is_escaped(raw: str, shown: str) -> None:
    assert text(raw) == shown


@pytest.mark.parametrize("url, ok", [
    ("https://www.gov.cn/x", True), ("http://a.example/p?q=1", True), ("matters.md#m-1", True),
    ("../sources.md", True), ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False), ("//evil.example", False),
    ("mailto:a@b.c", False), ("https://", False), ("http://a b", False), ('https://a"onclick=x', False),
])
def test_only_http_https_and_relative_links(url: str, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_every_citation_links_to_a_published_source(shipped: gridpolicy.Policy) -> None:
    sources = load_sources(REPO / "rules" / "sources.yaml")
    assert sources is not None
    pages = generate(shipped, AS_OF, sources=sources)
    page = pages["sources.md"]
    texts = cited_texts(shipped.model)
    cited = {m.group(1) for t in texts for m in sources.pattern().finditer(t)}
    assert len(cited) >= 10 and sources.missing(texts) == []
    for key in cited:
        assert f"{{ #{sources.section_anchor(key)} }}" in page, key
    body = "\n".join(v for k, v in pages.items() if not k.startswith("source/"))
    links = re.findall(r"\[practice\.md §[\d.]+\]\((?:\.\./)*sources\.md#(cite-practice-[\d-]+)\)", body)
    assert len(links) >= 42
    unlinked = re.findall(r"(?<!\[)practice\.md §[\d.]+(?!\]\()", body)
    assert unlinked == [], unlinked[:3]
    for s in sources.sections.values():
        for src in s.sources:
            assert text(src.title) in page
            if src.url:
                assert f"(<{src.url}>)" in page


@pytest.mark.parametrize("body, where", [
    ("document: practice.md\ntitle: t\nsections: {'1.1': {title: a, sources: [{title: x, kind: REG, "
     "url: 'javascript:alert(1)'}]}}", "sections.1.1.sources.0.url"),
    ("document: practice.md\ntitle: t\nsections: {'1.1': {title: a, sources: [{title: x, kind: BLOG}]}}",
     "sections.1.1.sources.0.kind"),
    ("document: practice.md\ntitle: t\nsections: {'x': {title: a, sources: [{title: x, kind: REG}]}}", "sections"),
    ("document: practice.md\ntitle: t\nsections: {'1.1': {title: a, sources: [{title: x, kind: REG, date: 2023/1}]}}",
     "sections.1.1.sources.0.date"),
    ("document: [unclosed", "cannot read"),
])
def test_bad_sources_file_is_a_located_error(tmp_path: Path, body: str, where: str) -> None:
    f = tmp_path / "sources.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(SourcesError) as exc:
        load_sources(f)
    assert where in str(exc.value) and str(f.as_posix()) in str(exc.value)
    assert "出处文件" in str(exc.value)


def test_handling_page_answers_are_the_runtimes(shipped: gridpolicy.Policy) -> None:
    import json

    from gridpolicy.site.pages.handling import answer, categories, packed, table

    grids, _ = load_registry(REPO / "rules" / "registry")
    ctx = Context(shipped, AS_OF, registry=grids)
    data = table(ctx)
    assert len(categories(ctx)) >= len(shipped.matters) + 1
    assert len(data["pick"]) == len(categories(ctx)) * len(grids) * 3
    for code, grid, urgency in (("G06", grids[0].grid.code, "normal"), ("N01", grids[-1].grid.code, "emergency"),
                                ("", grids[2].grid.code, "urgent")):
        item = {"id": "x", "kind": "issue", "grid": grid, "urgency": urgency,
                "reported_at": "2026-03-02T09:00:00+08:00"}
        if code:
            item["matter"] = next(m.name for m in shipped.matters if m.code == code)
        assert data["answers"][data["pick"][f"{code}|{grid}|{urgency}"]] == answer(shipped.route(item))
    page = generate(shipped, AS_OF, registry=grids)["handling.md"]
    blob = page.split('id="gp-handling-data">', 1)[1].split("</script>", 1)[0]
    shipped_data = json.loads(blob)
    assert "<" not in blob and shipped_data == packed(data)
    for a, p in zip(data["answers"], shipped_data["answers"], strict=True):
        assert [shipped_data["reasons"][i] for i in p["reasons"]] == a["reasons"]
        assert [shipped_data["steps"][i] for i in p["escalation"]] == a["escalation"]


def test_change_log_from_git_history(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from gridpolicy.site.history import HistoryError, history_log, rule_history

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "rules", repo / "rules", ignore=shutil.ignore_patterns("tests", "__pycache__"))

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first version")
    admission = repo / "rules" / "30_admission.gp"
    admission.write_text(admission.read_text(encoding="utf-8").replace('matter G01 "基层党建"', 'matter G01 "基层党建工作"'),
                         encoding="utf-8")
    git("commit", "-qam", "rename G01 <b>now</b>")
    (repo / "rules" / "00_policy.gp").write_text((repo / "rules" / "00_policy.gp").read_text(encoding="utf-8")
                                                 + "\n# a comment only\n", encoding="utf-8")
    git("commit", "-qam", "comment only")
    versions = rule_history(repo / "rules", limit=5)
    assert [v.subject for v in versions] == ["comment only", "rename G01 <b>now</b>", "first version"]
    log = history_log(versions)
    assert "基层党建工作" in log and "rename G01 &lt;b&gt;now&lt;/b&gt;" in log and "另有 1 次修改" in log
    assert "first version" not in log.split("### ")[-1]
    admission.write_text(admission.read_text(encoding="utf-8").replace('matter G02 "户籍人口信息收集"',
                                                                      'matter G02 "户籍人口信息采集"'), encoding="utf-8")
    pending = history_log(versions, current=gridpolicy.load(repo / "rules"))
    assert pending.startswith("### 尚未提交的修改") and "户籍人口信息采集" in pending.split("### ", 2)[1]
    with pytest.raises(HistoryError):
        rule_history(tmp_path, limit=2)


def test_worked_examples_use_only_declared_values(shipped: gridpolicy.Policy,
                                                  shipped_pages: dict[str, str]) -> None:
    ctx = Context(shipped, AS_OF)
    declared = {code for f in shipped.model.fields for code, _ in f.values}
    checked = 0
    for f in shipped.formulas:
        data = sample_inputs(ctx, f)
        for inp in f.inputs:
            if inp.type != "records":
                continue
            for record in data[inp.id]:
                for value in record.values():
                    if isinstance(value, str) and not value.startswith(tuple(inp.fields)) \
                            and not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):  # a typed date or time
                        assert value in declared, (f.id, value)
                        checked += 1
    assert checked >= 4
    page = shipped_pages["evaluation.md"]
    assert "```json" not in page and "not_satisfied" not in page and '{"' not in page


def test_handling_page_offers_the_event_catalogue() -> None:
    from gridpolicy.site.pages.handling import CLASS, answer, categories, table

    policy = gridpolicy.load(REPO / "examples" / "what-and-who")
    ctx = Context(policy, AS_OF)
    classes = [c for c in categories(ctx) if c[0].startswith(CLASS)]
    assert classes and len(classes) == len(policy.model.classes)
    value, label, group = classes[0]
    cls = policy.model.classes[0]
    assert label == cls.name and " · " in group
    data = table(ctx)
    shown = data["answers"][data["pick"][f"{value}||normal"]]
    d = policy.route({"id": "x", "kind": "issue", "matter": cls.name, "urgency": "normal",
                      "reported_at": "2026-03-02T09:00:00+08:00"})
    assert shown == answer(d) and shown["matter"].startswith(cls.name)


def test_organisation_rows_show_their_sources_and_assumptions() -> None:
    """Issue 15: assumptions are marked where each value is shown, and tiers, departments and
    roles show their sources."""
    import datetime as dt
    from pathlib import Path

    import gridpolicy
    from gridpolicy.site import generate

    policy = gridpolicy.load(Path(__file__).resolve().parent.parent / "rules")
    page = generate(policy, dt.date(2026, 12, 1))["organisation.md"]
    for decl in (*policy.tiers, *policy.departments, *policy.roles):
        line = next(ln for ln in page.splitlines() if f"`{decl.id}`" in ln and ln.startswith("- **"))
        for a in decl.meta.assumptions:
            assert "假设 Assumption" in line and a[:12] in line, decl.id
        if decl.meta.source:
            assert "出处 Source" in line, decl.id
