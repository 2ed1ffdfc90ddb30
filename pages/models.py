"""The site's own pages (home, how it works, FAQ, costs, about us, editorial policy, imprint, privacy,
disclaimer): one `Page` per language version, published through the shared workflow
(editorial/workflow.py, `pages.services.workflow`) by the role the page's kind needs.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from editorial.models import EditorialContent, EditorialQuerySet, EditorialStatus, Transition, actor_field
from images.references import expand, validate_references
from languages.fallback import fallback_chain
from languages.models import LanguageVersion
from pages.blocks import rendered_blocks, validate_blocks


class PageKind(models.TextChoices):
    HOME = "home", _("Home page")
    HOW_IT_WORKS = "how_it_works", _("How it works")
    FAQ = "faq", _("Frequently asked questions")
    COSTS = "costs", _("Costs and payment")
    ABOUT = "about", _("About us")
    EDITORIAL_POLICY = "editorial_policy", _("Editorial policy")
    # The medical team's page is the people app's /team/; a page of this kind is its entry in the menus.
    TEAM = "team", _("Medical team (menu entry for the team page)")
    IMPRINT = "imprint", _("Imprint")
    PRIVACY = "privacy", _("Privacy")
    DISCLAIMER = "disclaimer", _("Medical disclaimer")
    OTHER = "other", _("Other page")


class ReviewRole(models.TextChoices):
    EDITORIAL = "editorial", _("Any reviewer (medical or legal)")
    MEDICAL = "medical", _("Medical reviewers")
    LEGAL = "legal", _("Legal reviewers")


# Pages whose text has legal force: only a legal reviewer publishes them.
LEGAL_KINDS = (PageKind.IMPRINT, PageKind.PRIVACY, PageKind.DISCLAIMER)


# The fields of a page's published copy (`Page.live`): what the public reads.
LIVE_FIELDS = ("title", "summary", "body", "blocks")


class PageQuerySet(EditorialQuerySet):
    def on_site(self):
        """Pages with a published copy that is not archived.

        Unlike an article, a published page stays public while an editor's change to it waits for
        review (status draft or in review): the public reads the published copy (`Page.live`).
        `published()`, `scheduled()`, `expired()` and the cache's timed changes all start here.
        """
        return self.filter(live__has_key="title").exclude(status=EditorialStatus.ARCHIVED)

    def in_language(self, language=None):
        """Of each page, the version in the reader's language, else the next along the fallback chain.

        Each shows its published copy. Evaluated in Python over the (few) candidate rows: one query.
        """
        chain = fallback_chain(language)
        chosen = {}
        for page in self.filter(language__in=chain):
            current = chosen.get(page.source_id)
            if current is None or chain.index(page.language) < chain.index(current.language):
                chosen[page.source_id] = page
        return sorted(
            (page.as_published() for page in chosen.values()), key=lambda page: (page.menu_order, page.title)
        )


def address_taken(slug: str) -> bool:
    """Whether /<slug>/ is answered by another part of the site (articles, team, admin …), not by a page.

    Pages' addresses come last in the URL configuration, so such a page would never be shown.
    """
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return False
    return match.kwargs.get("slug") != slug


class Page(EditorialContent, LanguageVersion):
    """A site page in one language; its other language versions share its address (`slug`)."""

    translation_date_field = "last_reviewed_on"

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=100,
        help_text=_(
            "The page's address, e.g. “faq” for /faq/. All language versions share it; renaming "
            "it keeps the old address working (it redirects)."
        ),
    )
    kind = models.CharField(
        _("kind of page"),
        max_length=20,
        choices=PageKind,
        default=PageKind.OTHER,
        help_text=_("Imprint, privacy and disclaimer are legal pages: only a legal reviewer publishes them."),
    )
    review_role = models.CharField(
        _("reviewed by"),
        max_length=16,
        choices=ReviewRole,
        default=ReviewRole.EDITORIAL,
        help_text=_("Who must review and publish this page. Legal pages always need a legal reviewer."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two plain sentences for search engines, and the introduction on the home page."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Written in Markdown: ## headings, lists, **bold**, [links](https://…). "
            "HTML is not allowed; scripts and styles are removed when the page is shown."
        ),
    )
    blocks = models.JSONField(
        _("blocks"),
        default=list,
        blank=True,
        validators=[validate_blocks],
        help_text=_(
            "Optional structured parts, as a JSON list. Each block has a “type”: "
            "“hero” (heading, text), “faq” (items: question, answer), “steps” (items: title, text), "
            "“cta” (text, label: a link to the inquiry form), “contact” (name, address, phone, email, "
            "register, managing_director) or “featured_articles” (slugs). "
            "Texts are plain or Markdown; HTML is not allowed."
        ),
    )
    menu_parent = models.ForeignKey(
        "self",
        verbose_name=_("parent in the menu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="menu_children",
        help_text=_("Optional: shows the page under another one in the menu."),
    )
    menu_order = models.PositiveSmallIntegerField(
        _("menu position"), default=100, help_text=_("Smaller numbers come first.")
    )
    in_header = models.BooleanField(_("in the header menu"), default=False)
    in_footer = models.BooleanField(_("in the footer"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EditorialStatus,
        default=EditorialStatus.DRAFT,
        editable=False,
        help_text=_("Changed only through the workflow actions, which record who did what and when."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the page becomes public. A future time means it is scheduled."),
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Optional. After this time the page is no longer public.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="reviewed_pages",
        null=True,
        blank=True,
        editable=False,
    )
    last_reviewed_on = models.DateField(_("last review"), null=True, blank=True, editable=False)
    # The text as a reviewer last published it; an editor's later change waits in the fields above.
    live = models.JSONField(_("published copy"), default=dict, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("Demo content written for trying the portal; the page says so."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "live"])

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["menu_order", "title"]
        permissions = [
            ("publish_page", _("Can publish, schedule and archive site pages that need any reviewer")),
            ("publish_medical_page", _("Can publish site pages that need a medical review")),
            ("publish_legal_page", _("Can publish legal site pages (imprint, privacy, disclaimer)")),
        ]
        constraints = [
            *LanguageVersion.Meta.constraints,
            models.UniqueConstraint(fields=["slug", "language"], name="page_one_address_per_language"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="page_published_has_publish_at",
                violation_error_message=_("A published page needs a publication time."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["imprint", "privacy", "disclaimer"]) | models.Q(review_role="legal"),
                name="page_legal_kinds_need_legal_review",
                violation_error_message=_("Imprint, privacy and disclaimer are reviewed by legal reviewers."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.kind == PageKind.HOME:
            return reverse("home")
        if self.kind == PageKind.TEAM:
            return reverse("people:list")
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.kind in LEGAL_KINDS and self.review_role != ReviewRole.LEGAL:
            raise ValidationError(
                {"review_role": _("Imprint, privacy and disclaimer are reviewed by legal reviewers.")},
                code="legal_page_needs_legal_review",
            )
        if self.translation_of is not None and self.slug != self.translation_of.slug:
            raise ValidationError(
                {
                    "slug": _("A translation keeps the address of its source (“%(slug)s”).")
                    % {"slug": self.translation_of.slug}
                },
                code="translation_slug",
            )
        for field_name, text in (("body", self.body), ("blocks", json.dumps(self.blocks or []))):
            try:
                validate_references(text)
            except ValidationError as error:
                raise ValidationError({field_name: error}) from None
        if self.menu_parent_id is not None and self.menu_parent_id == self.pk:
            raise ValidationError({"menu_parent": _("A page cannot be its own parent.")}, code="own_parent")
        if self.slug and self.kind != PageKind.TEAM and address_taken(self.slug):
            raise ValidationError(
                {
                    "slug": _(
                        "The address /%(slug)s/ belongs to another part of the site, so this page could never be "
                        "seen there. Please choose another address."
                    )
                    % {"slug": self.slug}
                },
                code="address_taken",
            )

    @property
    def is_on_site(self) -> bool:
        """This page in `Page.objects.on_site()`."""
        return "title" in (self.live or {}) and self.status != EditorialStatus.ARCHIVED

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.live) and any(self.live.get(name) != getattr(self, name) for name in LIVE_FIELDS)

    def take_live_copy(self) -> None:
        self.live = {name: getattr(self, name) for name in LIVE_FIELDS}

    def as_published(self):
        """This page showing its published copy (for the public), not the text being edited."""
        for name in LIVE_FIELDS:
            if name in self.live:
                setattr(self, name, self.live[name])
        self.__dict__.pop("rendered_body", None)
        self.__dict__.pop("rendered_blocks", None)
        return self

    @cached_property
    def rendered_body(self):
        """The body as sanitised HTML (the articles' Markdown renderer, articles/rendering.py).

        Library images referred to as `![](image:12)` become their `<picture>` (images/references.py).
        """
        from articles.rendering import render_markdown

        return expand(render_markdown(self.body).html) if self.body else ""

    @cached_property
    def rendered_blocks(self) -> list[dict]:
        """The blocks as the page shows them, rendered once however often the template asks."""
        return rendered_blocks(self.blocks)


class PageTransition(Transition):
    """One workflow step of a site page (editorial/models.py)."""

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="transitions")
    actor = actor_field("page_transitions")

    class Meta(Transition.Meta):
        pass

    def __str__(self):
        return f"{self.page}: {self.from_status} → {self.to_status}"


class PageRedirect(models.Model):
    """An address a page used to have: it answers with a permanent redirect to the page's address now."""

    old_slug = models.SlugField(_("old address"), max_length=100, unique=True)
    new_slug = models.SlugField(_("new address"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("page redirect")
        verbose_name_plural = _("page redirects")

    def __str__(self):
        return f"/{self.old_slug}/ → /{self.new_slug}/"
