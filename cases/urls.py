from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/<str:number>/", views.open_case, name="open"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/timeline/", views.timeline, name="timeline"),
    path("<str:reference>/contact/", views.log_contact, name="log_contact"),
    path("<str:reference>/phase/", views.change_phase, name="change_phase"),
    path("<str:reference>/close/", views.close, name="close"),
    path("<str:reference>/reassign/", views.reassign, name="reassign"),
    path("<str:reference>/shares/", views.shares, name="shares"),
    path("<str:reference>/shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("<str:reference>/needs/new/", views.add_need, name="add_need"),
    path(
        "<str:reference>/needs/suggestion/", views.need_from_suggestion, name="need_from_suggestion"
    ),
    path("<str:reference>/needs/<int:need_id>/status/", views.need_status, name="need_status"),
    path(
        "<str:reference>/needs/<int:need_id>/first-help/",
        views.need_first_help,
        name="need_first_help",
    ),
    path("<str:reference>/assessments/new/", views.add_assessment, name="add_assessment"),
]
