"""Subcommands beyond check/build/serve/new: `ahp` and `scores`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    ahp = sub.add_parser("ahp", help="检查一个判断矩阵或评价体系文件，输出权重和一致性")
    ahp.add_argument("file", help="YAML 文件：项目的 data/evaluation.yml，或 labels/matrix 形式")
    ahp.add_argument("--json", action="store_true", help="输出 JSON")
    ahp.add_argument("--method", choices=("eigenvector", "geometric"), help="权重算法（默认按文件，否则 eigenvector）")
    ahp.add_argument("--ri", help="随机一致性指标表（默认 saaty）")
    ahp.add_argument("--threshold", help="一致性阈值：数值如 0.1，或 saaty_size")
    ahp.set_defaults(func=cmd_ahp)

    scores = sub.add_parser("scores", help="计算某一期每名党员的五力得分、总分和名次")
    scores.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    scores.add_argument("--period", help="期间：月 2026-09、季度 2026-Q3 或年度 2026（默认 --as-of 所在月）")
    scores.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD）")
    scores.add_argument("--json", action="store_true", help="输出 JSON")
    scores.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    scores.set_defaults(func=cmd_scores)

    from generator.cli.data import register as register_data_commands

    register_data_commands(sub)  # import, export, schema, publish

    from generator.cli.pdf import register as register_pdf
    from generator.tools.synth import register as register_synth

    register_pdf(sub)  # pdf
    register_synth(sub)  # synth

    from generator.cli.calendar import register_plan, register_remind

    register_remind(sub)  # remind
    register_plan(sub)  # plan


def cmd_ahp(args) -> int:
    from generator.compute.ahp import RI_TABLES
    from generator.compute.ahp_tree import all_consistent, analyse_tree, tree_to_json, tree_to_text
    from generator.load.hierarchy import read_hierarchy
    from generator.load.yamlio import read_yaml
    from generator.model.problems import report

    path = Path(args.file)
    if not path.is_file():
        print(f"dangjian: 找不到文件“{args.file}”", file=sys.stderr)
        return 2
    if args.ri and args.ri not in RI_TABLES:
        print(f"dangjian: --ri 可选 {'、'.join(RI_TABLES)}", file=sys.stderr)
        return 2
    threshold = args.threshold
    if threshold and threshold != "saaty_size":
        try:
            threshold = float(threshold)
        except ValueError:
            print("dangjian: --threshold 应是数值（如 0.1）或 saaty_size", file=sys.stderr)
            return 2
    parsed = read_yaml(path, args.file)
    if parsed.value is None:
        print(report(parsed.problems) or f"{args.file}: 文件是空的", file=sys.stderr)
        return 1
    result = analyse_tree(read_hierarchy(parsed.value, method=args.method, ri=args.ri, threshold=threshold))
    if args.json:
        print(json.dumps(tree_to_json(result), ensure_ascii=False, indent=2))
    else:
        print(tree_to_text(result))
    return 0 if all_consistent(result) else 1


def cmd_scores(args) -> int:
    from generator.cli.common import as_of_date, usage_error
    from generator.compute.period import choose_branches, period_scores, scores_json
    from generator.compute.scoring import parse_period, period_containing
    from generator.load.validate import load_project
    from generator.model.problems import report

    as_of = as_of_date(args.as_of)
    period = parse_period(args.period) if args.period else period_containing(as_of, "month")
    if period is None:
        return usage_error(f"--period 应写成 2026-09、2026-Q3 或 2026，实际是“{args.period}”")
    loaded = load_project(Path(args.dir))
    if loaded.problems:
        print(report(loaded.problems), file=sys.stderr)
        return 1
    assert loaded.project is not None  # load_project gives a project whenever it reports no problem
    branches, message = choose_branches(loaded.project, args.branch)
    if message:
        return usage_error(message)
    branch = branches[0]
    result = period_scores(branch, period, as_of)
    scores, roll = result.scores, result.roll
    dims = [d[1] for d in scores.weights.dimensions]
    if args.json:
        print(json.dumps(scores_json(scores, roll), ensure_ascii=False, indent=2))
        return 0
    print(f"{branch.name} {period.label}积分（满分 100）" + (f"，数据截至 {as_of}" if roll.partial else ""))
    print("\t".join(["名次", "姓名", *dims, "AHP得分", "扣分", "总分"]))
    for s in sorted(scores.members, key=lambda s: (not s.eligible, s.rank, s.member)):
        print("\t".join([str(s.rank) if s.eligible else "—", s.name, *(f"{v:.1f}" for v in s.dimension_scores),
                         f"{s.ahp_total:.2f}", f"{s.deductions:g}", f"{s.total:.2f}"]))
    print("金榜题名：" + "、".join(f"{e.rank}. {e.name}" for e in roll.entries))
    return 0
