"""Pages of the training app's portal (included by sciaid.training.urls, names in the "training" namespace)."""

urlpatterns: list = []
