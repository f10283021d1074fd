"""The small dynamic requests around a static essay page: tokens, confirmation, posting."""

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filmstrip.stories.models import Story

from . import ownership
from .defence import HONEYPOT_FIELD, Rejected, issue_token
from .forms import CommentForm, honeypot
from .models import Comment
from .notifications import comment_for_unsubscribe
from .posting import GuestComment, delete_comment, edit_comment, post_comment


def _story(slug):
    story = get_object_or_404(Story.objects.published(), slug=slug)
    if not story.accepts_comments():
        raise Http404("Comments are closed on this essay")
    return story


@never_cache
@require_GET
def form_tokens(request, slug):
    """What the static page's form lacks: a CSRF token and a signed timestamp."""
    story = _story(slug)
    mine = list(ownership.editable(request, story).values_list("pk", flat=True))
    return JsonResponse({"csrf": get_token(request), "token": issue_token(story), "editable": mine})


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
    return render(
        request,
        "comments/comment_confirm.html",
        {"story": story, "form": form, "honeypot": HONEYPOT_FIELD},
    )


@never_cache
@require_POST
def post(request, slug):
    story = _story(slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = post_comment(
                story,
                GuestComment(
                    name=data["name"],
                    email=data["email"],
                    url=data["url"] or "",
                    body=data["body"],
                    token=data["token"] or "",
                    honeypot=honeypot(request.POST),
                    parent_id=data["parent"],
                    notify_replies=data["notify"],
                    photo_id=data["photo"],
                ),
                ip=request.META.get("REMOTE_ADDR"),
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
    return render(
        request,
        "comments/comment_confirm.html",
        {"story": story, "form": form, "honeypot": HONEYPOT_FIELD},
        status=400,
    )


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
        try:
            edit_comment(comment, request.POST.get("body", ""))
        except Rejected as exc:
            error = str(exc)
        else:
            url = comment.story.get_absolute_url()
            return redirect(f"{url}?comment={comment.pk}#{comment.anchor}")
    context = {"comment": comment, "error": error}
    return render(request, "comments/comment_edit.html", context, status=400 if error else 200)
