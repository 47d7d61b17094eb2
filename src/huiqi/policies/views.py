"""Pages of this app."""

from django.http import Http404


def list(request, **kwargs):
    raise Http404
