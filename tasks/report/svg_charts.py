"""Inline SVG charts for the report page: horizontal bars and columns, every text escaped.

Pure: takes plain values, returns SVG markup (no I/O, no JavaScript, no external resources).
Each chart is sized by a viewBox and scales to the width of its container.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

PALETTE = ("#2f6f9f", "#d9822b", "#3f8f5a", "#b5443c", "#7a5ea8", "#8c6d46", "#c4589c", "#5f6b73")
CHAR_WIDTH = 6.6  # average width of a 12px sans-serif character, for label layout


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""  # shown after the value ("2 outlets")
    tooltip: str = ""  # the full label or details, on hover
    group: str = ""  # bars with the same group are drawn under one heading
    color: str = ""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, n_chars: int) -> str:
    return text if len(text) <= n_chars else text[: max(n_chars - 1, 1)].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def bar_chart(bars: list[Bar], title: str, width: int = 720, label_chars: int = 42, row_height: int = 22) -> str:
    """Horizontal bars, one row each, longest bar = the largest value; groups get a heading row."""
    if not bars:
        return ""
    top = max((b.value for b in bars), default=0) or 1
    label_w = min(max(len(b.label) for b in bars), label_chars) * CHAR_WIDTH + 12
    value_w = max(len(_number(b.value) + (" " + b.note if b.note else "")) for b in bars) * CHAR_WIDTH + 12
    bar_w = max(width - label_w - value_w, 80)
    rows, y, group = [], 4, None
    for i, b in enumerate(bars):
        if b.group and b.group != group:
            group = b.group
            y += 4 if i else 0
            rows.append(f"<text x='0' y='{y + 14}' class='grp'>{_esc(_clip(b.group, 90))}</text>")
            y += row_height
        length = max(bar_w * b.value / top, 1.5 if b.value else 0)
        color = b.color or PALETTE[0]
        tip = _esc(b.tooltip or f"{b.label}: {_number(b.value)} {b.note}".strip())
        rows.append(
            f"<g><title>{tip}</title>"
            f"<text x='{label_w - 8:.0f}' y='{y + 14}' text-anchor='end'>{_esc(_clip(b.label, label_chars))}</text>"
            f"<rect x='{label_w:.0f}' y='{y + 3}' width='{length:.1f}' height='{row_height - 7}' rx='2' fill='{color}'/>"
            f"<text x='{label_w + length + 6:.1f}' y='{y + 14}' class='val'>{_esc(_number(b.value))}"
            f"{' <tspan class=note>' + _esc(b.note) + '</tspan>' if b.note else ''}</text></g>"
        )
        y += row_height
    height = y + 4
    return (
        f"<svg class='chart' role='img' viewBox='0 0 {width} {height}' width='100%' "
        f"style='max-width:{width}px' xmlns='http://www.w3.org/2000/svg'><title>{_esc(title)}</title>"
        + "".join(rows)
        + "</svg>"
    )


def column_chart(bars: list[Bar], title: str, width: int = 520, height: int = 220) -> str:
    """Vertical columns (a distribution), value above each column, label below."""
    if not bars:
        return ""
    top = max((b.value for b in bars), default=0) or 1
    pad_top, pad_bottom = 20, 34
    slot = width / len(bars)
    col_w = min(slot * 0.7, 64)
    plot_h = height - pad_top - pad_bottom
    parts = [f"<line x1='0' y1='{height - pad_bottom}' x2='{width}' y2='{height - pad_bottom}' class='axis'/>"]
    for i, b in enumerate(bars):
        h = max(plot_h * b.value / top, 1.5 if b.value else 0)
        x = i * slot + (slot - col_w) / 2
        cx = x + col_w / 2
        y = height - pad_bottom - h
        tip = _esc(b.tooltip or f"{b.label}: {_number(b.value)} {b.note}".strip())
        parts.append(
            f"<g><title>{tip}</title>"
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{col_w:.1f}' height='{h:.1f}' rx='2' fill='{b.color or PALETTE[0]}'/>"
            f"<text x='{cx:.1f}' y='{y - 5:.1f}' text-anchor='middle' class='val'>{_esc(_number(b.value))}</text>"
            f"<text x='{cx:.1f}' y='{height - pad_bottom + 16}' text-anchor='middle'>{_esc(_clip(b.label, 14))}</text>"
            + (f"<text x='{cx:.1f}' y='{height - 4}' text-anchor='middle' class='note'>{_esc(b.note)}</text>" if b.note else "")
            + "</g>"
        )
    return (
        f"<svg class='chart' role='img' viewBox='0 0 {width} {height}' width='100%' "
        f"style='max-width:{width}px' xmlns='http://www.w3.org/2000/svg'><title>{_esc(title)}</title>"
        + "".join(parts)
        + "</svg>"
    )
