from django.urls import path, re_path

from . import api

app_name = "api"

urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("clients", api.clients_collection, name="clients"),
    # Before clients/<client_id>, which would take "search" for an ID.
    path("clients/search", api.clients_search, name="clients_search"),
    path("clients/<str:client_id>", api.client_detail, name="client"),
    path("clients/<str:client_id>/consents", api.client_consents, name="client_consents"),
    path("clients/<str:client_id>/consents/revoke", api.client_consents_revoke, name="client_consents_revoke"),
    # Last: any other path under the API is a JSON 404, not the application's HTML page.
    re_path(r"", api.no_such_endpoint, name="no_such_endpoint"),
]
