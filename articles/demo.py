"""Sample articles, written for this portal to try the workflow (sample content, not medical advice).

Every article is marked `is_sample`, and its page says so. The workflow status is set directly
(this is seed data, not a staff action), so some articles are published, some in review and some
drafts; the named author and reviewer are sample people who cannot log in.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, ArticleStatus
from articles.services import review_due_date
from images.models import Image
from people.models import Person
from taxonomy.models import Condition, Treatment

NETTER_1 = (
    "Strosberg J, et al. Phase 3 trial of 177Lu-Dotatate for midgut neuroendocrine tumors (NETTER-1). "
    "N Engl J Med. 2017;376:125-135.",
    "https://doi.org/10.1056/NEJMoa1607427",
)
CLARINET = (
    "Caplin ME, et al. Lanreotide in metastatic enteropancreatic neuroendocrine tumors (CLARINET). "
    "N Engl J Med. 2014;371:224-233.",
    "https://doi.org/10.1056/NEJMoa1316158",
)
PROMID = (
    "Rinke A, et al. Placebo-controlled, double-blind, prospective, randomized study on the effect of octreotide "
    "LAR in the control of tumor growth in patients with metastatic neuroendocrine midgut tumors (PROMID). "
    "J Clin Oncol. 2009;27:4656-4663.",
    "",
)
ENETS = ("European Neuroendocrine Tumor Society (ENETS): consensus guidelines and list of Centres of Excellence.", "")

NET_GUIDE_EN = """\
Neuroendocrine tumours (NETs) grow from cells that make hormones. They are found most often in the
small bowel, the pancreas and the lung. Many grow slowly, and even when they have spread, people
often live with them for many years. German university hospitals treat NETs in specialised teams.

## How treatment is planned

Before any treatment, a team of specialists — surgeons, oncologists, nuclear medicine doctors,
radiologists and pathologists — meets in a **tumour board** and looks at three things:

- **Where the tumour is** and whether it has spread, usually with a special PET/CT scan that shows
  somatostatin receptors (for example Ga-68-DOTATATE PET/CT).
- **How fast it grows**: the grade, measured in the tissue sample by the Ki-67 index.
- **Whether it makes hormones** that cause symptoms such as flushing or diarrhoea.

## Surgery

When the tumour can be removed completely, an operation is usually the first choice and offers the
best chance of cure. Surgery can also help when the tumour has spread, for example by removing
metastases in the liver or a tumour that blocks the bowel.

## Somatostatin analogues

Most NETs carry somatostatin receptors. Monthly injections of **octreotide** or **lanreotide**
bind to these receptors. They slow the growth of many tumours and ease hormone symptoms:
they help the quality of life of roughly 70% of patients with hormone symptoms. They are usually
well tolerated; gallstones and loose stools are the most common side effects.

## Targeted therapy

Tablets that block growth signals inside the tumour cells, such as **everolimus** or (for tumours of
the pancreas) **sunitinib**, can slow the disease when it progresses.

## Chemotherapy

Chemotherapy is used mainly for faster-growing tumours and for NETs of the pancreas, for example
capecitabine with temozolomide. Fast-growing neuroendocrine *carcinomas* are treated differently,
usually with platinum-based chemotherapy.

## Radionuclide therapy (PRRT)

In peptide receptor radionuclide therapy, a radioactive substance (Lutetium-177) is attached to a
molecule that finds the somatostatin receptors and delivers radiation directly to the tumour cells.
It is an option when the tumour grows despite somatostatin analogues. Read our article on
[Lutetium-177 therapy](/articles/lutetium-177-therapy/) for details.

## Getting treatment in Germany

Several German hospitals are recognised as ENETS Centres of Excellence. To get an opinion quickly,
send the pathology report (with the Ki-67 index), recent scans and a summary of previous treatment.

