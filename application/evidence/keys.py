"""The installation's Ed25519 key: made on first use, kept in the key directory (mode 0600).

The key directory is ARREARS_KEY_DIR, else the SQLite file's directory, else `var/`
(`application.settings.key_dir`). The private key is a PKCS#8 PEM file readable by its
owner only; the public half beside it, and printed by `arrears key --public`. Digests and
checkpoints are signed with it; snapshots are sealed with an HMAC key derived from it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from application.settings import SettingsError

PRIVATE_FILE = "arrears-signing-key.pem"
PUBLIC_FILE = "arrears-signing-key.pub.pem"
_lock = threading.Lock()


@dataclass(frozen=True)
class InstallationKey:
    """The key pair of this installation."""

    private: Ed25519PrivateKey
    directory: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_pem(self) -> str:
        return public_pem(self.public)

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def snapshot_key(self) -> bytes:
        """The HMAC key that seals snapshots (never leaves the process)."""
        raw = self.private.private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        return hashlib.sha256(b"arrears-snapshot-seal-v1" + raw).digest()


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(public: Ed25519PublicKey) -> str:
    """The key's fingerprint: SHA-256 of its 32 raw bytes, in hex."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verifies(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def installation_key(directory: Path) -> InstallationKey:
    """The key in the directory, made there first if there is none."""
    path = directory / PRIVATE_FILE
    with _lock:
        if not path.exists():
            _create(directory)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SettingsError(f"ARREARS_KEY_DIR: the signing key {path} is readable by others "
                                f"(mode {mode:04o}); make it 0600")
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise SettingsError(f"ARREARS_KEY_DIR: {path} is not an Ed25519 private key")
    public = directory / PUBLIC_FILE
    if not public.exists():
        public.write_text(public_pem(private.public_key()))
    return InstallationKey(private, directory)


def _create(directory: Path) -> None:
    """Write a new key; if another process wrote one first, theirs is kept."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".key-")
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, pem)
        os.fsync(descriptor)
        os.close(descriptor)
        try:
            os.link(temporary, directory / PRIVATE_FILE)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
