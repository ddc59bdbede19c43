"""Pages of the training app's articles (included by sciaid.training.urls, names in the "training" namespace)."""

urlpatterns: list = []
