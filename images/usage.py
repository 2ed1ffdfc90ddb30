"""Where images are used: the apps above register which of their published things show images.

`images` sits below `articles` and `people`, so it cannot import them; each of them registers, in
its `AppConfig.ready()`, a function returning a condition on `Image` that holds for the images its
public content shows (built from that app's own `published()` queryset, so "public" is defined
once), and the permission that publishes that content: replacing the file of an image in public
use changes reviewed content, so only someone who may publish it may do that.
"""

from collections.abc import Callable

from django.db.models import Q

# A use registered without a permission can only be changed by a superuser (the safe default).
SUPERUSER_ONLY = None
_public_uses: list[tuple[Callable[[], Q], str | None]] = []


def register_public_use(condition: Callable[[], Q], *, publish_permission: str | None = SUPERUSER_ONLY) -> None:
    _public_uses.append((condition, publish_permission))


def public_condition() -> Q:
    condition = Q(pk__in=[])
    for use, _permission in _public_uses:
        condition |= use()
    return condition


def may_replace_file(user, image) -> bool:
    """Whether `user` may put a new file on `image`: anyone with change rights while no public page shows it."""
    if user.is_superuser:
        return True
    model = type(image)
    for use, permission in _public_uses:
        if model.objects.filter(use(), pk=image.pk).exists() and (permission is None or not user.has_perm(permission)):
            return False
    return True
