"""Taking a bundle apart and putting it back together, as someone tampering with it would."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.bundles import layout


def files_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def unzip(bundle: Path, folder: Path) -> Path:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder


def rezip(folder: Path, path: Path) -> Path:
    """The folder's files zipped again, named by their path inside it."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in sorted(folder.rglob("*")) if p.is_file()}
    return zipped(files, path)


def flip_byte(path: Path, offset: int = -1) -> None:
    """Change one byte of a file in place (the last one unless told)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def changed(bundle: Path, out: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the bundle with one file changed."""
    files = files_of(bundle)
    files[name] = change(files[name])
    return zipped(files, out)


def pem_of(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def resigned(files: dict[str, bytes], key: Ed25519PrivateKey, out: Path,
             swap_public_key: bool = True, remake_sums: bool = True) -> Path:
    """The files with the manifest made again for them and signed by `key`: what a forger
    with their own key would do (swapping the bundled public key for theirs)."""
    files = dict(files)
    if swap_public_key:
        files[layout.PUBLIC_KEY] = pem_of(key)
    manifest = json.loads(files[layout.MANIFEST])
    manifest["key_id"] = layout.key_id_of(key.public_key())
    listed = {n: b for n, b in files.items() if n not in layout.UNSIGNED}
    if remake_sums:
        listed[layout.SUMS] = layout.sums_text(
            {n: layout.sha256(b) for n, b in listed.items() if n != layout.SUMS})
        files[layout.SUMS] = listed[layout.SUMS]
    manifest["files"] = {n: layout.sha256(b) for n, b in listed.items()}
    files[layout.MANIFEST] = layout.manifest_bytes(manifest)
    files[layout.SIGNATURE] = key.sign(files[layout.MANIFEST])
    return zipped(files, out)
