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

CATEGORIES = ("文件", "字段", "期号", "签发", "图片", "标记", "标点", "结构", "内容")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    category: str
    summary: str
    fixable: bool = False

    @property
    def label(self) -> str:
        """A few characters naming the rule, for counts: “T101 半角标点 12 处”."""
        return LABELS.get(self.code, self.name)


RULES: dict[str, Rule] = {}


def register(
    code: str,
    name: str,
    severity: Severity,
    category: str,
    summary: str,
    *,
    fixable: bool = False,
) -> Rule:
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    rule = Rule(code, name, severity, category, summary, fixable)
    RULES[code] = rule
    return rule


E, W = Severity.ERROR, Severity.WARNING

# --- files and YAML
ENCODING = register(
    "F001", "not-utf8", E, "文件", "文件不是 UTF-8 编码（指出它像哪种编码，如 GB18030）"
)
YAML_SYNTAX = register(
    "F002", "yaml-syntax", E, "文件", "YAML 语法错误（briefing.yaml、issue.yaml、文稿元数据）"
)
FRONT_MATTER = register(
    "F003", "front-matter", E, "文件", "Markdown 文稿缺少以 --- 开头和结尾的元数据块"
)
EMPTY_BODY = register("F004", "empty-body", E, "文件", "文稿正文为空")
NOT_MAPPING = register("F005", "not-mapping", E, "文件", "YAML 文件的顶层不是“键: 值”映射")
STRAY_FILE = register(
    "F006", "stray-file", W, "文件", "期刊目录中有无法识别的文件（文稿应为 .md 或 .yaml）"
)
WORKSPACE = register(
    "F007", "workspace", E, "文件", "工作区或期刊目录结构不完整（如缺少 issue.yaml）"
)
EMPTY_ISSUE = register(
    "F008", "empty-issue", W, "文件", "期刊还没有文稿：不能生成，也不收入 briefing site 归档"
)
UNSAFE_FILE = register(
    "F009",
    "unsafe-file",
    E,
    "文件",
    "不读取的文件：指向工作区以外的符号链接、管道或设备、超过大小上限的文件",
)
CONTROL_CHAR = register(
    "F010", "control-character", E, "文件", "文件中有控制字符或非字符码位（如 \\x01），无法排版"
)
YAML_LIMIT = register(
    "F011", "yaml-limit", E, "文件", "YAML 使用了别名（*name）或嵌套过深，出于安全考虑不予展开"
)
# --- fields
MISSING_FIELD = register("M001", "missing-field", E, "字段", "缺少必填字段")
UNKNOWN_FIELD = register("M002", "unknown-field", E, "字段", "未知字段（会提示最接近的字段名）")
FIELD_TYPE = register("M003", "field-type", E, "字段", "字段类型或取值不对（如应为整数、日期）")
DUPLICATE_KEY = register("M004", "duplicate-key", E, "字段", "同一字段写了两次")
DUPLICATE_TITLE = register("M005", "duplicate-title", E, "字段", "同一期中有两篇标题相同的文稿")
DUPLICATE_ORDER = register("M006", "duplicate-order", E, "字段", "同一期中有两篇文稿的 order 相同")
ORDER_LIST = register(
    "M007", "order-list", E, "字段", "issue.yaml 的 order 列出了不存在的文稿，或重复列出"
)
# --- numbering
DUPLICATE_NUMBER = register("N001", "duplicate-number", E, "期号", "期号或总期号重复")
SKIPPED_NUMBER = register("N002", "skipped-number", E, "期号", "期号或总期号不连续（跳号）")
FOLDER_MISMATCH = register(
    "N003", "folder-mismatch", E, "期号", "期刊目录名与 issue.yaml 的年份、期号不一致"
)
NUMBER_ORDER = register(
    "N004",
    "number-order",
    E,
    "期号",
    "期号、总期号或出刊日期倒退：按期号排列时，后一期的期号、总期号应更大，日期不早于前一期",
)
YEAR_MISMATCH = register(
    "N005", "year-mismatch", E, "期号", "issue.yaml 的 year 与出刊日期 date 的年份不一致"
)
# --- published issues (briefing publish)
PUBLISHED_CHANGED = register(
    "R001",
    "published-changed",
    E,
    "签发",
    "已签发期刊的文稿、图片或 issue.yaml 在签发后被修改、删除或新增（与 manifest.json 不符）；"
    "恢复原样即消除",
)
MANIFEST_BROKEN = register(
    "R002", "manifest-broken", E, "签发", "签发记录 manifest.json 无法读取或格式不对"
)
UNRECORDED = register(
    "R003",
    "unrecorded",
    W,
    "签发",
    "issue.yaml 标为已签发（published: true），但没有签发记录；用 briefing publish 补记",
)
# --- pictures and markup
MISSING_PICTURE = register("P001", "missing-picture", E, "图片", "图片文件不存在")
PICTURE_OUTSIDE = register(
    "P002", "picture-outside", E, "图片", "图片路径指向工作区以外或是网络地址"
)
PICTURE_FORMAT = register(
    "P003", "picture-format", E, "图片", "图片格式不受支持（支持 PNG、JPEG、GIF、BMP）"
)
BAD_PICTURE = register(
    "P004",
    "bad-picture",
    E,
    "图片",
    "图片文件损坏、被截断、尺寸异常或像素过多（防止解压炸弹）",
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
)
BAD_LINK = register(
    "H002", "unsafe-link", E, "标记", "链接地址只允许 http、https、mailto 和相对路径"
)


