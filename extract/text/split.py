"""Split a normalized page into articles: title, byline, source (attribution), body, offsets.

A newspaper page holds several articles. What closes an article: its attribution （据《…》）, or a
large gap followed by a new headline. Headlines stand BEFORE the body on some pages and AFTER the
attribution on others (the layout puts the headline box below the text); a page may even mix
both. So the page is cut into bodies and the "head blocks" between them (headline, kicker,
byline, caption lines), and each head block is given to the body before or after it, choosing the
reading that gives the most articles exactly one headline. Photo captions belong to no article.

Text copied or crawled from a web page carries the site's furniture: a publication line under the
headline (发布时间：… 来源：… 浏览次数：…), editor and counter lines, buttons, breadcrumbs, menus, the
footer and lists of other stories. Those lines are metadata or chrome, never headline, body, region
or count: the publication line gives the article its source and the page its date (`published`),
the footer and the story lists after the article are cut off (the "tail"), and of the short lines
above the body only the run right above the publication line (or the body) is the headline.

>>> page = "天津发布意见\\n■ 本报记者 张三\\n日前，天津市印发意见。\\n（据《天津日报》）"
>>> [a.title for a in split_page(page)], [a.source for a in split_page(page)]
(['天津发布意见'], ['天津日报'])
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import regex

from extract.text.layout import Layout, load_layout
from extract.text.normalize import display_width
from extract.gazetteer.names import starts_with_place

__all__ = ["Piece", "SplitArticle", "meta_fields", "split_page", "single_article"]

_OPEN_ATTR_BEFORE = "。！？!?”’」』）)…"


@dataclass
class Piece:
    """A line (or part of a line cut at an attribution) of the normalized page."""

    start: int
    end: int
    text: str
    gap_before: bool  # a large gap (blank line in normalized text) precedes it
    # body | head | kicker | byline | caption | attr | header | label | jump | meta | chrome
    kind: str = "body"
    source: str | None = None  # for attr pieces, and meta pieces that credit an outlet (来源：…)
    published: str | None = None  # for meta pieces with a publication date (发布时间：2021-04-15)
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
    # the publication date its web page prints (发布时间：2021-04-15 → '2021-04-15'), if any
    published: str | None = None
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
        glued = layout.glued_meta.match(line)
        if glued and _meta(line[glued.end():].strip(), layout):
            # 某县社工站揭牌运行　发布时间：… 来源：…: the headline, then its publication line
            pieces.append(Piece(start + glued.start("head"), start + glued.end("head"), glued["head"], gap))
            pieces.append(Piece(start + glued.end(), end, line[glued.end():], False))
            gap = False
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
    label = None  # a portal table's label on its own line (发布机构): the next line is its value
    for p in pieces:
        if p.kind == "attr":
            continue
        t = p.text.strip()
        meta = _meta(f"{label}：{t}", layout) if label else _meta(t, layout)
        label = layout.meta_label_alone.match(t) and t.rstrip("：: ")
        if meta is not None:
            p.source, p.published = meta
            # an editor line of a printed page (责任编辑：… 美编：…) stays the running header it was
            p.kind = "header" if meta == (None, None) and layout.page_header.search(t) else "meta"
        elif layout.is_chrome(t) or _place_menu(t):
            p.kind = "chrome"  # breadcrumbs, buttons, counters, image names, a menu of places
        elif layout.column_label.match(t) or layout.rule_line.match(t):
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
    # a byline naming the place it is filed from (记者 某某 临沂报道) opens the text it stands above
    for p, nxt in zip(pieces, pieces[1:]):
        if p.kind in ("byline", "head") and nxt.kind == "body" and layout.byline_place.search(p.text.strip()):
            p.kind = "body"
    _web_furniture(pieces, text, layout)
    return pieces


_SENTENCE_INNER = regex.compile(r"[。；！？!?;]")
_MENU_SPLIT = regex.compile(r"[\s|｜/·]+")
_ADDRESS = regex.compile(r"^(?:https?://|www\.)\S+$")
_SUBTITLE = regex.compile(r"^(?:——|－－|--|—)")
_MENU_PUNCT = regex.compile(r"[，。；！？、：“”《》（）]")


def meta_fields(t: str, layout: Layout | None = None) -> tuple[str | None, str | None] | None:
    """(source, published) of a metadata line (发布时间：… 来源：…), or None when `t` is not one;
    `t` is a normalized line in simplified characters. Also read by extract/text/html.py on the
    lines above an HTML page's text.

    >>> meta_fields("发布时间：2021-04-15 08:59 来源：某县民政局 浏览次数：386")
    ('某县民政局', '2021-04-15')
    """
    return _meta(t, layout or load_layout())


def _meta(t: str, layout: Layout) -> tuple[str | None, str | None] | None:
    """(source, published) of a metadata line (发布时间：… 来源：…), or None when `t` is not one."""
    t = layout.colon_form(t)  # 来源 | 某某发布
    if layout.sentence_punct.search(t) or not layout.meta_line.match(t):
        return None
    m = layout.meta_source.search(t) or layout.meta_bare_source.match(t)
    source = _outlet(m.group("source"), layout) if m else None
    published = None
    d = layout.meta_date.search(t)
    if d:
        try:
            published = datetime.date(int(d["year"]), int(d["month"]), int(d["day"])).isoformat()
        except ValueError:  # 2021-13-45 is no date
            published = None
    return source, published


def _outlet(name: str, layout: Layout) -> str:
    """The outlet a credit names: of a site and the paper it took the story from (人民网-人民日报),
    the paper, which printed it (GUIDELINES: the outlet credited)."""
    name = layout.credit_tail.sub("", name.strip()).strip()  # 某县融媒体中心 转载：某某 → 某县融媒体中心
    m = layout.outlet_chain.match(name)
    return m["outlet"].strip() if m else name


def _place_menu(t: str) -> bool:
    """A site's menu of places (长沙 株洲 湘潭 衡阳, 首页|城区|某县|某镇): four or more short items,
    three in four of them a county or larger division's name. No headline is a list of places."""
    if _MENU_PUNCT.search(t):
        return False
    items = [i for i in _MENU_SPLIT.split(t) if i]
    if len(items) < 4 or any(len(i) > 6 for i in items):
        return False
    return sum(starts_with_place(i) for i in items) * 4 >= len(items) * 3


