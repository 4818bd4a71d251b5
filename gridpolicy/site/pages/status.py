"""A matter's status with the dates it depends on, recomputed for today in the browser.

The page is built for one date (`--as-of`); `javascripts/status.js` reads the dates from the
`data-` attributes and shows the status for the reader's today in the policy's time zone,
with the same rule as `Policy.matter_status`.
"""

from __future__ import annotations

from ...model import Matter
from ..context import STATUS, Context
from ..markdown import attr, date

LISTED = ("📋 在列", "listed")


def label(status: str) -> tuple[str, str]:
    return LISTED if status == "listed" else STATUS[status]


def badge(ctx: Context, mt: Matter) -> str:
    """The status badge and its dates as inline HTML (Markdown inside is not needed)."""
    status = ctx.status(mt)
    zh, en = label(status)
    ex = ctx.exit_of.get(mt.code)
    data = {"effective": date(mt.effective) if mt.effective else "",
            "expires": date(mt.expires) if mt.expires else "",
            "exit": date(ex.date) if ex else "",
            "listed": "0" if ctx.lists[mt.list].admission else "1",
            "tz": ctx.m.header.timezone, "built": ctx.as_of.isoformat()}
    attrs = " ".join(f'data-{k}="{attr(v)}"' for k, v in data.items())
    dates = [f'<span class="gp-date">生效 Effective {date(mt.effective) if mt.effective else "—"}</span>']
    if mt.expires:
        dates.append(f'<span class="gp-date">有效期至 Valid through {date(mt.expires)}'
                     f'（含当日 inclusive；临时准入 temporary）</span>')
    if ex:
        dates.append(f'<span class="gp-date">退出 Exit {date(ex.date)}</span>')
    return (f'<span class="gp-status gp-status--{status}" {attrs}>'
            f'<span class="gp-status__label">{zh} {en}</span> '
            f'<span class="gp-status__asof">（按 as of <time datetime="{ctx.as_of.isoformat()}">{ctx.as_of.isoformat()}</time>）</span></span> '
            + " · ".join(dates))
