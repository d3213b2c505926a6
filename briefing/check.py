"""Stage 2 — check: validate a workspace and everything in it, collecting every finding.

``check_workspace`` loads all issues (the register checks need them all), runs the
schema-level checks of this module and the proofreading rules of ``briefing.proofread``, and
returns the findings sorted by file and line. It never raises for bad content.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from briefing import rules
from briefing.errors import Diagnostic, display_path
from briefing.load import (
    LoadedIssue,
    article_files,
    check_severity_overrides,
    issue_dirs,
    load_issue_folder,
    load_settings,
)
from briefing.model import Article, Settings, images
from briefing.numbering import check_register
from briefing.publish import check_published
from briefing.rules import Reporter
from briefing.textio import read_reason, resolving_folders
from briefing.workspace import Workspace


def check_workspace(root: Path, *, proofread: bool = True, keep_articles: bool = True) -> Workspace:
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
        results = _check_folders(folders, settings, overrides, proofread, keep_articles)
    reporter = Reporter(overrides)
    reporter.extend(first.diagnostics)
    for _, found in results:
        reporter.extend(found)
    loaded = tuple(issue for issue, _ in results)
    check_register(settings, [i.issue for i in loaded if i.issue is not None], reporter)
    return Workspace(settings, loaded, tuple(reporter.sorted()))


# Below this many issue folders a worker pool costs more than it saves (measured: forking two
# workers and shipping the loaded articles back is ~60 ms; one folder checks in ~12 ms).
PARALLEL_MIN_FOLDERS = 12


def _check_folder(
    job: tuple[Path, Settings, dict[str, str], bool, bool],
) -> tuple[LoadedIssue, list[Diagnostic]]:
    folder, settings, overrides, proofread, keep_articles = job
    reporter = Reporter(overrides)
    loaded = load_issue_folder(folder, settings, reporter)
    check_issue(settings, loaded, reporter, proofread=proofread)
    if not keep_articles:
        loaded = LoadedIssue(loaded.dir, loaded.issue, ())
    return loaded, reporter.diagnostics


def _check_folders(
    folders: Sequence[Path],
    settings: Settings,
    overrides: dict[str, str],
    proofread: bool,
    keep_articles: bool,
) -> list[tuple[LoadedIssue, list[Diagnostic]]]:
    """Load and check each issue folder; large registers use every core (a folder's checks
    never depend on another folder, and results come back in folder order)."""
    jobs = [(folder, settings, overrides, proofread, keep_articles) for folder in folders]
    workers = min(os.cpu_count() or 1, 4)
    # Without proofreading (list, site) a folder loads too fast for a pool to pay off.
    if not proofread or len(jobs) < PARALLEL_MIN_FOLDERS or workers < 2:
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

    The proofreading rules register when their package is imported: a parent that never
    imported it could not look up the codes its workers report (a KeyError, unless
    ``checks.severity`` had made it import them). The Markdown parser, the rules' compiled
    patterns and the picture decoders, imported once here, are shared by both workers
    instead of imported by each (≈ 80 ms of CPU per worker).
    """
    from briefing.markdown import markdown_parser

    rules.load_all_rules()
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


def check_issue(
    settings: Settings, loaded: LoadedIssue, reporter: Reporter, *, proofread: bool = True
) -> None:
    """Per-issue checks: duplicates, the order list, pictures, markup, proofreading."""
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
    real_root = settings.root.resolve()  # once, not per picture: an lstat per path component
    for article in articles:
        _check_pictures(article, settings.root, real_root, reporter)
    for path, note in loaded.notes:
        if note.kind == "raw-html":
            reporter.add(
                rules.RAW_HTML,
                f"HTML 标签“{note.text}”不会被渲染，将原样显示；请改用 Markdown 写法或删除",
                path,
                note.line,
                note.column,
            )
        else:
            reporter.add(
                rules.BAD_LINK,
                f"链接地址“{note.text}”不安全或不受支持，已按普通文字处理",
                path,
                note.line,
                note.column,
            )
    if proofread and articles:
        from briefing.proofread import proofread_article, proofread_issue

        for article in articles:
            proofread_article(article, reporter, settings.checks)
        proofread_issue(articles, reporter, settings.checks)


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
    """P001–P004 for the pictures of *article*; *real_root* is ``root.resolve()``."""
    for image in images(article.blocks):
        column = 1
        if "://" in image.src or image.src.startswith(("data:", "//")):
            reporter.add(
                rules.PICTURE_OUTSIDE,
                f"图片“{image.src}”是网络地址；请把图片放进本期的 images/ 目录",
                article.path,
                image.line,
                column,
            )
            continue
        if real_root not in image.path.parents:
            reporter.add(
                rules.PICTURE_OUTSIDE,
                f"图片路径“{image.src}”指向工作区以外；请把图片放进本期的 images/ 目录",
                article.path,
                image.line,
                column,
            )
            continue
        if not os.path.lexists(image.path):
            reporter.add(
                rules.MISSING_PICTURE,
                f"找不到图片“{image.src}”（{display_path(image.path, root)}）",
                article.path,
                image.line,
                column,
            )
            continue
        problem = picture_problem(image.path, root)
        if problem is not None:
            rule, message = problem
            reporter.add(rule, f"图片“{image.src}”{message}", article.path, image.line, column)


def picture_problem(path: Path, root: Path) -> tuple[rules.Rule, str] | None:
    """Why the picture at *path* cannot be used (rule, message), or ``None`` when it can."""
    from briefing.pictures import BadPicture, verify_picture
    from briefing.textio import UnsafeFile

    try:
        verify_picture(path, root)
    except UnsafeFile as exc:
        return rules.UNSAFE_FILE, f"无法使用：{exc}"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return rules.UNSAFE_FILE, f"无法使用：{read_reason(exc)}"
        return rules.MISSING_PICTURE, f"无法读取：{read_reason(exc)}"
    except BadPicture as exc:
        if str(exc).startswith("不是 PNG"):
            return rules.PICTURE_FORMAT, "不是 PNG、JPEG、GIF 或 BMP 文件"
        return rules.BAD_PICTURE, f"无法使用：{exc}"
    return None
