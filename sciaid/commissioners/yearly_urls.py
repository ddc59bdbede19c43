"""Pages of the commissioners' year (allocation rule, appraisal, workstations), included by `urls.py`."""

from django.urls import path

from sciaid.commissioners import workstation_views, yearly_views

urlpatterns = [
    path("allocation/", yearly_views.AllocationRuleListView.as_view(), name="allocation-list"),
    path("allocation/rule/", yearly_views.AllocationRuleFormView.as_view(), name="allocation-create"),
    path("allocation/<int:pk>/", yearly_views.AllocationRuleDetailView.as_view(), name="allocation-rule"),
    path("allocation/<int:pk>/post/", yearly_views.AllocationPostView.as_view(), name="allocation-post"),
    path("appraisals/", yearly_views.AppraisalRubricListView.as_view(), name="appraisal-list"),
    path("appraisals/rubric/", yearly_views.AppraisalRubricFormView.as_view(), name="appraisal-rubric-form"),
    path("appraisals/mine/", yearly_views.MyAppraisalsView.as_view(), name="appraisal-mine"),
    path("appraisals/<int:pk>/", yearly_views.AppraisalRubricDetailView.as_view(), name="appraisal-rubric"),
    path(
        "appraisals/<int:pk>/<slug:action>/",
        yearly_views.AppraisalRubricActionView.as_view(),
        name="appraisal-rubric-action",
    ),
    path("appraisals/sheets/<int:pk>/", yearly_views.AppraisalDetailView.as_view(), name="appraisal-detail"),
    path(
        "appraisals/sheets/<int:pk>/score/",
        yearly_views.AppraisalScoreView.as_view(),
        {"action": "score"},
        name="appraisal-score",
    ),
    path("workstations/", workstation_views.WorkstationListView.as_view(), name="workstation-list"),
    path("workstations/apply/", workstation_views.WorkstationApplyView.as_view(), name="workstation-apply"),
    path("workstations/<int:pk>/", workstation_views.WorkstationDetailView.as_view(), name="workstation-detail"),
    path(
        "workstations/<int:pk>/report/",
        workstation_views.WorkstationActivityView.as_view(),
        name="workstation-report",
    ),
    path(
        "workstations/<int:pk>/<slug:action>/",
        workstation_views.WorkstationActionView.as_view(),
        name="workstation-action",
    ),
]
