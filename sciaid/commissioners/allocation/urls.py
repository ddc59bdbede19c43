"""Pages of the allocation rule (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.allocation import views

urlpatterns = [
    path("allocation/", views.AllocationRuleListView.as_view(), name="allocation-list"),
    path("allocation/rule/", views.AllocationRuleFormView.as_view(), name="allocation-create"),
    path("allocation/<int:pk>/", views.AllocationRuleDetailView.as_view(), name="allocation-rule"),
    path("allocation/<int:pk>/post/", views.AllocationPostView.as_view(), {"action": "post"}, name="allocation-post"),
]
