"""The release bundle: one immutable JSON file holding a rule version and its manifest.

    {"format": "gridpolicy-release/1",
     "manifest": {"version", "effective", "approved_by", "ref", "notes", "created_at",
                  "tool_version", "digest", "files": {path: sha256}, "previous", "check",
                  "tests", "coverage", "diff", "impact"},
     "files": {path: text},          # rule files, registry/*.yaml, tests/*.yaml
     "signature": {"alg", "key_id", "value"} | null}

`digest` is the SHA-256 over the files' paths and texts (independent of the tool version), so
a release keeps its identity across gridpolicy upgrades. The signature covers the canonical JSON
of format and manifest; the manifest holds every file's hash, so it covers the files too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ReleaseError

FORMAT = "gridpolicy-release/1"
SUFFIX = ".gprelease"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
_REQUIRED = ("version", "effective", "approved_by", "ref", "digest", "files", "created_at", "tool_version")


def files_digest(files: dict[str, str]) -> str:
    h = hashlib.sha256(b"gridpolicy-release-files\n")
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return h.hexdigest()


def file_hashes(files: dict[str, str]) -> dict[str, str]:
    return {name: hashlib.sha256(files[name].encode()).hexdigest() for name in sorted(files)}


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Bundle:
    """A release as read from its file; `path` is where it was read (None before writing)."""

    manifest: dict[str, Any]
    files: dict[str, str]
    signature: dict[str, str] | None
    path: Path | None = None

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def effective(self) -> dt.date:
        return dt.date.fromisoformat(self.manifest["effective"])

    @property
    def digest(self) -> str:
        return str(self.manifest["digest"])

    def signed_payload(self) -> bytes:
        return canonical({"format": FORMAT, "manifest": self.manifest})

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "manifest": self.manifest, "files": self.files,
                           "signature": self.signature}, ensure_ascii=False, indent=1, sort_keys=True).encode()

    def check_integrity(self) -> None:
        """The files are the ones the manifest names, unchanged."""
        where = str(self.path or self.version)
        want = self.manifest.get("files")
        if not isinstance(want, dict) or file_hashes(self.files) != want:
            changed = sorted(set(want or {}) ^ set(self.files)) or sorted(
                n for n in self.files if (want or {}).get(n) != hashlib.sha256(self.files[n].encode()).hexdigest())
            raise ReleaseError(f"发布包“{where}”已被改动：文件与清单不符（{', '.join(changed[:5])}）",
                               f"bundle '{where}' was altered: files differ from its manifest ({', '.join(changed[:5])})")
        if files_digest(self.files) != self.digest:
            raise ReleaseError(f"发布包“{where}”已被改动：摘要不符", f"bundle '{where}' was altered: digest mismatch")


def bundle_name(version: str) -> str:
    return f"{version}{SUFFIX}"


def read_bundle(path: Path) -> Bundle:
    """Read and validate one bundle file (structure and integrity, not the signature)."""
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise ReleaseError(f"发布包“{path}”过大（{size} 字节，上限 {MAX_BUNDLE_BYTES}）",
                               f"bundle '{path}' is too large ({size} bytes, limit {MAX_BUNDLE_BYTES})")
        raw = json.loads(path.read_bytes())
    except OSError as exc:
        raise ReleaseError(f"无法读取发布包“{path}”：{exc.strerror}", f"cannot read bundle '{path}': {exc.strerror}") \
            from None
    except (ValueError, RecursionError) as exc:
        raise ReleaseError(f"发布包“{path}”不是有效的 JSON：{exc}", f"bundle '{path}' is not valid JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ReleaseError(f"“{path}”不是 gridpolicy 发布包（format 应为 {FORMAT}）",
                           f"'{path}' is not a gridpolicy release bundle (format must be {FORMAT})")
    manifest, files, sig = raw.get("manifest"), raw.get("files"), raw.get("signature")
    if not isinstance(manifest, dict):
        raise ReleaseError(f"发布包“{path}”缺少清单 manifest", f"bundle '{path}' has no manifest")
    missing = [k for k in _REQUIRED if k not in manifest]
    if missing:
        raise ReleaseError(f"发布包“{path}”的清单缺少：{', '.join(missing)}",
                           f"bundle '{path}' manifest lacks: {', '.join(missing)}")
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ReleaseError(f"发布包“{path}”的 files 应为 文件名 → 文本", f"bundle '{path}': files must map names to text")
    if sig is not None and not (isinstance(sig, dict) and all(isinstance(v, str) for v in sig.values())):
        raise ReleaseError(f"发布包“{path}”的签名格式不正确", f"bundle '{path}': malformed signature")
    try:
        dt.date.fromisoformat(manifest["effective"])
    except (TypeError, ValueError):
        raise ReleaseError(f"发布包“{path}”的生效日期“{manifest['effective']}”不是日期",
                           f"bundle '{path}': effective '{manifest['effective']}' is not a date") from None
    for name in files:
        if not safe_member(name):
            raise ReleaseError(f"发布包“{path}”含有不安全的文件名“{name}”", f"bundle '{path}' has an unsafe file name '{name}'")
    bundle = Bundle(manifest, files, sig, path)
    bundle.check_integrity()
    return bundle


def safe_member(name: str) -> bool:
    """A relative POSIX path inside the bundle: no absolute path, no `..`, no backslash."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and "\0" not in name \
        and all(p not in ("", ".", "..") for p in parts)


def write_bundle(bundle: Bundle, folder: Path) -> Path:
    """Write a new bundle file; never overwrites (a release is immutable). Returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / bundle_name(bundle.version)
    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
    data = bundle.to_json()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)  # atomic and fails if the version exists: immutability
        except FileExistsError:
            raise ReleaseError(f"版本 {bundle.version} 已发布过，不能覆盖（{target}）",
                               f"version {bundle.version} was already released; not overwritten ({target})") from None
        os.chmod(target, 0o444)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def list_bundles(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except OSError:
        return []
