import ipaddress
import re

from django.conf import settings

# "1.2.3.4:5678" (some proxies append the port) and "[2001:db8::1]:443" / "[2001:db8::1]".
_IPV4_WITH_PORT = re.compile(r"(?P<host>\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")
_BRACKETED_IPV6 = re.compile(r"\[(?P<host>[^\]]+)\](?::\d{1,5})?")


def client_address(request) -> str | None:
    """The client's IP address in canonical form, or None when it is unknown or not an address.

    Behind a proxy REMOTE_ADDR is the proxy's own address, the same for every visitor. Each
    trusted proxy appends the address it saw to X-Forwarded-For, so the entry that many places
    from the end is the client as the outermost trusted proxy saw it; entries before it are
    whatever the client claimed and are ignored. The rate limiter and the access log both use
    this one helper, so both see the same, valid address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return normalised_address(forwarded[-proxies])
    return normalised_address(request.META.get("REMOTE_ADDR", ""))


def normalised_address(value: str) -> str | None:
    """`value` as a canonical IP address (port, brackets and zone removed, IPv4-mapped unwrapped), or None."""
    value = (value or "").strip()
    match = _IPV4_WITH_PORT.fullmatch(value) or _BRACKETED_IPV6.fullmatch(value)
    if match:
        value = match["host"]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        if address.scope_id is not None:
            # PostgreSQL's inet has no zone ("fe80::1%eth0"); the address without it is still useful.
            return str(ipaddress.IPv6Address(value.split("%", 1)[0]))
    return str(address)
