import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_client_municipality(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Client = apps.get_model("profiles", "Client")
    Case.objects.update(
        municipality_id=Subquery(
            Client.objects.filter(pk=OuterRef("client_id")).values("municipality_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_monitoring_period_indexes"),
        ("pmw", "0004_access_log_append_only"),
        ("profiles", "0005_client_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pmw.municipality",
                db_index=False,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["municipality", "id"], name="case_municipality"),
        ),
        migrations.RunPython(copy_client_municipality, migrations.RunPython.noop),
    ]
