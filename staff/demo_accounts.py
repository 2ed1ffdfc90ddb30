"""Demo staff accounts, one per role, for trying the portal on a development machine."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from staff import roles


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None  # None: a superuser
    password: str
    totp_secret: str  # base32, for an authenticator app or `manage.py demo_code`
    otpauth_uri: str
    recovery_codes: list[str]


DEMO_USERNAMES = {
    "demo-editor": roles.EDITORS,
    "demo-reviewer": roles.MEDICAL_REVIEWERS,
    "demo-triage": roles.TRIAGE_STAFF,
    "demo-directory": roles.DIRECTORY_MAINTAINERS,
    "demo-legal": roles.LEGAL_REVIEWERS,
    "demo-admin": None,
}


@transaction.atomic
def demo_accounts_reset() -> list[DemoAccount]:
    """Create the demo accounts, or give existing ones a fresh random password and their role.

    Each also gets a fresh second factor: an authenticator-app secret and recovery codes.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from staff.security import totp_secret
    from staff.services import TOTP_DEVICE_NAME, recovery_codes_renew

    User = get_user_model()
    accounts = []
    for username, role in DEMO_USERNAMES.items():
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username)
        user.email = f"{username}@example.invalid"
        user.is_staff = True
        user.is_superuser = role is None
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)] if role else [])
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        codes = recovery_codes_renew(user=user, record=False)
        accounts.append(
            DemoAccount(
                username=username,
                role=role,
                password=password,
                totp_secret=totp_secret(device).replace(" ", ""),
                otpauth_uri=device.config_url,
                recovery_codes=codes,
            )
        )
    return accounts
