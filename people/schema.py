"""schema.org for a person: `Physician` with credentials for doctors, `Person` for editors."""

from images.renditions import largest_url


def person_schema(person, request) -> dict:
    """The JSON-LD object naming this person (articles' `author`/`reviewedBy`, the team page)."""
    data = {
        "@type": "Physician" if person.is_physician else "Person",
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }
    if person.honorific_prefix:
        data["honorificPrefix"] = person.honorific_prefix
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.is_physician and person.specialty_list():
        data["medicalSpecialty"] = person.specialty_list()
    if person.registration:
        data["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "license",
            "name": person.registration,
        }
    if person.languages:
        data["knowsLanguage"] = [code.strip() for code in person.languages.split(",") if code.strip()]
    if person.portrait_id:
        data["image"] = request.build_absolute_uri(largest_url(person.portrait, "square"))
    return data
