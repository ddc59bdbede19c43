"""Pages of the market app, under /market/."""

from django.urls import path

from sciaid.market import views

app_name = "market"
urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/place/", views.CartPlaceView.as_view(), name="cart-place"),
    path("cart/<int:pk>/", views.CartAddView.as_view(), name="cart-add"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier-list"),
    path("suppliers/new/", views.SupplierFormView.as_view(), name="supplier-create"),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier-detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierFormView.as_view(), name="supplier-edit"),
    path("suppliers/<int:pk>/certificates/new/", views.CertificateFormView.as_view(), name="certificate-create"),
    path("suppliers/<int:pk>/households/new/", views.BeneficiaryFormView.as_view(), name="beneficiary-create"),
    path("suppliers/<int:pk>/products/new/", views.ProductCreateView.as_view(), name="product-create"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate-list"),
    path("certificates/<int:pk>/do/<str:action>/", views.CertificateStepView.as_view(), name="certificate-action"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("products/<int:pk>/edit/", views.ProductFormView.as_view(), name="product-edit"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/delete/", views.ProductPhotoDeleteView.as_view(), name="photo-delete"),
    path("photos/<int:pk>/first/", views.ProductPhotoFirstView.as_view(), name="photo-first"),
    path("products/<int:pk>/do/<str:action>/", views.ProductStepView.as_view(), name="product-action"),
    path("orders/", views.OrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:pk>/do/<str:action>/", views.OrderStepView.as_view(), name="order-action"),
    path("orders/<int:pk>/pay/", views.PaymentFormView.as_view(), name="payment-create"),
    path("payments/<int:pk>/voucher/", views.VoucherView.as_view(), name="voucher"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment-reverse"),
    path("buyers/", views.BuyerListView.as_view(), name="buyer-list"),
    path("buyers/new/", views.BuyerFormView.as_view(), name="buyer-create"),
    path("buyers/<int:pk>/", views.BuyerDetailView.as_view(), name="buyer-detail"),
    path("buyers/<int:pk>/edit/", views.BuyerFormView.as_view(), name="buyer-edit"),
    path("buyers/<int:pk>/quota/", views.QuotaFormView.as_view(), name="quota-set"),
    path("quotas/", views.QuotaListView.as_view(), name="quota-list"),
]
