"""Web pages as input: the charset an HTML page declares, its main text and metadata (trafilatura),
and the HTML response records of a WARC archive (warcio).

`ingest` calls this module for `.html`/`.htm`/`.shtml` files, WARC archives and JSON Lines lines
that carry `html`; everything here works on bytes or a decoded string and knows nothing of files.

What reaches the extractors is trafilatura's main text of the page: navigation menus, share
widgets, related-news lists, footers are left out by its boilerplate removal, so the city names of
a site's menu never become regions. Choices made (measured on made-up pages in the shapes of
Chinese CMS pages, tests/test_html.py):

- No comments: a reader's comment is not the report.
- No tables: old CMS templates (table layouts) put the whole page, menu and footer included, in
  `<table>`s, and with tables on trafilatura renders all of it as table rows, menu cities and all;
  with tables off it still keeps the paragraphs inside the layout table. A data table's cells
  ("| 某镇 | 3 |") carry numbers without a unit or a subject the count extractor could use, so
  little is lost there.
- No fallback to the whole page for short texts: trafilatura falls back to every text node of
  the page when the main text is shorter than `min_extracted_size` (250 characters by default, an
  English-sized threshold); a short Chinese notice is often under 250 characters, and the fallback
  would hand the menu to the extractors. The threshold is set to 1. Its other fallbacks can still
  bring a table-laid page's menu along on short pages; lines that are a link's whole text are
  dropped (`_drop_link_lines`), since an article's paragraph never is one.
- No main text is a page without one sentence beyond its headline (`NoMainText`): a list of
  links, a breadcrumb trail, an attachment notice.
- The date: htmldate's (through trafilatura, without its "extensive" text search, which turns a
  lone "2022年" into 2022-01-01), kept only when the page writes it in its metadata, URL, `<time>`
  or main text (htmldate otherwise takes the first date anywhere, often a related-news item's);
  else the information line's (发布时间：…, read with the splitter's metadata patterns of
  `data/layout.toml`); else a date in the URL path. A page
  without any leaves the date to the pipeline (--reference-date, then the text's own dates).
- The source: `<meta name="ContentSource">` (government sites), else the information line's
  来源：…; the site's name (`<meta name="SiteName">`, og:site_name, the `<title>`'s last part) is
  kept apart, as the source of a page that credits no one.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from extract.text.layout import load_layout
from extract.text.normalize import normalize
from extract.text.script import to_simplified
from extract.text.split import meta_fields

__all__ = ["HTML_SUFFIXES", "HtmlPage", "NoMainText", "WarcRecord", "declared_charset", "extract_page",
           "is_warc_name", "warc_records"]

# .shtml is what many Chinese government CMS (TRS WCM among them) publish their articles as.
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")

# Meta names of the national standard for government websites' pages (政府网站 page metadata:
# SiteName, ColumnName, ArticleTitle, PubDate, ContentSource), and the common newspaper-CMS ones.
# Read before trafilatura's guesses because the site itself states them.
_META_TITLE = ("articletitle",)
_META_SITE = ("sitename", "og:site_name", "application-name")
_META_SOURCE = ("contentsource", "source", "article:source")

# Separators of "headline_column_site" in <title>; "——" is not one (it joins a subtitle).
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|\s-\s)\s*")
# a sentence mark: a main text without one sentence is a list of links or a breadcrumb trail
_SENTENCE_MARK = re.compile(r"[。！？；!?;]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HOSTNAME = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.IGNORECASE)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The GB family is one codec here: GB18030 decodes GB2312 and GBK text unchanged, and pages that
# say gb2312 often use GBK characters.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


class NoMainText(ValueError):
    """trafilatura found no main text in a page."""


@dataclass(frozen=True)
class HtmlPage:
    """What a web page yields: its main text and the metadata the page states."""

    text: str  # main text, line endings "\n"
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD from the page's markup
    source: str | None = None  # credited outlet (meta ContentSource and the like)
    sitename: str | None = None  # the site publishing the page
    url: str | None = None


@dataclass(frozen=True)
class WarcRecord:
    """One HTML response of a WARC archive."""

    uri: str
    payload: bytes  # the HTTP body, transfer and content encodings undone
    charset: str | None  # from the HTTP Content-Type header


def is_warc_name(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _codec(label: str | None) -> str | None:
    """A charset label as the Python codec we decode it with; None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The codec a page declares: the HTTP header's charset first (it is what a browser obeys),
    then `<meta charset>` / `<meta http-equiv content="...; charset=">` in the first 4 KB.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">')
    'gb18030'
    """
    if header:
        m = _HEADER_CHARSET.search(header)
        if m and (codec := _codec(m.group(1))):
            return codec
    m = _META_CHARSET.search(data[:4096])
    return _codec(m.group(1).decode("ascii")) if m else None


def _meta(tree, names: tuple[str, ...]) -> str | None:
    for node in tree.iter("meta"):
        key = (node.get("name") or node.get("property") or "").strip().lower()
        if key in names:
            value = " ".join((node.get("content") or "").split())
            if value:
                return value
    return None


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """(headline, site) of a <title> written "headline_column_site"; the site is the last part."""
    if not title:
        return None, None
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if len(parts) < 2:
        # 某县社工站揭牌运行-某县人民政府: an unspaced dash before a name ending like a site's
        m = load_layout().site_title.match(title)
        return (m["title"].strip(), m["site"]) if m else (title, None)
    return parts[0], parts[-1]


def _stated(date: str, where: str) -> bool:
    """Whether a YYYY-MM-DD date is written in `where` (meta contents, URL, <time>, main text).

    htmldate, when the markup states no date, takes the first date anywhere in the page's text,
    which on a CMS page is often a related-news item's or the footer's; a date the page states
    for the article is in its metadata, its URL or next to the article.

    >>> _stated("2023-06-09", "/gzdt/202306/t20230609_1.html"), _stated("2023-06-09", "发布日期：2023年6月9日")
    (True, True)
    >>> _stated("2023-05-20", "相关新闻")
    False
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    if not m:
        return False
    y, mo, d = m.groups()
    forms = {f"{y}{sep}{a}{sep}{b}" for sep in ("-", "/", ".", "") for a, b in ((mo, d), (mo.lstrip("0"), d.lstrip("0")))}
    forms |= {f"{y}年{mo}月{d}日", f"{y}年{mo.lstrip('0')}月{d.lstrip('0')}日"}
    # a written form must not be the start of a longer number (2023-06-091)
    return any(re.search(re.escape(f) + r"(?!\d)", where) for f in forms)


