"""Pages of the training app."""

from django.urls import include, path

from sciaid.training import views

app_name = "training"
urlpatterns = [
    path("articles/", include("sciaid.training.articles.urls")),
    path("public/", include("sciaid.training.portal.urls")),
    path("", views.EventListView.as_view(), name="event-list"),
    path("new/", views.EventFormView.as_view(), name="event-create"),
    path("mine/", views.MyTrainingsView.as_view(), name="mine"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/edit/", views.EventFormView.as_view(), name="event-edit"),
    path("<int:pk>/do/<str:action>/", views.EventActionView.as_view(), name="event-action"),
    path("<int:pk>/materials/new/", views.MaterialFormView.as_view(), name="material-create"),
    path("materials/<int:pk>/file/", views.MaterialFileView.as_view(), name="material-file"),
    path("materials/<int:pk>/delete/", views.MaterialDeleteView.as_view(), name="material-delete"),
    path("<int:pk>/registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("registrations/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/sign-in/", views.SignInView.as_view(), name="signin"),
    path("<int:pk>/sign-in/walk-in/", views.WalkInView.as_view(), name="walk-in"),
    path("registrations/<int:pk>/tick/", views.TickView.as_view(), name="tick"),
    path("<int:pk>/roster/", views.RosterImportView.as_view(), name="roster-import"),
    path("registrations/<int:pk>/feedback/", views.FeedbackView.as_view(), name="feedback"),
]
