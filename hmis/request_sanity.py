"""Requests no page can answer, refused before any view or query sees them.

A NUL character cannot be stored in or compared with a PostgreSQL text value, so a
path such as /clients/%00/ used to reach a view's lookup and end in a 500. No URL
of the HMIS contains one: such a path is answered 404, and a query string or a
form-encoded body holding one 400 (a view that reads request.POST directly would
otherwise pass it to a query). API paths get JSON, as every API answer does; JSON
bodies are checked by the API itself (clients/validation.py).
"""

from django.http import Http404, JsonResponse

API_PREFIX = "/api/"


def _has_nul(text: str) -> bool:
    return "\x00" in text


class RequestSanityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith(API_PREFIX)
        if _has_nul(request.path):
            if is_api:
                return JsonResponse({"error": "No such resource."}, status=404)
            raise Http404("No such page.")
        query = request.META.get("QUERY_STRING", "")
        # In a form-encoded body a typed "%" is "%25", so "%00" is always an encoded NUL.
        form_encoded = request.content_type == "application/x-www-form-urlencoded" and request.method == "POST"
        if "%00" in query or _has_nul(query) or (form_encoded and b"%00" in request.body):
            message = "The request holds a NUL character, which no field accepts."
            if is_api:
                return JsonResponse({"error": message}, status=400)
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
