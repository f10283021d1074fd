from django import forms

from filmstrip.columns import width

from .defence import HONEYPOT_FIELD
from .models import Comment
from .posting import MAX_BODY


class CommentForm(forms.Form):
    name = forms.CharField(max_length=width(Comment, "author_name"), label="Name")
    email = forms.EmailField(
        max_length=width(Comment, "author_email"), label="E-mail (never shown)"
    )
    url = forms.URLField(
        max_length=width(Comment, "author_url"),
        required=False,
        label="Website",
        assume_scheme="https",
    )
    body = forms.CharField(
        max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6}), label="Comment"
    )
    notify = forms.BooleanField(required=False, label="E-mail me replies to my comment")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    photo = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:  # the account says who is writing; whatever was typed is ignored
            for name in ("name", "email", "url"):
                self.fields[name].required = False


def honeypot(data) -> str:
    return data.get(HONEYPOT_FIELD, "")
