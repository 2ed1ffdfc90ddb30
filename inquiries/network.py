from django.conf import settings


def client_address(request) -> str:
    """The client's IP address, also behind the reverse proxies named in TRUSTED_PROXY_COUNT.

    Behind a proxy REMOTE_ADDR is the proxy's own address, the same for every visitor. Each
    trusted proxy appends the address it saw to X-Forwarded-For, so the entry that many places
    from the end is the client as the outermost trusted proxy saw it; entries before it are
    whatever the client claimed and are ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