| What to send | Why it helps |
| --- | --- |
| Pathology report | grade and type decide the treatment |
| PET/CT or CT/MRI images | show where the tumour is |
| Letters from your doctors | show what has been tried |
"""

LUTETIUM_EN = """\
Lutetium-177 therapy is a way of giving radiation from the inside. The radioactive metal
Lutetium-177 is attached to a carrier molecule that seeks out tumour cells. For neuroendocrine
tumours the carrier binds to somatostatin receptors (this is called PRRT); for prostate cancer a
different carrier binds to PSMA.

## Who can have it

PRRT with Lutetium-177 may be an option for adults with a well-differentiated neuroendocrine tumour
that:

1. cannot be removed by surgery or has spread,
2. shows enough somatostatin receptors on a receptor PET/CT scan, and
3. is growing despite treatment with a somatostatin analogue.

The kidneys and the bone marrow must work well enough, because both receive some of the radiation.

## How the treatment works

Treatment usually consists of **four infusions, about eight weeks apart**. Each infusion takes a
few hours and is given with an amino-acid infusion that protects the kidneys. In Germany, radiation
protection rules mean you stay on a nuclear medicine ward for about two to four days after each
infusion.

## Side effects

Nausea and tiredness are common in the first days. Blood counts can drop for a while and are checked
regularly. Long-term effects on the kidneys or the bone marrow are rare but are the reason for the
careful selection and follow-up.

## What the evidence shows

In the NETTER-1 trial, patients with advanced midgut NETs who received Lutetium-177-DOTATATE lived
markedly longer without their disease progressing than patients on a higher dose of octreotide alone.
"""

NET_GUIDE_DE = """\
Neuroendokrine Tumoren (NET) entstehen aus hormonbildenden Zellen, meist im Dünndarm, in der
Bauchspeicheldrüse oder in der Lunge. Viele wachsen langsam; auch mit Metastasen leben Betroffene
oft viele Jahre.

## Wie die Behandlung geplant wird

In einer **Tumorkonferenz** beraten Chirurgie, Onkologie, Nuklearmedizin, Radiologie und Pathologie
gemeinsam. Entscheidend sind die Ausbreitung (Somatostatinrezeptor-PET/CT), die Wachstumsgeschwindigkeit
(Ki-67-Index) und ob der Tumor Hormone bildet.

## Operation

Lässt sich der Tumor vollständig entfernen, ist die Operation meist die erste Wahl. Auch bei
Metastasen kann eine Operation helfen.

## Somatostatin-Analoga

Monatliche Spritzen mit Octreotid oder Lanreotid bremsen das Wachstum vieler Tumoren und lindern
Hormonbeschwerden; rund 70 % der Patientinnen und Patienten mit solchen Beschwerden gewinnen dadurch
an Lebensqualität.

## Zielgerichtete Therapie und Chemotherapie

Everolimus oder Sunitinib sowie Chemotherapien wie Capecitabin mit Temozolomid kommen zum Einsatz,
wenn die Erkrankung fortschreitet.

## Radionuklidtherapie

Bei der PRRT wird Lutetium-177 an ein Molekül gekoppelt, das an die Tumorzellen bindet und sie von
innen bestrahlt.
"""

LUTETIUM_DE = """\
Bei der Lutetium-177-Therapie wird ein radioaktives Arzneimittel als Infusion gegeben. Es bindet an
Somatostatin-Rezeptoren auf den Tumorzellen und bestrahlt sie gezielt.

## Für wen sie infrage kommt

Für Erwachsene mit gut differenzierten neuroendokrinen Tumoren, die nicht operiert werden können,
im Rezeptor-PET/CT ausreichend Rezeptoren zeigen und trotz Somatostatin-Analoga wachsen.

## Ablauf

