"""Pages of this app."""

from django.http import Http404


def mine(request, **kwargs):
    raise Http404
