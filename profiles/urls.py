from django.urls import path

from profiles import views

app_name = "profiles"
urlpatterns = [
    path("new/", views.register, name="register"),
    path("break-glass/", views.break_glass_list, name="break_glass_list"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/edit/", views.edit, name="edit"),
    path("<str:number>/break-glass/", views.break_glass, name="break_glass"),
    path("<str:number>/blocks/", views.blocks, name="blocks"),
    path("<str:number>/access-log.csv", views.access_log_export, name="access_log_export"),
    path("<str:number>/export/", views.export_page, name="export"),
    path("<str:number>/export.json", views.export_json, name="export_json"),
    path("<str:number>/anonymise/", views.anonymise, name="anonymise"),
    path("<str:number>/blocks/<int:pk>/remove/", views.block_remove, name="block_remove"),
]
