"""Hostile rule files: every input ends in a Policy or in located, coded diagnostics.

Mutations of the shipped rules and of the test policy (deleted, duplicated and swapped
tokens, truncation, random Unicode, BOM, CRLF, tabs, full-width punctuation), generated
policies, the GP004 full-width diagnostic in every position, limits (GP013) and includes
that try to leave the policy folder (GP011)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import BASE
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.diagnostics import CODES, PolicyError, Reporter
from gridpolicy.syntax import limits as gp_limits
from gridpolicy.syntax import sources as gp_sources
from gridpolicy.syntax.parser import parse
from gridpolicy.syntax.scan import FULL_WIDTH

RULES = Path(__file__).resolve().parent.parent / "rules"
RULE_FILES = sorted(RULES.glob("*.gp"))
# The shipped rule set as one text (it uses no includes), so a mutation anywhere is checked whole.
RULES_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in RULE_FILES)
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKEN = re.compile(r'\s+|"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\w+|[^\w\s]')


def lines_of(text: str) -> int:
    if text.startswith("\ufeff"):
        text = text[1:]
    return max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))


def assert_outcome(text: str) -> gridpolicy.Policy | PolicyError:
    """Load `text`; it must give a Policy or a PolicyError whose every diagnostic has a known
    code and a position inside the text. Any other exception fails the test."""
    if not gp_sources.looks_like_text(text):
        text += "\n"  # `load` takes a string without a newline or brace for a path
    try:
        return gridpolicy.loads(text)
    except PolicyError as exc:
        assert exc.errors, "a PolicyError must carry at least one error"
        n = lines_of(text)
        for d in exc.diagnostics:
            assert d.code in CODES, d.code
            assert d.span.file == "<text>", d.render()
            assert 1 <= d.span.line <= n, (d.span, n, d.render())
            assert d.span.column >= 1, d.render()
            assert d.message_zh and d.message_en
            d.render()
        return exc


def tokens(text: str) -> list[str]:
    out = TOKEN.findall(text)
    assert "".join(out) == text
    return out


# ---- mutations ------------------------------------------------------------------------------

ASCII_PUNCT = {v: k for k, v in FULL_WIDTH.items() if v not in " '"}


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    toks = tokens(source)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "unicode", "fullwidth",
                                   "bom", "crlf", "tabs", "replace"]))
        n = len(toks)
        i = draw(st.integers(0, max(0, n - 1)))
        if op == "delete" and n > 1:
            del toks[i]
        elif op == "duplicate":
            toks.insert(i, toks[i])
        elif op == "swap":
            j = draw(st.integers(0, n - 1))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == "truncate":
            text = "".join(toks)
            toks = [text[: draw(st.integers(0, len(text)))]]
        elif op == "unicode":
            toks.insert(i, draw(st.text(min_size=1, max_size=8)))
        elif op == "fullwidth":
            spots = [k for k, t in enumerate(toks) if t in ASCII_PUNCT]
            if spots:
                k = draw(st.sampled_from(spots))
                toks[k] = ASCII_PUNCT[toks[k]]
        elif op == "bom":
            toks.insert(0, "\ufeff")
        elif op == "crlf":
            toks = ["".join(toks).replace("\n", "\r\n")]
        elif op == "tabs":
            toks = ["".join(toks).replace("  ", "\t")]
        elif op == "replace":
            toks[i] = draw(st.sampled_from(['"', "{", "}", "(", ")", "[", "]", ",", ";", "->", "..", "==",
                                            "not", "and", "事项", "0", "2026-02-30", "9" * 40, "“", "\x00"]))
    return "".join(toks)


@settings(SLOW, max_examples=100)
@given(mutated(BASE))
def test_mutated_test_policy_gives_policy_or_located_diagnostics(text: str) -> None:
    assert_outcome(text)


@settings(SLOW, max_examples=60)
@given(mutated(RULES_TEXT))
def test_mutated_shipped_rules_give_policy_or_located_diagnostics(text: str) -> None:
    assert_outcome(text)


@settings(SLOW, max_examples=60)
@given(st.text(max_size=300))
def test_random_unicode_text(text: str) -> None:
    assert_outcome(text)


VOCAB = sorted({t for t in tokens(BASE) if not t.isspace()} | {"“", "”", "，", "（", "）", "：", "；", "\n",
                                                              "include", '"../x.gp"', "__class__", "1e999"})


@settings(SLOW, max_examples=80)
@given(st.lists(st.sampled_from(VOCAB), max_size=80).map(" ".join))
def test_token_soup(text: str) -> None:
    assert_outcome(text)


@pytest.mark.parametrize("transform", [
    lambda t: "\ufeff" + t,
    lambda t: t.replace("\n", "\r\n"),
    lambda t: t.replace("\n", "\r"),
    lambda t: t.replace("  ", "\t"),
    lambda t: "\ufeff" + t.replace("\n", "\r\n").replace("  ", "\t"),
], ids=["bom", "crlf", "cr", "tabs", "all"])
def test_encoding_variants_of_the_shipped_rules_load(transform) -> None:
    policy = assert_outcome(transform(RULES_TEXT))
    assert isinstance(policy, gridpolicy.Policy), policy


# ---- generated policies -----------------------------------------------------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: s not in {"and", "or", "not", "in", "true", "false", "none", "matter"})


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> str:
    leaves = [
        lambda: f"level {draw(st.sampled_from(['==', '!=']))} {draw(st.sampled_from(['low', 'mid', 'high']))}",
        lambda: f"n {draw(st.sampled_from(['<', '<=', '>', '>=', '==', '!=']))} {draw(st.integers(0, 1000))}",
        lambda: f"{draw(st.sampled_from(['a', 'b']))} in tags",
        lambda: "has(n)",
        lambda: f"n + {draw(st.integers(0, 9))} * 2 > {draw(st.integers(0, 99))}",
    ]
    if depth >= 3 or draw(st.booleans()):
        return draw(st.sampled_from(leaves))()
    op = draw(st.sampled_from(["and", "or", "not", "paren"]))
    if op == "not":
        return f"not ({draw(conditions(depth + 1))})"
    if op == "paren":
        return f"({draw(conditions(depth + 1))})"
    return f"{draw(conditions(depth + 1))} {op} {draw(conditions(depth + 1))}"


@st.composite
def policies(draw: st.DrawFn) -> str:
    tiers = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    routes = draw(st.lists(st.tuples(NAMES, conditions(), st.sampled_from(tiers), st.integers(1, 30)),
                           max_size=6, unique_by=lambda r: r[0]))
    assume("fallback" not in {r[0] for r in routes})
    out = ['policy gen "生成的规则" { version "1"; authority "测试"; effective 2024-01-01 }']
    out += [f'tier {t} "层级{i}" {{ level {i + 1} }}' for i, t in enumerate(tiers)]
    out.append('field level "等级" { type enum; values low "低", mid "中", high "高"; default low }')
    out.append('field n "数量" { type number; range 0 .. 1000 }')
    out.append('field tags "标签" { type set; values a "甲", b "乙" }')
    for rid, cond, tier, days in routes:
        out.append(f'route {rid} "规则" {{\n  when {cond}\n  tier {tier}\n  limit {days} days\n}}')
    out.append(f'route fallback "兜底" {{ tier {tiers[0]} }}')
    return "\n".join(out) + "\n"


@settings(SLOW, max_examples=80)
@given(policies(), st.fixed_dictionaries({}, optional={
    "level": st.sampled_from(["low", "mid", "high", "中"]), "n": st.integers(0, 1000),
    "tags": st.lists(st.sampled_from(["a", "b"]), unique=True)}))
def test_generated_policies_load_and_route(text: str, fields: dict[str, object]) -> None:
    policy = assert_outcome(text)
    assert isinstance(policy, gridpolicy.Policy), policy
    decision = policy.route({"id": "g", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", **fields})
    assert decision.outcome == "handle" and decision.tier is not None


@settings(SLOW, max_examples=40)
@given(mutated(BASE))
def test_mutations_never_escape_as_other_exceptions(text: str) -> None:
    # Same property, driven through parse() directly so the located-diagnostic rule also holds
    # for a file name other than <text>.
    rep = Reporter()
    module = parse(text, "m.gp", rep)
    for d in rep.diagnostics:
        assert d.span.file == "m.gp" and 1 <= d.span.line <= lines_of(text), d.render()
    if module is None:
        assert rep.has_errors


# ---- full-width punctuation: GP004 wherever it is typed ----------------------------------------

def _code_positions(text: str) -> list[tuple[int, str]]:
    """Offsets of ASCII punctuation outside strings and comments that has a full-width twin."""
    out, offset = [], 0
    for tok in tokens(text):
        if tok in ASCII_PUNCT or (len(tok) == 1 and tok in "(),;:[]{}=<>!+-"):
            if tok in ASCII_PUNCT:
                out.append((offset, tok))
        elif tok.startswith('"') and not tok.startswith('"""'):
            out.append((offset, '"'))  # the opening quote of a string
        offset += len(tok)
    return out


