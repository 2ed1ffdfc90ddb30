from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from images.models import Image
from images.renditions import ensure_rendition
from staff import security as staff_security

# Short on purpose (docs/decisions.md, "Rendition cache lifetime"): a new file gets a new key, so
# an address never shows a different picture, but an image whose article is withdrawn must leave
# browser and CDN caches within minutes. Revalidation after that is a cheap 304 (ETag, Last-Modified).
PUBLIC_CACHE = "public, max-age=300, stale-while-revalidate=60"


@require_GET
def rendition(request, key, name):
    """A rendition of a public image to anyone; of any image to staff who may view the library."""
    staff_view = request.user.has_perm("images.view_image") and not staff_security.second_factor_required(request)
    image = get_object_or_404(Image.objects.all() if staff_view else Image.objects.public(), key=key)
    path = ensure_rendition(image, name)
    if path is None:
        raise Http404
    is_public = not staff_view or image.is_public()
    # A draft's image seen by staff must not linger in a shared cache.
    cache_control = PUBLIC_CACHE if is_public else "private, no-store"
    modified = int(path.stat().st_mtime)
    etag = quote_etag(f"{key}-{name}-{modified}")
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        not_modified["Cache-Control"] = cache_control
        return not_modified
    if is_public and settings.IMAGES_ACCEL_REDIRECT:
        # nginx sends the file from its internal location (deploy/nginx/portal.conf).
        response = HttpResponse(content_type=image.content_type if not name.endswith(".webp") else "image/webp")
        response["X-Accel-Redirect"] = f"{settings.IMAGES_ACCEL_REDIRECT}{key}/{name}"
    else:
        response = FileResponse(path.open("rb"), content_type="image/webp" if name.endswith(".webp") else None)
    response["Cache-Control"] = cache_control
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response
