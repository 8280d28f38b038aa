from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.partner_edit, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("contact-options/", views.contact_options, name="contact_options"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.add_contact, name="add_contact"),
    path("<int:pk>/agreements/new/", views.add_agreement, name="add_agreement"),
    path("referrals/queue/", views.queue, name="queue"),
    path("referrals/<str:reference>/", views.referral_detail, name="referral"),
    path("referrals/<str:reference>/assign/", views.assign_referral, name="assign"),
    path("referrals/<str:reference>/approve/", views.approve_referral, name="approve"),
    path("referrals/<str:reference>/move/", views.move_referral, name="move"),
    path("referrals/<str:reference>/decline/", views.decline_referral, name="decline"),
    path("case/<str:reference>/referral/", views.request_referral, name="request_referral"),
    path("case/<str:reference>/consent/", views.add_consent, name="add_consent"),
    path(
        "case/<str:reference>/consent/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("case/<str:reference>/transfer/", views.propose_transfer, name="propose_transfer"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<str:reference>/", views.decide_transfer, name="decide_transfer"),
]
