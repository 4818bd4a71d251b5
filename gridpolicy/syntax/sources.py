"""Reading rule files: a folder, a file or text; includes resolved safely inside the folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Reporter
from ..version import __version__
from .limits import MAX_TEXT_CHARS, token_estimate
from .nodes import NO_SPAN, Decl, Include, Module, Span

SUFFIX = ".gp"
MAX_FILE_BYTES = MAX_TEXT_CHARS  # UTF-8 bytes of one file
MAX_FILES = 500
MAX_INCLUDE_DEPTH = 16
MAX_POLICY_TOKENS = 300_000  # all files of one policy together (the shipped rules: about 7,000)
MAX_DECLARATIONS = 20_000  # declarations of one policy, nested ones (matters, batches...) included


@dataclass(frozen=True)
class SourceSet:
    """The parsed files of one policy and its declarations in order (includes expanded)."""

    root: Path | None
    modules: tuple[Module, ...]
    decls: tuple[Decl, ...]
    texts: dict[str, str]
    # Grid registry files (registry/*.yaml beside the rules): name -> text. Part of the policy.
    registries: dict[str, str] = field(default_factory=dict)
    shown_as: str | None = None  # the folder's name in file names, if not the path as given

    @property
    def digest(self) -> str:
        # Names relative to the policy folder: the same rules give the same digest however the
        # folder was named (`rules/`, `./rules`, an absolute path, another checkout).
        h = hashlib.sha256(f"gridpolicy {__version__}\n".encode())
        for name, text in sorted((self._relative(n), t) for n, t in (self.texts | self.registries).items()):
            h.update(name.encode() + b"\0" + text.encode() + b"\0")
        return h.hexdigest()

    def _relative(self, name: str) -> str:
        if self.root is None:
            return name
        if self.shown_as is not None and name.startswith(self.shown_as.rstrip("/") + "/"):
            return name[len(self.shown_as.rstrip("/")) + 1:]
        try:
            return Path(name).resolve().relative_to(self.root).as_posix()
        except (OSError, ValueError):
            return name


REGISTRY_DIR = "registry"


def registry_files(folder: Path) -> list[Path]:
    """The grid registry files of a policy folder's registry/ subfolder, in name order."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


def looks_like_text(value: str) -> bool:
    """Whether a str that names no existing path is rule text rather than a mistyped path."""
    return "\n" in value or "{" in value


def is_path(value: str | os.PathLike[str]) -> bool:
    """Whether `value` names an existing file or folder (a folder may be called `rules{2026}`)."""
    try:
        return Path(value).exists()
    except (OSError, ValueError, TypeError):  # a name too long, a NUL byte
        return False


def read_text(text: str, reporter: Reporter) -> SourceSet:
    """Parse rule text given directly (it cannot include files). Problems go to `reporter`."""
    return _Reader(None, reporter).run_text(text)


def read(path_or_text: str | os.PathLike[str], reporter: Reporter, *, shown_as: str | None = None,
         texts: Mapping[str, str] | None = None) -> SourceSet:
    """Parse a policy from a folder or a file. Problems go to `reporter`. File names (in spans,
    diagnostics and decisions) start with the folder as given, or with `shown_as` (a service
    shows its folder's name, never an absolute path).

    `texts` maps rule files (paths, or names relative to the folder) to text that replaces what
    is on disk: an editor's unsaved buffers. A name in the folder not yet on disk is a new file."""
    try:
        path = Path(path_or_text)
        overlay = _overlay(path if path.is_dir() else path.parent, texts)
        if path.is_dir():
            root = path
            entries = [p for p in path.iterdir() if p.suffix == SUFFIX and p.is_file()]
            seen = {p.resolve() for p in entries}
            entries += [path / p.name for p in overlay if p.parent == path.resolve() and p not in seen
                        and p.suffix == SUFFIX]
            entries.sort(key=lambda p: p.name)
            if not entries:
                reporter.report("GP014", Span(str(path), 1, 1, 1, 2),
                                f"文件夹“{path}”中没有规则文件（*.gp）",
                                f"no rule files (*{SUFFIX}) in folder '{path}'")
        elif path.is_file():
            root = path.parent
            entries = [path]
        else:
            reporter.report("GP014", Span(str(path), 1, 1, 1, 2), f"找不到“{path}”",
                            f"'{path}' does not exist")
            return SourceSet(None, (), (), {})
    except (OSError, ValueError, TypeError) as exc:  # a name too long, a NUL byte, not a path at all
        shown = str(path_or_text)[:200]
        reporter.report("GP014", Span(shown, 1, 1, 1, 2), f"无法读取“{shown}”：{exc}",
                        f"cannot read '{shown}': {exc}")
        return SourceSet(None, (), (), {})
    reader = _Reader(root, reporter)
    reader.overlay = overlay
    if shown_as is not None:
        reader.display_root = Path(shown_as)
        reader.shown_as = shown_as
    reader.with_registry = path.is_dir()  # a folder policy includes its grid registry
    return reader.run_files(entries)


