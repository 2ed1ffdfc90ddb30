"""A software passkey for tests: answers WebAuthn options as a browser with an authenticator would.

It makes an ES256 key pair, answers `create()` with a "none" attestation and `get()` with a
signed assertion, and counts its uses like a real authenticator. Everything is built here from
the WebAuthn data formats (CBOR, authenticator data, client data JSON); no network, no browser.
"""

import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED_DATA = 0x40


class SoftwarePasskey:
    def __init__(self, *, rp_id: str, origin: str):
        self.rp_id = rp_id
        self.origin = origin
        self.credential_id = secrets.token_bytes(32)
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.sign_count = 0

    def _cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _authenticator_data(self, flags: int, extra: bytes = b"") -> bytes:
        rp_id_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + extra

    def create(self, options: dict, *, origin: str | None = None) -> dict:
        """The browser's answer to `navigator.credentials.create(options)`, as JSON."""
        self.sign_count += 1
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        attested += self._cose_public_key()
        auth_data = self._authenticator_data(FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED_DATA, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        credential_id = bytes_to_base64url(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict, *, origin: str | None = None, count: int | None = None) -> dict:
        """The browser's answer to `navigator.credentials.get(options)`; `count` forces the counter."""
        allowed = [base64url_to_bytes(entry["id"]) for entry in options.get("allowCredentials", [])]
        assert not allowed or self.credential_id in allowed, "the site did not ask for this passkey"
        self.sign_count = self.sign_count + 1 if count is None else count
        auth_data = self._authenticator_data(FLAG_USER_PRESENT | FLAG_USER_VERIFIED)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.private_key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        credential_id = bytes_to_base64url(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }
