from django.contrib import admin
from django.contrib.auth import views as django_auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from pmw import auth_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", django_auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", django_auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", auth_views.otp_verify, name="otp_verify"),
    path("accounts/2fa/setup/", auth_views.otp_setup, name="otp_setup"),
    path("accounts/2fa/reset/", auth_views.otp_reset, name="otp_reset"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("clients/", include("profiles.urls")),
    path("cases/", include("cases.urls")),
    path("beheer/", include("pmw.urls_beheer")),
    path("partners/", include("partners.urls")),
    path("aftercare/", include("aftercare.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("admin/", admin.site.urls),
]