FW_CASES = _code_positions(BASE)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize(("offset", "ch"), FW_CASES, ids=[f"{o}{c}" for o, c in FW_CASES])
def test_full_width_punctuation_is_gp004_in_every_position(offset: int, ch: str) -> None:
    if ch == '"':
        end = BASE.index('"', offset + 1)
        text = BASE[:offset] + "“" + BASE[offset + 1:end] + "”" + BASE[end + 1:]
        wanted = "“"
    else:
        wanted = ASCII_PUNCT[ch]
        text = BASE[:offset] + wanted + BASE[offset + 1:]
    rep = Reporter()
    assert parse(text, "fw.gp", rep) is None
    first = rep.diagnostics[0]
    assert first.code == "GP004", first.render()
    assert (first.span.line, first.span.column) == _line_col(text, offset), first.render()
    assert wanted in first.message_zh and "full-width" in first.message_en


@pytest.mark.parametrize(("text", "ch"), [
    ('field f "x" { type enum; values a "甲"，b "乙" }', "，"),     # inside a property list
    ('route r { when a == b and （c == d） }', "（"),                 # inside an expression
    ('route r { when a in [x，y] }', "，"),                           # inside a list literal
    ('route r { when has（a） }', "（"),                              # a call
    ('route r { when round(x：1) > 0 }', "："),                       # a keyword argument
    ('tier g “网格” { level 1 }', "“"),                               # Chinese quotes
    ('tier g "网格” { level 1 }', "”"),                               # a Chinese closing quote
    ('route r { limit 3 workdays； tier g }', "；"),                  # a separator
    ('route r { escalate 1 day －> above }', "－"),                   # an arrow
    ('route r { when a ＝= b }', "＝"),                               # a comparison
    ('tier g "网格"　{ level 1 }', "\u3000"),                        # an ideographic space
    ('tier g "网格" ｛ level 1 ｝', "｛"),                            # braces
])
def test_full_width_in_property_lists_expressions_and_quotes(text: str, ch: str) -> None:
    rep = Reporter()
    assert parse(text, "fw.gp", rep) is None
    d = rep.diagnostics[0]
    assert (d.code, d.span.line, d.span.column) == ("GP004", 1, text.index(ch) + 1), d.render()