# --- typography: punctuation and characters, T1xx (implemented in proofread/typography.py)
HALF_WIDTH = register(
    "T101",
    "half-width-punctuation",
    W,
    "标点",
    "中文语境中使用了半角标点 , . ; : ? ! ( )，应使用全角",
    fixable=True,
)
STRAIGHT_QUOTE = register(
    "T102", "straight-quote", W, "标点", "中文语境中使用了直引号 \" '，应使用“”‘’"
)
UNPAIRED = register(
    "T103",
    "unpaired-mark",
    W,
    "标点",
    "引号、书名号、括号不成对或嵌套错误（“”‘’《》〈〉（）【】〔〕）",
)
FULLWIDTH = register(
    "T104", "full-width-alnum", W, "标点", "使用了全角数字或字母，应使用半角", fixable=True
)
REPEATED = register(
    "T105", "repeated-punctuation", W, "标点", "标点重复或连用（如“，，”“。，”；“？！”除外）"
)
ELLIPSIS = register(
    "T106", "ellipsis-form", W, "标点", "省略号应写作“……”，不写“...”“。。。”或单个“…”", fixable=True
)
DASH = register(
    "T107", "dash-form", W, "标点", "破折号应写作“——”，不写“--”、单个“—”或“――”", fixable=True
)
SPACE = register(
    "T108", "space-in-chinese", W, "标点", "汉字之间、汉字与数字或全角标点之间有多余的空格"
)
TITLE_PUNCT = register("T109", "title-punctuation", W, "标点", "标题末尾加了标点（。，；：、）")

# --- structure: ordinal hierarchy, S2xx (implemented in proofread/structure.py)
SEQUENCE = register(
    "S201",
    "heading-sequence",
    W,
    "结构",
    "标题序号不连续、重复或不从“一”“1”开始（各层在上级标题下重新编号）",
)
MIXED = register(
    "S202",
    "heading-form",
    W,
    "结构",
    "同级标题序号形式不一致，或层次顺序不是“一、”“（一）”“1.”“（1）”",
)
NUMBER_PUNCT = register(
    "S203",
    "number-punctuation",
    W,
    "结构",
    "序号后的标点不对：“（一）”后不加顿号，“1.”不写成“1、”，“一、”不写成“一.”",
)
YISHI = register("S204", "yishi-sequence", W, "结构", "“一是……二是……”的序数跳号或重复")
DIYI = register("S205", "diyi-sequence", W, "结构", "“第一，……第二，……”的序数跳号或重复")

# --- content: dates, lengths, words, sources, C3xx (implemented in proofread/content.py)
BAD_DATE = register(
    "C301", "impossible-date", W, "内容", "日期不存在（如 2月30日、13月、2019年2月29日）"
)
LEADING_ZERO = register(
    "C302", "date-leading-zero", W, "内容", "日期中的月、日不编虚位（写“3月5日”，不写“03月05日”）"
)
SHORT_YEAR = register(
    "C303", "short-year", W, "内容", "年份应写全称（写“2018年3月”，不写“18年3月”）"
)
LOST_UNIT = register(
    "C304", "lost-date-unit", W, "内容", "数字串疑似漏写了“年”“月”（如“2020810日”）"
)
LONG_TITLE = register(
    "C305", "title-too-long", W, "内容", "标题超过 checks.max_title_length 规定的字数"
)
LONG_ARTICLE = register(
    "C306", "article-too-long", W, "内容", "正文超过 checks.max_article_length 规定的字数"
)
BANNED = register("C307", "banned-word", W, "内容", "使用了 checks.banned_words 中的禁用词")
SOURCE_VARIANT = register(
    "C308",
    "source-variant",
    W,
    "内容",
    "同一期中同一供稿单位有不同写法（如“交警五大队”和“交警5大队”）",
)

# Short names of the rules, for the count per rule that ends `check`'s text output.
LABELS = {
    "F001": "不是 UTF-8 编码",
    "F002": "YAML 语法错误",
    "F003": "缺少元数据块",
    "F004": "正文为空",
    "F005": "YAML 顶层不是映射",
    "F006": "无法识别的文件",
    "F007": "工作区结构不完整",
    "F008": "期刊没有文稿",
    "F009": "不读取的文件",
    "F010": "控制字符",
    "F011": "YAML 别名或嵌套过深",
    "M001": "缺少必填字段",
    "M002": "未知字段",
    "M003": "字段取值不对",
    "M004": "字段重复",
    "M005": "标题重复",
    "M006": "order 重复",
    "M007": "order 列表有误",
    "N001": "期号重复",
    "N002": "期号跳号",
    "N003": "目录名与期号不一致",
    "N004": "期号或日期倒退",
    "N005": "年份与日期不一致",
    "R001": "签发后被改动",
    "R002": "签发记录无法使用",
    "R003": "没有签发记录",
    "P001": "图片不存在",
    "P002": "图片在工作区以外",
    "P003": "图片格式不支持",
    "P004": "图片损坏或过大",
    "H001": "HTML 标签",
    "H002": "不安全的链接",
    "T101": "半角标点",
    "T102": "直引号",
    "T103": "标点不成对",
    "T104": "全角数字或字母",
    "T105": "标点重复",
    "T106": "省略号写法",
    "T107": "破折号写法",
    "T108": "多余空格",
    "T109": "标题末尾标点",
    "S201": "标题序号不连续",
    "S202": "标题序号形式不一致",
    "S203": "序号后的标点",
    "S204": "“一是”序数",
    "S205": "“第一”序数",
    "C301": "日期不存在",
    "C302": "日期编虚位",
    "C303": "年份简写",
    "C304": "日期漏写年月",
    "C305": "标题过长",
    "C306": "正文过长",
    "C307": "禁用词",
    "C308": "供稿单位写法不一",
}


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
        "| 代码 | 名称 | 默认级别 | 类别 | 可修正 | 说明 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        fixable = "是" if rule.fixable else ""
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity.label} | {rule.category} | {fixable} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"
