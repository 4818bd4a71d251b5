"""The compiled cache: a checked policy model (in two parts, engine.parts) and its routing
index, pickled, keyed by its rule files.

`load(path)` parses and checks the rule files (the slow part of loading) only when they
changed. An entry is keyed by the gridpolicy and Python versions, the path as given and the
names of the top-level rule files; it records the SHA-256 of every file the policy read
(includes too) and is used only if all of them are unchanged and it was written by this very
gridpolicy version. Entries are written atomically (a temporary file, then a rename), so
concurrent loaders never see half an entry.

The folder is `$GRIDPOLICY_CACHE`, else `$XDG_CACHE_HOME/gridpolicy`, else
`~/.cache/gridpolicy`; Lark's tables for the grammar are kept there too
(`grammar_cache_file`). `GRIDPOLICY_CACHE=off` turns the cache off. Entries are pickles: the
folder must be writable only by the user who loads policies (as for any cache of code).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .engine.index import RouteIndex
from .engine.parts import Parts, split
from .folders import cache_dir
from .model import PolicyModel
from .syntax.sources import registry_files
from .version import __version__

SUFFIX = ".gp"
FORMAT = 6  # 6: the model in two parts (engine.parts); 5: the event catalogue, localities, department kinds
# What a cache entry pickles is defined by these modules: any change to their source (a field
# added to a model class, say) makes every entry stale, even when FORMAT was not bumped.
_PICKLED_SOURCES = ("model.py", "syntax/nodes.py", "engine/index.py", "engine/parts.py", "diagnostics.py")


def _layout_digest() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for name in _PICKLED_SOURCES:
        try:
            h.update((root / name).read_bytes())
        except OSError:  # pragma: no cover - an installed package always has its sources
            h.update(name.encode())
    return h.hexdigest()[:16]


LAYOUT = _layout_digest()


def entry_key(path: str | os.PathLike[str], shown_as: str | None = None) -> str | None:
    """The cache key of a rule folder or file (named `shown_as` in file names, if given), or None
    if it cannot be cached (not a path)."""
    given = os.fspath(path)
    p = Path(given)
    try:
        if p.is_dir():
            names = sorted(e.name for e in p.iterdir() if e.suffix == SUFFIX and e.is_file())
            names += [f"registry/{e.name}" for e in registry_files(p / "registry")]
        elif p.is_file():
            names = [p.name]
        else:
            return None
        resolved = str(p.resolve())
    except OSError:
        return None
    h = hashlib.sha256()
    shown = () if shown_as is None else (f"shown as {shown_as}",)
    for part in (f"gridpolicy {__version__}", f"format {FORMAT} {LAYOUT}", sys.version, given, resolved, *shown,
                 *names):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def file_digests(root: Path | None, names: list[str], display_root: str | None) -> dict[str, str] | None:
    """SHA-256 of each file the policy read, by absolute path (None if one cannot be read)."""
    out: dict[str, str] = {}
    for name in names:
        path = _absolute(root, name, display_root)
        if path is None:
            return None
        try:
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    return out


def _absolute(root: Path | None, name: str, display_root: str | None) -> Path | None:
    if root is None:
        return None
    rel = name
    if display_root is not None:
        prefix = Path(display_root).as_posix().rstrip("/") + "/"
        if name.startswith(prefix):
            rel = name[len(prefix):]
        elif name == Path(display_root).as_posix():
            return root
    return root / rel


_FIELDS: dict[type, tuple[str, ...]] = {}


class _Pickler(pickle.Pickler):
    """Pickles the model's dataclasses as constructor calls, which load faster than the
    default `__setstate__` of slotted dataclasses."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        names = _FIELDS.get(cls)
        if names is None:
            if not dataclasses.is_dataclass(cls) or any(not f.init for f in dataclasses.fields(cls)):
                return NotImplemented
            names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
        return cls, tuple(getattr(obj, n) for n in names)  # loads as cls(*values)


def dumps(obj: Any) -> bytes:
    """`obj` pickled as the cache pickles it (dataclasses as constructor calls)."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle `dumps` output with the cyclic collector paused: the objects it makes are
    long-lived and none is garbage, so scanning them again and again is wasted time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def get(key: str) -> tuple[Parts, tuple[Diagnostic, ...], RouteIndex] | None:
    """The cached (model in its two parts, warnings, routing index) for a key, if present,
    written by this version, and its files are unchanged. `Policy(*entry)` builds the policy."""
    folder = cache_dir()
    if folder is None:
        return None
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of small objects, none of them garbage: skip the collector
    try:
        with open(folder / f"{key}.pickle", "rb") as fh:
            entry: dict[str, Any] = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(entry, dict) or entry.get("version") != __version__ or entry.get("format") != FORMAT:
        return None
    files = entry.get("files")
    if not isinstance(files, dict) or not files:
        return None
    for name, digest in files.items():
        try:
            if hashlib.sha256(Path(name).read_bytes()).hexdigest() != digest:
                return None
        except OSError:
            return None
    model, warnings, index = entry.get("model"), entry.get("warnings"), entry.get("index")
    if not isinstance(model, Parts) or not isinstance(model.light, PolicyModel) or not isinstance(
            warnings, tuple) or not isinstance(index, RouteIndex):
        return None
    if index.count != len(model.light.routes):
        return None
    return model, warnings, index


def put(key: str, files: dict[str, str], model: PolicyModel, warnings: tuple[Diagnostic, ...],
        index: RouteIndex) -> bool:
    """Store an entry atomically. Returns False (and leaves no partial file) if it cannot."""
    folder = cache_dir()
    if folder is None:
        return False
    entry = {"version": __version__, "format": FORMAT, "files": files, "model": split(model, dumps),
             "warnings": warnings, "index": index}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
            os.replace(tmp, folder / f"{key}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True
