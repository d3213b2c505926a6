"""The rule registry: every check has a stable code, a default severity and a Chinese summary.

Every rule is declared here, the schema-level ones (files, YAML, fields, numbering, pictures)
and the proofreading ones (typography, structure, content) alike, so the registry is complete
as soon as this module is imported; the code that finds each problem imports its rule. ``briefing rules`` prints this registry, and ``Reporter`` applies the
per-workspace severity overrides from ``briefing.yaml`` (``checks: severity: {CODE: off}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import Diagnostic, Severity

CATEGORIES = ("文件", "字段", "期号", "签发", "图片", "标记", "版式", "标点", "结构", "内容")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str  # the English slug (``not-utf8``), for docs/rules.md and other tools
    severity: Severity
    category: str
    summary: str
    fixable: bool = False
    title: str = ""  # the short Chinese name ``briefing rules`` shows (非 UTF-8 编码)


RULES: dict[str, Rule] = {}


def register(
    code: str,
    name: str,
    severity: Severity,
    category: str,
    summary: str,
    *,
    title: str,
    fixable: bool = False,
) -> Rule:
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if not title or title.isascii():
        raise ValueError(f"rule {code} needs a Chinese title")
    rule = Rule(code, name, severity, category, summary, fixable, title)
    RULES[code] = rule
    return rule


E, W = Severity.ERROR, Severity.WARNING

# --- files and YAML
ENCODING = register(
    "F001",
    "not-utf8",
    E,
    "文件",
    "文件不是 UTF-8 编码（指出它像哪种编码，如 GB18030）",
    title="非 UTF-8 编码",
)
YAML_SYNTAX = register(
    "F002",
    "yaml-syntax",
    E,
    "文件",
    "YAML 语法错误（briefing.yaml、issue.yaml、文稿元数据）",
    title="YAML 语法错误",
)
FRONT_MATTER = register(
    "F003",
    "front-matter",
    E,
    "文件",
    "Markdown 文稿缺少以 --- 开头和结尾的元数据块",
    title="缺少元数据块",
)
EMPTY_BODY = register("F004", "empty-body", E, "文件", "文稿正文为空", title="正文为空")
NOT_MAPPING = register(
    "F005", "not-mapping", E, "文件", "YAML 文件的顶层不是“键: 值”映射", title="不是键值映射"
)
STRAY_FILE = register(
    "F006",
    "stray-file",
    W,
    "文件",
    "期刊目录中有无法识别的文件（文稿应为 .md 或 .yaml）",
    title="无法识别的文件",
)
WORKSPACE = register(
    "F007",
    "workspace",
    E,
    "文件",
    "工作区或期刊目录结构不完整（如缺少 issue.yaml）",
    title="工作区结构不完整",
)
CONTENTS_OVERFLOW = register(
    "L001",
    "contents-overflow",
    W,
    "版式",
    "本期目录在首页放不下（已收紧行距和字号）：将在第 2 页“本期目录（续）”下接排",
    title="目录首页放不下",
)
EMPTY_ISSUE = register(
    "F008",
    "empty-issue",
    W,
    "文件",
    "期刊还没有文稿：不能生成，也不收入 briefing site 归档",
    title="期刊没有文稿",
)
UNSAFE_FILE = register(
    "F009",
    "unsafe-file",
    E,
    "文件",
    "不读取的文件：指向工作区以外的符号链接、管道或设备、超过大小上限的文件",
    title="不安全的文件",
)
CONTROL_CHAR = register(
    "F010",
    "control-character",
    E,
    "文件",
    "文件中有控制字符或非字符码位（如 \\x01），无法排版",
    title="控制字符",
)
YAML_LIMIT = register(
    "F011",
    "yaml-limit",
    E,
    "文件",
    "YAML 使用了别名（*name）或嵌套过深，出于安全考虑不予展开",
    title="YAML 别名或嵌套过深",
)
# --- fields
MISSING_FIELD = register("M001", "missing-field", E, "字段", "缺少必填字段", title="缺少必填字段")
UNKNOWN_FIELD = register(
    "M002", "unknown-field", E, "字段", "未知字段（会提示最接近的字段名）", title="未知字段"
)
FIELD_TYPE = register(
    "M003", "field-type", E, "字段", "字段类型或取值不对（如应为整数、日期）", title="字段类型不对"
)
DUPLICATE_KEY = register("M004", "duplicate-key", E, "字段", "同一字段写了两次", title="字段重复")
DUPLICATE_TITLE = register(
    "M005", "duplicate-title", E, "字段", "同一期中有两篇标题相同的文稿", title="标题重复"
)
DUPLICATE_ORDER = register(
    "M006", "duplicate-order", E, "字段", "同一期中有两篇文稿的 order 相同", title="顺序重复"
)
ORDER_LIST = register(
    "M007",
    "order-list",
    E,
    "字段",
    "issue.yaml 的 order 列出了不存在的文稿，或重复列出",
    title="order 列表有误",
)
# --- the 批示 register (instructions.yaml, briefing instruction)
INSTRUCTION_TARGET = register(
    "M008",
    "instruction-target",
    E,
    "字段",
    "批示登记簿 instructions.yaml 中的批示指向不存在的期刊或文稿（文稿改名后请同样修改 article）",
    title="批示对象不存在",
)
INSTRUCTION_DATE = register(
    "M009",
    "instruction-date",
    W,
    "字段",
    "批示日期早于期刊的出刊日期（批示总在印发之后，多半是年份或月份写错了）",
    title="批示日期早于期刊",
)
# --- numbering
DUPLICATE_NUMBER = register(
    "N001", "duplicate-number", E, "期号", "期号或总期号重复", title="期号重复"
)
SKIPPED_NUMBER = register(
    "N002", "skipped-number", E, "期号", "期号或总期号不连续（跳号）", title="期号不连续"
)
FOLDER_MISMATCH = register(
    "N003",
    "folder-mismatch",
    E,
    "期号",
    "期刊目录名与 issue.yaml 的年份、期号不一致",
    title="目录名与期号不符",
)
NUMBER_ORDER = register(
    "N004",
    "number-order",
    E,
    "期号",
    "期号、总期号或出刊日期倒退：按期号排列时，后一期的期号、总期号应更大，日期不早于前一期",
    title="期号或日期倒退",
)
YEAR_MISMATCH = register(
    "N005",
    "year-mismatch",
    E,
    "期号",
    "issue.yaml 的 year 与出刊日期 date 的年份不一致",
    title="年份与日期不符",
)
# --- published issues (briefing publish)
PUBLISHED_CHANGED = register(
    "R001",
    "published-changed",
    E,
    "签发",
    "已签发期刊的文稿、图片或 issue.yaml 在签发后被修改、删除或新增（与 manifest.json 不符）；"
    "恢复原样即消除",
    title="签发后被改动",
)
MANIFEST_BROKEN = register(
    "R002",
    "manifest-broken",
    E,
    "签发",
    "签发记录 manifest.json 无法读取或格式不对",
    title="签发记录损坏",
)
UNRECORDED = register(
    "R003",
    "unrecorded",
    W,
    "签发",
    "issue.yaml 标为已签发（published: true），但没有签发记录；用 briefing publish 补记",
    title="缺少签发记录",
)
# --- pictures and markup
MISSING_PICTURE = register(
    "P001", "missing-picture", E, "图片", "图片文件不存在", title="图片不存在"
)
PICTURE_OUTSIDE = register(
    "P002",
    "picture-outside",
    E,
    "图片",
    "图片路径指向工作区以外或是网络地址",
    title="图片在工作区以外",
)
PICTURE_FORMAT = register(
    "P003",
    "picture-format",
    E,
    "图片",
    "图片格式不受支持（支持 PNG、JPEG、GIF、BMP）",
    title="图片格式不支持",
)
BAD_PICTURE = register(
    "P004",
    "bad-picture",
    E,
    "图片",
    "图片文件损坏、被截断、尺寸异常或像素过多（防止解压炸弹）",
    title="图片损坏或过大",
)
# Rules that keep unsafe input away from the renderers: their severity cannot be lowered.
SAFETY_RULES = frozenset({"F009", "F010", "F011", "P002", "P004"})
# Errors: a raw tag or an unsafe link would otherwise reach print as literal text.
RAW_HTML = register(
    "H001",
    "raw-html",
    E,
    "标记",
    "正文中有 HTML 标签：不会被渲染，会按原文印出，须改用 Markdown 或删除",
    title="HTML 标签",
)
BAD_LINK = register(
    "H002",
    "unsafe-link",
    E,
    "标记",
    "链接地址只允许 http、https、mailto 和相对路径",
    title="不安全的链接",
)


# --- typography: punctuation and characters, T1xx (implemented in proofread/typography.py)
HALF_WIDTH = register(
    "T101",
    "half-width-punctuation",
    W,
    "标点",
    "中文语境中使用了半角标点 , . ; : ? ! ( )，应使用全角",
    fixable=True,
    title="半角标点",
)
STRAIGHT_QUOTE = register(
    "T102", "straight-quote", W, "标点", "中文语境中使用了直引号 \" '，应使用“”‘’", title="直引号"
)
UNPAIRED = register(
    "T103",
    "unpaired-mark",
    W,
    "标点",
    "引号、书名号、括号不成对或嵌套错误（“”‘’《》〈〉（）【】〔〕）",
    title="标点不成对",
)
FULLWIDTH = register(
    "T104",
    "full-width-alnum",
    W,
    "标点",
    "使用了全角数字或字母，应使用半角",
    fixable=True,
    title="全角字母或数字",
)
REPEATED = register(
    "T105",
    "repeated-punctuation",
    W,
    "标点",
    "标点重复或连用（如“，，”“。，”；“？！”除外）",
    title="标点重复",
)
ELLIPSIS = register(
    "T106",
    "ellipsis-form",
    W,
    "标点",
    "省略号应写作“……”，不写“...”“。。。”或单个“…”",
    fixable=True,
    title="省略号写法",
)
DASH = register(
    "T107",
    "dash-form",
    W,
    "标点",
    "破折号应写作“——”，不写“--”、单个“—”或“――”",
    fixable=True,
    title="破折号写法",
)
SPACE = register(
    "T108",
    "space-in-chinese",
    W,
    "标点",
    "汉字之间、汉字与数字或全角标点之间有多余的空格",
    title="多余的空格",
)
TITLE_PUNCT = register(
    "T109", "title-punctuation", W, "标点", "标题末尾加了标点（。，；：、）", title="标题末尾有标点"
)

# --- structure: ordinal hierarchy, S2xx (implemented in proofread/structure.py)
SEQUENCE = register(
    "S201",
    "heading-sequence",
    W,
    "结构",
    "标题序号不连续、重复或不从“一”“1”开始（各层在上级标题下重新编号）",
    title="序号不连续",
)
MIXED = register(
    "S202",
    "heading-form",
    W,
    "结构",
    "同级标题序号形式不一致，或层次顺序不是“一、”“（一）”“1.”“（1）”",
    title="序号形式不一致",
)
NUMBER_PUNCT = register(
    "S203",
    "number-punctuation",
    W,
    "结构",
    "序号后的标点不对：“（一）”后不加顿号，“1.”不写成“1、”，“一、”不写成“一.”",
    title="序号后的标点",
)
YISHI = register(
    "S204", "yishi-sequence", W, "结构", "“一是……二是……”的序数跳号或重复", title="“一是”序数"
)
DIYI = register(
    "S205", "diyi-sequence", W, "结构", "“第一，……第二，……”的序数跳号或重复", title="“第一”序数"
)

# --- content: dates, lengths, words, sources, C3xx (implemented in proofread/content.py)
BAD_DATE = register(
    "C301",
    "impossible-date",
    W,
    "内容",
    "日期不存在（如 2月30日、13月、2019年2月29日）",
    title="日期不存在",
)
LEADING_ZERO = register(
    "C302",
    "date-leading-zero",
    W,
    "内容",
    "日期中的月、日不编虚位（写“3月5日”，不写“03月05日”）",
    title="日期编虚位",
)
SHORT_YEAR = register(
    "C303",
    "short-year",
    W,
    "内容",
    "年份应写全称（写“2018年3月”，不写“18年3月”）",
    title="年份简写",
)
LOST_UNIT = register(
    "C304",
    "lost-date-unit",
    W,
    "内容",
    "数字串疑似漏写了“年”“月”（如“2020810日”“20191-3月”）",
    title="日期漏写年月",
)
LONG_TITLE = register(
    "C305",
    "title-too-long",
    W,
    "内容",
    "标题超过 checks.max_title_length 规定的字数",
    title="标题过长",
)
LONG_ARTICLE = register(
    "C306",
    "article-too-long",
    W,
    "内容",
    "正文超过 checks.max_article_length 规定的字数",
    title="正文过长",
)
BANNED = register(
    "C307", "banned-word", W, "内容", "使用了 checks.banned_words 中的禁用词", title="禁用词"
)
SOURCE_VARIANT = register(
    "C308",
    "source-variant",
    W,
    "内容",
    "同一期中同一供稿单位有不同写法（如“交警五大队”和“交警5大队”）",
    title="单位写法不一",
)
# --- the editor's layout marks ({.keep}, {.pagebreak}, {width="50%"}, ::: keep)
UNKNOWN_MARK = register(
    "H003",
    "unknown-mark",
    W,
    "标记",
    '无法识别的版式标记（可用的只有 {.keep}、{.pagebreak}、::: keep 和图片后的 {width="50%"}），已忽略',
    title="无法识别的版式标记",
)
BAD_WIDTH = register(
    "H004",
    "bad-width",
    W,
    "标记",
    '图片宽度标记的取值不对：应为版心宽度的 10%–100%，如 {width="50%"}；已忽略',
    title="图片宽度不对",
)
MARK_AS_TEXT = register(
    "H005",
    "mark-as-text",
    E,
    "标记",
    '图片后的花括号没能识别为标记，会按原文印出（取值须加英文引号：{width="50%"}）',
    title="标记未生效",
)
# --- layout that cannot be printed well
TABLE_TOO_WIDE = register(
    "L002",
    "table-too-wide",
    W,
    "版式",
    "表格太宽：缩到六号字、收窄单元格边距后，数字仍放不进列宽；请拆成两个表或行列互换",
    title="表格太宽",
)


# --- numbers: ranges and numerals, T110-T113 (implemented in proofread/numbers.py)
RANGE_DASH = register(
    "T110",
    "range-connector",
    W,
    "标点",
    "起止号：时间、地点的起止用一字线“—”（1—10月、2018—2020年），数值范围用浪纹线“～”（10%～20%）",
    fixable=True,
    title="起止号用错",
)
RANGE_UNIT = register(
    "T111",
    "range-unit",
    W,
    "标点",
    "数值范围两端的“%”“万”“亿”都要写出（写“10%～20%”“3万～5万元”，不写“10～20%”“3～5万元”）",
    fixable=True,
    title="范围漏写单位",
)
MIXED_NUMERALS = register(
    "T112",
    "mixed-numerals",
    W,
    "标点",
    "一个数中阿拉伯数字与汉字数字混用（如“3千”“十5”“二0一九年”；“3万”“5亿”可以）",
    fixable=True,
    title="数字混用",
)
SCALE = register(
    "T113",
    "wan-yi-units",
    W,
    "标点",
    "同一篇中同一单位的数额“万”“亿”用法不一致（已有“1.2亿元”时写“3.5亿元”，不写“35000万元”）",
    title="万亿不一致",
)

# --- words: typos and misused words, C309-C310 (implemented in proofread/words.py)
TYPO = register(
    "C309",
    "typo-word",
    W,
    "内容",
    "常见错别字（内置词表，可用 checks.words 补充、checks.words_off 停用）：如“峻工”应为“竣工”",
    fixable=True,
    title="错别字",
)
MISUSED = register(
    "C310",
    "misused-word",
    W,
    "内容",
    "易混用的词，按上下文判断：如“截止目前”应为“截至目前”，“截至日期”应为“截止日期”（不自动修正）",
    title="易混用词",
)

# --- people register: names and titles, C311-C312 (implemented in proofread/people.py)
PERSON_TITLE = register(
    "C311",
    "person-title",
    W,
    "内容",
    "人员名录（checks.people）中的姓名旁印的职务与名录不符（如名录为“区委书记”，文中写“区委副书记”）",
    title="职务与名录不符",
)
PERSON_NAME = register(
    "C312",
    "person-name",
    W,
    "内容",
    "职务旁的姓名与人员名录（checks.people）中的姓名只差一个字，疑似写错",
    title="姓名疑似写错",
)


class Reporter:
    """Collects diagnostics, applying severity overrides; ``off`` drops a finding."""

    def __init__(self, overrides: Mapping[str, str] | None = None):
        self._overrides = {k: Severity(v) for k, v in (overrides or {}).items()}
        self.diagnostics: list[Diagnostic] = []

    def severity(self, code: str) -> Severity:
        return self._overrides.get(code, RULES[code].severity)

    def add(
        self,
        rule: Rule | str,
        message: str,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        code = rule if isinstance(rule, str) else rule.code
        severity = self.severity(code)
        if severity is Severity.OFF:
            return
        self.diagnostics.append(Diagnostic(code, severity, message, path, line, column))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d.code, d.message, d.path, d.line, d.column)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)


def rules_markdown() -> str:
    """The rule list as Markdown (``docs/rules.md`` is this text; a test keeps them in sync)."""
    lines = [
        "# 检查规则",
        "",
        "由 `briefing rules --markdown > docs/rules.md` 生成。级别可在 `briefing.yaml` 的",
        "`checks.severity` 中按代码调整（error / warning / off）；“可修正”的规则由",
        "`briefing check --fix` 自动修正。",
        "",
        "| 代码 | 名称 | 默认级别 | 类别 | 可修正 | 说明 | 英文标识 |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in RULES.values():  # as declared: by category, the order of CATEGORIES
        fixable = "是" if rule.fixable else ""
        lines.append(
            f"| {rule.code} | {rule.title} | {rule.severity.label} | {rule.category} | {fixable} "
            f"| {rule.summary} | `{rule.name}` |"
        )
    return "\n".join(lines) + "\n"
