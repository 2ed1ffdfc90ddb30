from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Deleting a user unlinks their events (SET NULL) and the worker stamps the e-mail; nothing
        # else rewrites the trail.
        if set(kwargs) - {"user", "user_id", "notified_at"}:
            raise PermissionError("The security log is append-only.")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError("The security log is append-only.")

    def for_notification(self):
        """Events the account owner is told about by e-mail."""
        return self.filter(kind__in=SecurityEvent.NOTIFIED_KINDS)


class SecurityEvent(models.Model):
    """A login, failed login, lockout or second-factor event of a staff account. Append-only."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOCKOUT = "lockout", _("locked out")
        UNLOCK = "unlock", _("unlocked")
        SECOND_FACTOR_GIVEN = "second_factor", _("gave the second factor")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("wrong second factor")
        SECOND_FACTOR_ADDED = "second_factor_added", _("second factor added")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("second factor removed")
        RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("new recovery codes")
        SESSION_EXPIRED = "session_expired", _("session ended")

    NOTIFIED_KINDS = (Kind.SECOND_FACTOR_ADDED, Kind.RECOVERY_CODE_USED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(
        _("user name"), max_length=150, blank=True, help_text=_("As typed at the login, also for unknown names.")
    )
    kind = models.CharField(_("event"), max_length=30, choices=Kind, db_index=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who acted, when not the account owner (e.g. a superuser who unlocked it)."),
    )
    created_at = models.DateTimeField(_("when"), db_index=True)
    notified_at = models.DateTimeField(_("owner told"), null=True, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.username or '-'} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"notified_at"}:
            raise PermissionError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The security log is append-only.")


class Passkey(Device):
    """A passkey (WebAuthn credential) of a staff account, used as its second factor.

    The authenticator keeps the private key; we keep the public key and its signature counter.
    """

    credential_id = models.CharField(
        _("credential id"), max_length=1400, unique=True, help_text=_("As the authenticator gave it (base64url).")
    )
    public_key = models.BinaryField(_("public key"))
    sign_count = models.PositiveBigIntegerField(
        _("signature counter"),
        default=0,
        help_text=_("The authenticator's use counter; a count that goes back means a copied passkey and is refused."),
    )
    transports = models.JSONField(_("transports"), default=list, blank=True)
    created_at = models.DateTimeField(_("added"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
