"""Audit the 错别字 list against a large dictionary of real Chinese words, and rank characters.

    pip install jieba                      # only for this script: its dictionary, dict.txt
    python bench/words_audit.py DICT       # DICT: a "word frequency [tag]" file (jieba's dict.txt)
    python bench/words_audit.py DICT --chars > briefing/proofread/chars.txt

A word list entry is only as good as its precision: its wrong form must not occur in correct
text. Three ways it could, each checked against the dictionary (≈ 350,000 words with their
frequency in a large corpus):

* the wrong form is itself a word in use (``IN-DICT``: then it is an accepted variant or a
  common slip; each such entry was judged by hand);
* a longer word contains it (``CONTAINED``) and no exception of the entry covers that word;
* it is made of the end of one frequent word and the start of the next (``BOUNDARY``: “严峻”
  + “工作” hold “峻工”); the estimated occurrences per ten million words of text (product of
  the two words' probabilities) are printed with the commonest such pairs not covered by an
  exception.

``--chars`` prints the frequency ranking of the 1,500 commonest characters (each word's
frequency added to each of its characters) in the format of ``chars.txt``.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.proofread.words import Entry, builtin_entries

BOUNDARY_REPORTED = 0.3  # estimated occurrences per ten million words


def read_dictionary(path: Path) -> dict[str, int]:
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            words[parts[0]] = int(parts[1])
    return words


def char_ranking(words: dict[str, int], count: int = 1500) -> str:
    freq: collections.Counter[str] = collections.Counter()
    for word, f in words.items():
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                freq[ch] += f
    return "".join(ch for ch, _ in freq.most_common(count))


def audit(entries: tuple[Entry, ...], words: dict[str, int]) -> list[str]:
    total = sum(words.values())
    ends: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    starts: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for word, f in words.items():
        for k in range(1, min(len(word), 4) + 1):
            ends[word[-k:]].append((f, word))
            starts[word[:k]].append((f, word))
    end_total = {k: sum(f for f, _ in v) for k, v in ends.items()}
    start_total = {k: sum(f for f, _ in v) for k, v in starts.items()}
    lines = []
    for entry in entries:
        wrong, notes = entry.wrong, []
        exceptions = entry.exceptions

        def covered(text: str, exceptions: tuple[str, ...] = exceptions) -> bool:
            return any(e in text for e in exceptions)

        if words.get(wrong, 0) > 3:
            notes.append(f"IN-DICT {words[wrong]}")
        if len(wrong) <= 3:
            longer = sorted(
                ((f, w) for w, f in words.items() if wrong in w and w != wrong and not covered(w)),
                reverse=True,
            )
            if longer and longer[0][0] > 3:
                notes.append("CONTAINED " + " ".join(f"{w}:{f}" for f, w in longer[:4]))
        for k in range(1, len(wrong)):
            a, b = wrong[:k], wrong[k:]
            rate = end_total.get(a, 0) / total * start_total.get(b, 0) / total * 1e7
            if rate < BOUNDARY_REPORTED:
                continue
            pairs = [
                wa + wb
                for _, wa in sorted(ends.get(a, []), reverse=True)[:4]
                for _, wb in sorted(starts.get(b, []), reverse=True)[:4]
                if not covered(wa + wb)
            ]
            notes.append(f"BOUNDARY {a}|{b} {rate:.1f} " + " ".join(pairs[:4]))
        if notes:
            lines.append(f"{wrong} → {entry.right}: " + "; ".join(notes))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dictionary", type=Path)
    parser.add_argument("--chars", action="store_true", help="print chars.txt")
    args = parser.parse_args()
    words = read_dictionary(args.dictionary)
    if args.chars:
        ranking = char_ranking(words)
        print(
            "# 常用汉字，按常用程度排列（1500字）：错别字表（words.txt）的每一条以其中最不常用的字为“锚字”，"
        )
        print("# 扫描时只在锚字处比较条目。字频按 jieba 分词词典（MIT 许可）中各词的词频累计，")
        print("# 由 python bench/words_audit.py --chars DICT 生成。")
        for i in range(0, len(ranking), 50):
            print(ranking[i : i + 50])
        return
    entries = builtin_entries()
    lines = audit(entries, words)
    print("\n".join(lines))
    print(f"\n{len(entries)} entries, {len(lines)} with a note")


if __name__ == "__main__":
    main()