def _is_web(pieces: list[Piece], text: str, layout: Layout) -> bool:
    """Whether the page shows a web page's furniture: a publication line that dates or credits
    it, site chrome, a 来源 line above the first paragraph, or a site's copyright/ICP mark. An
    editor line alone (责任编辑：…) is no sign: printed pages carry them too."""
    first_body = next((k for k, p in enumerate(pieces) if p.kind == "body"), len(pieces))
    # a bare address or a row of place names is chrome, but a printed page may carry one too
    # (its site in the running header, a table's row of counties): no sign of a web page
    return (any((p.kind == "chrome" and layout.is_chrome(p.text.strip()) and not _ADDRESS.match(p.text.strip()))
                or (p.kind == "meta" and (p.source or p.published)) for p in pieces)
            or any(p.kind == "attr" and k < first_body and layout.source_line.match(p.text.strip())
                   for k, p in enumerate(pieces))
            or bool(layout.web_mark.search(text)))


def _web_furniture(pieces: list[Piece], text: str, layout: Layout) -> None:
    """On a page that shows web furniture: cut off the tail (footer, other stories), drop a
    <title>-like line printed again as the heading, and make the short lines right above a
    publication line headlines (a 引题 with a comma is one there, not a body)."""
    first_body = next((k for k, p in enumerate(pieces) if p.kind == "body"), None)
    if first_body is None or not _is_web(pieces, text, layout):
        return
    # the tail: after the first paragraph, a 上一篇 / 相关阅读 / copyright line ends the article;
    # what follows is chrome up to the next publication line (another page in the same file)
    k = first_body + 1
    while k < len(pieces):
        if pieces[k].kind == "meta" or not layout.is_tail(pieces[k].text.strip()):
            k += 1
            continue
        nxt = next((j for j in range(k + 1, len(pieces)) if pieces[j].kind == "meta" and pieces[j].published), len(pieces))
        # the headline lines right above that publication line are the next page's, not chrome
        keep = nxt
        while nxt < len(pieces) and keep - 1 > k and pieces[keep - 1].kind in ("head", "kicker"):
            keep -= 1
        for j in range(k, keep):
            pieces[j].kind = "chrome"
        k = nxt + 1
    # a picture's note printed between the headline block and the dateline that opens the text
    # (某局为12个服务站授牌。 / 某某网讯（通讯员 …）3月17日，…): the dateline starts the article,
    # so one short sentence standing above it is the picture's caption, not its first paragraph
    lead, nxt = pieces[first_body], pieces[first_body + 1] if first_body + 1 < len(pieces) else None
    lead_text = lead.text.strip()
    if (nxt is not None and nxt.kind == "body" and display_width(lead_text) <= 60
            and layout.terminal.search(lead_text) and not _SENTENCE_INNER.search(lead_text[:-1])
            and (layout.dateline.match(nxt.text.strip()) or layout.web_dateline.match(nxt.text.strip()))):
        lead.kind = "caption"
    # a row of five or more short items parted by spaces above the first paragraph is the site's
    # menu (首页 新闻 政务 服务 互动), not a headline: a headline spaced into phrases has two or three
    for p in pieces[:first_body]:
        items = p.text.split()
        if p.kind == "head" and len(items) >= 5 and all(len(i) <= 6 for i in items):
            p.kind = "chrome"
    # a <title>-like line (标题_某某网): chrome when the heading repeats it, else the headline
    # without the site's name; and a headline line printed twice is one
    heads = [p for p in pieces if p.kind == "head"]
    for i, p in enumerate(heads):
        t = p.text.strip()
        m = layout.site_title.match(t)
        if m:
            twin = any(q is not p and q.text.strip() == m["title"].strip() for q in heads)
        else:  # the same line again further down: the first is the <title>, the second the heading
            twin = any(q.text.strip() == t for q in heads[i + 1:])
        if twin:
            p.kind = "chrome"
        elif m:
            lead = len(p.text) - len(p.text.lstrip())
            p.end = p.start + lead + len(m["title"].rstrip())
            p.text = text[p.start : p.end]
    # short unfinished lines right above a publication line are its headline (引题，主题)
    for k, p in enumerate(pieces):
        if p.kind != "meta" or not (p.published or p.source):
            continue
        j = k - 1
        while j >= 0 and k - j <= 3:
            q, t = pieces[j], pieces[j].text.strip()
            if q.kind == "body" and display_width(t) <= 60 and not layout.terminal.search(t) and not _SENTENCE_INNER.search(t):
                q.kind = "head"
            elif q.kind not in ("head", "kicker"):
                break
            j -= 1



