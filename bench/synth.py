"""Deterministic synthetic SKOS graphs for the scale benchmarks (bench/scale.py).

    python3 bench/synth.py --triples 100000 -o /tmp/kos-100k.nt [--seed 1]

Writes N-Triples (UTF-8, one triple a line) holding one skos:ConceptScheme and skos:Concept nodes
``https://example.org/kos/c000123`` with

- ``skos:prefLabel`` @zh and @en, composed from a fixed bilingual vocabulary of the field
  (干部 培训 机制 → "cadre training mechanism"), unique per language;
- 0–2 ``skos:altLabel`` (a zh abbreviation such as 干培机制 and/or an en paraphrase such as
  "mechanism for cadre training"), one on average;
- ``skos:definition`` @zh and @en built from the same words;
- ``skos:inScheme`` and ``skos:notation``;
- a ``skos:broader`` tree filled breadth first (each parent gets 5–15 children) under 8 top
  concepts (``skos:topConceptOf`` / ``skos:hasTopConcept``);
- ``skos:related`` links to random earlier concepts (0–2, one on average).

About 10 triples a concept: 1M triples ≈ 100k concepts.  Generation stops at the first concept
boundary at or after ``--triples``.  Only ``random.Random(seed)`` and lists are used, so the same
seed and size give a byte-identical file on any machine (no set or hash ordering involved).
1M triples take a few seconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

BASE = "https://example.org/kos/"
SCHEME = BASE + "scheme"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
VERSION = 1  # bump when the output changes, so bench/scale.py regenerates its cached files
TOP_CONCEPTS = 8
BRANCHING = (5, 15)

# Words of the field (学习型机关建设), zh → en.  Qualifiers and topics: any of them may precede the head.
WORDS = """
学习 learning|机关 organ|学习型 learning-oriented|组织 organisation|干部 cadre|党员 party-member|团队 team
领导 leadership|群众 public|社会 society|个人 personal|集体 collective|部门 department|单位 unit
基层 grassroots|社区 community|全区 district-wide|全州 prefecture-wide|区域 regional|家庭 family
岗位 post|班组 work-group|党组织 party-organisation|机关干部 organ-cadre|党员干部 party-cadre|青年 youth
领导者 leader|成员 member|公务员 civil-servant|专家 expert|教师 teacher|骨干 core-staff|新任 newly-appointed
终身 lifelong|全民 nationwide|共同 shared|自主 self-directed|主动 proactive|互动 interactive|开放 open
和谐 harmonious|创新 innovation|创造 creative|科学 scientific|综合 integrated|长效 long-term|常态 routine
规范 standardised|系统 systemic|整体 holistic|持续 continuous|数字 digital|网络 online|线上 virtual
现场 on-site|专题 thematic|案例 case|实践 practice|理论 theory|知识 knowledge|信息 information
思想 thinking|理念 idea|文化 culture|精神 spirit|作风 work-style|素质 quality|能力 capability
技能 skill|经验 experience|成果 achievement|绩效 performance|效能 efficiency|质量 quality-assurance
服务 service|公共服务 public-service|政策 policy|法治 rule-of-law|廉政 integrity|党建 party-building
改革 reform|发展 development|经济 economic|生态 ecological|民生 livelihood|治理 governance|决策 decision
管理 management|行政 administrative|考核 assessment|评价 evaluation|激励 incentive|督查 inspection
培训 training|教育 education|读书 reading|交流 exchange|研讨 seminar|观摩 observation|调研 field-research
宣传 publicity|分享 sharing|反思 reflection|总结 review|积累 accumulation|转化 transfer|应用 application
目标 goal|愿景 vision|使命 mission|价值观 values|心智 mental-model|自我超越 personal-mastery
系统思考 systems-thinking|团队学习 team-learning|共同愿景 shared-vision|改善心智 mental-renewal
五项修炼 five-disciplines|树状 tree|根系 root|树干 trunk|枝节 branch|花朵 flower|果实 fruit
营养 nourishment|土壤 soil|阳光 sunlight|灯塔 lighthouse|桥梁 bridge|课堂 classroom|书屋 reading-room
讲堂 lecture-hall|论坛 forum|沙龙 salon|基地 base|中心 centre|学院 academy|大学 university
图书 library|档案 archive|资源 resource|数据 data|课程 course|教材 textbook|题库 question-bank
每月一讲 monthly-lecture|周末 weekend|夜校 evening-school|轮训 rotation-training|挂职 secondment
导师 mentor|结对 pairing|帮扶 assistance|志愿 volunteer|竞赛 competition|评比 appraisal|表彰 commendation
积分 points|档案袋 portfolio|清单 checklist|台账 ledger|标准 standard|指标 indicator|流程 process
信息化 IT-based|智慧 smart|融媒体 converged-media|新时代 new-era|高质量 high-quality|现代化 modernised
乡村振兴 rural-revitalisation|城市更新 urban-renewal|营商环境 business-environment|安全生产 work-safety
应急 emergency|环保 environmental|文明 civility|诚信 credibility|法律 legal|财务 financial|审计 audit
统计 statistical|规划 planning|招商 investment-promotion|科技 technology|人才 talent|青少年 adolescent
老干部 veteran-cadre|妇女 women|工会 trade-union|共青团 youth-league|统战 united-front|民族 ethnic
边境 border|图们江 Tumen-River|延边 Yanbian|钟楼 Zhonglou|常州 Changzhou|长白山 Changbai-Mountain
"""

# Head nouns: every label ends with one.  (zh, en, zh synonym for the alt label, en synonym)
HEADS = """
机制 mechanism|制度 system|体系 framework|模式 model|平台 platform|项目 project|活动 activity
工程 programme|计划 plan|方案 scheme|办法 method|措施 measure|规范 code|标准 norm|工作法 working-method
课程 curriculum|讲座 lecture|论坛 forum|小组 group|团队 team|队伍 corps|中心 centre|基地 base
网络 network|载体 vehicle|阵地 front|品牌 brand|行动 campaign|路径 pathway|模型 model-framework
理念 philosophy|目标 objective|愿景 vision-statement|氛围 atmosphere|文化 culture-of-practice
能力 competence|素养 literacy|意识 awareness|精神 ethos|作风 conduct|效能 effectiveness|成效 outcome
评价 appraisal|考核 review|指标 metric|清单 list|档案 record|报告 report|手册 handbook|指南 guide
问题 problem|对策 remedy|意义 significance|原则 principle|要求 requirement|任务 task|环节 stage
"""

# (zh, en base form, en -ing form) for definitions
VERBS = [("推进", "advance", "advancing"), ("加强", "strengthen", "strengthening"),
         ("完善", "improve", "improving"), ("建立", "establish", "establishing"),
         ("激发", "stimulate", "stimulating"), ("提升", "raise", "raising"),
         ("促进", "promote", "promoting"), ("引导", "guide", "guiding"), ("整合", "integrate", "integrating"),
         ("评价", "evaluate", "evaluating"), ("培育", "cultivate", "cultivating"),
         ("深化", "deepen", "deepening"), ("营造", "foster", "fostering"), ("转化", "convert", "converting"),
         ("凝聚", "unite", "uniting"), ("激励", "motivate", "motivating"), ("规范", "regulate", "regulating"),
         ("共享", "share", "sharing"), ("检验", "test", "testing"), ("总结", "summarise", "summarising")]


def _vocab_pairs(block: str) -> list[tuple[str, str]]:
    """Lines of ``zh en|zh en|…`` items → [(zh, en)]; hyphens in en stand for spaces."""
    out = []
    for line in block.strip().splitlines():
        for item in line.split("|"):
            zh, en = item.strip().split(" ", 1)
            out.append((zh, en.strip().replace("-", " ")))
    return out


def vocabulary() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(qualifiers, heads), each a list of (zh, en) in the order of the text above."""
    return _vocab_pairs(WORDS), _vocab_pairs(HEADS)


