from django.urls import path

from profiles import views

app_name = "profiles"
urlpatterns = [
    path("new/", views.register, name="register"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/edit/", views.edit, name="edit"),
]
