"""Programs: named initiatives, policy documents, brands, mechanisms.

Rules (data in ``data/programs.toml``; decisions in corpus/GUIDELINES.md §6):

- Quoted names (“…”, 「…」, 『…』, ‘…’, "…") count when the text attaches a type word
  (“老有所安”暖巢行动, “五社联动”机制, “甲”“乙”等特色服务品牌), when the name ends with its own
  head (“牵手计划”, “百姓健身房”), or when the name is a well-known initiative (“五社联动”).
  A quote without any of these is a figure of speech, a slogan or a goal and is not a program.
  The type word decides the kind; a quote that is only a piece of a longer proper name
  (某市社会工作“双百”大讲堂) gives the whole name.
- Book titles (《…》) count when they end like a policy document (意见, 方案, 办法 …).
- Unquoted names: well-known initiatives (五社联动), names ending in a head such as 工程 / 试点 /
  信息库 (walked back over jieba words to the governing verb), lists sharing a head
  (甲、乙和丙三项工程), policy titles shaped like 关于…的意见 or led by a place, and projects,
  campaigns and yearly events led by a place (某市乡镇社会工作服务站项目, 第十四届某市社工宣传周:
  the place, or an edition before it, starts the name; a verb before it does not).
- Reports and white papers in 《》 (《某省社会工作发展报告（2023）》) are documents of kind other.
- Not programs: quoted speech, category lists (“助老助残助困助孤”), honours (获“…”称号), exams,
  chat groups, certificates, newspapers, dates (“十四五”; but “8·31”工程 is a campaign),
  abbreviations of a name already given, figures of speech (架起为民服务“连心桥”), places in
  quotes (走进“幸福里”), themes (以“…”为主题), facility types (“儿童之家”), manners (“订单式”).

Every mention is returned in text order; the scorer keeps one entry per name.

The modules: `rules` (the data file), `phrases` (what the rules read around a name), `quotes`
(quoted names), `unquoted` (names by their head word), `finder` (the article).

>>> [(p.name, p.kind) for p in find_programs("全市推行“五社联动”机制。")]
[('五社联动', 'mechanism')]
"""

from extract.extractors.programs.finder import ProgramReading, find_programs, read_programs, undecided_quotes
from extract.extractors.programs.quotes import find_quotes, kind_after
from extract.extractors.programs.rules import KINDS, RULES_PATH, ProgramMatch, ProgramRules, load_rules

__all__ = ["KINDS", "RULES_PATH", "ProgramMatch", "ProgramReading", "ProgramRules", "find_programs", "find_quotes",
           "kind_after", "load_rules", "read_programs", "undecided_quotes"]