def test_every_full_width_character_is_reported_not_just_the_first() -> None:
    text = 'route r { when a == b，c }\ntier g “网格”\nfield f "x" { type enum；values a "甲" }\n'
    rep = Reporter()
    parse(text, "fw.gp", rep)
    assert [(d.code, d.span.line) for d in rep.diagnostics] == [("GP004", 1), ("GP004", 2), ("GP004", 2),
                                                                ("GP004", 3)]


def test_full_width_inside_strings_and_comments_is_fine() -> None:
    rep = Reporter()
    module = parse('# 注释：（全角）\ntier street "街道（镇）：“一级”" { level 1 } // ，；\n', "ok.gp", rep)
    assert module is not None and not rep.diagnostics


def test_full_width_reports_are_capped() -> None:
    rep = Reporter()
    parse("route r { when " + "，" * 1000 + " }", "fw.gp", rep)
    full_width = [d for d in rep.diagnostics if d.code == "GP004"]  # then the repaired text's syntax error
    assert len(full_width) == gp_limits.MAX_FULL_WIDTH_REPORTS + 1
    assert "980" in full_width[-1].message_zh


# ---- limits (GP013) -------------------------------------------------------------------------------

def route_with(cond: str) -> str:
    assert "when urgency == emergency" in BASE
    return BASE.replace("when urgency == emergency", "when " + cond, 1)


