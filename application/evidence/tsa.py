"""RFC 3161 time stamps: the request for a SHA-256 imprint, the token from the reply.

Just enough DER to build a TimeStampReq and take a TimeStampResp apart; the token (a CMS
SignedData) is stored as the authority sent it and is checked with standard tools:
`openssl ts -verify -data STATEMENT -in TOKEN -token_in -CAfile CA.pem`.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

SHA256_OID = bytes.fromhex("0609608648016503040201")  # 2.16.840.1.101.3.4.2.1
TIMEOUT_S = 15


class TimestampError(Exception):
    """The authority could not be reached or refused the request."""


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def request(data: bytes, nonce: int | None = None) -> bytes:
    """A DER TimeStampReq for SHA-256(data), asking for the signer's certificate."""
    algorithm = _tlv(0x30, SHA256_OID + b"\x05\x00")
    imprint = _tlv(0x30, algorithm + _tlv(0x04, hashlib.sha256(data).digest()))
    nonce = secrets.randbits(63) if nonce is None else nonce
    return _tlv(0x30, _integer(1) + imprint + _integer(nonce) + b"\x01\x01\xff")


def _read(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at `at`."""
    tag, size = data[at], data[at + 1]
    at += 2
    if size & 0x80:
        count = size & 0x7F
        size = int.from_bytes(data[at:at + count], "big")
        at += count
    return tag, at, at + size


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, content end) of each element in a range."""
    found, at = [], start
    while at < end:
        tag, content, after = _read(data, at)
        found.append((tag, at, content, after))
        at = after
    return found


def token_of(reply: bytes) -> bytes:
    """The TimeStampToken of a TimeStampResp, or TimestampError with the PKI status."""
    try:
        _, start, end = _read(reply, 0)
        parts = _children(reply, start, end)
        _, _, status_start, status_end = parts[0]
        _, _, value_start, value_end = _children(reply, status_start, status_end)[0]
        status = int.from_bytes(reply[value_start:value_end], "big")
    except (IndexError, ValueError) as error:
        raise TimestampError(f"the reply is not a time-stamp response ({error})") from None
    if status not in (0, 1) or len(parts) < 2:
        raise TimestampError(f"the authority refused the request (PKI status {status})")
    _, element, _, after = parts[1]
    return reply[element:after]


@dataclass(frozen=True)
class TokenInfo:
    imprint: bytes
    time: datetime


def info(token: bytes) -> TokenInfo:
    """The imprint and time inside a token (its signature is for openssl to check)."""
    _, start, end = _read(token, 0)  # ContentInfo
    _, _, explicit, explicit_end = _children(token, start, end)[1]  # [0] content
    _, signed, signed_end = _read(token, explicit)  # SignedData
    encap = _children(token, signed, signed_end)[2]  # encapContentInfo
    _, _, e_start, e_end = _children(token, encap[2], encap[3])[1]  # [0] eContent
    _, octets, octets_end = _read(token, e_start)  # OCTET STRING holding TSTInfo
    _, tst, tst_end = _read(token, octets)
    fields = _children(token, tst, tst_end)
    imprint = _children(token, fields[2][2], fields[2][3])
    digest = token[imprint[1][2]:imprint[1][3]]
    gen_time = token[fields[4][2]:fields[4][3]].decode().rstrip("Z")
    stamp = datetime.strptime(gen_time.split(".")[0], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return TokenInfo(digest, stamp)


def stamp(url: str, data: bytes) -> bytes:
    """Ask the authority at url to time-stamp SHA-256(data); the token it returns."""
    post = urllib.request.Request(url, data=request(data), method="POST",
                                  headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(post, timeout=TIMEOUT_S) as response:  # noqa: S310
            reply = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise TimestampError(f"the time-stamping authority at {url} did not answer "
                             f"({error})") from None
    token = token_of(reply)
    if info(token).imprint != hashlib.sha256(data).digest():
        raise TimestampError("the time stamp is for other data than the checkpoint")
    return token
