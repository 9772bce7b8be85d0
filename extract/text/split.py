"""Split a normalized page into articles: title, byline, source (attribution), body, offsets.

A newspaper page holds several articles. What closes an article: its attribution （据《…》）, or a
large gap followed by a new headline. Headlines stand BEFORE the body on some pages and AFTER the
attribution on others (the layout puts the headline box below the text); a page may even mix
both. So the page is cut into bodies and the "head blocks" between them (headline, kicker,
byline, caption lines), and each head block is given to the body before or after it, choosing the
reading that gives the most articles exactly one headline. Photo captions belong to no article.

>>> page = "天津发布意见\\n■ 本报记者 张三\\n日前，天津市印发意见。\\n（据《天津日报》）"
>>> [a.title for a in split_page(page)], [a.source for a in split_page(page)]
(['天津发布意见'], ['天津日报'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from extract.text.layout import Layout, load_layout
from extract.text.normalize import display_width
from extract.gazetteer.names import starts_with_place

__all__ = ["Piece", "SplitArticle", "split_page", "single_article"]

_OPEN_ATTR_BEFORE = "。！？!?”’」』）)…"


@dataclass
class Piece:
    """A line (or part of a line cut at an attribution) of the normalized page."""

    start: int
    end: int
    text: str
    gap_before: bool  # a large gap (blank line in normalized text) precedes it
    kind: str = "body"  # body | head | kicker | byline | caption | attr | header | label | jump
    source: str | None = None  # for attr pieces
    marked: bool = False  # a headline with a brief's mark (▲西青区…): always starts an article


@dataclass
class SplitArticle:
    """An article cut from a page; offsets point into the normalized page text."""

    body_start: int
    body_end: int
    body: str
    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None
    byline: str | None = None
    source: str | None = None
    start: int = 0
    end: int = 0
    attribution: str | None = None  # the closing attribution as printed: （据《某某日报》）
    attribution_start: int | None = None
    # page spans inside the body that belong to no article's text: photo captions between
    # paragraphs (图为…  记者 某某 摄); kept in the body so offsets hold, but nothing in them counts
    furniture: list[tuple[int, int]] = field(default_factory=list)

    def furniture_in_text(self) -> list[tuple[int, int]]:
        """`furniture` as offsets into `text`."""
        shift = len(self.title) + 1 if self.title else 0
        return [(s - self.body_start + shift, e - self.body_start + shift) for s, e in self.furniture]

    @property
    def text(self) -> str:
        """What the extractors read: the title line (if any), the body, the closing attribution
        line (if any) — the whole article, since a body named in its attribution (（据某县民政局）)
        is a place the article mentions."""
        text = f"{self.title}\n{self.body}" if self.title else self.body
        return f"{text}\n{self.attribution}" if self.attribution else text

    def page_offset(self, i: int) -> int:
        """Map an offset in `text` to the normalized page text.

        The title keeps its length in `text` (its line breaks become spaces), so the map is a
        shift per part: title, body, attribution.
        """
        if self.title:
            if i <= len(self.title):
                return self.title_start + i
            i -= len(self.title) + 1
        if self.attribution is not None and i > len(self.body):
            return self.attribution_start + i - len(self.body) - 1
        return self.body_start + i


def _pieces(text: str, layout: Layout) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    gap = True  # the page start counts as a gap
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            gap = True
            continue
        cut = start
        sl = layout.source_line.match(line.strip())
        if sl:  # 来源：某某在线 on its own line closes the article
            pieces.append(Piece(start, end, line, gap, "attr", sl.group("source").strip()))
            gap = False
            continue
        credit = layout.credit.search(line)
        if credit:  # …全覆盖。（张天宇）: the author's credit closes a brief, naming no source
            if line[: credit.start()].strip():
                pieces.append(Piece(start, start + credit.start(), line[: credit.start()], gap))
            pieces.append(Piece(start + credit.start(), end, credit.group(0), False, "attr", None))
            gap = False
            continue
        for m in layout.attribution.finditer(line):
            before = line[: m.start()].rstrip()
            # an attribution closes an article: it stands at a line start or after a sentence end;
            # （据统计） inside a sentence is not one
            if before and before[-1] not in _OPEN_ATTR_BEFORE:
                continue
            if start + m.start() > cut and text[cut : start + m.start()].strip():
                pieces.append(Piece(cut, start + len(before), text[cut : start + len(before)], gap))
                gap = False
            pieces.append(Piece(start + m.start(), start + m.end(), m.group(0), gap, "attr", m.group("source").strip()))
            gap = False
            cut = start + m.end()
            while cut < end and text[cut] == " ":
                cut += 1
        if cut < end:
            pieces.append(Piece(cut, end, text[cut:end], gap))
        gap = False
    for p in pieces:
        if p.kind == "attr":
            continue
        t = p.text.strip()
        if layout.column_label.match(t) or layout.rule_line.match(t):
            p.kind = "label"  # 【简讯】, ━━━━: the column's label or rule, no article's
        elif layout.is_caption(t):
            p.kind = "caption"  # also ▲建平县…。 宋佳琪 摄: a marked caption is still a caption
        elif layout.marked_head.match(t) and not layout.terminal.search(t) and display_width(t) <= 90:
            p.kind, p.marked = "head", True
        elif layout.byline.match(t):
            p.kind = "byline"
        elif layout.kicker.match(t):
            p.kind = "kicker"
        elif layout.jump.match(t):
            p.kind = "jump"
        elif not layout.sentence_punct.search(t) and not layout.terminal.search(t) and display_width(t) <= 90:
            p.kind = "header" if layout.page_header.search(t) else "head"
    # a short label right above a column's rule or its first marked headline (简讯 / ━━━ / ▲…,
    # 社工短波 / ●…), or above a lone photo with its caption (图片新闻), is the column's label
    for k, p in enumerate(pieces[:-1]):
        nxt, after = pieces[k + 1], pieces[k + 2] if k + 2 < len(pieces) else None
        if p.kind == "head" and not p.marked and display_width(p.text.strip()) <= 16 and (
                (nxt.kind == "label" and layout.rule_line.match(nxt.text.strip())) or nxt.marked
                or (nxt.kind == "caption" and (after is None or after.kind in ("head", "header", "label", "attr")))):
            p.kind = "label"
    # the paper's name and section lines around a running header at the page top are the header
    # too (潇湘民生报 / 2024年11月15日 星期五 / 第3版): not the first article's title
    first_body = next((k for k, p in enumerate(pieces) if p.kind == "body"), len(pieces))
    last_header = max((k for k in range(first_body) if pieces[k].kind == "header"), default=None)
    if last_header is not None:
        for k in range(last_header):
            if pieces[k].kind == "head":
                pieces[k].kind = "header"
    # a short line with a comma but no sentence end is a headline when a byline or a dateline
    # follows it (社工站要“站”得稳，更要“走”得出 / □ 苏文); a subhead is followed by its paragraph
    for p, nxt in zip(pieces, pieces[1:]):
        t = p.text.strip()
        if (p.kind == "body" and display_width(t) <= 48 and not layout.terminal.search(t)
                and not _SENTENCE_INNER.search(t)
                and (nxt.kind == "byline" or (nxt.kind == "body" and layout.dateline.match(nxt.text.strip())))):
            p.kind = "head"
    return pieces


_SENTENCE_INNER = regex.compile(r"[。；！？!?;]")



def _title(heads: list[Piece], text: str) -> tuple[str, int, int] | None:
    lines = [p for p in heads if p.kind in ("head", "kicker")]
    if not lines:
        return None
    start, end = lines[0].start, lines[-1].end
    if lines[0].marked:  # ▲西青区…: the mark is not part of the headline
        start += len(lines[0].text) - len(lines[0].text.lstrip("▲●◆★ 　"))
    if text[start] == "【" and text[end - 1] == "】":  # 【延边州：…】: the brackets are not either
        start, end = start + 1, end - 1
    # keep the title's length so offsets map back; line breaks inside it become spaces
    title = text[start:end].replace("\n", " ")
    return title, start, end


def split_page(text: str, layout: Layout | None = None) -> list[SplitArticle]:
    """Cut a normalized page into articles (see the module docstring)."""
    layout = layout or load_layout()
    pieces = _pieces(text, layout)

    # bodies, each a list of pieces, and the head blocks around them: heads[k] stands before bodies[k]
    bodies: list[list[Piece]] = []
    sources: list[str | None] = []
    attrs: list[Piece | None] = []
    heads: list[list[Piece]] = [[]]
    current: list[Piece] = []

    def close(body: list[Piece], attr: Piece | None = None, next_heads: list[Piece] | None = None) -> None:
        """End an article with `body` (and its closing attribution); `next_heads` start the next."""
        bodies.append(body)
        sources.append(attr.source if attr else None)
        attrs.append(attr)
        heads.append(next_heads or [])

    for p in pieces:
        if p.kind == "label":
            # a column's label (简讯, 图片新闻) closes the article before it: what follows belongs
            # to the column's own items, or to none (a lone photo's caption)
            if current:
                close(current)
                current = []
            continue
        if p.kind == "header":
            continue  # page furniture (running header): no article's
        if p.kind == "jump":
            # （下转第3版）: the article goes on elsewhere; its part on this page ends here
            if current and "下" in p.text:
                close(current)
                current = []
            continue
        if p.kind == "attr":
            if current:
                close(current, attr=p)
                current = []
            continue  # an attribution with no body before it (page start) belongs to nothing here
        if not current:
            if p.kind == "body":
                current.append(p)
            else:
                heads[-1].append(p)
            continue
        # a headline after a finished paragraph starts a new article without attribution: after a
        # large gap, or when it carries a place kicker (山东寿光：…), or a byline follows
        last_body = max((i for i, q in enumerate(current) if q.kind == "body"), default=None)
        # or a dateline (新华社…电, 本报讯) opens a body after headline lines: only an article starts so
        dateline_after_heads = (p.kind == "body" and last_body is not None and last_body < len(current) - 1
                                and any(q.kind in ("head", "kicker") for q in current[last_body + 1:])
                                and layout.dateline.match(p.text.strip()))
        # or a headline naming a county or larger place first (西吉县“童心港湾”…) stands right above a
        # body: a subhead inside an article does not name its place first
        after = current[last_body + 1:] if last_body is not None else []
        heads_after = [q for q in after if q.kind == "head"]
        place_head_above_body = (p.kind == "body" and heads_after and all(q.kind in ("head", "caption") for q in after)
                                 and starts_with_place(heads_after[0].text.strip()))
        if (dateline_after_heads or place_head_above_body) and layout.terminal.search(current[last_body].text):
            close(current[: last_body + 1], next_heads=current[last_body + 1:])
            current = [p]
            continue
        if (
            p.kind in ("head", "kicker", "byline")
            and last_body is not None
            and (p.gap_before or p.kind == "byline" or p.marked
                 or (p.kind == "head" and layout.headline_kicker.match(p.text.strip())))
            and layout.terminal.search(current[last_body].text)
        ):
            # head lines already read after the last paragraph belong to the new article
            close(current[: last_body + 1], next_heads=current[last_body + 1:] + [p])
            current = []
            continue
        current.append(p)
    if current:
        close(current)
    if not bodies:
        return []
    n = len(bodies)

    def has_title(block: list[Piece]) -> bool:
        return any(p.kind in ("head", "kicker") for p in block)

    # choose where head blocks go: before (heads[k] → bodies[k]) or after (heads[k+1] → bodies[k])
    def assign(mode: str) -> tuple[float, list[list[Piece] | None]]:
        chosen: list[list[Piece] | None] = [None] * n
        unused = 0.0
        if mode == "before":
            for k in range(n):
                chosen[k] = heads[k] if has_title(heads[k]) else None
            if has_title(heads[n]):
                unused += 0.5  # a trailing line may be a caption without credit
        else:
            for k in range(n):
                chosen[k] = heads[k + 1] if has_title(heads[k + 1]) else None
            if has_title(heads[0]):
                if chosen[0] is None:
                    chosen[0] = heads[0]
                else:
                    unused += 1
        return sum(c is not None for c in chosen) - unused, chosen

    before, after = assign("before"), assign("after")
    chosen = after[1] if after[0] > before[0] else before[1]

    articles = []
    for k, body in enumerate(bodies):
        a = SplitArticle(body[0].start, body[-1].end, text[body[0].start : body[-1].end], source=sources[k],
                         furniture=[(p.start, p.end) for p in body if p.kind == "caption"])
        title = _title(chosen[k], text) if chosen[k] else None
        if title:
            a.title, a.title_start, a.title_end = title
        # a byline always precedes its body
        for p in heads[k]:
            if p.kind == "byline":
                a.byline = p.text.strip().lstrip("■□▲●◆").strip()
                if a.source is None and layout.own_staff.search(a.byline):
                    a.source = "本报"
        dateline = layout.dateline.match(a.body)
        if a.source is None and dateline:
            a.source = dateline.group("wire") or "本报"
        spans = [a.body_start, a.body_end] + ([a.title_start, a.title_end] if title else [])
        if attrs[k] is not None:
            a.attribution, a.attribution_start = attrs[k].text, attrs[k].start
            spans.append(attrs[k].end)
        a.start, a.end = min(spans), max(spans)
        articles.append(a)
    return articles


def single_article(text: str, title: str | None = None, source: str | None = None,
                   layout: Layout | None = None) -> SplitArticle:
    """Treat a whole text as one article (a JSON Lines record): one body, title from metadata or
    from a headline line at the top."""
    layout = layout or load_layout()
    found = split_page(text, layout)
    if not found:
        stripped = text.strip()
        start = text.find(stripped) if stripped else 0
        return SplitArticle(start, start + len(stripped), stripped, title=title, source=source,
                            start=start, end=start + len(stripped))
    first, last = found[0], found[-1]
    a = SplitArticle(first.body_start, last.body_end, text[first.body_start : last.body_end])
    a.title, a.title_start, a.title_end = first.title, first.title_start, first.title_end
    a.byline = first.byline
    a.source = source or next((f.source for f in found if f.source), None)
    if title:
        # metadata wins over the layout guess; that title stands on no page span
        a.title, a.title_start, a.title_end = title, None, None
    a.start, a.end = min(first.start, a.body_start), last.end
    return a
