"""Where images are used: the apps above register which of their published things show images.

`images` sits below `articles` and `people`, so it cannot import them; each of them registers, in
its `AppConfig.ready()`, a function returning a condition on `Image` that holds for the images its
public content shows (built from that app's own `published()` queryset, so "public" is defined
once).
"""

from collections.abc import Callable

from django.db.models import Q

_public_uses: list[Callable[[], Q]] = []


def register_public_use(condition: Callable[[], Q]) -> None:
    _public_uses.append(condition)


def public_condition() -> Q:
    condition = Q(pk__in=[])
    for use in _public_uses:
        condition |= use()
    return condition