# a date in a URL path: /2023-06/09/, /202306/t20230609_1.html, /2023/06/09/
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")


def _url_date(url: str | None) -> str | None:
    """The publication date a CMS writes into an article's URL path.

    >>> _url_date("http://mzj.example.gov.cn/gzdt/202306/t20230609_123.html")
    '2023-06-09'
    """
    if not url:
        return None
    path = url.split("://", 1)[-1].partition("/")[2]
    m = _URL_DATE.search(path)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


_BLOCK_TAGS = frozenset({"address", "article", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4",
                         "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table",
                         "td", "th", "tr", "ul"})
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


def _page_lines(tree) -> str:
    """The page's visible text in document order, one block element a line."""
    out: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag is not None and tag not in _NO_TEXT_TAGS:
            block = tag in _BLOCK_TAGS
            if block:
                out.append("\n")
            out.append(node.text or "")
            for child in node:
                walk(child)
            if block:
                out.append("\n")
        out.append(node.tail or "")

    walk(tree)
    return "".join(out)


def _info_zone(page_text: str, main_text: str) -> str:
    """What the page prints just before its main text starts: where the information line is,
    whether or not trafilatura kept it (it drops it from layout tables)."""
    first = next((line.strip() for line in main_text.split("\n") if _SENTENCE_MARK.search(line)), "")
    probe = " ".join(first.split())[:12]
    at = page_text.find(probe) if probe else -1
    if at < 0:
        # the text's own top lines still hold it when trafilatura kept it
        return main_text[: main_text.find(first)] if first else ""
    return page_text[max(0, at - 600): at]


def _info_line(zone: str) -> tuple[str | None, str | None]:
    """(credited outlet, YYYY-MM-DD) from the information line nearest the text. The zone's lines
    are read as the plain-text splitter reads a page's metadata lines (data/layout.toml: one list
    of labels for both), in simplified characters and normalized; the outlet is given back as the
    page prints it (來源：新聞處 → 新聞處)."""
    simple = to_simplified(zone)
    norm = normalize(simple.text)
    shown = simple.restore(norm.text, norm.offsets)
    layout = load_layout()
    source = date = None
    pos = 0
    for line in norm.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        fields = meta_fields(line.strip(), layout)
        if fields is None:
            continue
        outlet, published = fields
        if outlet:
            at = line.find(outlet)
            source = shown[start + at:start + at + len(outlet)] if at >= 0 else outlet
        if published:
            date = published
    return source, date


