import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
