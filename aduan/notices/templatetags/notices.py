"""The bell in the desk's header: the official's unread notices, one query per page."""

from django import template

from aduan.notices.selectors import notice_unread_count

register = template.Library()


@register.inclusion_tag("notices/_bell.html", takes_context=True)
def notice_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": notice_unread_count(user=user)}
