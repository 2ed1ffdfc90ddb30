"""Treatment articles and their medical publishing workflow.

An article moves draft → in review → published → archived (and back to draft for rework) only
through the functions in `articles/services.py`, which check the role and write an
`ArticleTransition`. What the public may see is defined once, in `ArticleQuerySet.published()`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from editorial.models import EditorialContent, EditorialQuerySet, EditorialStatus, Transition, actor_field
from languages.models import LanguageVersion
from taxonomy.models import Condition, Treatment

# The shared statuses (editorial/models.py), under the name the article code has always used.
ArticleStatus = EditorialStatus


class ArticleQuerySet(EditorialQuerySet):
    def for_treatments(self, treatments):
        """Articles about any of these treatments, each once (e.g. on a hospital's page).

        Chain it after `published()` on public pages.
        """
        return self.filter(
            pk__in=Article.treatments.through.objects.filter(treatment__in=treatments).values("article")
        )

    def with_taxonomy(self):
        """Conditions and treatments in two queries however many articles there are."""
        return self.prefetch_related(
            models.Prefetch("conditions", queryset=Condition.objects.ordered_by_name()),
            models.Prefetch("treatments", queryset=Treatment.objects.ordered_by_name()),
        )

    def review_due(self, *, on=None, warning_days=30):
        """Published or scheduled articles whose medical review is due within `warning_days` or overdue."""
        on = on or timezone.localdate()
        return self.filter(status=ArticleStatus.PUBLISHED).filter(
            models.Q(review_due_on__isnull=True) | models.Q(review_due_on__lte=on + datetime.timedelta(warning_days))
        )


class Article(EditorialContent, LanguageVersion):
    """A treatment article in one language; its other language versions are linked (`translation_of`)."""

    # A translation is out of date when its source was medically reviewed after it.
    translation_date_field = "last_reviewed_on"

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The article's address, e.g. “lutetium-177-therapy”. Do not change once published."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        help_text=_("Two or three plain sentences that sum up the article; shown in lists and to search engines."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Written in Markdown: ## headings, lists, **bold**, [links](https://…), tables. "
            "Scripts, styles and embedded content are removed when the page is shown."
        ),
    )
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="articles/lead-images/",
        blank=True,
        help_text=_("Optional. Shown at the top of the article; only once the article is published."),
    )
    lead_image_alt = models.CharField(
        _("lead image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    conditions = models.ManyToManyField(Condition, verbose_name=_("conditions"), related_name="articles", blank=True)
    treatments = models.ManyToManyField(
        Treatment,
        verbose_name=_("treatments"),
        related_name="articles",
        blank=True,
        help_text=_("Links the article to the hospitals that offer these treatments and to the inquiry form."),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        related_name="authored_articles",
        blank=True,
        help_text=_("Shown by full name on the article."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ArticleStatus,
        default=ArticleStatus.DRAFT,
        editable=False,
        help_text=_("Changed only through the workflow actions, which record who did what and when."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the article becomes public. A future time means it is scheduled."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Optional. After this time the article is no longer public."),
    )
    medical_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medical reviewer"),
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        editable=False,
    )
    last_reviewed_on = models.DateField(_("last medical review"), null=True, blank=True, editable=False)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=12,
        help_text=_("How often a doctor re-checks the article: 12 months, less for fast-moving therapies."),
    )
    review_due_on = models.DateField(_("next review due"), null=True, blank=True, editable=False)
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
    # The body as the public sees it, rendered when the article is saved (`store_rendered_body`),
    # so no page view runs Markdown. Used only while `body_html_source` matches the body.
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    body_toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    body_html_source = models.CharField(_("rendered from"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # History outlives a (superuser) deletion: the audit trail of what was published stays.
    history = HistoricalRecords(excluded_fields=["updated_at", "body_html", "body_toc", "body_html_source"])

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_article", _("Can publish, schedule and archive articles and record reviews"))]
        indexes = [models.Index(fields=["status", "publish_at"], name="article_public_idx")]
        constraints = [
            *LanguageVersion.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message=_("A published article needs a publication time."),
            ),
            models.CheckConstraint(
                condition=models.Q(lead_image="") | ~models.Q(lead_image_alt=""),
                name="article_lead_image_has_alt",
                violation_error_message=_("Describe the lead image for people who cannot see it."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": _("Describe the lead image for people who cannot see it.")},
                code="lead_image_alt_missing",
            )
        if self.expires_at and self.publish_at and self.expires_at <= self.publish_at:
            raise ValidationError(
                {"expires_at": _("The expiry must come after the publication time.")}, code="expires_before_publish"
            )

    @cached_property
    def rendered(self):
        """The sanitised HTML body and its table of contents (see articles/rendering.py).

        The copy stored on save when it was rendered from this very body by this renderer;
        otherwise (a row written some other way, a changed allow-list) a fresh render.
        """
        from articles.rendering import RenderedBody, render_markdown, source_digest

        if self.body_html_source and self.body_html_source == source_digest(self.body):
            return RenderedBody(html=mark_safe(self.body_html), toc=self.body_toc)  # noqa: S308 - stored after nh3
        return render_markdown(self.body)

    def store_rendered_body(self) -> None:
        """Render the body now, to be saved with the article; the services and the admin call it."""
        from articles.rendering import render_markdown, source_digest

        rendered = render_markdown(self.body)
        self.body_html, self.body_toc, self.body_html_source = (
            str(rendered.html),
            rendered.toc,
            source_digest(self.body),
        )
        self.__dict__["rendered"] = rendered

    def review_is_due(self, *, on=None) -> bool:
        on = on or timezone.localdate()
        return self.review_due_on is None or self.review_due_on <= on


class Reference(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    citation = models.TextField(
        _("citation"), help_text=_("Authors, title, journal or publisher, year; as it should appear on the page.")
    )
    url = models.URLField(_("URL"), blank=True, max_length=500, help_text=_("Optional link to the source."))

    class Meta:
        # "reference" is also an inquiry's reference number: a context keeps the two translations apart.
        verbose_name = pgettext_lazy("a source cited by an article", "reference")
        verbose_name_plural = _("references")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.citation[:80]


class ArticleTransition(Transition):
    """One workflow step of an article (editorial/models.py)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="transitions"
    )
    actor = actor_field("article_transitions")

    class Meta(Transition.Meta):
        pass

    def __str__(self):
        return f"{self.article}: {self.from_status} → {self.to_status}"
