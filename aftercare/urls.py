from django.urls import path

from aftercare import views

app_name = "aftercare"
urlpatterns = [
    path("week/", views.week, name="week"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/count/", views.notification_badge, name="notification_badge"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("<str:reference>/", views.plan, name="plan"),
    path("<str:reference>/start/", views.start, name="start"),
    path("<str:reference>/edit/", views.edit, name="edit"),
    path("<str:reference>/check-in/", views.check_in, name="check_in"),
    path("<str:reference>/signal/", views.signal, name="signal"),
    path("<str:reference>/follow-up/<int:months>/", views.follow_up, name="follow_up"),
]
