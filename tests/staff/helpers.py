"""Second factors for tests: give an account one, and compute its current code as an app would."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.services import TOTP_DEVICE_NAME, recovery_codes_renew


def give_second_factor(user) -> list[str]:
    """A confirmed authenticator app and fresh recovery codes for the account; returns the codes."""
    TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return recovery_codes_renew(user=user, record=False)


def totp_code(user) -> str:
    """The code the account's authenticator app shows now (a code is accepted once)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_login(client, username, password, *, next_url="/admin/", address="127.0.0.1"):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": next_url}, REMOTE_ADDR=address
    )
