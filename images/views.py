from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from images.models import Image
from images.renditions import ensure_rendition
from staff import security as staff_security

# Rendition names change whenever the picture would (size, focal point), so a public one never
# changes under its address.
PUBLIC_CACHE = "public, max-age=31536000, immutable"


@require_GET
def rendition(request, key, name):
    """A rendition of a public image to anyone; of any image to staff who may view the library."""
    staff_view = request.user.has_perm("images.view_image") and not staff_security.second_factor_required(request)
    image = get_object_or_404(Image.objects.all() if staff_view else Image.objects.public(), key=key)
    path = ensure_rendition(image, name)
    if path is None:
        raise Http404
    is_public = not staff_view or image.is_public()
    if is_public and settings.IMAGES_ACCEL_REDIRECT:
        # nginx sends the file from its internal location (deploy/nginx/portal.conf).
        response = HttpResponse(content_type=image.content_type if not name.endswith(".webp") else "image/webp")
        response["X-Accel-Redirect"] = f"{settings.IMAGES_ACCEL_REDIRECT}{key}/{name}"
    else:
        response = FileResponse(path.open("rb"), content_type="image/webp" if name.endswith(".webp") else None)
    # A draft's image seen by staff must not linger in a shared cache.
    response["Cache-Control"] = PUBLIC_CACHE if is_public else "private, no-store"
    return response
