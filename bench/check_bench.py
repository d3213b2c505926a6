"""Benchmark: proofread 1,000 generated bulletin articles in memory and print the time.

Run with ``python bench/check_bench.py``. Articles are generated deterministically (fixed seed)
from 公文 phrases, with headings 一、（一）1., 一是/二是 enumerations, dates, percentages, a
table, a link and a sprinkling of typical mistakes, so every rule has work to do. Building the
articles (Markdown parsing) is not timed; only ``proofread_article`` is.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.markdown import parse_body
from briefing.model import Article, CheckSettings, SourceText
from briefing.proofread import proofread_article, proofread_issue
from briefing.rules import Reporter

UNITS = [
    "行政审批局",
    "交警五大队",
    "交警5大队",
    "街道纪工委",
    "区市场监管局",
    "社区卫生服务中心",
    "区住建局",
]
TOPICS = ["一窗通办", "最多跑一次", "基层减负", "营商环境", "网格化管理", "安全生产", "垃圾分类"]
VERBS = ["聚焦", "围绕", "紧扣", "立足", "坚持"]
ACTIONS = [
    "建立问题清单",
    "压实工作责任",
    "优化办事流程",
    "强化督查考核",
    "完善长效机制",
    "加强队伍建设",
]
EFFECTS = [
    "群众满意率达到{p}%",
    "办理时限压缩{p}%",
    "共走访企业{n}家",
    "解决问题{n}个",
    "投入资金{d}万元",
]
MISTAKES = [",", "...", "--", "  ", "\uff12\uff10", "(试点)", "2月30日", "03月", "“", "，，"]


def sentence(rng: random.Random) -> str:
    effect = rng.choice(EFFECTS).format(
        p=rng.randint(10, 99), n=rng.randint(2, 400), d=rng.randint(10, 900)
    )
    text = (
        f"{rng.choice(VERBS)}“{rng.choice(TOPICS)}”工作，{rng.choice(ACTIONS)}，"
        f"截至{rng.randint(2015, 2024)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{effect}"
    )
    if rng.random() < 0.15:
        text += rng.choice(MISTAKES)
    return text + "。"


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.5:
        steps = ["一是", "二是", "三是", "四是"][: rng.randint(2, 4)]
        parts.append("；".join(f"{s}{rng.choice(ACTIONS)}" for s in steps) + "。")
    return "".join(parts)


def article_text(rng: random.Random) -> str:
    chunks = [paragraph(rng)]
    for i, big in enumerate(["一", "二", "三"][: rng.randint(2, 3)]):
        chunks.append(f"## {big}、{rng.choice(ACTIONS)}，推动{rng.choice(TOPICS)}")
        for j, small in enumerate(["（一）", "（二）"]):
            chunks.append(f"### {small}{rng.choice(ACTIONS)}")
            chunks.append(paragraph(rng))
            if (i + j) % 3 == 0:
                chunks.append(
                    f"1.{rng.choice(ACTIONS)}。{sentence(rng)}\n\n2.{rng.choice(ACTIONS)}。{sentence(rng)}"
                )
    chunks.append("| 指标 | 数量 |\n| --- | --- |\n| 窗口 | 12个 |")
    chunks.append(
        f"详见[门户网站](https://www.example.gov.cn/n{rng.randint(1, 999)}.html)。{paragraph(rng)}"
    )
    return "\n\n".join(chunks) + "\n"


def build(count: int = 1000, seed: int = 20181220) -> list[Article]:
    rng = random.Random(seed)
    articles = []
    for index in range(count):
        path = Path(f"issues/2018-{index // 8 + 1:03d}/article-{index:04d}.md")
        title = f"{rng.choice(UNITS)}{rng.choice(VERBS)}“{rng.choice(TOPICS)}”{rng.choice(ACTIONS)}"
        source = rng.choice(UNITS)
        body = SourceText(article_text(rng), path, 6)
        blocks, _, _ = parse_body(body, path.parent)
        articles.append(
            Article(
                path=path,
                title=title,
                source=source,
                blocks=blocks,
                body=body,
                fields={
                    "title": SourceText(title, path, 2, 8),
                    "source": SourceText(source, path, 3, 9),
                },
            )
        )
    return articles


def main() -> None:
    articles = build()
    chars = sum(len(a.body.text) for a in articles)
    checks = CheckSettings(banned_words=("史无前例", "亮点纷呈"))
    reporter = Reporter()
    started = time.perf_counter()
    for article in articles:
        proofread_article(article, reporter, checks)
    for start in range(0, len(articles), 8):
        proofread_issue(articles[start : start + 8], reporter, checks)
    elapsed = time.perf_counter() - started
    print(
        f"proofread {len(articles)} articles ({chars:,} body characters) in {elapsed:.2f} s "
        f"({elapsed / len(articles) * 1000:.2f} ms per article), {len(reporter.diagnostics)} findings"
    )


if __name__ == "__main__":
    main()
