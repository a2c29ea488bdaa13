"""Search benchmark, run on demand (`python3 bench/bench_search.py`): prints figures, asserts nothing.

build      SearchIndex.build over the loaded catalog (jieba, pypinyin and typo windows included)
search     median time per query, by kind of query (zh, en, pinyin, typo, text, variants a trainer types:
           other measure words, synonyms, a district's name; filtered)
suggest    median time per autocomplete call
nearest    median time per "did you mean" call (the 404 page)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = {
    "zh": ["愿景", "共同愿景", "团队学习机制", "每月一讲", "现场观摩", "学习", "机制"],
    "en": ["vision", "Shared vision", "mechanisms", "team learning", "INNOVATION", "lecture"],
    "pinyin": ["gongtongyuanjing", "gong tong yuan jing", "gòngtóng yuànjǐng", "gtyj", "tuandui xuexi", "xuexi"],
    "typo": ["mechanizm", "shred vision", "tuandui xuexu", "共同远景", "团队习机制", "shared visoin"],
    "text": ["灯塔", "lighthouse", "学习 档案", "一是团队学习机制", "weekend classes"],
    "variants": ["四个学习理念", "4项学习机制", "countermeasures", "issues", "钟楼模式", "Zhonglou model",
                 "第五项修炼", "4 learning ideas"],
    "hostile": ["<img src=x onerror=alert(1)>", "' OR 1=1 --", "a.*(b", "x" * 200],
}
FILTERED = [("学习", {"cls": "ModelComponent"}), ("vision", {"article": "zhonglou"}),
            ("机制", {"cls": "LearningMechanism", "article": "zhonglou"})]
SUGGEST = ["gong", "共同", "mech", "xue", "t", "团队"]
NEAREST = ["mechanism-team-lerning", "discipline-shared-vison", "共同願景", "Team lerning mechanism"]


def per_call(fn, args_list, repeat: int = 30) -> tuple[float, float]:
    """Median and worst of the per-call medians, in milliseconds."""
    medians = []
    for args in args_list:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn(*args)
            runs.append(time.perf_counter() - start)
        medians.append(statistics.median(runs))
    return statistics.median(medians) * 1000, max(medians) * 1000


def main() -> None:
    from kg.catalog import Catalog
    from kg.search.index import SearchIndex
    from kg.store.factory import open_store

    start = time.perf_counter()
    catalog = Catalog.from_store(open_store())
    loaded = time.perf_counter()
    index = SearchIndex.build(catalog)  # first build: pays for jieba's dictionary and pypinyin's tables
    first = time.perf_counter()
    builds = []
    for _ in range(3):
        t = time.perf_counter()
        SearchIndex.build(catalog)
        builds.append(time.perf_counter() - t)
    stats = index.stats()
    print(f"catalog    {(loaded - start) * 1000:8.1f} ms   ({stats['concepts']} concepts)")
    print(f"build      {(first - loaded) * 1000:8.1f} ms first (jieba/pypinyin warm-up), "
          f"median {statistics.median(builds) * 1000:.1f} ms after (3 runs)")
    print("index      " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    for kind, queries in QUERIES.items():
        index.search(queries[0])  # warm
        median, worst = per_call(index.search, [(q,) for q in queries])
        print(f"search     {kind:<8} median {median:6.3f} ms   worst {worst:6.3f} ms   ({len(queries)} queries)")
    median, worst = per_call(lambda q, kw: index.search(q, **kw), FILTERED)
    print(f"search     {'filtered':<8} median {median:6.3f} ms   worst {worst:6.3f} ms   ({len(FILTERED)} queries)")
    median, worst = per_call(index.suggest, [(q,) for q in SUGGEST])
    print(f"suggest    {'':<8} median {median:6.3f} ms   worst {worst:6.3f} ms   ({len(SUGGEST)} queries)")
    median, worst = per_call(index.nearest, [(q,) for q in NEAREST])
    print(f"nearest    {'':<8} median {median:6.3f} ms   worst {worst:6.3f} ms   ({len(NEAREST)} queries)")


if __name__ == "__main__":
    main()