Meist vier Gaben im Abstand von etwa acht Wochen. Nach jeder Gabe bleiben Sie aus Gründen des
Strahlenschutzes zwei bis vier Tage auf einer nuklearmedizinischen Station.
"""

NET_GUIDE_RU = """\
Нейроэндокринные опухоли (НЭО) развиваются из клеток, которые вырабатывают гормоны. Чаще всего они
возникают в тонкой кишке, поджелудочной железе и лёгких. Многие НЭО растут медленно, и даже при
метастазах люди нередко живут с болезнью долгие годы. В университетских клиниках Германии такими
опухолями занимаются специализированные команды врачей.

## Как планируют лечение

Прежде чем выбрать лечение, врачи разных специальностей — хирурги, онкологи, специалисты по ядерной
медицине, радиологи и патоморфологи — вместе обсуждают каждый случай на **онкологическом консилиуме**.
Для решения важны три вопроса:

- **Где находится опухоль** и есть ли метастазы. Обычно это показывает ПЭТ/КТ с препаратом, который
  связывается с рецепторами соматостатина (например, Ga-68-DOTATATE).
- **Как быстро она растёт.** Это определяют по образцу ткани: степень злокачественности и индекс Ki-67.
- **Вырабатывает ли опухоль гормоны**, которые вызывают, например, приливы или диарею.

## Операция

Если опухоль можно удалить полностью, операция обычно стоит на первом месте: она даёт наилучшие шансы
на излечение. Хирургия помогает и при распространённой болезни — например, когда удаляют метастазы в
печени или опухоль, которая мешает работе кишечника.

## Аналоги соматостатина

На поверхности большинства НЭО есть рецепторы соматостатина. Уколы **октреотида** или **ланреотида**
раз в месяц связываются с этими рецепторами. Они замедляют рост многих опухолей и облегчают
гормональные симптомы. Переносятся они обычно хорошо; чаще всего бывают жидкий стул и камни в желчном
пузыре.

## Таргетная терапия и химиотерапия

Если болезнь прогрессирует, применяют таблетки, которые блокируют сигналы роста в опухолевых клетках
(например, **эверолимус**, а при опухолях поджелудочной железы — **сунитиниб**). Химиотерапию
назначают в основном при быстрорастущих опухолях и при НЭО поджелудочной железы, например
капецитабин вместе с темозоломидом.

## Радионуклидная терапия (PRRT)

При этом лечении радиоактивный лютеций-177 присоединяют к молекуле, которая находит рецепторы
соматостатина и облучает опухолевые клетки изнутри. Этот метод рассматривают, когда опухоль растёт,
несмотря на аналоги соматостатина. Обычно проводят четыре введения с перерывом около восьми недель;
после каждого пациент по правилам радиационной защиты несколько дней остаётся в отделении ядерной
медицины.

## Как получить мнение клиники в Германии

Чтобы клиника могла быстро оценить ваш случай, подготовьте документы:

| Что прислать | Зачем это нужно |
| --- | --- |
| Гистологическое заключение с индексом Ki-67 | тип и степень опухоли определяют лечение |
| ПЭТ/КТ, КТ или МРТ (заключение и снимки) | показывают, где находится опухоль |
| Выписки и заключения ваших врачей | показывают, какое лечение уже было |

*Это пример текста для демонстрации портала. Он не заменяет консультацию врача.*
"""

LUNG_EN = """\
Lung cancer treatment depends on the type of cancer and how far it has spread.

## Surgery

For early non-small-cell lung cancer, removing the affected lobe of the lung offers the best chance
of cure. Many German thoracic surgery centres operate with keyhole (video-assisted) techniques.

## Targeted therapy

If the tumour carries certain changes (for example in EGFR or ALK), tablets can target them. This is
why a molecular test of the tissue comes before the choice of treatment.

*Draft: the section on immunotherapy is still to be written.*
"""

GI_CHEMO_EN = """\
Chemotherapy for cancers of the stomach, bowel and pancreas is usually given in cycles, as an
infusion or as tablets, often before or after an operation.

## What to expect

