"""The monitoring home, the definitions page, the home redirect and the URL rules."""

import os
import subprocess
import sys

import pytest
from django.urls import get_resolver, reverse
from django.utils.html import escape

from monitoring import urls as monitoring_urls


def test_no_monitoring_url_takes_a_client_or_case_reference():
    for pattern in monitoring_urls.urlpatterns:
        names = set(pattern.pattern.converters)
        assert names <= {"code", "table", "reference"}, pattern
        if "reference" in names:
            # Only the outreach pages take a reference: a session's, never a case's.
            assert pattern.name.startswith("outreach_")


def test_dashboard_pages_ignore_client_and_case_parameters(municipal, case, as_user):
    response = as_user(municipal).get(
        reverse("monitoring:region", args=["amsterdam"]),
        {"client": case.client.number, "case": case.reference},
    )
    assert response.status_code == 200
    # The language switcher repeats the typed address; nothing else may.
    page = response.content.decode().replace(escape(response.wsgi_request.get_full_path()), "")
    assert case.client.working_name not in page
    assert case.client.number not in page
    assert case.reference not in page


def test_municipal_home_goes_to_the_regional_dashboard(municipal, as_user):
    response = as_user(municipal).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("monitoring:region", args=["amsterdam"])


def test_navbar_links_for_municipal_and_coordinator(municipal, coordinator, as_user):
    page = as_user(municipal).get(reverse("monitoring:definitions")).content.decode()
    assert reverse("monitoring:region", args=["amsterdam"]) in page
    assert reverse("monitoring:national") in page
    page = as_user(coordinator).get(reverse("monitoring:definitions")).content.decode()
    assert reverse("monitoring:home") in page
    assert reverse("monitoring:outreach_list") in page


def test_coordinator_monitoring_home_lists_the_organisation_regions(coordinator, as_user):
    response = as_user(coordinator).get(reverse("monitoring:home"))
    assert response.status_code == 200
    assert reverse("monitoring:region", args=["amsterdam"]) in response.content.decode()


def test_municipal_monitoring_home_redirects(municipal, as_user):
    response = as_user(municipal).get(reverse("monitoring:home"))
    assert response.url == reverse("monitoring:region", args=["amsterdam"])


@pytest.mark.parametrize("who", ["worker", "org_admin"])
def test_monitoring_home_is_404_for_others(request, who, as_user):
    assert as_user(request.getfixturevalue(who)).get(reverse("monitoring:home")).status_code == 404


@pytest.mark.parametrize("who", ["worker", "coordinator", "org_admin", "municipal"])
def test_definitions_for_everyone_logged_in(request, who, as_user):
    page = as_user(request.getfixturevalue(who)).get(reverse("monitoring:definitions"))
    text = page.content.decode()
    for term in [
        "Bereikt",
        "Intake",
        "Uitval",
        "Duurzaam resultaat",
        "Tijd tot eerste concrete hulp",
    ]:
        assert term in text


def test_definitions_not_for_anonymous(client):
    assert client.get(reverse("monitoring:definitions")).status_code == 302


def test_no_victim_label_in_monitoring_templates():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "templates", "monitoring")
    for name in os.listdir(root):
        with open(os.path.join(root, name), encoding="utf-8") as fh:
            text = fh.read().lower()
        assert "slachtoffer" not in text, name


def test_threshold_below_five_stops_the_app():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "pmw.settings",
            "DEBUG": "true",
            "MONITORING_SUPPRESSION_THRESHOLD": "4",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "MONITORING_SUPPRESSION_THRESHOLD" in result.stderr


def test_every_monitoring_url_is_named_in_the_app_namespace():
    assert "monitoring" in get_resolver().namespace_dict
