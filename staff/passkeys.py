"""The WebAuthn ceremonies of staff passkeys: options for the browser and checks of its answers.

py_webauthn does the cryptography. What is ours: the relying party (our domain, from settings),
the origin (the request's own, when its host belongs to that domain), and the challenge, which
lives in the session, is bound to one purpose and taken out before it is checked (single use).
The writes with consequences are in `staff.services` (passkey_add, passkey_verify, passkey_remove).
"""

import json

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.crypto import salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from staff import security

CHALLENGE = "staff_passkey_challenge"
# How long the browser may take between asking for options and answering (the prompt's timeout).
CHALLENGE_SECONDS = 300
REGISTER, AUTHENTICATE = "register", "authenticate"
KNOWN_TRANSPORTS = {transport.value for transport in AuthenticatorTransport}


class PasskeyError(Exception):
    """The browser's answer was refused; `code` says why, for the security log (never shown raw)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def relying_party_id() -> str:
    return settings.STAFF_PASSKEY_RP_ID


def expected_origin(request) -> str | None:
    """The origin the browser must report: this request's, if its host belongs to the relying party."""
    host, _port = split_domain_port(request.get_host())
    rp_id = relying_party_id()
    if not host or (host != rp_id and not host.endswith("." + rp_id)):
        return None
    return f"{request.scheme}://{request.get_host()}"


def available(request) -> bool:
    """Whether passkeys can work on this request's host (it must be the relying party's domain)."""
    return expected_origin(request) is not None


def user_handle(user) -> bytes:
    """The account's opaque id inside the authenticator: no user name, no database id."""
    return salted_hmac("staff.passkeys.user_handle", str(user.pk), algorithm="sha256").digest()


def _descriptors(passkeys) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(passkey.credential_id),
            transports=[AuthenticatorTransport(t) for t in passkey.transports if t in KNOWN_TRANSPORTS] or None,
        )
        for passkey in passkeys
    ]


def _remember_challenge(request, purpose: str, challenge: bytes) -> None:
    request.session[CHALLENGE] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": security.now_seconds(),
    }


def take_challenge(request, purpose: str) -> bytes:
    """The session's challenge for this purpose, removed at once so that it cannot be used again."""
    stored = request.session.pop(CHALLENGE, None)
    # Saved now, not at the end of the response: even a check that fails has used it up.
    request.session.save()
    if not stored or stored.get("purpose") != purpose:
        raise PasskeyError("no_challenge")
    if security.now_seconds() - stored["at"] > CHALLENGE_SECONDS:
        raise PasskeyError("challenge_expired")
    return base64url_to_bytes(stored["challenge"])


def registration_options(request, *, existing) -> dict:
    """Options for `navigator.credentials.create()` for the session's user; remembers the challenge."""
    user = request.user
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=settings.OTP_TOTP_ISSUER,
        user_id=user_handle(user),
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        # The same authenticator twice for one account would be one factor counted twice.
        exclude_credentials=_descriptors(existing),
    )
    _remember_challenge(request, REGISTER, options.challenge)
    return json.loads(options_to_json(options))


def authentication_options(request, *, passkeys) -> dict:
    """Options for `navigator.credentials.get()` limited to the account's passkeys."""
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _remember_challenge(request, AUTHENTICATE, options.challenge)
    return json.loads(options_to_json(options))


def check_registration(request, credential) -> dict:
    """Check the browser's answer to `create()`; returns what to store, or raises PasskeyError."""
    challenge = take_challenge(request, REGISTER)
    origin = expected_origin(request)
    if origin is None:
        raise PasskeyError("wrong_host")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=origin,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        raise PasskeyError(type(error).__name__) from None
    transports = credential.get("response", {}).get("transports") if isinstance(credential, dict) else None
    return {
        "credential_id": bytes_to_base64url(verified.credential_id),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "transports": [t for t in transports or [] if t in KNOWN_TRANSPORTS],
    }


def credential_id_of(credential) -> str:
    """The credential id the browser's answer names (base64url), or PasskeyError."""
    raw_id = credential.get("rawId") if isinstance(credential, dict) else None
    if not isinstance(raw_id, str) or not raw_id:
        raise PasskeyError("malformed")
    try:
        return bytes_to_base64url(base64url_to_bytes(raw_id))
    except ValueError:
        raise PasskeyError("malformed") from None


def check_authentication(request, credential, *, passkey, challenge: bytes) -> int:
    """Check the browser's answer to `get()` against the passkey; returns the new signature counter.

    `challenge` comes from `take_challenge`. py_webauthn refuses a counter that did not grow
    (unless the authenticator keeps none: 0 before and after).
    """
    origin = expected_origin(request)
    if origin is None:
        raise PasskeyError("wrong_host")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        raise PasskeyError(type(error).__name__) from None
    return verified.new_sign_count
