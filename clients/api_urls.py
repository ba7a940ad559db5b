from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("clients", api.clients_collection, name="clients"),
    path("clients/<str:client_id>", api.client_detail, name="client"),
    path("clients/<str:client_id>/consents", api.client_consents, name="client_consents"),
    path("clients/<str:client_id>/consents/revoke", api.client_consents_revoke, name="client_consents_revoke"),
]
