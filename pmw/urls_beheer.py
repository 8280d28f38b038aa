from django.urls import path

from pmw import views

app_name = "beheer"
urlpatterns = [
    path("gebruikers/", views.user_list, name="users"),
    path("gebruikers/nieuw/", views.user_create_page, name="user_create"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path("gebruikers/<int:pk>/deactiveren/", views.user_deactivate_view, name="user_deactivate"),
    path("toegangslog/", views.access_log, name="access_log"),
]
