"""Which files of a rule folder a release seals: rules, registry and rule tests."""

from __future__ import annotations

from pathlib import Path

from .errors import ReleaseError

MAX_FILES = 2000
MAX_TOTAL_BYTES = 32 * 1024 * 1024


def collect_files(rules: Path) -> dict[str, str]:
    """POSIX path relative to the folder → text, for *.gp, registry/*.yaml and the rule tests."""
    if not rules.is_dir():
        raise ReleaseError(f"“{rules}”不是规则文件夹；发布需要整个文件夹（规则、台账、测试）",
                           f"'{rules}' is not a rule folder; a release seals a whole folder (rules, registry, tests)")
    picked: list[Path] = []
    for path in sorted(rules.rglob("*")):
        rel = path.relative_to(rules)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        top = rel.parts[0]
        if path.suffix == ".gp" or (path.suffix in (".yaml", ".yml") and (top in ("registry", "tests")
                                                                         or path.name.endswith(".test.yaml"))):
            picked.append(path)
    if len(picked) > MAX_FILES:
        raise ReleaseError(f"文件过多（{len(picked)} 个，上限 {MAX_FILES}）", f"too many files ({len(picked)}, limit {MAX_FILES})")
    out: dict[str, str] = {}
    total = 0
    for path in picked:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReleaseError(f"无法读取“{path}”：{exc}", f"cannot read '{path}': {exc}") from None
        total += len(text)
        if total > MAX_TOTAL_BYTES:
            raise ReleaseError(f"规则文件合计超过 {MAX_TOTAL_BYTES} 字节", f"rule files exceed {MAX_TOTAL_BYTES} bytes in all")
        out[path.relative_to(rules).as_posix()] = text
    if not any(name.endswith(".gp") for name in out):
        raise ReleaseError(f"文件夹“{rules}”中没有规则文件（*.gp）", f"no rule files (*.gp) in folder '{rules}'")
    return out
