"""The training app's pages, by sub-domain: `events` (plan, run, materials), `attendance` (registrations, the
sign-in list, paper sheets, ratings), `reports` (one's own trainings, statistics)."""

from sciaid.training.views.attendance import (
    FeedbackView,
    RegisterView,
    RegistrationListView,
    RosterImportView,
    SignInView,
    TickView,
    WalkInView,
    WithdrawView,
)
from sciaid.training.views.events import (
    EventActionView,
    EventDetailView,
    EventFormView,
    EventListView,
    MaterialDeleteView,
    MaterialFileView,
    MaterialFormView,
)
from sciaid.training.views.reports import MyTrainingsView, StatisticsView

__all__ = [
    "EventActionView",
    "EventDetailView",
    "EventFormView",
    "EventListView",
    "FeedbackView",
    "MaterialDeleteView",
    "MaterialFileView",
    "MaterialFormView",
    "MyTrainingsView",
    "RegisterView",
    "RegistrationListView",
    "RosterImportView",
    "SignInView",
    "StatisticsView",
    "TickView",
    "WalkInView",
    "WithdrawView",
]
