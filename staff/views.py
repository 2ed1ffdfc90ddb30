"""The second-factor pages of the staff admin: give it, enrol one, manage it; and the lockout page.

They look like the admin (they extend admin/base_site.html with the admin's context) and are
reachable by a staff member whose session has not given the second factor yet; the middleware
lets nothing else of the admin through until then.
"""

import json

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff import passkeys, security, services
from staff.forms import EnrolForm, PasskeyNameForm, SecondFactorForm
from staff.models import Passkey


def _context(request, title, **extra):
    # No sidebar of the admin's apps: until the second factor is given, nothing else is shown.
    return {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, "title": title, **extra}


def _next_url(request, candidate: str = "") -> str:
    candidate = candidate or request.POST.get("next") or request.GET.get("next") or ""
    hosts = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=hosts, require_https=request.is_secure()):
        return candidate
    return reverse("admin:index")


def _wrong_code_message(user) -> str:
    if security.second_factor_throttled(user):
        return _(
            "That code was not accepted: after wrong codes, codes are refused for a growing pause. Wait a minute."
        )
    return _("That code is not right. Type the current code from your app for this account, or a recovery code.")


@staff_member_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    """Ask for the second factor after the password, and again before sensitive actions."""
    if not security.has_second_factor(request.user):
        return redirect(reverse("staff:second_factor_enrol") + "?" + request.GET.urlencode())
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _wrong_code_message(request.user))
    again = request.GET.get("again") == "1" and request.user.is_verified()
    title = _("Confirm it is you") if again else _("Second factor")
    has_passkey = Passkey.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "staff/second_factor_verify.html",
        _context(
            request,
            title,
            form=form,
            next=_next_url(request),
            again=again,
            has_passkey=has_passkey,
            passkeys_available=passkeys.available(request),
        ),
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    """Set up an authenticator app; on success show the one-time recovery codes once."""
    if security.has_second_factor(request.user):
        if not request.user.is_verified():
            return redirect(reverse("staff:second_factor_verify") + "?" + request.GET.urlencode())
        return redirect("staff:second_factor_manage")
    device = services.totp_device_pending(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "staff/recovery_codes.html",
                _context(request, _("Your recovery codes"), codes=codes, next=_next_url(request)),
            )
        form.add_error("code", _wrong_code_message(request.user))
    return render(
        request,
        "staff/second_factor_enrol.html",
        _context(
            request,
            _("Set up your second factor"),
            form=form,
            next=_next_url(request),
            secret=security.totp_secret(device),
            otpauth_uri=device.config_url,
            qr_code=security.qr_data_uri(device.config_url),
            required=settings.STAFF_REQUIRE_SECOND_FACTOR,
        ),
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def second_factor_manage(request):
    """The account's second factor: new recovery codes, or remove it (both ask for it again first)."""
    here = reverse("staff:second_factor_manage")
    if request.method == "POST":
        if security.needs_reauthentication(request):
            messages.warning(request, _("Please confirm your second factor first."))
            return redirect(security.reauthentication_url(here))
        if "renew" in request.POST:
            codes = services.recovery_codes_renew(user=request.user, request=request)
            context = _context(request, _("Your recovery codes"), codes=codes, next=here)
            return render(request, "staff/recovery_codes.html", context)
        if "remove" in request.POST:
            services.second_factor_remove(user=request.user, by=request.user, request=request)
            request.session[security.HAS_SECOND_FACTOR] = "no"
            messages.success(request, _("Your second factor was removed."))
            return redirect("staff:second_factor_enrol" if settings.STAFF_REQUIRE_SECOND_FACTOR else "admin:index")
    return render(
        request,
        "staff/second_factor_manage.html",
        _context(
            request,
            _("Your second factor"),
            enrolled=security.has_second_factor(request.user),
            recovery_codes_left=security.recovery_codes_left(request.user),
            passkeys=Passkey.objects.filter(user=request.user, confirmed=True),
            passkey_form=PasskeyNameForm(),
            passkeys_available=passkeys.available(request),
            rp_id=passkeys.relying_party_id(),
        ),
    )


# Passkeys. The browser's side (static/staff/passkeys.js) asks for options, lets the authenticator
# answer, and posts the answer back; these views answer JSON: {"options"}, {"redirect"} or {"error"}.


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _refused(message, status=400, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


def _may_change_factors(request):
    """None if the session may add a passkey now; else the JSON answer that says what to do first."""
    if not request.user.is_verified():
        return _refused(_("Please give your second factor first."), status=403)
    if security.needs_reauthentication(request):
        here = reverse("staff:second_factor_manage")
        return _refused(
            _("Please confirm your second factor first."),
            status=403,
            reauthenticate=security.reauthentication_url(here),
        )
    if not passkeys.available(request):
        return _refused(_("Passkeys work only at the site's own address."))
    return None


@staff_member_required
@require_http_methods(["POST"])
def passkey_register_begin(request):
    """Options for creating a passkey for the session's user."""
    if (refusal := _may_change_factors(request)) is not None:
        return refusal
    # The name is checked before the authenticator is asked, and again with its answer.
    form = PasskeyNameForm({"name": _json_body(request).get("name", "")})
    if not form.is_valid():
        return _refused(" ".join(form.errors["name"]))
    existing = Passkey.objects.filter(user=request.user)
    return JsonResponse({"options": passkeys.registration_options(request, existing=existing)})


@staff_member_required
@require_http_methods(["POST"])
def passkey_register_complete(request):
    """Store the new passkey under the name typed for it."""
    if (refusal := _may_change_factors(request)) is not None:
        return refusal
    body = _json_body(request)
    form = PasskeyNameForm({"name": body.get("name", "")})
    if not form.is_valid():
        return _refused(" ".join(form.errors["name"]))
    try:
        passkey = services.passkey_add(
            request=request, name=form.cleaned_data["name"], credential=body.get("credential")
        )
    except passkeys.PasskeyError as error:
        if error.code == "already_registered":
            return _refused(_("This passkey is already added to your account."))
        return _refused(_("The passkey could not be added. Please try again."))
    messages.success(request, _("Passkey “%(name)s” added.") % {"name": passkey.name})
    return JsonResponse({"redirect": reverse("staff:second_factor_manage")})


@staff_member_required
@require_http_methods(["POST"])
def passkey_authenticate_begin(request):
    """Options for giving the second factor with one of the account's passkeys."""
    account_passkeys = Passkey.objects.filter(user=request.user, confirmed=True)
    if not account_passkeys.exists():
        return _refused(_("Your account has no passkey. Use a code instead."))
    if not passkeys.available(request):
        return _refused(_("Passkeys work only at the site's own address."))
    return JsonResponse({"options": passkeys.authentication_options(request, passkeys=account_passkeys)})


@staff_member_required
@require_http_methods(["POST"])
def passkey_authenticate_complete(request):
    """Check the passkey's answer; on success the session has given its second factor."""
    body = _json_body(request)
    if services.passkey_verify(request=request, credential=body.get("credential")):
        next_url = body.get("next") if isinstance(body.get("next"), str) else ""
        return JsonResponse({"redirect": _next_url(request, next_url)})
    return _refused(_("The passkey was not accepted. Try again, or type a code."))


@staff_member_required
@require_http_methods(["POST"])
def passkey_remove(request, passkey_id):
    """Remove one of the user's own passkeys (asks for the second factor again first)."""
    here = reverse("staff:second_factor_manage")
    if security.needs_reauthentication(request):
        messages.warning(request, _("Please confirm your second factor first."))
        return redirect(security.reauthentication_url(here))
    if services.passkey_remove(request=request, passkey_id=passkey_id):
        messages.success(request, _("The passkey was removed."))
    return redirect(here)


def locked_out(request, original_response=None, credentials=None):
    """The page for a login refused because this account and address are locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "staff/locked_out.html",
        _context(request, _("Too many failed logins"), minutes=minutes, failure_limit=settings.AXES_FAILURE_LIMIT),
        status=429,
    )
