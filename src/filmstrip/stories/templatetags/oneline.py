"""{% oneline %}…{% endoneline %}: markup written on several indented lines, rendered as one.

Inside the block, each line break in the template's own text goes, with the indentation after
it; nothing else changes (not the values put in, not the spaces within a line). A space the
output needs at a break is written as ``{{ " " }}`` at the start of the next line, never as a
line's last character, which editors strip. The work is done once, when the template is
compiled: rendering costs nothing more. Unlike {% spaceless %}, it keeps the bytes a page had
when it was written on one long line.
"""

import re

from django import template
from django.template.base import TextNode

register = template.Library()

_BREAK = re.compile(r"\n[ \t]*")


class OnelineNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def oneline(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% oneline %} takes no arguments")
    nodelist = parser.parse(("endoneline",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(TextNode):
        node.s = _BREAK.sub("", node.s)
    return OnelineNode(nodelist)