def _lit(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}'


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _iri(local: str) -> str:
    return f"<{BASE}{local}>"


def concept_id(i: int) -> str:
    return f"c{i:06d}"


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words, self.heads = vocabulary()
        self.used_zh: dict[str, None] = {}
        self.used_en: dict[str, None] = {}

    def label(self) -> tuple[list[tuple[str, str]], tuple[str, str]]:
        """A unique (qualifiers, head) pair: 1–3 qualifiers (4 after many collisions)."""
        rng = self.rng
        for attempt in range(200):
            n = rng.choices((1, 2, 3), weights=(20, 60, 20))[0] + (1 if attempt >= 50 else 0)
            quals = rng.sample(self.words, n)
            head = rng.choice(self.heads)
            zh = "".join(w[0] for w in quals) + head[0]
            en = " ".join(w[1] for w in quals) + " " + head[1]
            if zh not in self.used_zh and en not in self.used_en:
                self.used_zh[zh] = None
                self.used_en[en] = None
                return quals, head
        raise RuntimeError("could not draw a unique label; enlarge the vocabulary")

    def concept_lines(self, i: int, parent: int | None, related: list[int]) -> list[str]:
        rng = self.rng
        quals, head = self.label()
        zh = "".join(w[0] for w in quals) + head[0]
        en = " ".join(w[1] for w in quals) + " " + head[1]
        en = en[0].upper() + en[1:]
        s = _iri(concept_id(i))
        p = f"<{SKOS}"
        lines = [
            f"{s} {RDF_TYPE} {p}Concept> .",
            f"{s} {p}prefLabel> {_lit(zh, 'zh')} .",
            f"{s} {p}prefLabel> {_lit(en, 'en')} .",
        ]
        alt = rng.choices((0, 1, 2), weights=(25, 50, 25))[0]
        kinds = ["zh", "en"] if alt == 2 else ([rng.choice(("zh", "en"))] if alt == 1 else [])
        for kind in kinds:
            if kind == "zh":
                short = "".join(w[0][0] for w in quals) + head[0]
                if short == zh:  # one one-character-word qualifier: use a paraphrase instead
                    short = head[0] + "(" + "".join(w[0] for w in quals) + ")"
                lines.append(f"{s} {p}altLabel> {_lit(short, 'zh')} .")
            else:
                lines.append(f"{s} {p}altLabel> {_lit(head[1] + ' for ' + ' '.join(w[1] for w in quals), 'en')} .")
        x, y = rng.choice(self.words), rng.choice(self.words)
        verb = rng.choice(VERBS)
        form = rng.randrange(3)
        if form == 0:
            dzh = f"{zh}是指在{x[0]}工作中{verb[0]}{y[0]}的{head[0]}。"
            den = f"{en} is {_a(head[1])} for {verb[2]} {y[1]} in {x[1]} work."
        elif form == 1:
            dzh = f"通过{verb[0]}{y[0]},{zh}推动{x[0]}持续发展。"
            den = f"By {verb[2]} {y[1]}, {en} drives the continuous development of {x[1]}."
        else:
            dzh = f"{zh}以{x[0]}为基础,{verb[0]}{y[0]}。"
            den = f"{en} builds on {x[1]} to {verb[1]} {y[1]}."
        lines += [
            f"{s} {p}definition> {_lit(dzh, 'zh')} .",
            f"{s} {p}definition> {_lit(den, 'en')} .",
            f"{s} {p}inScheme> <{SCHEME}> .",
            f'{s} {p}notation> "{concept_id(i)}" .',
        ]
        if parent is None:
            lines.append(f"{s} {p}topConceptOf> <{SCHEME}> .")
            lines.append(f"<{SCHEME}> {p}hasTopConcept> {s} .")
        else:
            lines.append(f"{s} {p}broader> {_iri(concept_id(parent))} .")
        for j in related:
            lines.append(f"{s} {p}related> {_iri(concept_id(j))} .")
        return lines


