from django.core.management import call_command
from django.urls import reverse

from monitoring.models import OutreachSession
from pmw.models import User


def test_demo_has_outreach_once_and_a_working_dashboard(db, as_user):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = OutreachSession.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutreachSession.objects.count() == count == 72
    municipal = User.objects.get(username="demo-gemeente-amsterdam")
    response = as_user(municipal).get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.context["dashboard"].tables["outreach_people"].footer[1].isdigit()
