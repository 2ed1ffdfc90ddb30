import pytest

from tests.factories import ArticleFactory, ConditionFactory, TreatmentFactory


@pytest.fixture
def lutetium(db):
    return TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie")


@pytest.fixture
def net(db):
    return ConditionFactory(slug="neuroendocrine-tumour", name_en="Neuroendocrine tumour", name_de="NET")


@pytest.fixture
def public_article(lutetium, net):
    return ArticleFactory(
        published=True,
        slug="public-article",
        title="Radionuclide therapy explained",
        standfirst="What happens during PRRT.",
        treatments=[lutetium],
        conditions=[net],
    )
