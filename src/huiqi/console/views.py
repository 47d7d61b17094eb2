"""Pages of this app."""

from django.http import Http404


def home(request, **kwargs):
    raise Http404
