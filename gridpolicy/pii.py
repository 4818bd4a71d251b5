"""Personal data in logged decisions: found, masked, and traceable only with the key.

A `Masker` rewrites a JSON-ready value before the decision log writes it:

- the values of *declared* fields (by name, at any depth: `phone`, `id_number`, ... and any the
  operator adds) are replaced whole;
- in every other string (free text such as a summary), *patterns* are found and replaced:
  Chinese resident ID numbers (18 characters, a valid birth date and ISO 7064 check digit),
  mainland mobile numbers (with or without +86 and separators), e-mail addresses, bank card
  numbers (16-19 digits passing the Luhn check) and landline numbers written with an area code.

Each value becomes ``[kind#hmac]``: `hmac` is the first 16 hex digits of HMAC-SHA256 over the
normalised value under the log's key, so the same person gives the same token in every entry and
whoever holds the key can find them (`gridpolicy log --trace VALUE`), while the log alone
reveals nothing. With masking off the log keeps inputs verbatim (see docs/robustness.md).
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

KEY_ENV = "GRIDPOLICY_LOG_KEY"  # hex or text; else a key file beside the log
KEY_SUFFIX = ".key"

# Field names whose values are personal whatever they hold (compared case-insensitively).
DEFAULT_FIELDS = frozenset({
    "phone", "mobile", "tel", "telephone", "contact_phone", "phone_number", "mobile_number",
    "id_number", "id_card", "idcard", "id_no", "identity_number", "citizen_id", "email",
    "身份证", "身份证号", "身份证号码", "手机", "手机号", "手机号码", "联系电话", "电话", "邮箱",
})

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Every pattern is bounded by non-digits (and non-letters where it matters), so a longer
# number never has a "mobile number" found inside it.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("id_number", re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[0-9Xx](?![0-9A-Za-z])")),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+", re.ASCII)),
    ("bank_card", re.compile(r"(?<![0-9])[3-6]\d{3}(?:[ -]?\d{4}){2}[ -]?\d{4,7}(?![0-9])")),
    ("mobile", re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9])")),
    ("landline", re.compile(r"(?<![0-9])(?:\(0\d{2,3}\)|0\d{2,3}-)\s?[2-9]\d{6,7}(?![0-9])")),
)


# Full-width digits, letters and signs (an input method's) as ASCII, for finding.
_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}

# Every pattern needs four digits in a row or an @: most strings are passed by this test alone.
_CANDIDATE = re.compile(r"\d{4}|@")


def id_number_valid(text: str) -> bool:
    """An 18-character resident ID number with a real birth date and the right check digit."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if not dt.date(1880, 1, 1) <= born <= dt.date.today():
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == text[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _normal(kind: str, text: str) -> str:
    """The form that is hashed: the same number however it was written."""
    if kind == "email":
        return text.lower()
    digits = "".join(str(int(c)) if c.isdecimal() else "X" for c in text if c.isdecimal() or c in "Xx")
    if kind == "mobile":
        return digits[-11:]
    return digits


@dataclass(frozen=True)
class Masker:
    """Masks personal data under `key`. `fields` are masked whole (names compared
    case-insensitively); `patterns` turns detection in free text on or off."""

    key: bytes
    fields: frozenset[str] = DEFAULT_FIELDS
    patterns: bool = True
    _folded: frozenset[str] = field(init=False, repr=False)
    # text -> (masked, the values replaced with their tokens): texts repeat
    _cache: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(init=False, repr=False, compare=False)
    _echo_patterns: dict[tuple[str, ...], re.Pattern[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.key) < 16:
            raise ValueError("日志密钥至少 16 字节 / the log key must be at least 16 bytes")
        object.__setattr__(self, "_folded", frozenset(f.casefold() for f in self.fields))
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_echo_patterns", {})

    def token(self, kind: str, value: str) -> str:
        """The mask of one value: `[kind#hmac]` over its normal form."""
        digest = hmac.new(self.key, f"{kind}:{_normal(kind, value)}".encode("utf-8", "surrogatepass"), sha256)
        return f"[{kind}#{digest.hexdigest()[:16]}]"

    def tokens_for(self, value: str) -> list[str]:
        """Every mask `value` could have been logged as (to find a person in a masked log)."""
        out = [self.token(kind, value) for kind in ("field", *(k for k, _ in _PATTERNS))]
        found = self.mask_text(value)
        return out + ([found] if found != value else [])

    def mask_text(self, text: str, found: dict[str, str] | None = None) -> str:
        """`text` with every pattern found replaced by its token; each value replaced is added
        to `found` (value -> token) when it is given."""
        if not self.patterns or len(text) < 6 or not _CANDIDATE.search(text):
            return text
        cache = self._cache
        hit = cache.get(text)
        if hit is None:
            hit = self._mask_text(text)
            if len(cache) >= 65_536:
                cache.clear()
            cache[text] = hit
        if found is not None:
            found.update(hit[1])
        return hit[0]

    def _mask_text(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        # Found on a copy with full-width digits and signs made ASCII (one character for one,
        # so the places are the same), replaced in the text itself; earlier kinds win overlaps.
        probe = text.translate(_ASCII)
        spans: list[tuple[int, int, str]] = []
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(probe):
                if kind == "id_number" and not id_number_valid(m[0]):
                    continue
                if kind == "bank_card" and not luhn_valid(re.sub(r"\D", "", m[0])):
                    continue
                if any(a < m.end() and m.start() < b for a, b, _ in spans):
                    continue
                spans.append((m.start(), m.end(), kind))
        if not spans:
            return text, ()
        out, at, pairs = [], 0, []
        for a, b, kind in sorted(spans):
            token = self.token(kind, probe[a:b])
            out += [text[at:a], token]
            pairs.append((text[a:b], token))
            at = b
        out.append(text[at:])
        return "".join(out), tuple(pairs)

    def mask(self, value: Any, found: dict[str, str] | None = None) -> Any:
        """A copy of a JSON-ready value with personal data masked (dicts, lists, strings,
        and numbers that are written as digits: a phone number given as a JSON number).
        Each value replaced is added to `found` (its text -> its token) when it is given."""
        if isinstance(value, str):
            return self.mask_text(value, found)
        if isinstance(value, dict):
            out: dict[Any, Any] = {}
            for k, v in value.items():
                key = self.mask_text(k, found) if isinstance(k, str) else k
                if isinstance(k, str) and k.casefold() in self._folded and v is not None:
                    out[key] = self._whole(v, found)
                else:
                    out[key] = self.mask(v, found)
            return out
        if isinstance(value, list | tuple):
            return [self.mask(v, found) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**9:
            text = str(value)
            masked = self.mask_text(text, found)
            return masked if masked != text else value
        return value

    def mask_echoes(self, text: str, found: dict[str, str]) -> str | None:
        """`text` (an output's JSON, or one string of it) with every value of `found` that it
        repeats replaced by that value's token, where the value stands between non-digits (as
        the patterns find them). None when a value is too short or too unusual to be replaced
        safely in text (shorter than 6 characters, or holding a quote, backslash or control
        character): then mask the output as a structure."""
        if not found:
            return text
        for value in found:
            if len(value) < 6 or any(c in value for c in '"\\') or not value.isprintable():
                return None
        present = [v for v in found if v in text]  # most values are not repeated at all
        if not present:
            return text
        key = tuple(sorted(present))
        pattern = self._echo_patterns.get(key)
        if pattern is None:
            if len(self._echo_patterns) >= 4096:
                self._echo_patterns.clear()
            alternatives = "|".join(re.escape(v) for v in sorted(present, key=len, reverse=True))
            pattern = self._echo_patterns[key] = re.compile(f"(?<![0-9])(?:{alternatives})(?![0-9])")
        return pattern.sub(lambda m: found[m[0]], text)

    def _whole(self, value: Any, found: dict[str, str] | None = None) -> Any:
        if isinstance(value, dict | list | tuple):  # a declared field holding a structure: every leaf
            items: Iterable[tuple[Any, Any]] = value.items() if isinstance(value, dict) else enumerate(value)
            masked = {k: self._whole(v, found) for k, v in items}
            return masked if isinstance(value, dict) else list(masked.values())
        if value is None or isinstance(value, bool):
            return value
        token = self.token("field", str(value))
        if found is not None:
            found.setdefault(str(value), token)  # a pattern's token, if the text has one, stays
        return token


def load_key(log_path: Path, *, create: bool = True) -> bytes | None:
    """The log's key: $GRIDPOLICY_LOG_KEY if set (hex, or any text of 16 bytes or more), else
    the key file beside the log (`<log>.key`, created 0600 with 32 random bytes the first time;
    without `create`, None when there is none)."""
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        try:
            return bytes.fromhex(env) if len(env) >= 32 and len(env) % 2 == 0 else env.encode()
        except ValueError:
            return env.encode()
    path = log_path.with_name(log_path.name + KEY_SUFFIX)
    if not create:
        try:
            return path.read_bytes() or None
        except OSError:
            return None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it this moment
            key = path.read_bytes()
            if len(key) >= 16:
                return key
            time.sleep(0.02)
        raise ValueError(f"日志密钥文件 {path} 无效（少于 16 字节）/ the log key file {path} is invalid "
                         "(shorter than 16 bytes)") from None
    key = secrets.token_bytes(32)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key
