"""The small dynamic requests around a static essay page: tokens, confirmation, posting."""

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filmstrip.limits.clients import client_address
from filmstrip.sitesettings.models import current
from filmstrip.stories.models import Story

from . import ownership
from .defence import HONEYPOT_FIELD, Rejected, check_edit_limits, issue_token
from .forms import CommentForm, honeypot
from .identity import reader_for, sign_in_providers
from .models import Comment
from .notifications import comment_for_unsubscribe
from .posting import NewComment, delete_comment, edit_comment, post_comment


def _story(slug):
    story = get_object_or_404(Story.objects.published(), slug=slug)
    if not story.accepts_comments():
        raise Http404("Comments are closed on this essay")
    return story


@never_cache
@require_GET
def form_tokens(request, slug):
    """What the static page's form lacks: tokens, and who the reader is if signed in."""
    story = _story(slug)
    mine = list(ownership.editable(request, story).values_list("pk", flat=True))
    reader = reader_for(request.user)
    return JsonResponse(
        {
            "csrf": get_token(request),
            "token": issue_token(story),
            "editable": mine,
            # Only a name the reader already shows on their comments: never their e-mail.
            "reader": {"name": reader.name, "via": reader.via} if reader else None,
        }
    )


@csrf_exempt  # changes nothing: it only shows the form again, with the tokens it lacked
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, slug):
    """Without JavaScript the static form lands here, to be sent again with its tokens."""
    story = _story(slug)
    if request.method == "POST":
        initial = request.POST.dict()
    else:
        initial = {"parent": request.GET.get("parent", ""), "photo": request.GET.get("photo", "")}
    form = CommentForm(initial={**initial, "token": issue_token(story)})
    return _form_page(request, story, form)


def _form_page(request, story, form, status=200):
    context = {
        "story": story,
        "form": form,
        "honeypot": HONEYPOT_FIELD,
        "reader": reader_for(request.user),
        "providers": sign_in_providers(),
        "require_signin": current().require_signin,
    }
    return render(request, "comments/comment_confirm.html", context, status=status)


@never_cache
@require_POST
def post(request, slug):
    story = _story(slug)
    reader = reader_for(request.user)
    form = CommentForm(request.POST, signed_in=reader is not None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = post_comment(
                story,
                NewComment(
                    name=data["name"],
                    email=data["email"] or "",
                    url=data["url"] or "",
                    body=data["body"],
                    token=data["token"] or "",
                    reader=reader,
                    honeypot=honeypot(request.POST),
                    parent_id=data["parent"],
                    notify_replies=data["notify"],
                    photo_id=data["photo"],
                    earlier=tuple(ownership.owned_ids(request)),
                ),
                ip=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except Rejected as exc:
            form.add_error(None, str(exc))
        else:
            if comment.status == Comment.Status.APPROVED:
                # A URL of its own, so that no cache hands back the page without the comment.
                url = f"{story.get_absolute_url()}?comment={comment.pk}#{comment.anchor}"
                response = redirect(url)
            else:
                response = render(
                    request, "comments/comment_received.html", {"story": story, "comment": comment}
                )
            ownership.remember(response, request, comment)
            return response
    # Whatever went wrong, nothing typed is lost: the form comes back filled in.
    form.data = form.data.copy()
    form.data["token"] = issue_token(story)
    return _form_page(request, story, form, status=400)


@never_cache
@require_GET
def sign_in(request):
    """Choose an account elsewhere to comment with; back to ``next`` afterwards."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    context = {
        "providers": sign_in_providers(),
        "next": next_url,
        "reader": reader_for(request.user),
        "logout": reverse("account_logout"),
    }
    return render(request, "comments/sign_in.html", context)


@never_cache
@require_GET
def unsubscribe(request, token):
    """The one-click link in a reply e-mail: no more e-mails about replies to that comment."""
    comment = comment_for_unsubscribe(token)
    if comment is None:
        return render(request, "comments/unsubscribed.html", {"comment": None}, status=400)
    Comment.objects.filter(pk=comment.pk).update(notify_replies=False)
    return render(request, "comments/unsubscribed.html", {"comment": comment})


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Change or delete one's own comment while the editing window is open."""
    comment = get_object_or_404(ownership.editable(request).select_related("story"), pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        delete_comment(comment)
        return redirect(comment.story.get_absolute_url())
    error = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            check_edit_limits(comment, client_address(request))
            edit_comment(comment, body)
        except Rejected as exc:
            error = str(exc)
            comment.body = body  # shown again, not saved: nothing typed is lost
        else:
            url = comment.story.get_absolute_url()
            return redirect(f"{url}?comment={comment.pk}#{comment.anchor}")
    context = {"comment": comment, "error": error}
    return render(request, "comments/comment_edit.html", context, status=400 if error else 200)