def generate(triples: int, seed: int = 1):
    """Yield the N-Triples lines (without newline) of a graph of about ``triples`` triples."""
    gen = Generator(seed)
    rng = gen.rng
    p = f"<{SKOS}"
    head = [
        f"<{SCHEME}> {RDF_TYPE} {p}ConceptScheme> .",
        f"<{SCHEME}> {p}prefLabel> {_lit('学习型机关建设合成概念体系', 'zh')} .",
        f"<{SCHEME}> {p}prefLabel> {_lit('Synthetic learning-oriented organ scheme', 'en')} .",
        f"<{SCHEME}> {p}definition> {_lit(f'为规模测试生成的概念体系(种子 {seed})。', 'zh')} .",
        f"<{SCHEME}> {p}definition> {_lit(f'A concept scheme generated for scale tests (seed {seed}).', 'en')} .",
    ]
    yield from head
    count = len(head)
    parents: list[int] = []  # breadth-first queue of concepts that will receive children
    cursor, quota = 0, 0
    i = 0
    while count < triples:
        if i < TOP_CONCEPTS:
            parent = None
        else:
            if quota == 0:
                quota = rng.randint(*BRANCHING)
            parent = parents[cursor]
            quota -= 1
            if quota == 0:
                cursor += 1
        parents.append(i)
        related: list[int] = []
        if i > 1:
            for _ in range(rng.choices((0, 1, 2), weights=(25, 50, 25))[0]):
                j = rng.randrange(i)
                if j != parent and j not in related:
                    related.append(j)
        lines = gen.concept_lines(i, parent, related)
        count += len(lines)
        yield from lines
        i += 1


def write(path: Path, triples: int, seed: int = 1) -> int:
    """Write the graph to ``path`` (atomically); return the number of triples."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    n = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        buf = []
        for line in generate(triples, seed):
            buf.append(line)
            n += 1
            if len(buf) >= 10_000:
                out.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            out.write("\n".join(buf) + "\n")
    tmp.replace(path)
    return n


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "").replace(",", "")
    mult = 1
    if text.endswith("k"):
        mult, text = 1_000, text[:-1]
    elif text.endswith("m"):
        mult, text = 1_000_000, text[:-1]
    return int(float(text) * mult)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=parse_size, default=100_000, help="about this many triples (10k, 1m, 250000)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="the N-Triples file to write")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    n = write(args.output, args.triples, args.seed)
    print(f"{args.output}: {n:,} triples, {args.output.stat().st_size / 1e6:.1f} MB "
          f"in {time.perf_counter() - start:.1f} s (seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
