"""`gridpolicy release`: check, test, diff and seal a rule version into a bundle.

A release is refused (ReleaseError, nothing written) when the rules have errors, a rule test
fails, coverage is below the floor asked for, the version was released before, the rule header
names another version, or the effective date is before the previous release's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bundle import VERSION_RE, Bundle, file_hashes, files_digest, list_bundles, read_bundle, write_bundle
from .errors import ReleaseError
from .files import collect_files

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReleaseRequest:
    rules: Path
    version: str
    effective: dt.date
    approved_by: str
    ref: str
    releases: Path
    notes: str = ""
    key: Path | None = None
    items: tuple[Mapping[str, Any], ...] | None = None  # impact sample; default: the rule tests' items
    min_coverage: float | None = None


def make_release(req: ReleaseRequest, progress: Progress | None = None) -> Bundle:
    """Build, verify and write the bundle of `req`; returns it as written."""
    from ..diagnostics import PolicyError
    from ..diff import diff, impact
    from ..loader import load
    from ..version import __version__

    say = progress or (lambda _msg: None)
    _check_request(req)
    bundles = [read_bundle(p) for p in list_bundles(req.releases)]  # read once: order checks and the diff
    previous = _latest(bundles)
    if previous is not None:
        _check_order(req, previous, bundles)
    say("检查规则 checking the rules")
    files = collect_files(req.rules)
    try:
        policy = load(req.rules, cache=False)
    except PolicyError as exc:
        first = exc.errors[0]
        raise ReleaseError(f"规则有 {len(exc.errors)} 个错误，不能发布；第一个：{first.span} {first.message_zh}",
                           f"the rules have {len(exc.errors)} error(s), not released; first: {first.span} "
                           f"{first.message_en}") from None
    if policy.header.version != req.version:
        raise ReleaseError(f"规则头 policy 的 version 为“{policy.header.version}”，与发布版本“{req.version}”不一致；"
                           f"请先在规则文件中改为 version \"{req.version}\"",
                           f"the policy header says version \"{policy.header.version}\" but the release is "
                           f"\"{req.version}\"; set version \"{req.version}\" in the rule files first")
    say("运行规则测试 running the rule tests")
    tests, coverage, sample = _run_tests(policy, req.rules)
    if tests["failed"]:
        raise ReleaseError(f"{tests['failed']} 个规则测试失败，不能发布：{'; '.join(tests['failures'][:3])}",
                           f"{tests['failed']} rule test(s) failed, not released: {'; '.join(tests['failures'][:3])}")
    if req.min_coverage is not None and coverage is not None and coverage < req.min_coverage:
        raise ReleaseError(f"测试覆盖率 {coverage:.1f}% 低于要求的 {req.min_coverage:g}%，不能发布",
                           f"test coverage {coverage:.1f}% is below the required {req.min_coverage:g}%, not released")
    from ..retro import HEAD_BASE, head_policy, release_base, retroactive_matters
    from .releases import load_bundle_policy

    old = load_bundle_policy(previous) if previous is not None else None
    base = old if old is not None else head_policy(req.rules)
    retro = [] if base is None else retroactive_matters(
        policy, base, req.effective, base=release_base(previous.version) if previous is not None else HEAD_BASE)
    manifest: dict[str, Any] = {
        "version": req.version,
        "effective": req.effective.isoformat(),
        "approved_by": req.approved_by,
        "ref": req.ref,
        "notes": req.notes,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "tool_version": __version__,
        "policy": {"id": policy.header.id, "name": policy.header.name, "timezone": policy.header.timezone},
        "digest": files_digest(files),
        "files": file_hashes(files),
        "check": {"errors": 0, "warnings": [f"{d.code} {d.span} {d.message_zh} — {d.message_en}"
                                            for d in (*policy.warnings, *retro)]},
        "tests": {k: v for k, v in tests.items() if k != "failures"},
        "coverage": coverage,
        "previous": None,
        "diff": None,
        "impact": None,
    }
    if previous is not None and old is not None:
        say(f"与上一版本 {previous.version} 比较 comparing with {previous.version}")
        d = diff(old, policy)
        items = list(req.items) if req.items is not None else sample
        im = impact(old, policy, items, now=dt.datetime.combine(req.effective, dt.time(12), dt.UTC))
        manifest["previous"] = {"version": previous.version, "digest": previous.digest,
                                "effective": previous.manifest["effective"]}
        manifest["diff"] = {"changes": [c.to_dict() for c in d.changes], "text": d.render()}
        manifest["impact"] = im.to_dict()
    bundle = Bundle(manifest, files, None)
    if req.key is not None:
        from .signing import sign

        bundle = Bundle(manifest, files, sign(bundle.signed_payload(), req.key))
    say("写入发布包 writing the bundle")
    path = write_bundle(bundle, req.releases)
    return Bundle(bundle.manifest, bundle.files, bundle.signature, path)


def _check_request(req: ReleaseRequest) -> None:
    if not VERSION_RE.match(req.version):
        raise ReleaseError(f"版本号“{req.version}”不合规：只能由字母、数字和 . _ - 组成，例如 2026.2",
                           f"version '{req.version}' is not valid: letters, digits and . _ - only, e.g. 2026.2")
    for value, zh, en in ((req.approved_by, "批准机关 --approved-by", "--approved-by"),
                          (req.ref, "批准文号 --ref", "--ref")):
        if not value.strip():
            raise ReleaseError(f"缺少{zh}", f"{en} is required")


def _check_order(req: ReleaseRequest, previous: Bundle, bundles: list[Bundle]) -> None:
    for b in bundles:
        if b.version == req.version:
            name = b.path.name if b.path else b.version
            raise ReleaseError(f"版本 {req.version} 已经发布过（{name}），版本号不能重复使用",
                               f"version {req.version} was already released ({name}); versions are not reused")
    if req.effective < previous.effective:
        raise ReleaseError(f"生效日期 {req.effective} 早于上一版本 {previous.version} 的生效日期 {previous.effective}",
                           f"effective date {req.effective} is before that of the previous release "
                           f"{previous.version} ({previous.effective})")


def latest_release(folder: Path) -> Bundle | None:
    """The release with the latest effective date (ties: the one created last)."""
    return _latest([read_bundle(p) for p in list_bundles(folder)])


def default_releases(rules: Path) -> Path:
    """The releases folder of a rule folder when none is named: releases/ beside it."""
    return rules.resolve().parent / "releases"


def previous_policy(rules: Path, releases: Path | None = None) -> tuple[Any, tuple[str, str]] | None:
    """The version a rule folder is compared with to know what was added, and its name (zh, en):
    its latest release, else the folder in git HEAD, else None."""
    from ..retro import HEAD_BASE, head_policy, release_base

    folder = releases if releases is not None else default_releases(rules if rules.is_dir() else rules.parent)
    try:
        latest = latest_release(folder) if folder.is_dir() else None
    except (OSError, ReleaseError):
        latest = None
    if latest is not None:
        from ..diagnostics import PolicyError
        from .releases import load_bundle_policy

        try:
            return load_bundle_policy(latest), release_base(latest.version)
        except PolicyError:  # a release this tool can no longer read: nothing to compare with
            return None
    head = head_policy(rules)
    return None if head is None else (head, HEAD_BASE)


def _latest(bundles: list[Bundle]) -> Bundle | None:
    return max(bundles, key=lambda b: (b.effective, b.manifest["created_at"])) if bundles else None


def _run_tests(policy: Any, rules: Path) -> tuple[dict[str, Any], float | None, list[Mapping[str, Any]]]:
    from ..coverage import compute
    from ..ruletest import discover, run_file

    results: list[Any] = []
    files = discover(rules)
    for file in files:
        results.extend(run_file(policy, file))
    failures = [f"{r.location} {r.name}" for r in results if not r.ok]
    tests = {"files": len(files), "total": len(results), "passed": len(results) - len(failures),
             "failed": len(failures), "failures": failures}
    coverage = compute(policy, results).percent if results else None
    return tests, coverage, _test_items(files)


def _test_items(files: Iterable[Path]) -> list[Mapping[str, Any]]:
    """The items of the rule tests, as the default sample for the impact of a release."""
    import yaml

    out: list[Mapping[str, Any]] = []
    for file in files:
        try:
            cases = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        for case in cases if isinstance(cases, list) else []:
            if isinstance(case, dict) and isinstance(case.get("item"), dict):
                out.append(case["item"])
    return out
