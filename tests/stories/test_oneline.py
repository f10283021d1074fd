"""{% oneline %}: templates written on readable lines, rendered to the bytes of one long line."""

from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

import filmstrip

TEMPLATES = Path(filmstrip.__file__).parent / "templates" / "stories"
LONGEST = 120


def render(source: str, **context) -> str:
    return Template("{% load oneline %}" + source).render(Context(context))


def test_line_breaks_and_their_indentation_go_inside_the_block_only():
    source = """<p>
{% oneline %}
  <a href="{{ url }}">
    {% if name %}
      {{ name }}
    {% endif %}
  </a>{% for n in numbers %}
    <i>{{ n }}</i>{% endfor %}
{% endoneline %}
</p>"""
    page = render(source, url="/x/", name="Ann", numbers=[1, 2])
    assert page == '<p>\n<a href="/x/">Ann</a><i>1</i><i>2</i>\n</p>'


def test_values_and_spaces_within_a_line_are_kept():
    source = '{% oneline %}\n  By <b>{{ who }}</b>,\n  {{ " " }}{{ when }} ·\n{% endoneline %}'
    assert render(source, who="A\n  B", when="today") == "By <b>A\n  B</b>, today ·"


def test_it_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        render("{% oneline now %}{% endoneline %}")


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_the_essay_templates_have_readable_lines(template):
    long = [
        (number, len(line))
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > LONGEST
    ]
    assert not long, f"{template.name}: lines longer than {LONGEST} characters: {long}"
