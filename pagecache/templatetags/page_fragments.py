"""``{% fragment "name" "domain,domain" part … %}…{% endfragment %}``: a part of a page rendered once.

The rendered HTML is kept under the given content domains' versions and the page cache's time
bound (pagecache.versions.cached_fragment), keyed by the name, the parts and the language, so a
page that misses the cache (another language, another query string) renders only the rest. The
block must be self-contained: what it sets in the context (``{% url … as x %}``) is not there
when it comes from the cache. A view that must never share its rendering (a staff preview) sets
``fragment_cache`` to False in its context.
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache.versions import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, domains, parts):
        self.nodelist, self.name, self.domains, self.parts = nodelist, name, domains, parts

    def render(self, context):
        if context.get("fragment_cache", True) is False:
            return self.nodelist.render(context)
        domains = [domain.strip() for domain in self.domains.resolve(context).split(",") if domain.strip()]
        parts = [translation.get_language(), *(part.resolve(context) for part in self.parts)]

        def render():
            # Rendered in a context layer of its own, as it would be on its own page.
            with context.push():
                return str(self.nodelist.render(context))

        # Our own template's output, escaped when it was rendered.
        return mark_safe(cached_fragment(self.name.resolve(context), parts, domains, render))  # noqa: S308


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name, the content domains and the key's parts.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, domains, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, domains, parts)
