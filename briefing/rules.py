"""The rule registry: every check has a stable code, a default severity and a Chinese summary.

Schema-level rules (files, YAML, fields, numbering, pictures) are registered here; the
proofreading rules (typography, structure, content) register themselves from
``briefing.proofread``. ``briefing rules`` prints this registry, and ``Reporter`` applies the
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
    name: str
    severity: Severity
    category: str
    summary: str
    fixable: bool = False


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
CONTENTS_OVERFLOW = register(
    "L001",
    "contents-overflow",
    W,
    "版式",
    "本期目录在首页放不下（已收紧行距和字号）：将在第 2 页“本期目录（续）”下接排",
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
# --- the editor's layout marks ({.keep}, {.pagebreak}, {width="50%"}, ::: keep)
UNKNOWN_MARK = register(
    "H003",
    "unknown-mark",
    W,
    "标记",
    '无法识别的版式标记（可用的只有 {.keep}、{.pagebreak}、::: keep 和图片后的 {width="50%"}），已忽略',
)
BAD_WIDTH = register(
    "H004",
    "bad-width",
    W,
    "标记",
    '图片宽度标记的取值不对：应为版心宽度的 10%–100%，如 {width="50%"}；已忽略',
)
MARK_AS_TEXT = register(
    "H005",
    "mark-as-text",
    E,
    "标记",
    '图片后的花括号没能识别为标记，会按原文印出（取值须加英文引号：{width="50%"}）',
)
# --- layout that cannot be printed well
TABLE_TOO_WIDE = register(
    "L002",
    "table-too-wide",
    W,
    "版式",
    "表格太宽：缩到六号字、收窄单元格边距后，数字仍放不进列宽；请拆成两个表或行列互换",
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


def load_all_rules() -> None:
    """Import the modules that register rules, so the registry is complete."""
    import briefing.proofread  # noqa: F401


def rules_markdown() -> str:
    """The rule list as Markdown (``docs/rules.md`` is this text; a test keeps them in sync)."""
    load_all_rules()
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