LIMITS = [
    ("text size", BASE + "#" * gp_limits.MAX_TEXT_CHARS),
    ("tokens", BASE + "# " + "a " * gp_limits.MAX_TOKENS),
    ("brackets", route_with("(" * 60 + "urgency == emergency" + ")" * 60)),
    ("brackets in lists", route_with("urgency in " + "[" * 60 + "]" * 60)),
    ("calls", route_with("round(" * 60 + "people" + ")" * 60 + " > 3")),
    ("not chain", route_with("not " * 200 + "urgency == emergency")),
    ("sign chain", route_with("-" * 200 + "people > 3")),
    ("sum chain", route_with(" + ".join(["people"] * 200) + " > 3")),
    ("attribute chain", route_with("matter" + ".list" * 200 + " == 1")),
    ("and chain", route_with(" and ".join(["urgency == emergency"] * 100))),
    ("or chain", route_with(" or ".join(["people > 1"] * 100))),
    ("expression size", route_with("urgency in [" + ", ".join(["normal"] * 6000) + "]")),
    ("declarations", BASE + "".join(f"role r{i}\n" for i in range(gp_sources.MAX_DECLARATIONS))),
    ("arguments", BASE.replace("escalate 2 hours -> district",
                               "escalate " + ", ".join(f"{h + 2} hours -> district" for h in range(gp_limits.MAX_ARGS + 1)))),
]


@pytest.mark.parametrize(("text"), [t for _, t in LIMITS], ids=[n for n, _ in LIMITS])
def test_limits_give_gp013_with_a_position(text: str) -> None:
    exc = assert_outcome(text)
    assert isinstance(exc, PolicyError)
    assert "GP013" in {d.code for d in exc.errors}, [d.render() for d in exc.errors][:3]


@pytest.mark.parametrize(("text", "code"), [
    (route_with("people > 1" + "0" * 100_000), "GP041"),  # 10**100000: no int() of it
    (route_with("people > " + "1" * 5000 + ".5"), "GP041"),  # would be inf
    (route_with("people > 1e999999"), "GP001"),
    (BASE.replace("limit 1 hour", "limit 99999999 workdays"), "GP041"),
    (BASE.replace("limit 1 hour", "limit 501 workdays"), "GP041"),
    (BASE.replace("limit 1 hour", "limit 1054081 minutes"), "GP041"),
    (route_with("reported_at > 9999-12-31"), "GP041"),
    (route_with("reported_at > 0001-01-01T00:00+14:00"), "GP041"),
])
def test_huge_and_far_literals_are_refused(text: str, code: str) -> None:
    exc = assert_outcome(text)
    assert isinstance(exc, PolicyError)
    assert code in {d.code for d in exc.errors}


def test_just_under_the_limits_still_loads() -> None:
    ok = [
        route_with("(" * 30 + "urgency == emergency" + ")" * 30),
        route_with(" and ".join(["urgency == emergency"] * 50)),
        route_with("urgency in [" + ", ".join(["normal"] * 3000) + "]"),
        route_with("not " * 40 + "urgency == emergency"),
    ]
    for text in ok:
        policy = assert_outcome(text)
        assert isinstance(policy, gridpolicy.Policy), policy


# ---- files and includes ---------------------------------------------------------------------------

def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "policy"
    root.mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _errors(path: Path) -> list:
    with pytest.raises(PolicyError) as info:
        gridpolicy.load(path)
    for d in info.value.diagnostics:
        assert d.code in CODES and d.span.line >= 1, d.render()
    return info.value.errors