Each cycle is followed by a rest period. Blood counts are checked before each cycle. Common side
effects are tiredness, nausea and numb fingertips; most improve after treatment ends.

## Treatment in Germany

Certified cancer centres (Onkologische Zentren) plan chemotherapy in a tumour board and can often
give it as a day-patient.
"""

ARTICLES = [
    {
        "slug": "treating-neuroendocrine-tumours-in-germany",
        "title": "Treating neuroendocrine tumours in Germany: a guide",
        "language": "en",
        "standfirst": (
            "Surgery, somatostatin analogues, targeted therapy, chemotherapy and radionuclide therapy: "
            "how German specialist teams treat neuroendocrine tumours, and what you need to get an opinion."
        ),
        "body": NET_GUIDE_EN,
        "status": ArticleStatus.PUBLISHED,
        "illustrated": True,
        "days_ago": 20,
        "conditions": ["neuroendocrine-tumour", "gastrointestinal-cancer"],
        "treatments": ["surgery", "chemotherapy", "targeted-therapy", "somatostatin-analogues", "lutetium-177-prrt"],
        "references": [ENETS, CLARINET, PROMID, NETTER_1],
        "review_interval_months": 12,
    },
    {
        "slug": "lutetium-177-therapy",
        "title": "Lutetium-177 radionuclide therapy: what it is and who can have it",
        "language": "en",
        "standfirst": (
            "A radioactive medicine that seeks out tumour cells from the inside. How PRRT with Lutetium-177 works, "
            "who is eligible, and what a treatment stay in Germany looks like."
        ),
        "body": LUTETIUM_EN,
        "status": ArticleStatus.PUBLISHED,
        "days_ago": 10,
        "conditions": ["neuroendocrine-tumour", "prostate-cancer"],
        "treatments": ["lutetium-177-prrt"],
        "references": [NETTER_1],
        # A fast-moving therapy: reviewed twice a year.
        "review_interval_months": 6,
    },
    {
        "slug": "neuroendokrine-tumoren-behandlung",
        "title": "Neuroendokrine Tumoren: Behandlung in Deutschland",
        "language": "de",
        "translation_of": "treating-neuroendocrine-tumours-in-germany",
        "standfirst": (
            "Operation, Somatostatin-Analoga, zielgerichtete Therapie, Chemotherapie und Radionuklidtherapie: "
            "ein Überblick über die Behandlung neuroendokriner Tumoren."
        ),
        "body": NET_GUIDE_DE,
        "status": ArticleStatus.PUBLISHED,
        "illustrated": True,
        "days_ago": 5,
        "conditions": ["neuroendocrine-tumour"],
        "treatments": ["surgery", "somatostatin-analogues", "targeted-therapy", "chemotherapy", "lutetium-177-prrt"],
        "references": [CLARINET, NETTER_1],
        "review_interval_months": 12,
    },
    {
        # Written fresh in Russian (not a line-by-line translation), linked to the English guide.
        "slug": "neiroendokrinnye-opukholi-lechenie-v-germanii",
        "title": "Нейроэндокринные опухоли: лечение в Германии",
        "language": "ru",
        "translation_of": "treating-neuroendocrine-tumours-in-germany",
        "standfirst": (
            "Операция, аналоги соматостатина, таргетная терапия, химиотерапия и радионуклидная терапия: "
            "как команды врачей в Германии лечат нейроэндокринные опухоли и какие документы нужны для консультации."
        ),
        "body": NET_GUIDE_RU,
        "status": ArticleStatus.PUBLISHED,
        "illustrated": True,
        "days_ago": 3,
        "conditions": ["neuroendocrine-tumour"],
        "treatments": ["surgery", "somatostatin-analogues", "targeted-therapy", "chemotherapy", "lutetium-177-prrt"],
        "references": [ENETS, CLARINET, NETTER_1],
        "review_interval_months": 12,
    },
    {
        "slug": "lutetium-177-therapie",
        "title": "Lutetium-177-Therapie: Ablauf und Voraussetzungen",
        "language": "de",
        "translation_of": "lutetium-177-therapy",
        "standfirst": "Wie die Radionuklidtherapie mit Lutetium-177 abläuft und wer dafür infrage kommt.",
        "body": LUTETIUM_DE,
        "status": ArticleStatus.IN_REVIEW,
        "conditions": ["neuroendocrine-tumour"],
        "treatments": ["lutetium-177-prrt"],
        "references": [NETTER_1],
        "review_interval_months": 6,
    },
    {
        "slug": "lung-cancer-surgery-and-targeted-therapy",
        "title": "Lung cancer: surgery and targeted therapy in Germany",
        "language": "en",
        "standfirst": "Why a molecular test comes first, and when an operation offers the best chance of cure.",
        "body": LUNG_EN,
        "status": ArticleStatus.DRAFT,
        "conditions": ["lung-cancer"],
        "treatments": ["surgery", "targeted-therapy"],
        "references": [],
        "review_interval_months": 6,
    },
    {
        "slug": "chemotherapy-for-gastrointestinal-cancer",
        "title": "Chemotherapy for gastrointestinal cancer: what to expect",
        "language": "en",
        "standfirst": "Cycles, side effects and day-patient treatment in German cancer centres.",
        "body": GI_CHEMO_EN,
        "status": ArticleStatus.IN_REVIEW,
        "conditions": ["gastrointestinal-cancer"],
        "treatments": ["chemotherapy"],
        "references": [],
        "review_interval_months": 12,
    },
]


def _sample_person(username, first_name, last_name):
    """A named person for bylines who cannot log in (inactive, no usable password)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def load(*, stdout):
    author = _sample_person("sample-author", "Lena", "Beispiel (sample author)")
    reviewer = _sample_person("sample-reviewer", "Dr. med. Jonas", "Muster (sample reviewer)")
    # The team pages' sample people stand for these accounts in bylines (people/demo.py).
    Person.objects.filter(slug="jonas-muster", user__isnull=True).update(user=reviewer)
    Person.objects.filter(slug="lena-beispiel", user__isnull=True).update(user=author)
    illustration = Image.objects.filter(is_sample=True, title__startswith="Sample illustration").first()
    today = timezone.localdate()
    for data in ARTICLES:
        published = data["status"] == ArticleStatus.PUBLISHED
        reviewed_on = today - datetime.timedelta(days=data.get("days_ago", 0)) if published else None
        article, _ = Article.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "language": data["language"],
                "standfirst": data["standfirst"],
                "body": data["body"],
                "status": data["status"],
                "publish_at": timezone.now() - datetime.timedelta(days=data["days_ago"]) if published else None,
                "medical_reviewer": reviewer if published else None,
                "last_reviewed_on": reviewed_on,
                "review_due_on": review_due_date(reviewed_on, data["review_interval_months"]) if reviewed_on else None,
                "review_interval_months": data["review_interval_months"],
                "is_sample": True,
            },
        )
        if data.get("illustrated") and illustration:
            article.lead_image = illustration
        article.store_rendered_body()
        article.save(update_fields=["lead_image", "body_html", "body_toc", "body_html_source"])
        article.conditions.set(Condition.objects.filter(slug__in=data["conditions"]))
        article.treatments.set(Treatment.objects.filter(slug__in=data["treatments"]))
        article.authors.set([author])
        article.references.all().delete()
        for position, (citation, url) in enumerate(data["references"], start=1):
            article.references.create(position=position, citation=citation, url=url)
    # Language versions are linked once every article exists (a source may come later in the list).
    for data in ARTICLES:
        source = Article.objects.get(slug=data["translation_of"]) if data.get("translation_of") else None
        Article.objects.filter(slug=data["slug"]).update(translation_of=source)
    stdout.write(f"Articles: {len(ARTICLES)} sample articles (some published, some in review or draft).")
