from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/<str:number>/", views.open_case, name="open"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/contact/", views.log_contact, name="log_contact"),
    path("<str:reference>/phase/", views.change_phase, name="change_phase"),
    path("<str:reference>/close/", views.close, name="close"),
    path("<str:reference>/reassign/", views.reassign, name="reassign"),
    path("<str:reference>/shares/", views.shares, name="shares"),
    path("<str:reference>/shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
]