def _headline_run(heads: list[Piece]) -> list[Piece]:
    """On a web page, the head block's headline: of the runs of headline-like lines that chrome or
    metadata part, the one right above the publication line (or the last one); a ticker of
    other stories above it is not part of it, nor what a blank line parts from it."""
    runs: list[list[Piece]] = [[]]
    first_meta = None
    for p in heads:
        if p.kind in ("head", "kicker"):
            runs[-1].append(p)
        else:
            if p.kind in ("meta", "attr") and first_meta is None and runs[-1]:
                first_meta = len(runs) - 1
            if runs[-1]:
                runs.append([])
    runs = [r for r in runs if r] or [[]]
    run = runs[first_meta] if first_meta is not None else runs[-1]
    gaps = [i for i, p in enumerate(run) if p.gap_before and i > 0]
    if gaps:  # a blank line parts the list above from the headline
        run = run[gaps[-1]:]
    # a web page's headline is one line; the line above belongs to it only as a subtitle's main
    # title (主题 / ——副题) or as a kicker or 引题 (某地：, a phrase with a comma), else it is
    # another story's headline in a ticker
    keep = len(run) - 1
    while keep > 0 and keep > len(run) - 3:
        above, line = run[keep - 1].text.strip(), run[keep].text.strip()
        if not (_SUBTITLE.match(line) or above.endswith("：") or "，" in above):
            break
        keep -= 1
    return run[keep:]


def _title(heads: list[Piece], text: str, web: bool = False) -> tuple[str, int, int] | None:
    lines = _headline_run(heads) if web else [p for p in heads if p.kind in ("head", "kicker")]
    if not lines:
        return None
    start, end = lines[0].start, lines[-1].end
    if lines[0].marked:  # ▲西青区…: the mark is not part of the headline
        start += len(lines[0].text) - len(lines[0].text.lstrip("▲●◆★ 　"))
    if text[start] == "【" and text[end - 1] == "】":  # 【延边州：…】: the brackets are not either
        start, end = start + 1, end - 1
    label = load_layout().title_label.match(text, start, end)
    if label and label.end() < end:  # 标题：某县…: nor is a table's label
        start = label.end()
    # keep the title's length so offsets map back; line breaks inside it become spaces
    title = text[start:end].replace("\n", " ")
    return title, start, end


def without_chrome(text: str, layout: Layout | None = None) -> str:
    """The page with its site chrome blanked (same length): menus, buttons, and on a web page
    everything after its tail (上一篇, 相关阅读, a list of other stories with their timestamps).
    What a page's date may be inferred from when nothing dates it: another story's timestamp in a
    related list is not this page's date."""
    layout = layout or load_layout()
    out = list(text)
    for p in _pieces(text, layout):
        if p.kind == "chrome":
            out[p.start:p.end] = [" "] * (p.end - p.start)
    return "".join(out)


