"""Pages of this app."""

from django.http import Http404


def inbox(request, **kwargs):
    raise Http404
