import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from taxonomy.models import Condition, Treatment

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class StaffUserFactory(UserFactory):
    is_staff = True


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"condition-{n}")
    name_en = factory.Sequence(lambda n: f"Condition {n}")
    name_de = factory.Sequence(lambda n: f"Erkrankung {n}")


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"treatment-{n}")
    name_en = factory.Sequence(lambda n: f"Treatment {n}")
    name_de = factory.Sequence(lambda n: f"Behandlung {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; `published=True` gives a public one with a medical review recorded.

    Workflow tests move articles through articles/services.py; this factory sets the fields
    directly so that lists of hundreds of articles stay fast to build.
    """

    class Meta:
        model = "articles.Article"
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status="published",
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            last_reviewed_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
            review_due_on=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=360)),
        )

    title = factory.Sequence(lambda n: f"Article {n} about treatment")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A short summary of the treatment for patients and relatives."
    body = "## What it is\n\nPlain words about the treatment.\n\n## Who can have it\n\nMost adults."
    language = "en"

    @factory.post_generation
    def treatments(self, create, extracted, **kwargs):
        if create and extracted:
            self.treatments.set(extracted)

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)


def image_bytes(*, size=(1600, 900), image_format="PNG", colour="teal", exif=None) -> bytes:
    """A generated picture's file content; `exif` (a PIL.Image.Exif) is written into it as a camera would."""
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", size, colour).save(buffer, format=image_format, **options)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image stored through the upload service (so cleaned like every upload)."""

    class Meta:
        model = "images.Image"

    title = factory.Sequence(lambda n: f"Image {n}")
    alt_text_en = "A teal rectangle"

    @classmethod
    def _create(cls, model_class, *args, size=(1600, 900), image_format="PNG", **kwargs):
        from images.services import image_store_file

        image = model_class(*args, **kwargs)
        image_store_file(image=image, data=image_bytes(size=size, image_format=image_format))
        image.save()
        return image


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    name = factory.Sequence(lambda n: f"Sample Doctor {n}")
    slug = factory.Sequence(lambda n: f"sample-doctor-{n}")
    honorific_prefix = "Dr. med."
    job_title_en = "Specialist in nuclear medicine"
    specialties_en = "Nuclear medicine, Oncology"
    languages = "de, en, ru"
    registration = "Approbation 2009, Ärztekammer Berlin"
    # Published unless a test says otherwise (status="draft", publish_at=None): public people are reviewed.
    status = "published"
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
