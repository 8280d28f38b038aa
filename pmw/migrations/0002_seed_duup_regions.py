from django.db import migrations

# The 18 DUUP regions (decentralisation grant for exit programmes, since 2021), each named
# after its central municipality.
REGIONS = [
    ("alkmaar", "Alkmaar", "Alkmaar"),
    ("almere", "Almere", "Almere"),
    ("amsterdam", "Amsterdam", "Amsterdam"),
    ("apeldoorn", "Apeldoorn", "Apeldoorn"),
    ("arnhem", "Arnhem", "Arnhem"),
    ("assen", "Assen", "Assen"),
    ("den-bosch", "Den Bosch", "'s-Hertogenbosch"),
    ("den-haag", "Den Haag", "Den Haag"),
    ("enschede", "Enschede", "Enschede"),
    ("groningen", "Groningen", "Groningen"),
    ("haarlem", "Haarlem", "Haarlem"),
    ("leeuwarden", "Leeuwarden", "Leeuwarden"),
    ("nijmegen", "Nijmegen", "Nijmegen"),
    ("rotterdam", "Rotterdam", "Rotterdam"),
    ("tilburg", "Tilburg", "Tilburg"),
    ("utrecht", "Utrecht", "Utrecht"),
    ("zaanstad", "Zaanstad", "Zaanstad"),
    ("zwolle", "Zwolle", "Zwolle"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("pmw", "Region")
    Municipality = apps.get_model("pmw", "Municipality")
    for code, name, central in REGIONS:
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
        Municipality.objects.get_or_create(
            name=central, defaults={"region": region, "is_central": True}
        )


class Migration(migrations.Migration):
    dependencies = [("pmw", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
