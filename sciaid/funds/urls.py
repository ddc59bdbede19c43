"""Pages of the funds app."""

from django.urls import path

from sciaid.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.LedgerView.as_view(), name="ledger"),
    path("budgets/new/", views.BudgetFormView.as_view(), name="budget-create"),
    path("budgets/<int:pk>/", views.BudgetDetailView.as_view(), name="budget-detail"),
    path("budgets/<int:pk>/allocate/", views.AllocateView.as_view(), name="budget-allocate"),
    path("budgets/<int:pk>/spend/", views.BudgetSpendView.as_view(), name="budget-spend"),
    path("allocations/<int:pk>/", views.AllocationDetailView.as_view(), name="allocation-detail"),
    path("allocations/<int:pk>/spend/", views.SpendView.as_view(), name="allocation-spend"),
    path("allocations/<int:pk>/reverse/", views.ReverseAllocationView.as_view(), name="allocation-reverse"),
    path("statements/<int:ct>/<int:object_id>/", views.StatementView.as_view(), name="statement"),
    path("expenditures/", views.ExpenditureListView.as_view(), name="expenditure-list"),
    path("expenditures/import/", views.ExpenditureImportView.as_view(), name="expenditure-import"),
    path("expenditures/<int:pk>/", views.ExpenditureDetailView.as_view(), name="expenditure-detail"),
    path("expenditures/<int:pk>/reverse/", views.ReverseExpenditureView.as_view(), name="expenditure-reverse"),
    path("expenditures/<int:pk>/voucher/", views.VoucherUploadView.as_view(), name="expenditure-voucher"),
    path("expenditures/<int:pk>/voucher/file/", views.VoucherView.as_view(), name="voucher-file"),
    path("sources/", views.FundSourceListView.as_view(), name="source-list"),
    path("sources/new/", views.FundSourceFormView.as_view(), name="source-create"),
    path("sources/<int:pk>/edit/", views.FundSourceFormView.as_view(), name="source-edit"),
]
