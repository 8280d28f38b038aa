from django.db import migrations

# Our own short, neutral descriptions: the official matrix texts are not copied (their licence is
# not verified). An administrator can edit names and descriptions in the admin.
DOMAINS_2017 = [
    ("finances", "Financiën", "Inkomen, vaste lasten en schulden: is er genoeg rust in de geldzaken?"),
    ("work_education", "Werk en opleiding", "Betaald werk, een opleiding of een plan daarvoor."),
    ("time_use", "Tijdsbesteding", "Een dagindeling die de persoon zelf zinvol vindt."),
    ("housing", "Huisvesting", "Een vaste, veilige en betaalbare plek om te wonen."),
    ("domestic_relations", "Huiselijke relaties", "Relaties met partner, kinderen en huisgenoten."),
    ("mental_health", "Geestelijke gezondheid", "Hoe het psychisch gaat en of er passende zorg is."),
    ("physical_health", "Lichamelijke gezondheid", "Lichamelijke klachten en toegang tot zorg."),
    ("substance_use", "Middelengebruik", "Gebruik van alcohol, drugs of medicijnen en de gevolgen."),
    ("basic_adl", "Basale ADL", "Zelf eten, zich verzorgen en kleden."),
    ("instrumental_adl", "Instrumentele ADL", "Huishouden, boodschappen, post en afspraken regelen."),
    ("social_network", "Sociaal netwerk", "Mensen op wie de persoon kan terugvallen."),
    ("participation", "Maatschappelijke participatie", "Meedoen in buurt, vereniging of vrijwilligerswerk."),
    ("justice", "Justitie", "Contact met politie of justitie, lopende zaken."),
]
DOMAINS_2013 = [
    ("finances", "Financiën", "Inkomen, vaste lasten en schulden: is er genoeg rust in de geldzaken?"),
    ("daytime_activities", "Dagbesteding", "Werk, opleiding of een andere zinvolle dagindeling."),
    ("housing", "Huisvesting", "Een vaste, veilige en betaalbare plek om te wonen."),
    ("domestic_relations", "Huiselijke relaties", "Relaties met partner, kinderen en huisgenoten."),
    ("mental_health", "Geestelijke gezondheid", "Hoe het psychisch gaat en of er passende zorg is."),
    ("physical_health", "Lichamelijke gezondheid", "Lichamelijke klachten en toegang tot zorg."),
    ("addiction", "Verslaving", "Gebruik van middelen en de gevolgen daarvan."),
    ("adl", "ADL-vaardigheden", "Zichzelf en het huishouden redden."),
    ("social_network", "Sociaal netwerk", "Mensen op wie de persoon kan terugvallen."),
    ("participation", "Maatschappelijke participatie", "Meedoen in buurt, vereniging of vrijwilligerswerk."),
    ("justice", "Justitie", "Contact met politie of justitie, lopende zaken."),
]
VERSIONS = [
    ("zrm-2013", "Zelfredzaamheid, 11 domeinen", False, DOMAINS_2013),
    ("zrm-2017", "Zelfredzaamheid, 13 domeinen (2017)", True, DOMAINS_2017),
]


def seed(apps, schema_editor):
    MatrixVersion = apps.get_model("cases", "MatrixVersion")
    AssessmentDomain = apps.get_model("cases", "AssessmentDomain")
    for code, name, is_current, domains in VERSIONS:
        version, _ = MatrixVersion.objects.get_or_create(
            code=code, defaults={"name": name, "is_current": is_current}
        )
        for position, (domain_code, domain_name, description) in enumerate(domains, start=1):
            AssessmentDomain.objects.get_or_create(
                version=version,
                code=domain_code,
                defaults={"name": domain_name, "description": description, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_assessments")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
