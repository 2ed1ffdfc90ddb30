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


DEMO_USERNAMES = {
    "demo-editor": roles.EDITORS,
    "demo-reviewer": roles.MEDICAL_REVIEWERS,
    "demo-triage": roles.TRIAGE_STAFF,
    "demo-directory": roles.DIRECTORY_MAINTAINERS,
    "demo-admin": None,
}


@transaction.atomic
def demo_accounts_reset() -> list[DemoAccount]:
    """Create the demo accounts, or give existing ones a fresh random password and their role."""
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
        accounts.append(DemoAccount(username=username, role=role, password=password))
    return accounts
