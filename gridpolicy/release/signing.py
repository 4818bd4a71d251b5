"""Ed25519 signatures of release manifests (via `cryptography`).

Keys are PEM files: a private key (PKCS#8) for `gridpolicy release --key`, a public key
(SubjectPublicKeyInfo) for `gridpolicy verify --pubkey` and for a service that only accepts
signed releases. A key id is the first 16 hex digits of the SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from .errors import ReleaseError

ALGORITHM = "ed25519"


def _crypto() -> tuple[Any, Any, Any, Any]:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    except ImportError as exc:  # pragma: no cover - cryptography is a dependency
        raise ReleaseError("签名需要 cryptography 包", "signing needs the cryptography package") from exc
    return InvalidSignature, serialization, Ed25519PrivateKey, Ed25519PublicKey


def generate_keypair(private_path: Path, public_path: Path) -> str:
    """Write a new key pair (private key 0600) and return its key id."""
    _, serialization, private_cls, _ = _crypto()
    key = private_cls.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for path, data, mode in ((private_path, pem, 0o600), (public_path, pub, 0o644)):
        _write_new(path, data, mode)
    return key_id_of_public(pub)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    import os

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise ReleaseError(f"文件已存在，不会覆盖：{path}", f"file exists, not overwritten: {path}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _read_pem(path: Path, what_zh: str, what_en: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReleaseError(f"无法读取{what_zh}“{path}”：{exc.strerror}",
                           f"cannot read the {what_en} '{path}': {exc.strerror}") from None


def _raw_public(pub: object) -> bytes:
    _, serialization, _, _ = _crypto()
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)  # type: ignore[attr-defined]


def key_id_of_public(pem: bytes) -> str:
    _, serialization, _, public_cls = _crypto()
    try:
        pub = serialization.load_pem_public_key(pem)
    except ValueError:
        raise ReleaseError("公钥格式不正确（应为 PEM 格式的 Ed25519 公钥）",
                           "not a PEM Ed25519 public key") from None
    if not isinstance(pub, public_cls):
        raise ReleaseError("公钥不是 Ed25519 密钥", "the public key is not an Ed25519 key")
    return hashlib.sha256(_raw_public(pub)).hexdigest()[:16]


def sign(payload: bytes, private_key_path: Path) -> dict[str, str]:
    """The signature block for `payload`: algorithm, key id, base64 signature."""
    _, serialization, private_cls, _ = _crypto()
    pem = _read_pem(private_key_path, "私钥", "private key")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise ReleaseError(f"私钥“{private_key_path}”格式不正确（应为未加密的 PEM 格式 Ed25519 私钥）",
                           f"'{private_key_path}' is not an unencrypted PEM Ed25519 private key") from None
    if not isinstance(key, private_cls):
        raise ReleaseError(f"私钥“{private_key_path}”不是 Ed25519 密钥",
                           f"'{private_key_path}' is not an Ed25519 key")
    key_id = hashlib.sha256(_raw_public(key.public_key())).hexdigest()[:16]
    return {"alg": ALGORITHM, "key_id": key_id, "value": base64.b64encode(key.sign(payload)).decode("ascii")}


def verify(payload: bytes, signature: dict[str, str], public_key_path: Path) -> str:
    """Check `signature` over `payload` with the public key; return the key id or raise."""
    invalid, serialization, _, public_cls = _crypto()
    pem = _read_pem(public_key_path, "公钥", "public key")
    key_id = key_id_of_public(pem)
    pub = serialization.load_pem_public_key(pem)
    if signature.get("alg") != ALGORITHM:
        raise ReleaseError(f"不支持的签名算法“{signature.get('alg')}”（应为 ed25519）",
                           f"unsupported signature algorithm '{signature.get('alg')}' (expected ed25519)")
    if signature.get("key_id") != key_id:
        raise ReleaseError(f"签名所用密钥 {signature.get('key_id')} 不是受信任的密钥 {key_id}",
                           f"signed with key {signature.get('key_id')}, not the trusted key {key_id}")
    try:
        raw = base64.b64decode(signature.get("value", ""), validate=True)
        pub.verify(raw, payload)
    except (invalid, ValueError):
        raise ReleaseError("签名无效：发布包在签名后被修改过", "invalid signature: the bundle was changed after signing") \
            from None
    return key_id
