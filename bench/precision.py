"""Precision of the proofreading rules on real published text, and recall on planted errors.

    python bench/precision.py CORPUS_DIR [--all] [--people auto|none]

CORPUS_DIR holds plain-text files (``*.txt``) of real published Chinese text: edited,
printed text, so every finding of a rule there is a candidate false alarm to judge by hand
(results in ``bench/PRECISION.md``). Each file is read as one Markdown article body. Only
the rules of round two (T110–T113, C304, C309–C312) are listed unless ``--all``.

``--people auto`` (the default) builds a people register from the text itself: every name
printed right after a title and before a verb of reporting (主持、强调、表示……), with that
title. Published pages print each person's title consistently, so C311 and C312 findings
against this register are false alarms, and the rules are exercised on real names and
titles without copying any into the project.

Recall: ``planted`` below is a set of sentences written for this benchmark, each with one
planted error (and the code that must report it) or none (an empty code: the sentence is
correct and must stay clean). Run with ``--planted`` alone to print the recall table.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.markdown import parse_body
from briefing.model import Article, CheckSettings, Person, SourceText
from briefing.proofread import proofread_article
from briefing.proofread.people import TITLE, TITLE_WORDS, _shown_title, titles_before
from briefing.rules import Reporter

ROUND_TWO = ("T110", "T111", "T112", "T113", "C304", "C309", "C310", "C311", "C312")
REPORTING = "主持|强调|表示|介绍|指出|要求|出席|参加|带队|调研|讲话|说|一行"
SPEAKER = re.compile(rf"(?:{TITLE_WORDS})([\u4e00-\u9fff]{{2,3}}?)(?=等?(?:{REPORTING}))")


def article(text: str, path: Path) -> Article:
    body = SourceText(text, path, 1)
    blocks, _ = parse_body(body, path.parent)
    return Article(path=path, title="基准", source=None, blocks=blocks, body=body, fields={})


def auto_register(texts: list[str]) -> tuple[Person, ...]:
    """Names printed as ``<title><name><verb>``, each with its fullest printing of titles
    (the longest chain of “、”-joined titles before it), as a register would list them.
    The other printings of the same person must then pass C311 as shortened forms."""
    fullest: dict[str, list[str]] = {}
    for text in texts:
        for match in SPEAKER.finditer(text):
            name = match.group(1)
            printed = [_shown_title(p) for p in titles_before(text, match.start(1))]
            if sum(map(len, printed)) > sum(map(len, fullest.get(name, []))):
                fullest[name] = printed
    return tuple(Person(name, tuple(t)) for name, t in sorted(fullest.items()))


def findings(text: str, path: Path, checks: CheckSettings) -> list:
    reporter = Reporter()
    proofread_article(article(text, path), reporter, checks)
    return reporter.sorted()


def line_of(text: str, line: int) -> str:
    return text.split("\n")[line - 1]


def corpus_report(folder: Path, *, every_rule: bool, people: str) -> None:
    files = sorted(folder.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    register = auto_register(texts) if people == "auto" else ()
    checks = CheckSettings(people=register)
    print(f"register ({len(register)} people, derived from the text): ", end="")
    print("; ".join(f"{p.name}: {'/'.join(p.titles)}" for p in register) or "none")
    counts: Counter[str] = Counter()
    chars = 0
    for file, text in zip(files, texts, strict=True):
        chars += len(text)
        for d in findings(text, file, checks):
            if not every_rule and d.code not in ROUND_TWO:
                continue
            counts[d.code] += 1
            context = line_of(text, d.line)[max(0, d.column - 12) : d.column + 12]
            print(f"{file.name}:{d.line}:{d.column}: {d.code} {d.message}\n    …{context}…")
    print(f"\n{len(files)} files, {chars:,} characters")
    for code in sorted(set(ROUND_TWO) | set(counts)):
        print(f"{code}: {counts.get(code, 0)} findings")
    print("what the rules examined (a finding could have come from each):")
    for what, count in opportunities(texts, register).items():
        print(f"  {what}: {count}")


def opportunities(texts: list[str], register: tuple[Person, ...]) -> dict[str, int]:
    """How often the text gave each new rule something to judge: positions where a word-list
    entry was compared, numbers joined by a connector, numbers with 十/百/千 or a Chinese
    numeral next to a digit, amounts in 万/亿, the context words, listed names and titles."""
    from briefing.proofread import numbers, words

    listed = words.word_list()
    out: Counter[str] = Counter()
    for text in texts:
        for pattern, _ in listed._anchors:
            out["word list: anchor positions compared"] += len(pattern.findall(text))
        out["numbers joined by a connector (-～—…)"] += len(numbers.RANGE.findall(text))
        out["years written with four numerals (T112 compares their forms)"] += len(
            re.findall(r"[0-9〇○零一二三四五六七八九]{4}年", text)
        )
        out["十百千 next to a digit"] += len(re.findall(r"[0-9][十百千]|[十百千][0-9]", text))
        out["amounts in 万/亿 with a unit"] += len(numbers.AMOUNT.findall(text))
        out["context words (截止 截至 反应 渡过 度过 必需)"] += sum(
            text.count(rule.word) for rule in words.CONTEXT_RULES
        )
        out["listed names printed"] += sum(text.count(p.name) for p in register)
        out["titles printed (C312 looks beside each)"] += len(
            [m for m in TITLE.finditer(text) if m.group() != "同志"]
        )
    return dict(out)


# Planted errors: (sentence, code that must be reported, or "" for a correct sentence).
PLANTED: list[tuple[str, str]] = [
    ("新建的文体中心已于上月峻工，即将投入使用。", "C309"),
    ("面对困难，基层干部没有一愁莫展，而是主动想办法。", "C309"),
    ("对拒不整改的企业下达最后通谍。", "C309"),
    ("这份材料汇集了各地经验的精萃。", "C309"),
    ("临时拼起来的方案只能凑和着用。", "C309"),
    ("街道建立了问题台帐，逐项销号。", "C309"),
    ("全体干部再接再励，力争全年目标提前完成。", "C309"),
    ("各部门要严于律已，带头遵守纪律。", "C309"),
    ("会议布署了下一阶段的防汛工作。", "C309"),
    ("该项目一如继往地得到市里支持。", "C309"),
    ("社区组织志愿者开展核算检测服务。", "C309"),
    ("今年以来，全区拔付救助资金一千余万元。", "C309"),
    ("截止目前，已完成年度任务的八成。", "C310"),
    ("截止11月底，共受理申请三百余件。", "C310"),
    ("报名的截至日期为本月二十日。", "C310"),
    ("群众可以通过热线反应问题。", "C310"),
    ("老人们在社区渡过了一个温馨的春节。", "C310"),
    ("各单位必需加强值班值守。", "C310"),
    ("1-10月，全区固定资产投资增长明显。", "T110"),
    ("2019-2021年，累计改造老旧小区四十个。", "T110"),
    ("企业用电量同比增长10%-15%。", "T110"),
    ("力争用3—5年时间建成示范区。", "T110"),
    ("每户补助3～5万元。", "T111"),
    ("合格率提高10～20%。", "T111"),
    ("全镇共有3千余名志愿者参与。", "T112"),
    ("项目惠及5百多户居民。", "T112"),
    ("二0一九年以来，该镇持续推进整治。", "T112"),
    ("全年投入1.2亿元，其中民生项目35000万元。", "T113"),
    ("20191-3月，共办理业务两千余件。", "C304"),
    ("区委副书记王建国主持会议。", "C311"),
    ("区委书记王建华出席并讲话。", "C312"),
    # correct sentences: nothing may be reported
    ("项目于今年5月竣工，截至目前运行良好。", ""),
    ("申报截止日期为6月30日，逾期不再受理。", ""),
    ("面对严峻工作形势，全体干部迎难而上。", ""),
    ("布局紧凑和合理是本次设计的亮点。", ""),
    ("1—10月，全区固定资产投资增长明显。", ""),
    ("2019—2021年，累计改造老旧小区四十个。", ""),
    ("企业用电量同比增长10%～15%。", ""),
    ("每户补助3万～5万元，共惠及5000余户。", ""),
    ("全年投入1.2亿元，其中民生项目3500万元。", ""),
    ("全镇常住人口3.2万人，农业产值5亿元。", ""),
    ("新建输电线路12千米，容量10千伏。", ""),
    ("详见附表2-3和图2-8。", ""),
    ("他们各自已经完成了任务。", ""),
    ("区委书记王建国主持会议并讲话。", ""),
    ("不良反应情况须及时上报。", ""),
    ("通知已经下发到各村。", ""),
    ("交通迅速恢复，群众生活有序。", ""),
    ("协商确定补偿标准后签订协议。", ""),
    ("2019年12月—2020年3月，开展专项整治。", ""),
    ("7—8月份是汛期，风力可达6～8级。", ""),
    ("窗口办公时间为8:00-17:00，周末轮休。", ""),
    ("气温10～15℃，适宜户外活动。", ""),
    ("面积100～120平方米的户型最受欢迎。", ""),
    ("第1～3名分别获得奖励。", ""),
    ("2022—2023学年共招收新生600人。", ""),
    ("电话0577-88123456，邮编325000。", ""),
    ("于2020-05-01起施行。", ""),
    ("12—2月为冬季用电高峰。", ""),
    ("全市生产总值突破1.2万亿元，增长5.2%。", ""),
    ("城镇新增就业1244万人，年末常住人口1.4亿人。", ""),
    ("建成5G基站3000个，千兆光网覆盖全市。", ""),
    ("召开“十四五”规划中期评估会，第十五届运动会筹备。", ""),
    ("4000可以写作四千，百分之十五的增幅。", ""),
    ("投资1亿零817万元，人口10亿817万5288人。", ""),
    ("2019年12月-2020年3月，开展专项整治。", "T110"),
    ("7-8月份是汛期。", "T110"),
    ("气温10-15℃。", "T110"),
    ("风力可达6—8级。", "T110"),
    ("投入资金1-2亿元。", "T111"),
    ("共有3千8百人参加。", "T112"),
    ("2〇19年工作总结。", "T112"),
    ("交易额12000亿元，突破1万亿元大关。", "T113"),
]
PLANTED_PEOPLE = (Person("王建国", ("区委书记",)),)


def planted_report() -> None:
    checks = CheckSettings(people=PLANTED_PEOPLE)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    false_alarms = 0
    for sentence, code in PLANTED:
        found = {d.code for d in findings(sentence, Path("planted.md"), checks)} & set(ROUND_TWO)
        if code:
            totals[code] += 1
            hits[code] += code in found
            if code not in found:
                print(f"missed {code}: {sentence}")
        elif found:
            false_alarms += 1
            print(f"false alarm {sorted(found)}: {sentence}")
    for code in sorted(totals):
        print(f"{code}: {hits[code]}/{totals[code]} planted errors found")
    clean = sum(1 for _, code in PLANTED if not code)
    print(f"correct sentences with a finding: {false_alarms}/{clean}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--all", action="store_true", help="list every rule's findings")
    parser.add_argument("--people", choices=("auto", "none"), default="auto")
    parser.add_argument("--planted", action="store_true", help="print the recall table")
    args = parser.parse_args()
    if args.planted or args.corpus is None:
        planted_report()
    if args.corpus is not None:
        corpus_report(args.corpus, every_rule=args.all, people=args.people)


if __name__ == "__main__":
    main()
