from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("courses/<slug:code>/", views.module, name="module"),
    path("user-agreement/", views.user_agreement, name="user_agreement"),
    path("practice/<int:project_type>/<slug:segment>/", views.practice, name="practice"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/people/<int:user_id>/decide/", views.decide, name="decide"),
    path("rights-requests/", views.rights_requests, name="rights_requests"),
    path("client-rights/<str:client_id>/", views.client_rights, name="client_rights"),
    path("client-rights/<str:client_id>/<int:pk>.pdf", views.client_rights_printout, name="client_rights_printout"),
]