def _overlay(folder: Path, texts: Mapping[str, str] | None) -> dict[Path, str]:
    """`texts` keyed by resolved path; a relative name is taken relative to `folder`."""
    out: dict[Path, str] = {}
    for name, text in (texts or {}).items():
        p = Path(name)
        if not p.is_absolute() and not p.exists():
            p = folder / p
        out[p.resolve()] = text
    return out


class _Reader:
    def __init__(self, root: Path | None, reporter: Reporter):
        self.root = root.resolve() if root else None
        self.display_root = root
        self.shown_as: str | None = None
        self.with_registry = False
        self.reporter = reporter
        self.modules: list[Module] = []
        self.decls: list[Decl] = []
        self.texts: dict[str, str] = {}
        self.seen: set[Path] = set()
        self.tokens = 0
        self.declarations = 0
        self.over_limit = False
        self.overlay: dict[Path, str] = {}

    def name_of(self, path: Path) -> str:
        assert self.root is not None
        rel = path.resolve().relative_to(self.root).as_posix()
        return rel if self.display_root is None else (Path(self.display_root) / rel).as_posix()

    def run_text(self, text: str) -> SourceSet:
        self._module(text, "<text>", None, [])
        return self._result()

    def run_files(self, entries: list[Path]) -> SourceSet:
        assert self.root is not None
        for path in entries:
            if not path.resolve().is_relative_to(self.root):
                # A symlink in the folder that points outside it.
                shown = (Path(self.display_root or self.root) / path.name).as_posix()
                self.reporter.report("GP011", Span(shown, 1, 1, 1, 2), f"“{path.name}”指向规则文件夹之外",
                                     f"'{path.name}' points outside the policy folder")
                continue
            self._file(path, NO_SPAN, [])
        return self._result()

    def _result(self) -> SourceSet:
        return SourceSet(self.root, tuple(self.modules), tuple(self.decls), self.texts, self._registries(),
                         self.shown_as)

    def _registries(self) -> dict[str, str]:
        """registry/*.yaml in the policy folder, read whole (validated by the checker)."""
        if self.root is None or self.display_root is None or not self.with_registry:
            return {}
        from ..registry import read_text as read_registry_text

        folder = self.root / REGISTRY_DIR
        out: dict[str, str] = {}
        for path in registry_files(folder):
            if not path.resolve().is_relative_to(self.root):
                continue  # a symlink out of the folder is never read
            name = (Path(self.display_root) / REGISTRY_DIR / path.name).as_posix()
            try:
                out[name] = read_registry_text(path)  # bounded: never more than the registry limit
            except (OSError, UnicodeDecodeError):
                out[name] = ""  # the registry loader reports it with its own message
        return out

    def _file(self, path: Path, at: Span, stack: list[Path]) -> None:
        resolved = path.resolve()
        if resolved in stack:
            chain = " -> ".join(self.name_of(p) for p in [*stack, resolved])
            self.reporter.report("GP012", at, f"引用形成循环：{chain}", f"include cycle: {chain}")
            return
        if resolved in self.seen:
            return
        if len(stack) > MAX_INCLUDE_DEPTH:
            self.reporter.report("GP013", at, f"引用层数超过 {MAX_INCLUDE_DEPTH}",
                                 f"includes nested deeper than {MAX_INCLUDE_DEPTH}")
            return
        name = self.name_of(resolved)
        here = at if at is not NO_SPAN else Span(name, 1, 1, 1, 2)
        if len(self.seen) >= MAX_FILES:
            self._limit(here, f"规则文件超过 {MAX_FILES} 个", f"more than {MAX_FILES} rule files")
            return
        self.seen.add(resolved)
        if resolved in self.overlay:
            self._module(self.overlay[resolved], name, resolved, [*stack, resolved])
            return
        try:
            with resolved.open("rb") as fh:  # read at most the limit, whatever stat said
                data = fh.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                self._limit(here, f"文件“{name}”过大（上限 {MAX_FILE_BYTES} 字节）",
                            f"file '{name}' is too large (limit {MAX_FILE_BYTES} bytes)")
                return
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.reporter.report("GP014", Span(name, 1, 1, 1, 2),
                                 f"文件“{name}”不是 UTF-8 编码（第 {exc.start} 字节）",
                                 f"file '{name}' is not UTF-8 (byte {exc.start})")
            return
        except OSError as exc:
            self.reporter.report("GP014", here, f"无法读取“{name}”：{exc.strerror}",
                                 f"cannot read '{name}': {exc.strerror}")
            return
        self._module(text, name, resolved, [*stack, resolved])

    def _limit(self, span: Span, zh: str, en: str) -> None:
        self.over_limit = True
        self.reporter.report("GP013", span, zh, en)

    def _module(self, text: str, name: str, path: Path | None, stack: list[Path]) -> None:
        if self.over_limit:
            return
        self.texts[name] = text
        self.tokens += token_estimate(text, MAX_POLICY_TOKENS - self.tokens)
        if self.tokens > MAX_POLICY_TOKENS:
            self._limit(Span(name, 1, 1, 1, 2), f"规则总量过大（超过约 {MAX_POLICY_TOKENS} 个词）",
                        f"the policy is too large (more than about {MAX_POLICY_TOKENS} tokens in all files)")
            return
        from .parser import parse  # Lark: imported only when there is text to parse

        module = parse(text, name, self.reporter, partial=True)
        if module is None:
            return
        pending = [d for d in module.items if isinstance(d, Decl)]
        while pending:
            d = pending.pop()
            self.declarations += 1
            if self.declarations > MAX_DECLARATIONS:
                self._limit(d.span, f"声明过多（上限 {MAX_DECLARATIONS} 条，含事项、批次等）",
                            f"too many declarations (limit {MAX_DECLARATIONS}, matters and batches included)")
                return
            pending.extend(d.children)
        self.modules.append(module)
        for item in module.items:
            if isinstance(item, Include):
                self._include(item, path, stack)
            else:
                self.decls.append(item)

    def _include(self, inc: Include, including: Path | None, stack: list[Path]) -> None:
        if including is None or self.root is None:
            self.reporter.report("GP010", inc.span, "直接给出的规则文本不能引用文件",
                                 "rule text given directly cannot include files")
            return
        target = Path(inc.path)
        if target.is_absolute() or inc.path.startswith(("/", "\\")) or ":" in inc.path[:3]:
            self.reporter.report("GP011", inc.span, f"引用路径“{inc.path}”是绝对路径；只能引用规则文件夹内的相对路径",
                                 f"include '{inc.path}' is absolute; only relative paths inside the policy folder")
            return
        try:
            resolved = (including.parent / target).resolve()
            is_file = resolved.is_file() or resolved in self.overlay
        except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop, a name too long
            self.reporter.report("GP010", inc.span, f"无法使用引用路径“{inc.path[:200]}”：{exc}",
                                 f"cannot use include path '{inc.path[:200]}': {exc}")
            return
        if not resolved.is_relative_to(self.root):
            self.reporter.report("GP011", inc.span, f"引用“{inc.path}”指向规则文件夹之外",
                                 f"include '{inc.path}' points outside the policy folder")
            return
        if not is_file:
            self.reporter.report("GP010", inc.span, f"找不到被引用的文件“{inc.path}”",
                                 f"included file '{inc.path}' not found")
            return
        self._file(resolved, inc.span, stack)
