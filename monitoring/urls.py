from django.urls import path

from monitoring import views

# No URL here takes a client number or a case reference: these pages never show a person.
app_name = "monitoring"
urlpatterns = [
    path("", views.monitoring_home, name="home"),
    path("definities/", views.definitions, name="definitions"),
    path("landelijk/", views.national_dashboard, name="national"),
    path("landelijk/<slug:table>.csv", views.national_csv, name="national_csv"),
    path("regio/<slug:code>/", views.region_dashboard, name="region"),
    path("regio/<slug:code>/<slug:table>.csv", views.region_csv, name="region_csv"),
    path("outreach/", views.outreach_list, name="outreach_list"),
    path("outreach/nieuw/", views.outreach_create, name="outreach_create"),
    path("outreach/<slug:reference>/wijzigen/", views.outreach_edit, name="outreach_edit"),
    path("outreach/<slug:reference>/verwijderen/", views.outreach_delete, name="outreach_delete"),
]
