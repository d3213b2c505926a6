"""Stage 2 — check: validate a workspace and everything in it, collecting every finding.

``check_workspace`` loads all issues (the register checks need them all), runs the
schema-level checks of this module and the proofreading rules of ``briefing.proofread``, and
returns the findings sorted by file and line. It never raises for bad content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from briefing import rules
from briefing.errors import Diagnostic, InputError, Severity
from briefing.instructions import attach
from briefing.load import (
    LoadedIssue,
    article_files,
    check_severity_overrides,
    issue_dirs,
    load_issue_folder,
    load_settings,
)
from briefing.manifest import check_published
from briefing.model import Article, Block, Kept, Quote, Settings, Table, images
from briefing.numbering import check_register
from briefing.rules import Reporter
from briefing.textio import resolving_folders
from briefing.workspace import Workspace


def check_workspace(root: Path, *, advice: bool = True, keep_articles: bool = True) -> Workspace:
    """Load and check everything under *root*.

    With ``keep_articles=False`` the issues come back without their articles and notes: for
    a caller that needs only the findings (``briefing check``), the workers of a large
    register then send back a few bytes per folder instead of every parsed article.
    """
    first = Reporter()
    with resolving_folders():  # each folder's real location is looked up once
        settings = load_settings(root, first)
        overrides = check_severity_overrides(settings, first)
        folders = issue_dirs(settings)
        results = _check_folders(folders, settings, overrides, advice, keep_articles)
    reporter = Reporter(overrides)
    reporter.extend(first.diagnostics)
    for _, found in results:
        reporter.extend(found)
    loaded = tuple(issue for issue, _ in results)
    check_register(settings, [i.issue for i in loaded if i.issue is not None], reporter)
    loaded = attach(root, loaded, reporter)  # 批示 recorded in instructions.yaml
    return Workspace(settings, loaded, tuple(reporter.sorted()))


# Below this many issue folders a worker pool costs more than it saves (measured: forking two
# workers and shipping the loaded articles back is ~60 ms; one folder checks in ~12 ms).
PARALLEL_MIN_FOLDERS = 12


def _check_folder(
    job: tuple[Path, Settings, dict[str, str], bool, bool],
) -> tuple[LoadedIssue, list[Diagnostic]]:
    folder, settings, overrides, advice, keep_articles = job
    reporter = Reporter(overrides)
    loaded = load_issue_folder(folder, settings, reporter)
    check_issue(settings, loaded, reporter, advice=advice)
    if not keep_articles:
        loaded = LoadedIssue(loaded.dir, loaded.issue, ())
    return loaded, reporter.diagnostics


def _check_folders(
    folders: Sequence[Path],
    settings: Settings,
    overrides: dict[str, str],
    advice: bool,
    keep_articles: bool,
) -> list[tuple[LoadedIssue, list[Diagnostic]]]:
    """Load and check each issue folder; large registers use every core (a folder's checks
    never depend on another folder, and results come back in folder order)."""
    jobs = [(folder, settings, overrides, advice, keep_articles) for folder in folders]
    workers = min(os.cpu_count() or 1, 4)
    # Without the advice (list, site) a folder loads too fast for a pool to pay off.
    if not advice or len(jobs) < PARALLEL_MIN_FOLDERS or workers < 2:
        return [_check_folder(job) for job in jobs]
    import multiprocessing as mp  # ≈10 ms of imports that a small workspace never needs

    if "fork" not in mp.get_all_start_methods():
        return [_check_folder(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    _prepare_for_workers(folders, settings)
    # fork: the workers inherit the already imported parser and rules instead of re-importing
    with ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_leave_interrupts_to_parent
    ) as pool:
        return list(pool.map(_check_folder, jobs, chunksize=_chunk_size(len(jobs), workers)))


def _chunk_size(jobs: int, workers: int) -> int:
    """Folders per message to a worker: few enough that the workers finish together (the last
    chunk decides the wall time; 125 folders in chunks of 15 left one worker idle ≈ 22 ms at
    the end, in chunks of 3 ≈ 6 ms), many enough that large registers send few messages."""
    return max(1, jobs // (workers * 16))


# The smallest valid PNG (1 x 1, RGB): verifying it imports whatever the picture check needs.
_TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc```\x00\x00\x00\x04\x00\x01\xf6\x178U\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _prepare_for_workers(folders: Sequence[Path], settings: Settings) -> None:
    """Before forking the pool (which proofreads), do what every worker would else do for itself.

    The Markdown parser, the rules' compiled patterns and the picture decoders, imported
    once here, are shared by both workers instead of imported by each (≈ 80 ms of CPU per
    worker).
    """
    from briefing.markdown import markdown_parser

    markdown_parser()
    from briefing.proofread.words import workspace_list

    workspace_list(settings.checks)  # the compiled word list (≈ 15 ms), shared the same way
    # A clean workspace keeps its pictures in each issue's images/ folder; without any, the
    # decoders (Pillow, ≈ 10 ms to import) may never be needed.
    if any((folder / "images").is_dir() for folder in folders):
        from briefing.pictures import verify_picture_bytes

        verify_picture_bytes(_TINY_PNG)


def _leave_interrupts_to_parent() -> None:
    """Ctrl-C reaches the whole process group; only the parent reports it (no worker traceback)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: the categories of the rules that only advise by default: proofreading, the layout estimate