def split_page(text: str, layout: Layout | None = None) -> list[SplitArticle]:
    """Cut a normalized page into articles (see the module docstring)."""
    layout = layout or load_layout()
    pieces = _pieces(text, layout)
    web = _is_web(pieces, text, layout)

    # bodies, each a list of pieces, and the head blocks around them: heads[k] stands before bodies[k]
    def has_heads(block: list[Piece]) -> bool:
        return any(p.kind in ("head", "kicker") for p in block)

    bodies: list[list[Piece]] = []
    sources: list[str | None] = []
    attrs: list[Piece | None] = []
    heads: list[list[Piece]] = [[]]
    current: list[Piece] = []
    # metadata lines right under an article's body (责任编辑：…, 来源：…): that article's
    trailing: dict[int, list[Piece]] = {}

    def close(body: list[Piece], attr: Piece | None = None, next_heads: list[Piece] | None = None) -> None:
        """End an article with `body` (and its closing attribution); `next_heads` start the next."""
        # furniture after the last paragraph is not the article's; on a web page neither are
        # short lines after it (资讯播报, another story's headline): a subhead heads a paragraph
        while len(body) > 1 and (body[-1].kind in ("meta", "chrome") or (web and body[-1].kind != "body")):
            body = body[:-1]
        bodies.append(body)
        sources.append(_outlet(attr.source, layout) if attr and attr.source else None)
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
        if p.kind in ("meta", "chrome") or (web and p.kind == "attr" and layout.source_line.match(p.text.strip())):
            last_body = max((i for i, q in enumerate(current) if q.kind == "body"), default=None)
            after = current[last_body + 1:] if last_body is not None else []
            if not current:
                # in the head block: it parts the headline from the lines above it; a 来源 line
                # under the headline credits the coming article
                if p.kind != "attr" or has_heads(heads[-1]):
                    heads[-1].append(p)
                continue
            if (p.kind == "attr" or (p.kind == "meta" and (p.source or p.published))) and has_heads(after) \
                    and layout.terminal.search(current[last_body].text):
                # a publication line under headlines after a finished paragraph: the next article's
                close(current[: last_body + 1], next_heads=after + [p])
                current = []
            elif p.kind == "attr":
                close(current, attr=p)  # 来源：… closing the article
                current = []
            elif p.kind == "meta":
                trailing.setdefault(len(bodies), []).append(p)  # 责任编辑：… under the body
            elif after:
                current.append(p)  # between headline lines: it parts them
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

    has_title = has_heads

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
                         furniture=[(p.start, p.end) for p in body if p.kind in ("caption", "meta", "chrome")])
        title = _title(chosen[k], text, web) if chosen[k] else None
        if title:
            a.title, a.title_start, a.title_end = title
        # the publication line and a 来源 line under the headline: an outlet they credit comes
        # after the closing attribution, before the byline and the dateline; the site itself
        # (来源：本网) only when nothing else credits anyone
        metas = [p for p in heads[k] if p.kind in ("meta", "attr")] + trailing.get(k, [])
        credited = [_outlet(p.source, layout) for p in metas if p.source]
        a.published = next((p.published for p in metas if p.published), None)
        if a.source is None:
            a.source = next((c for c in credited if not layout.own_site.match(c)), None)
        # a byline always precedes its body
        for p in heads[k]:
            if p.kind == "byline":
                a.byline = p.text.strip().lstrip("■□▲●◆").strip()
                if a.source is None and layout.own_staff.search(a.byline):
                    a.source = "本报"
        dateline = layout.dateline.match(a.body)
        if a.source is None and dateline:
            a.source = dateline.group("wire") or "本报"
        web_dateline = layout.web_dateline.match(a.body)
        if a.source is None and web_dateline:
            a.source = web_dateline.group("wire")  # 某某网讯, 某某都市报讯, 新华网北京3月5日电
        if a.source is None and credited:
            a.source = credited[0]
        spans = [a.body_start, a.body_end] + ([a.title_start, a.title_end] if title else [])
        if attrs[k] is not None:
            a.attribution, a.attribution_start = attrs[k].text, attrs[k].start
            spans.append(attrs[k].end)
        a.start, a.end = min(spans), max(spans)
        articles.append(a)
    return articles


def single_article(text: str, title: str | None = None, source: str | None = None,
                   layout: Layout | None = None, credit_first: bool = False) -> SplitArticle:
    """Treat a whole text as one article (a JSON Lines record): one body, title from metadata or
    from a headline line at the top; its publication line dates it, web furniture between its
    parts is furniture (nothing found there counts). `source` is the metadata's; with
    `credit_first` (a web page's information line) the text's closing attribution beats it
    (GUIDELINES: 来源：某某网 above, （来源：某某日报） under the text → 某某日报)."""
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
    closing = next((f.source for f in reversed(found) if f.attribution and f.source), None) if credit_first else None
    a.source = closing or source or next((f.source for f in found if f.source), None)
    a.published = next((f.published for f in found if f.published), None)
    # what lies between the parts split_page found is the article's too (it is one article), but
    # the metadata, chrome and captions there are furniture
    a.furniture = [(p.start, p.end) for p in _pieces(text, layout)
                   if p.kind in ("caption", "meta", "chrome") and a.body_start <= p.start and p.end <= a.body_end]
    if title:
        # metadata wins over the layout guess; that title stands on no page span
        a.title, a.title_start, a.title_end = title, None, None
    a.start, a.end = min(first.start, a.body_start), last.end
    return a
