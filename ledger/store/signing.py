"""Ed25519 signatures over digests, so that a published digest can be attributed to its signer.

The signed message is ``perfledger-digest-1\\n`` followed by the digest as printed
(``SIZE:CHAINHEX:ROOTHEX``). Keys are PEM files (PKCS#8 private, SubjectPublicKeyInfo public),
e.g. ``openssl genpkey -algorithm ed25519 -out key.pem`` and
``openssl pkey -in key.pem -pubout -out key.pub.pem``.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import Invalid
from ledger.hints import option
from ledger.store.chain import Digest

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


def sign(digest: Digest, key_path: Path) -> str:
    """The hex Ed25519 signature of ``digest`` by the private key in ``key_path``."""
    if digest.root is None:
        raise Invalid("only a digest with its Merkle root is signed")
    try:
        key = serialization.load_pem_private_key(_read(key_path, "private key"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Invalid(f"{key_path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise Invalid(f"{key_path} is not an Ed25519 key")
    return key.sign(message(digest)).hex()


def check(digest: Digest, signature_hex: str, public_key_path: Path) -> None:
    """Refuse (exit 1) unless ``signature_hex`` is the public key's signature of ``digest``."""
    try:
        key = serialization.load_pem_public_key(_read(public_key_path, "public key"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Invalid(f"{public_key_path} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid(f"{public_key_path} is not an Ed25519 public key")
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
