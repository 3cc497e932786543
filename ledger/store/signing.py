"""Ed25519 signatures: over digests, so that a published digest can be attributed to its signer;
and over the events a person writes on a ledger with signed identity (``Signer``).

The signed message is ``perfledger-digest-1\\n`` followed by the digest as printed
(``SIZE:CHAINHEX:ROOTHEX``). Keys are PEM files (PKCS#8 private, SubjectPublicKeyInfo public),
e.g. ``openssl genpkey -algorithm ed25519 -out key.pem`` and
``openssl pkey -in key.pem -pubout -out key.pub.pem``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import Invalid
from ledger.hints import command, option
from ledger.store.chain import ChainRow, Digest, Seal

CONTEXT = b"perfledger-digest-1\n"
MAX_KEY_BYTES = 64 * 1024


def message(digest: Digest) -> bytes:
    return CONTEXT + str(digest).encode("ascii")


def _read(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_KEY_BYTES)
    except OSError as error:
        raise Invalid(f"cannot read the {what} {path}: {error.strerror or error}") from None


def private_key(key_path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file, or Invalid saying what is wrong with the file."""
    try:
        key = serialization.load_pem_private_key(_read(key_path, "private key"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Invalid(f"{key_path} is not an unencrypted PEM private key (as written by "
                      f"{command('key new')})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise Invalid(f"{key_path} is not an Ed25519 key")
    return key


def public_key(public_key_path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file (FILE.pub of key new)."""
    try:
        key = serialization.load_pem_public_key(_read(public_key_path, "public key"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Invalid(f"{public_key_path} is not a PEM public key (give FILE.pub as written by "
                      f"{command('key new')})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid(f"{public_key_path} is not an Ed25519 public key")
    return key


def raw_hex(key: Ed25519PublicKey) -> str:
    """The public key as 64 hex digits: the form enrolled in the ledger."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def fingerprint(public_hex: str) -> str:
    """A short, printable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def new_key_pair(out: Path) -> str:
    """Write a new Ed25519 key: FILE (private, mode 0600) and FILE.pub; never overwrite either.

    Returns the public key's hex."""
    pub = out.with_name(out.name + ".pub")
    for path in (out, pub):
        if path.exists():
            raise Invalid(f"{path} already exists: a key file is never overwritten; choose another "
                          f"{option('out')}")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    _write_new(out, private_pem, 0o600)
    try:
        _write_new(pub, public_pem, 0o644)
    except Invalid:
        out.unlink()
        raise
    return raw_hex(key.public_key())


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise Invalid(f"{path} already exists: a key file is never overwritten") from None
    except OSError as error:
        raise Invalid(f"cannot write {path}: {error.strerror or error}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)  # whatever the umask


# --- the signatures of written events ---------------------------------------------------
SEAL_CONTEXT = b"perfledger-seal-1\n"
SEAL_GENESIS = bytes(32)


def seal_hash(previous: bytes, first: int, last: int, leaves: list[bytes]) -> bytes:
    """The next link of one writer's own hash chain (one chain per person and key): it covers the
    batch's positions and leaf hashes (each leaf covers an event's stored bytes, position,
    recording time and login) and, through PREVIOUS, every batch they signed before with it."""
    return hashlib.sha256(SEAL_CONTEXT + previous + f"{first}-{last}\n".encode() + b"".join(leaves)).digest()


class Signer:
    """A person's private key, held by the process acting for them."""

    def __init__(self, key: Ed25519PrivateKey, path: Path | None = None) -> None:
        self.key = key
        self.path = path
        self.public_hex = raw_hex(key.public_key())

    @classmethod
    def from_file(cls, path: Path) -> Signer:
        return cls(private_key(path), path)

    def sign(self, link: bytes) -> str:
        """The signature of a link of the writer's chain (``seal_hash``)."""
        return self.key.sign(SEAL_CONTEXT + link).hex()


def signed_by(public_hex: str, signature_hex: str, link: bytes) -> bool:
    """Whether SIGNATURE is the key's signature of LINK (a link of a writer's chain)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), SEAL_CONTEXT + link)
    except (ValueError, InvalidSignature):
        return False
    return True


def seal_batch(rows: list[ChainRow], signer: Signer, name: str,
               previous: Seal | None) -> tuple[list[ChainRow], Seal]:
    """Mark and sign a batch as NAME's next link. The link before it must carry NAME's signature:
    chaining onto a link someone else slipped in would make NAME vouch for it."""
    if previous is not None and not signed_by(signer.public_hex, previous.signature,
                                              bytes.fromhex(previous.link)):
        raise Invalid(f"{name}'s last signed write, ending at position {previous.position}, does not carry "
                      f"{name}'s signature: the ledger may have been tampered with, so nothing was written; "
                      f"run {command('audit verify')}")
    before = bytes.fromhex(previous.link) if previous is not None else SEAL_GENESIS
    first, last = rows[0].position, rows[-1].position
    link = seal_hash(before, first, last, [bytes.fromhex(r.leaf) for r in rows])
    signature = signer.sign(link)
    # ``@LAST`` on each row but the last, ``FIRST:HEX:NAME`` on the last
    marks = [f"@{last}"] * (len(rows) - 1) + [f"{first}:{signature}:{name}"]
    marked = [replace(row, signature=mark) for row, mark in zip(rows, marks, strict=True)]
    return marked, Seal(last, link.hex(), signature)


def sign(digest: Digest, key_path: Path) -> str:
    """The hex Ed25519 signature of ``digest`` by the private key in ``key_path``."""
    if digest.root is None:
        raise Invalid("only a digest with its Merkle root is signed")
    return private_key(key_path).sign(message(digest)).hex()


def check(digest: Digest, signature_hex: str, public_key_path: Path) -> None:
    """Refuse (exit 1) unless ``signature_hex`` is the public key's signature of ``digest``."""
    key = public_key(public_key_path)
    text = signature_hex.strip().lower()
    try:
        signature = bytes.fromhex(text)
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise Invalid(f"the signature is not 128 hex digits as printed by audit digest {option('sign')}")
    try:
        key.verify(signature, message(digest))
    except InvalidSignature:
        raise Invalid(f"the signature does not match the digest {digest.head}... and the public key "
                      f"{public_key_path}: the digest was not signed by that key") from None
