"""Invented people for the demo team, with drawn portraits (sample data: nobody real).

The articles demo links the sample reviewer and author accounts to the first two.
"""

from django.utils import timezone

from editorial.models import EditorialStatus
from images.demo import sample_image
from images.drawing import portrait_drawing
from people.models import Person, PersonRole

PEOPLE = [
    {
        "slug": "jonas-muster",
        "name": "Jonas Muster",
        "honorific_prefix": "Dr. med.",
        "role": PersonRole.PHYSICIAN,
        "job_title_en": "Specialist in nuclear medicine (sample person)",
        "job_title_de": "Facharzt für Nuklearmedizin (Beispielperson)",
        "job_title_ru": "Врач-специалист по ядерной медицине (пример)",
        "specialties_en": "Nuclear medicine, Neuroendocrine tumours",
        "specialties_de": "Nuklearmedizin, Neuroendokrine Tumoren",
        "specialties_ru": "Ядерная медицина, нейроэндокринные опухоли",
        "languages": "de, en",
        "registration": "Approbation (sample entry; this person is invented)",
        "biography_en": "An invented doctor who shows how the portal presents its medical reviewers.",
        "biography_de": "Ein erfundener Arzt, an dem sich zeigt, wie das Portal seine medizinischen Prüfer vorstellt.",
        "biography_ru": "Вымышленный врач: пример того, как портал представляет медицинских рецензентов.",
        "portrait_alt": (
            "Drawn portrait placeholder for Dr. Jonas Muster",
            "Gezeichneter Platzhalter für das Porträt von Dr. Jonas Muster",
            "Нарисованный заменитель портрета д-ра Йонаса Мустера",
        ),
    },
    {
        "slug": "lena-beispiel",
        "name": "Lena Beispiel",
        "honorific_prefix": "",
        "role": PersonRole.EDITOR,
        "job_title_en": "Medical editor (sample person)",
        "job_title_de": "Medizinredakteurin (Beispielperson)",
        "job_title_ru": "Медицинский редактор (пример)",
        "specialties_en": "",
        "specialties_de": "",
        "specialties_ru": "",
        "languages": "de, en, ru",
        "registration": "",
        "biography_en": "An invented editor who writes the sample articles in plain language.",
        "biography_de": "Eine erfundene Redakteurin, die die Beispielartikel in einfacher Sprache schreibt.",
        "biography_ru": "Вымышленный редактор, который пишет примерные статьи простым языком.",
        "portrait_alt": (
            "Drawn portrait placeholder for Lena Beispiel",
            "Gezeichneter Platzhalter für das Porträt von Lena Beispiel",
            "Нарисованный заменитель портрета Лены Бейшпиль",
        ),
    },
    {
        "slug": "irina-probe",
        "name": "Irina Probe",
        "honorific_prefix": "Prof. Dr. med.",
        "role": PersonRole.PHYSICIAN,
        "job_title_en": "Specialist in radiation oncology (sample person)",
        "job_title_de": "Fachärztin für Strahlentherapie (Beispielperson)",
        "job_title_ru": "Врач-радиотерапевт (пример)",
        "specialties_en": "Radiation oncology",
        "specialties_de": "Strahlentherapie",
        "specialties_ru": "Лучевая терапия",
        "languages": "de, ru, en",
        "registration": "Approbation (sample entry; this person is invented)",
        "biography_en": "An invented doctor who answers the Russian-speaking patients' questions in the demo.",
        "biography_de": "Eine erfundene Ärztin, die in der Demo die Fragen russischsprachiger Patienten beantwortet.",
        "biography_ru": "Вымышленный врач, который в демо отвечает на вопросы русскоязычных пациентов.",
        "portrait_alt": (
            "Drawn portrait placeholder for Prof. Dr. Irina Probe",
            "Gezeichneter Platzhalter für das Porträt von Prof. Dr. Irina Probe",
            "Нарисованный заменитель портрета проф. д-ра Ирины Пробе",
        ),
    },
]


def load(*, stdout):
    for data in PEOPLE:
        fields = dict(data)
        alt_en, alt_de, alt_ru = fields.pop("portrait_alt")
        initials = "".join(part[0] for part in data["name"].split())
        portrait = sample_image(
            f"Sample portrait drawing: {data['name']}",
            draw=lambda initials=initials, seed=data["slug"]: portrait_drawing(initials, seed=seed),
            alt_text_en=alt_en,
            alt_text_de=alt_de,
            alt_text_ru=alt_ru,
            focal_x=50,
            focal_y=35,
        )
        person = Person.objects.filter(slug=data["slug"]).first() or Person(slug=data["slug"])
        for name, value in fields.items():
            setattr(person, name, value)
        person.portrait, person.is_sample, person.is_listed = portrait, True, True
        # Published directly, as reviewed sample data (the workflow logs no step for the demo).
        if person.status != EditorialStatus.PUBLISHED or person.publish_at is None:
            person.status, person.publish_at = EditorialStatus.PUBLISHED, timezone.now()
        person._change_reason = "demo content"
        person.save()
    stdout.write(f"People: {len(PEOPLE)} invented team members with drawn portraits.")
