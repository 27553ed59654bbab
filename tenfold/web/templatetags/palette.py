"""`{% palette_dialogs %}`: the shortcuts sheet and the command palette at the end of every
page of an organization, kept per organization and language (`tenfold.web.palette`)."""

from __future__ import annotations

from django import template

register = template.Library()


class DialogsNode(template.Node):
    def render(self, context: template.Context) -> str:
        from tenfold.web.palette import dialogs

        # A node's output is inserted as it is: the dialogs come from an auto-escaping
        # template, drawn once and kept.
        return dialogs(context)


@register.tag("palette_dialogs")
def do_palette_dialogs(parser: template.base.Parser, token: template.base.Token) -> DialogsNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% palette_dialogs %} takes no argument.")
    return DialogsNode()