_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")


def _drop_link_lines(text: str, links: set[str]) -> str:
    r"""The main text without lines that are a link's whole text or only separators.

    On short pages laid out in tables trafilatura's fallbacks can return the menu and the
    related-news list with the article, one link a line ("首页", "|", "某区"); a paragraph of an
    article is never a link's whole text.

    >>> _drop_link_lines("首页\n|\n某区\n某区社工站揭牌。", {"首页", "某区"})
    '某区社工站揭牌。'
    """
    kept = [line for line in text.split("\n")
            if not (line.strip() and (" ".join(line.split()) in links or _PUNCTUATION_ONLY.match(line.strip())))]
    return "\n".join(kept)


@functools.cache
def _config():
    """trafilatura's settings for our pages, made once (trafilatura is imported only then)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")  # no whole-page fallback (module docstring)
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # dates from markup only
    return config


def extract_page(html: str, url: str | None = None) -> HtmlPage:
    """Main text and metadata of a decoded HTML page; raises NoMainText when there is none.

    >>> page = extract_page('<html><head><title>某县社工站揭牌_某县人民政府</title></head><body>'
    ...     '<ul><li><a>首页</a></li></ul><div class="article"><h1>某县社工站揭牌</h1>'
    ...     '<p>近日，某县社工站揭牌运行，配备社工3名。</p></div></body></html>')
    >>> page.title, page.sitename, page.text.splitlines()[-1]
    ('某县社工站揭牌', '某县人民政府', '近日，某县社工站揭牌运行，配备社工3名。')
    """
    import trafilatura  # slow to import: only when a web page comes in
    from lxml import html as lxml_html

    try:
        # lxml refuses a str that still declares its byte encoding (XHTML's <?xml ... ?>); the
        # bytes are decoded already
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except Exception as exc:  # lxml raises several kinds for garbage; all mean "not a page"
        raise NoMainText(f"not an HTML document ({type(exc).__name__}: {exc})") from None
    # the page's own statements first: trafilatura cleans the tree it is given
    meta_title, meta_site, meta_source = (_meta(tree, names) for names in (_META_TITLE, _META_SITE, _META_SOURCE))
    page_lines = _page_lines(tree)
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")} - {""}
    markup = " ".join([url or "", *(n.get("content") or "" for n in tree.iter("meta")),
                       *(n.get("datetime") or "" for n in tree.iter("time"))])
    # trafilatura's title may be the <h1>; the site is named in <title> ("headline_site")
    _, title_site = _split_title(" ".join((tree.findtext(".//title") or "").split()) or None)
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=False,
                                      with_metadata=True, config=_config())
    text = ((doc.text if doc is not None else None) or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _drop_link_lines(text, links)
    headline, _ = _split_title(getattr(doc, "title", None))
    title = meta_title or headline
    # a main text is more than its headline repeated: at least one sentence
    rest = [line for line in text.split("\n") if line.strip() and line.strip() != (title or "").strip()]
    if not any(_SENTENCE_MARK.search(line) for line in rest):
        raise NoMainText("no main text found in the HTML page (trafilatura found no paragraph with a sentence)")
    sitename = meta_site
    if not sitename:
        guess = getattr(doc, "sitename", None)
        # trafilatura falls back to the host name, which names no outlet
        sitename = guess if guess and not _HOSTNAME.match(guess) else title_site
    info_source, info_date = _info_line(_info_zone(page_lines, text))
    date = getattr(doc, "date", None) or None
    if date and not _stated(date, markup + " " + text):
        date = None
    # the order: what htmldate read from the markup, the information line, the URL
    date = date or info_date or _url_date(url or getattr(doc, "url", None))
    return HtmlPage(text=text, title=title, date=date, source=meta_source or info_source, sitename=sitename,
                    url=url or getattr(doc, "url", None))


def warc_records(stream: BinaryIO) -> Iterator[WarcRecord]:
    """The HTML response records of a WARC (plain or gzipped): status 200, content type text/html
    or application/xhtml+xml. Requests, metadata, redirects and other media are passed over.
    Raises warcio's ArchiveLoadFailed (a ValueError-like exception) for a broken archive."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(stream):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        if record.http_headers.get_statuscode() != "200":
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        if not content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml"):
            continue
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        yield WarcRecord(uri=uri, payload=record.content_stream().read(), charset=declared_charset(b"", content_type))