ADVICE_CATEGORIES = ("标点", "结构", "内容", "版式")


def advice_can_fail(root: Path) -> bool:
    """Whether any rule that advises (proofreading, the contents estimate) is an error in
    this workspace (by default or by ``checks.severity``). Commands that make outputs
    (``build``, ``publish``, ``site``) run those checks only then: a warning does not stop
    them, and ``check`` is where warnings are read."""
    settings = load_settings(root, Reporter())
    overrides = check_severity_overrides(settings, Reporter())
    return any(
        overrides.get(code, rule.severity.value) == Severity.ERROR.value
        for code, rule in rules.RULES.items()
        if rule.category in ADVICE_CATEGORIES
    )


def check_issue(
    settings: Settings, loaded: LoadedIssue, reporter: Reporter, *, advice: bool = True
) -> None:
    """Per-issue checks: duplicates, the order list, pictures, markup; with *advice*, the
    checks whose findings only advise by default: proofreading and the contents estimate."""
    articles = loaded.articles
    _check_duplicates(articles, reporter)
    if loaded.issue is not None:
        _check_order_list(loaded, reporter)
        if not articles and not article_files(loaded.dir):
            reporter.add(
                rules.EMPTY_ISSUE,
                f"期刊 {loaded.dir.name} 还没有文稿：不能生成，briefing site 也不会收入归档；"
                "用 briefing new-article 添加",
                loaded.dir / "issue.yaml",
                1,
                1,
            )
        check_published(loaded, settings.root, reporter)
        if articles and advice:
            _check_contents_fit(settings, loaded, reporter)
    real_root = settings.root.resolve()  # once, not per picture: an lstat per path component
    for article in articles:
        _check_pictures(article, settings.root, real_root, reporter)
    for article in articles:
        _check_tables(article.blocks, article, reporter)
    for path, note in loaded.notes:
        rule, message = _note_finding(note.kind, note.text)
        reporter.add(rule, message, path, note.line, note.column)
    if advice and articles:
        from briefing.proofread import proofread_article, proofread_issue

        for article in articles:
            proofread_article(article, reporter, settings.checks)
        proofread_issue(articles, reporter, settings.checks)


_MARK_MESSAGES = {
    "unknown-mark": (
        rules.UNKNOWN_MARK,
        "版式标记“{}”无法识别，已忽略；可用的有 {{.keep}}、{{.pagebreak}}、::: keep 和图片后的 "
        '{{width="50%"}}',
    ),
    "bad-width": (
        rules.BAD_WIDTH,
        '图片宽度“{}”不对，已忽略；应为版心宽度的 10%–100%，如 {{width="50%"}}',
    ),
    "mark-as-text": (
        rules.MARK_AS_TEXT,
        '图片后的“{}”没能识别为标记，会按原文印出；取值须加英文引号，如 {{width="50%"}}',
    ),
}


def _note_finding(kind: str, text: str) -> tuple[rules.Rule, str]:
    """The rule and message for a note the Markdown parser made."""
    if kind == "raw-html":
        return (
            rules.RAW_HTML,
            f"HTML 标签“{text}”不会被渲染，将原样显示；请改用 Markdown 写法或删除",
        )
    if kind == "unsafe-link":
        return rules.BAD_LINK, f"链接地址“{text}”不安全或不受支持，已按普通文字处理"
    rule, template = _MARK_MESSAGES[kind]
    return rule, template.format(text)


