"""Synthetic Chinese government prose for the benchmark workspaces.

Articles read like the ones departments send to a 党政办公室 information desk: a lead paragraph
(今年以来，……), two to four 一级标题 (一、) sections, some with （一） sub-sections, 一是……二是……
enumerations, figures, dates, now and then a GFM table or a picture, and the （供稿单位） at the
end. Every choice comes from a seeded ``random.Random``, so the same seed gives the same bytes.

The text is meant to pass ``briefing check`` without findings: full-width punctuation, balanced
quotes and brackets, valid dates without leading zeros, consecutive heading numbers, titles
within 40 characters and bodies within 3,000.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CN_NUMBERS = "一二三四五六七八九十"

UNITS = [
    "区发展和改革局",
    "区行政审批局",
    "区市场监督管理局",
    "区住房和城乡建设局",
    "区生态环境分局",
    "区人力资源和社会保障局",
    "区卫生健康局",
    "区教育局",
    "区民政局",
    "区应急管理局",
    "区农业农村局",
    "区商务局",
    "区司法局",
    "区财政局",
    "区自然资源分局",
    "区交通运输局",
    "区政务服务中心",
    "区融媒体中心",
    "派驻区委办纪检监察组",
    "长河街道",
    "西兴街道",
    "浦沿街道",
    "白马湖街道",
    "高新区管委会",
    "区税务局",
    "区医疗保障局",
    "区城市管理局",
]
PLACES = [
    "长河街道",
    "西兴街道",
    "浦沿街道",
    "白马湖街道",
    "滨文社区",
    "江南社区",
    "新区产业园",
    "高新区",
    "滨江新城",
    "东信大道沿线",
    "区政务服务中心",
    "智慧新天地",
]
TOPICS = [
    "一窗受理",
    "最多跑一次",
    "营商环境优化",
    "基层减负",
    "网格化管理",
    "安全生产专项整治",
    "垃圾分类",
    "老旧小区改造",
    "重点项目攻坚",
    "乡村振兴",
    "民生实事",
    "数字化改革",
    "清廉机关建设",
    "信访积案化解",
    "企业服务",
    "人才引育",
    "河湖长制",
    "文明城市创建",
    "社区居家养老",
    "校园安全",
    "食品安全",
    "消防隐患排查",
    "减税降费",
    "就业帮扶",
]
SLOGANS = [
    "三张清单",
    "四个一",
    "五个到位",
    "一件事",
    "双随机、一公开",
    "红黄蓝",
    "周例会、月通报",
    "首问负责",
    "容缺受理",
    "马上办",
    "吹哨报到",
    "三色预警",
]
LEADS = ["今年以来", "近年来", "自专项行动开展以来", "{year}年以来", "上半年", "第一季度以来"]
VERBS = ["聚焦", "围绕", "紧扣", "立足", "坚持"]
GOALS = [
    "群众急难愁盼问题",
    "企业反映集中的堵点难点",
    "年度目标任务",
    "区委、区政府决策部署",
    "高质量发展要求",
    "基层治理短板",
    "办事难、办事慢问题",
    "安全风险隐患",
]
ACTIONS = [
    "建立问题清单",
    "压实工作责任",
    "优化办事流程",
    "强化督查考核",
    "完善长效机制",
    "加强队伍建设",
    "整合窗口资源",
    "推行容缺受理",
    "开展上门服务",
    "健全会商机制",
    "细化任务分工",
    "畅通反馈渠道",
    "建立工作台账",
    "推进数据共享",
    "实行挂图作战",
    "落实包干责任",
    "组织业务培训",
    "开展交叉检查",
    "完善应急预案",
    "推动关口前移",
]
MEANS = [
    "做到底数清、情况明",
    "确保事事有着落、件件有回音",
    "形成闭环管理",
    "实现问题动态清零",
    "推动工作提质增效",
    "切实把好事办好、实事办实",
    "做到早发现、早报告、早处置",
    "让群众少跑腿、数据多跑路",
]
EFFECTS = [
    "群众满意率达到{p}%",
    "平均办理时限压缩{p}%",
    "共走访企业{n}家",
    "解决实际问题{n}个",
    "投入资金{d}万元",
    "排查整改隐患{n}处",
    "受理各类诉求{n}件",
    "办结率达{p}%",
    "惠及群众{n}余户",
    "新增就业岗位{n}个",
    "培训业务骨干{n}人次",
    "化解矛盾纠纷{n}起",
]
HEAD1 = [
    "{act}，{means}",
    "坚持问题导向，{act}",
    "突出重点环节，{act}",
    "强化统筹协调，{act}",
    "注重源头治理，{act}",
    "创新工作方法，{act}",
    "加强组织保障，{act}",
]
HEAD2 = ["{act}", "着力{act}", "持续{act}", "全面{act}", "扎实{act}"]
TITLES = [
    "{unit}“{slogan}”推动{topic}落地见效",
    "{place}多措并举推进{topic}",
    "{unit}以{topic}为抓手提升服务效能",
    "{place}探索{topic}新路径",
    "{unit}扎实开展{topic}工作",
    "{place}{topic}取得阶段性成效",
    "{unit}“{slogan}”工作法破解{topic}难题",
]
SUBTITLES = ["{topic}工作纪实", "来自{place}的调查", "{place}{topic}的实践与思考"]
NOTES = [
    "{unit}围绕{topic}，{act}，取得了较好成效，其做法值得各地各部门学习借鉴。",
    "现将{unit}推进{topic}的做法刊发，供各单位参阅。",
]
COLUMNS = ["工作动态", "基层经验", "调研报告"]
TABLE_ROWS = [
    "受理件数",
    "办结件数",
    "平均用时（天）",
    "满意率（%）",
    "走访企业（家）",
    "整改问题（个）",
]

# The first 一级标题 and the lead have no number; heading numbers are typed by the author.
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


@dataclass(frozen=True, slots=True)
class ArticleText:
    title: str
    source: str
    markdown: str
    picture: str | None  # file name under images/ the article refers to, if any


def _fill(template: str, rng: random.Random, year: int) -> str:
    return template.format(
        unit=rng.choice(UNITS),
        place=rng.choice(PLACES),
        topic=rng.choice(TOPICS),
        slogan=rng.choice(SLOGANS),
        act=rng.choice(ACTIONS),
        means=rng.choice(MEANS),
        year=year,
    )


def _date(rng: random.Random, year: int) -> str:
    month = rng.randint(1, 12)
    return f"{year}年{month}月{rng.randint(1, 28)}日"


def _effect(rng: random.Random) -> str:
    return rng.choice(EFFECTS).format(
        p=rng.randint(12, 99), n=rng.randint(3, 900), d=rng.randint(20, 5000)
    )


def sentence(rng: random.Random, year: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return (
            f"{rng.choice(VERBS)}{rng.choice(GOALS)}，{rng.choice(ACTIONS)}，{rng.choice(MEANS)}。"
        )
    if kind == 1:
        return f"截至{_date(rng, year)}，{_effect(rng)}，{_effect(rng)}。"
    if kind == 2:
        return (
            f"{rng.choice(PLACES)}结合实际，{rng.choice(ACTIONS)}、{rng.choice(ACTIONS)}，"
            f"推动{rng.choice(TOPICS)}工作由“被动应对”向“主动作为”转变。"
        )
    if kind == 3:
        return (
            f"针对{rng.choice(GOALS)}，{rng.choice(UNITS)}牵头制定《{rng.choice(TOPICS)}"
            f"工作方案》，明确{rng.randint(3, 30)}项具体举措和完成时限。"
        )
    if kind == 4:
        return f"全年累计{_effect(rng)}，较上年同期增长{rng.randint(3, 60)}.{rng.randint(1, 9)}%。"
    return (
        f"同时，{rng.choice(ACTIONS)}，对{rng.choice(TOPICS)}中发现的问题实行"
        f"“{rng.choice(['销号', '挂账', '督办'])}”管理，{rng.choice(MEANS)}。"
    )


def paragraph(rng: random.Random, year: int, *, enumerate_steps: bool = False) -> str:
    parts = [sentence(rng, year) for _ in range(rng.randint(2, 3))]
    if enumerate_steps:
        steps = ["一是", "二是", "三是", "四是"][: rng.randint(2, 4)]
        parts.append(
            "；".join(f"{step}{rng.choice(ACTIONS)}，{rng.choice(MEANS)}" for step in steps) + "。"
        )
    return "".join(parts)


def table(rng: random.Random, year: int) -> str:
    rows = rng.sample(TABLE_ROWS, rng.randint(3, 5))
    lines = [f"| 指标 | {year - 1}年 | {year}年 | 增减 |", "| --- | ---: | ---: | ---: |"]
    for name in rows:
        before, after = rng.randint(50, 5000), rng.randint(50, 5000)
        change = (after - before) * 100 // before
        lines.append(f"| {name} | {before} | {after} | {change:+d}% |")
    return "\n".join(lines)


def article(
    rng: random.Random,
    year: int,
    *,
    picture: str | None,
    with_table: bool,
    column: str | None,
    used_titles: set[str],
    min_chars: int = 0,
) -> ArticleText:
    """One article file (front matter + body); with *min_chars*, sections are added until the
    body holds at least that many characters (a real-length article is ≈2,000)."""
    title = _fill(rng.choice(TITLES), rng, year)
    while title in used_titles or len(title) > 38:
        title = _fill(rng.choice(TITLES), rng, year)
    used_titles.add(title)
    source = rng.choice(UNITS)
    front = [f"title: {title}", f"source: {source}"]
    if rng.random() < 0.3:
        front.append(f"subtitle: {_fill(rng.choice(SUBTITLES), rng, year)}")
    if column:
        front.append(f"column: {column}")
    if rng.random() < 0.2:
        front.append(f"note: {_fill(rng.choice(NOTES), rng, year)}")

    lead = rng.choice(LEADS).format(year=year)
    body = [
        f"{lead}，{source}{rng.choice(VERBS)}{rng.choice(TOPICS)}，{rng.choice(ACTIONS)}，"
        f"{rng.choice(MEANS)}。" + paragraph(rng, year)
    ]
    sections = rng.randint(2, 4)
    table_at = rng.randrange(sections) if with_table else -1
    picture_at = rng.randrange(sections) if picture else -1
    for index in range(len(NUMERALS)):
        if index >= sections and sum(map(len, body)) >= min_chars:
            break
        body.append(f"## {NUMERALS[index]}、{_fill(rng.choice(HEAD1), rng, year)}")
        if rng.random() < 0.35:
            for sub in range(rng.randint(2, 3)):
                body.append(f"### （{NUMERALS[sub]}）{_fill(rng.choice(HEAD2), rng, year)}")
                body.append(paragraph(rng, year, enumerate_steps=rng.random() < 0.3))
        else:
            body.append(paragraph(rng, year, enumerate_steps=rng.random() < 0.5))
            if rng.random() < 0.5:
                body.append(paragraph(rng, year))
        if index == table_at:
            body.append(f"{rng.choice(UNITS)}主要工作指标对比如下。")
            body.append(table(rng, year))
        if index == picture_at:
            body.append(
                f"![图为{rng.choice(PLACES)}{rng.choice(TOPICS)}工作现场](images/{picture})"
            )
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"
    return ArticleText(title, source, text, picture)
