"""Sample conditions and treatments (sample data written for this portal), in every site language."""

from taxonomy.models import Condition, Treatment

CONDITIONS = [
    (
        "neuroendocrine-tumour",
        "Neuroendocrine tumour (NET)",
        "Neuroendokriner Tumor (NET)",
        "Tumours that grow from hormone-producing cells, most often in the bowel, pancreas or lung.",
        "Tumoren aus hormonbildenden Zellen, meist in Darm, Bauchspeicheldrüse oder Lunge.",
    ),
    (
        "lung-cancer",
        "Lung cancer",
        "Lungenkrebs",
        "Cancer that starts in the lung; treatment depends on its type and stage.",
        "Krebs, der in der Lunge entsteht; die Behandlung richtet sich nach Typ und Stadium.",
    ),
    (
        "gastrointestinal-cancer",
        "Gastrointestinal cancer",
        "Krebs des Verdauungstrakts",
        "Cancers of the oesophagus, stomach, bowel, liver or pancreas.",
        "Krebs von Speiseröhre, Magen, Darm, Leber oder Bauchspeicheldrüse.",
    ),
    (
        "breast-cancer",
        "Breast cancer",
        "Brustkrebs",
        "The most common cancer in women; also occurs, rarely, in men.",
        "Die häufigste Krebserkrankung bei Frauen; selten auch bei Männern.",
    ),
    (
        "prostate-cancer",
        "Prostate cancer",
        "Prostatakrebs",
        "Cancer of the prostate gland, often slow-growing and sometimes treated with radionuclides.",
        "Krebs der Prostata, oft langsam wachsend, teils mit Radionukliden behandelt.",
    ),
]

TREATMENTS = [
    (
        "surgery",
        "Surgery",
        "Operation",
        "Removing the tumour, and where needed nearby lymph nodes or metastases, in an operation.",
        "Entfernung des Tumors und bei Bedarf benachbarter Lymphknoten oder Metastasen.",
    ),
    (
        "chemotherapy",
        "Chemotherapy",
        "Chemotherapie",
        "Medicines that kill dividing cells, given as infusions or tablets in cycles.",
        "Medikamente, die sich teilende Zellen abtöten, als Infusion oder Tablette in Zyklen.",
    ),
    (
        "targeted-therapy",
        "Targeted therapy",
        "Zielgerichtete Therapie",
        "Medicines aimed at a specific feature of the tumour cells, such as a growth signal.",
        "Medikamente, die gezielt an einem Merkmal der Tumorzellen ansetzen.",
    ),
    (
        "somatostatin-analogues",
        "Somatostatin analogues",
        "Somatostatin-Analoga",
        "Injections that slow many neuroendocrine tumours and ease hormone symptoms.",
        "Spritzen, die viele neuroendokrine Tumoren bremsen und Hormonbeschwerden lindern.",
    ),
    (
        "lutetium-177-prrt",
        "Lutetium-177 radionuclide therapy (PRRT)",
        "Lutetium-177-Radionuklidtherapie (PRRT)",
        "A radioactive medicine that binds to tumour cells carrying somatostatin receptors.",
        "Ein radioaktives Medikament, das an Tumorzellen mit Somatostatin-Rezeptoren bindet.",
    ),
    (
        "radiotherapy",
        "Radiotherapy",
        "Strahlentherapie",
        "High-energy radiation aimed at the tumour from outside the body.",
        "Energiereiche Strahlung, die von außen auf den Tumor gerichtet wird.",
    ),
    (
        "immunotherapy",
        "Immunotherapy",
        "Immuntherapie",
        "Medicines that help the body's immune system recognise and attack cancer cells.",
        "Medikamente, die dem Immunsystem helfen, Krebszellen zu erkennen und anzugreifen.",
    ),
]


# slug → (Russian name, Russian description)
RUSSIAN = {
    "neuroendocrine-tumour": (
        "Нейроэндокринная опухоль (НЭО)",
        "Опухоли из клеток, вырабатывающих гормоны, чаще всего в кишечнике, поджелудочной железе или лёгких.",
    ),
    "lung-cancer": ("Рак лёгкого", "Рак, который начинается в лёгком; лечение зависит от его типа и стадии."),
    "gastrointestinal-cancer": (
        "Рак органов пищеварения",
        "Рак пищевода, желудка, кишечника, печени или поджелудочной железы.",
    ),
    "breast-cancer": ("Рак молочной железы", "Самый частый рак у женщин; редко встречается и у мужчин."),
    "prostate-cancer": (
        "Рак предстательной железы",
        "Рак предстательной железы часто растёт медленно; иногда его лечат радионуклидами.",
    ),
    "surgery": ("Операция", "Удаление опухоли, а при необходимости и соседних лимфатических узлов или метастазов."),
    "chemotherapy": (
        "Химиотерапия",
        "Лекарства, убивающие делящиеся клетки; их дают курсами, капельно или в таблетках.",
    ),
    "targeted-therapy": (
        "Таргетная терапия",
        "Лекарства, направленные на особое свойство опухолевых клеток, например на сигнал роста.",
    ),
    "somatostatin-analogues": (
        "Аналоги соматостатина",
        "Уколы, которые замедляют рост многих нейроэндокринных опухолей и облегчают гормональные симптомы.",
    ),
    "lutetium-177-prrt": (
        "Радионуклидная терапия лютецием-177 (PRRT)",
        "Радиоактивное лекарство, которое связывается с опухолевыми клетками, несущими рецепторы соматостатина.",
    ),
    "radiotherapy": ("Лучевая терапия", "Излучение высокой энергии, направленное на опухоль снаружи."),
    "immunotherapy": (
        "Иммунотерапия",
        "Лекарства, которые помогают иммунной системе распознавать и атаковать раковые клетки.",
    ),
}


def load(*, stdout):
    for model, rows in ((Condition, CONDITIONS), (Treatment, TREATMENTS)):
        for slug, name_en, name_de, description_en, description_de in rows:
            name_ru, description_ru = RUSSIAN[slug]
            model.objects.update_or_create(
                slug=slug,
                defaults={
                    "name_en": name_en,
                    "name_de": name_de,
                    "name_ru": name_ru,
                    "description_en": description_en,
                    "description_de": description_de,
                    "description_ru": description_ru,
                },
            )
    stdout.write(f"Taxonomy: {len(CONDITIONS)} conditions, {len(TREATMENTS)} treatments.")