def _check_tables(blocks: Sequence[Block], article: Article, reporter: Reporter) -> None:
    """L002: a table whose numbers do not fit the type width even at 六号 with narrow cell
    margins (the print edition then sets it smaller still rather than break a number)."""
    for block in blocks:
        if isinstance(block, Quote | Kept):
            _check_tables(block.blocks, article, reporter)
        elif isinstance(block, Table) and (block.header or block.rows):
            # the printed edition's own estimate of what fits (a pure function of the text)
            from briefing.render.docx_layout import fit_table, table_texts

            texts = table_texts(block)
            if not fit_table(texts).fits:
                reporter.add(
                    rules.TABLE_TOO_WIDE,
                    f"表格有 {len(texts[0])} 列，缩到六号字、收窄单元格边距后数字仍放不进版心宽度，"
                    "印出的字会小于六号；请拆成两个表，或把行列互换",
                    article.path,
                    block.line,
                    1,
                )


#: grid lines of a 报头 and a contents heading: a contents this short always fits page 1
_PAGE_ONE_ROOM = 22 - 12


def _check_contents_fit(settings: Settings, loaded: LoadedIssue, reporter: Reporter) -> None:
    """L001: the table of contents would not fit page 1 even tightened. A published issue
    prints as it was signed, so only an issue still to be built is laid out (and a contents
    of few short entries, by a rough count, not at all)."""
    rough = sum(1 + len(a.title) // 24 + (1 if a.subtitle else 0) for a in loaded.articles)
    if rough <= _PAGE_ONE_ROOM or loaded.issue is None or loaded.issue.published:
        return
    from briefing.assemble import assemble
    from briefing.render.docx import contents_fit_page_one

    try:
        bulletin = assemble(settings, loaded.issue, loaded.articles, bodies=False)
    except InputError:  # a picture that cannot be printed: reported on its own (P001-P004)
        return
    if not contents_fit_page_one(bulletin):
        entries = sum(len(group.entries) for group in bulletin.toc)
        reporter.add(
            rules.CONTENTS_OVERFLOW,
            f"本期目录共 {entries} 条，收紧行距和字号后首页仍放不下，将在第 2 页"
            "“本期目录（续）”下接排；如需全部留在首页，可减少篇目或缩短标题",
            loaded.dir / "issue.yaml",
            1,
            1,
        )


def _field_position(article: Article, key: str) -> tuple[int, int]:
    source = article.fields[key]  # a loaded title or order is a scalar: always located
    return source.line, source.column


def _check_duplicates(articles: Sequence[Article], reporter: Reporter) -> None:
    titles: dict[str, Article] = {}
    orders: dict[int, Article] = {}
    for article in articles:
        if article.title in titles:
            reporter.add(
                rules.DUPLICATE_TITLE,
                f"标题“{article.title}”与 {titles[article.title].path.name} 重复",
                article.path,
                *_field_position(article, "title"),
            )
        titles.setdefault(article.title, article)
        if article.order is not None:
            if article.order in orders:
                reporter.add(
                    rules.DUPLICATE_ORDER,
                    f"order: {article.order} 与 {orders[article.order].path.name} 重复，请调整顺序号",
                    article.path,
                    *_field_position(article, "order"),
                )
            orders.setdefault(article.order, article)


def _check_order_list(loaded: LoadedIssue, reporter: Reporter) -> None:
    assert loaded.issue is not None
    if not loaded.issue.order:
        return  # nothing listed: no need to list the folder
    names = {a.path.name for a in loaded.articles} | {p.name for p in loaded.dir.iterdir()}
    seen: set[str] = set()
    path = loaded.dir / "issue.yaml"
    for name in loaded.issue.order:
        where = loaded.issue.positions["order"]  # a validated field is always located
        if name in seen:
            reporter.add(rules.ORDER_LIST, f"order 中重复列出了 {name}", path, *where)
        elif name not in names:
            reporter.add(
                rules.ORDER_LIST,
                f"order 中列出的文稿 {name} 不存在",
                path,
                *where,
            )
        seen.add(name)


def _check_pictures(article: Article, root: Path, real_root: Path, reporter: Reporter) -> None:
    """P001-P004 (and F009) for the pictures of *article*; *real_root* is ``root.resolve()``.
    The same loader and rules as ``assemble``, which prints them."""
    from briefing.pictures import PictureFailure, load_picture

    for image in images(article.blocks):
        try:
            load_picture(image.src, image.path, root, real_root=real_root, verify=True)
        except PictureFailure as failure:
            reporter.add(failure.code, failure.message, article.path, image.line, 1)
