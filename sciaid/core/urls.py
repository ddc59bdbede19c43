from django.urls import path

from sciaid.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.AuditLogView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", views.AuditEntryView.as_view(), name="audit-detail"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/result/", views.JobResultView.as_view(), name="job-result"),
    path("calendar/", views.WorkCalendarView.as_view(), name="calendar"),
    path("calendar/new/", views.CalendarDayFormView.as_view(), name="calendar-day-create"),
    path("calendar/fill/", views.CalendarFillView.as_view(), name="calendar-fill"),
    path("calendar/<int:pk>/edit/", views.CalendarDayFormView.as_view(), name="calendar-day-edit"),
    path("calendar/<int:pk>/delete/", views.CalendarDayDeleteView.as_view(), name="calendar-day-delete"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
]
