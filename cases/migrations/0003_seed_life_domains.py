from django.db import migrations

# Stable codes: monitoring groups on them for years, so a code never changes meaning.
LIFE_DOMAINS = [
    ("housing", "Wonen", "Housing"),
    ("work_income", "Passend werk en inkomen", "Work and income"),
    ("education_language", "Onderwijs, (om)scholing en taal", "Education and language"),
    ("debt", "Schulden en budgetbeheer", "Debt and budgeting"),
    ("norms_network", "Normen, gedrag en netwerk", "Norms, behaviour and network"),
    ("care_physical", "Zorg: lichamelijke gezondheid", "Care: physical health"),
    ("care_mental", "Zorg: psychische gezondheid", "Care: mental health"),
    ("care_addiction", "Zorg: verslaving", "Care: addiction"),
    ("safety", "Veiligheid", "Safety"),
    ("meaning", "Zingeving", "Meaning"),
    ("repatriation", "Repatriëring", "Repatriation"),
]


def seed(apps, schema_editor):
    LifeDomain = apps.get_model("cases", "LifeDomain")
    for position, (code, name_nl, name_en) in enumerate(LIFE_DOMAINS, start=1):
        LifeDomain.objects.get_or_create(
            code=code, defaults={"name_nl": name_nl, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_relations")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