@pytest.mark.parametrize("target", [
    "../outside.gp", "sub/../../outside.gp", "/etc/passwd", "\\\\server\\share\\x.gp", "C:/x.gp",
    "sub/../../policy/../outside.gp",
])
def test_includes_cannot_leave_the_folder(tmp_path: Path, target: str) -> None:
    (tmp_path / "outside.gp").write_text('tier secret "秘密"\n', encoding="utf-8")
    root = _folder(tmp_path, {"main.gp": BASE + f'\ninclude "{target}"\n', "sub/x.gp": ""})
    errors = _errors(root)
    assert "GP011" in {d.code for d in errors}, [d.render() for d in errors]
    assert all("secret" not in d.message_en for d in errors)


def test_symlinks_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.gp").write_text('tier secret "秘密"\n', encoding="utf-8")
    root = _folder(tmp_path, {"main.gp": BASE + '\ninclude "link.gp"\ninclude "dir/evil.gp"\n'})
    os.symlink(outside / "evil.gp", root / "link.gp")  # also a top-level *.gp in the folder
    os.symlink(outside, root / "dir")
    errors = _errors(root)
    gp011 = [d for d in errors if d.code == "GP011"]
    assert len(gp011) == 3, [d.render() for d in errors]  # top-level link, include link, include dir/


def test_symlink_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"main.gp": BASE + '\ninclude "parts/alias.gp"\n', "real/extra.gp": "role extra\n"})
    (root / "parts").mkdir()
    os.symlink(root / "real" / "extra.gp", root / "parts" / "alias.gp")
    policy = gridpolicy.load(root)
    assert "extra" in {r.id for r in policy.roles}


def test_include_cycle_is_gp012(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"main.gp": BASE + '\ninclude "a/x.gp"\n', "a/x.gp": 'include "y.gp"\n',
                              "a/y.gp": 'include "x.gp"\n'})
    assert "GP012" in {d.code for d in _errors(root)}


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    depth = gp_sources.MAX_INCLUDE_DEPTH + 3
    files = {"main.gp": BASE + '\ninclude "d/f0.gp"\n'}
    files |= {f"d/f{i}.gp": f'include "f{i + 1}.gp"\n' for i in range(depth)}
    files[f"d/f{depth}.gp"] = "role deep\n"
    root = _folder(tmp_path, files)
    assert "GP013" in {d.code for d in _errors(root)}


def test_number_of_files_is_bounded(tmp_path: Path) -> None:
    files = {"000.gp": BASE} | {f"f{i:03}.gp": f"role r{i}\n" for i in range(gp_sources.MAX_FILES)}
    root = _folder(tmp_path, files)
    assert "GP013" in {d.code for d in _errors(root)}


def test_total_size_of_a_policy_is_bounded(tmp_path: Path) -> None:
    # Each file is under the per-file limit; together they are over the policy limit.
    chunk = "# " + "词 " * (gp_limits.MAX_TOKENS - 100) + "\n"
    n = gp_sources.MAX_POLICY_TOKENS // (gp_limits.MAX_TOKENS - 100) + 1
    root = _folder(tmp_path, {"000.gp": BASE} | {f"c{i}.gp": chunk for i in range(n)})
    assert "GP013" in {d.code for d in _errors(root)}


def test_oversized_and_undecodable_files(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"000.gp": BASE})
    (root / "big.gp").write_bytes(b"#" * (gp_sources.MAX_FILE_BYTES + 1))
    (root / "latin1.gp").write_bytes("tier caf\xe9".encode("latin-1"))
    codes = {d.code for d in _errors(root)}
    assert {"GP013", "GP014"} <= codes


@pytest.mark.parametrize("path", ["no\x00such", "x" * 5000, "/nonexistent/dir/"])
def test_bad_paths_are_diagnostics(path: str) -> None:
    with pytest.raises(PolicyError) as info:
        gridpolicy.load(path)
    assert info.value.errors[0].code == "GP014"


def test_include_with_a_nul_byte(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"main.gp": BASE + '\ninclude "a\x00b.gp"\n'})
    assert {d.code for d in _errors(root)} & {"GP010", "GP011"}
