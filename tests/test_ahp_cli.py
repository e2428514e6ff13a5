"""`dangjian ahp`: the command a committee uses to check its judgments before committing them."""

from __future__ import annotations

import json
import subprocess

import yaml
from support import AS_OF, REPO, copy_sample, run_cli

EXAMPLES = json.loads((REPO / "tests/data/ahp-examples.json").read_text(encoding="utf-8"))
HOUSE = next(c for c in EXAMPLES["cases"] if c["id"] == "saaty1990_house_criteria_8x8")


def ahp(*args: str) -> subprocess.CompletedProcess:
    return run_cli("ahp", *args, cwd=REPO)


def test_project_hierarchy_json_has_22_leaves_summing_to_one():
    result = ahp("data/evaluation.yml", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["labels"] == ["学习力", "执行力", "创新力", "组织力", "服务力"]
    assert [round(w, 3) for w in data["weights"]] == [0.283, 0.283, 0.123, 0.123, 0.19]
    assert data["consistent"] is True and data["cr"] < 0.1
    assert len(data["leaves"]) == 22
    assert abs(sum(leaf["global"] for leaf in data["leaves"]) - 1) < 1e-9
    assert set(data["children"]) == set(data["labels"])
    first = data["leaves"][0]
    assert first["path"][0] == "学习力" and abs(first["global"] - data["weights"][0] * first["local"]) < 1e-12


def test_inconsistent_plain_matrix_exits_1_and_names_the_judgment(tmp_path):
    path = tmp_path / "house.yml"
    path.write_text(yaml.safe_dump({"labels": HOUSE["labels"], "matrix": HOUSE["matrix_fractions"]}, allow_unicode=True),
                    encoding="utf-8")
    result = ahp(str(path), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert round(data["cr"], 3) == HOUSE["expected_cr"]
    assert data["consistent"] is False
    assert (data["most_inconsistent"]["row"], data["most_inconsistent"]["col"]) == tuple(HOUSE["expected_most_inconsistent_pair"])
    text = ahp(str(path))
    assert text.returncode == 1
    assert "Neighborhood" in text.stdout and "General condition" in text.stdout and "不一致" in text.stdout


def test_geometric_method_option_changes_the_weights(tmp_path):
    path = tmp_path / "house.yml"
    path.write_text(yaml.safe_dump({"labels": HOUSE["labels"], "matrix": HOUSE["matrix_fractions"]}), encoding="utf-8")
    eig = json.loads(ahp(str(path), "--json").stdout)["weights"]
    geo = json.loads(ahp(str(path), "--json", "--method", "geometric").stdout)["weights"]
    assert eig != geo and abs(sum(geo) - 1) < 1e-12


def test_inconsistent_matrix_in_data_fails_check_with_file_line_cr_and_suggestion(tmp_path):

    project = copy_sample(tmp_path / "p")
    path = project / "data/evaluation.yml"
    text = path.read_text(encoding="utf-8")
    # the dimension matrix: 学习力 is now 1/9 of 创新力 — against every other judgment
    old_rows = '  - [1,     1,     2, 2, 2]\n  - [1,     1,     2, 2, 2]\n  - ["1/2", "1/2", 1, 1, "1/2"]\n'
    new_rows = '  - [1,     1,     "1/9", 2, 2]\n  - [1,     1,     2, 2, 2]\n  - [9,     "1/2", 1, 1, "1/2"]\n'
    assert old_rows in text
    path.write_text(text.replace(old_rows, new_rows), encoding="utf-8")
    matrix_line = text.splitlines().index("matrix:") + 1
    result = run_cli("build", project, "--as-of", AS_OF, cwd=REPO, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"data/evaluation.yml:{matrix_line}: 五个维度的判断矩阵不一致：CR = " in result.stderr
    assert "最不一致的判断是第 1 行第 3 列（学习力 比 创新力 = 1/9）" in result.stderr
    assert "建议改为" in result.stderr
    assert not (project / "site").exists()


def test_check_and_ahp_read_cr_threshold_alike(tmp_path):
    """One reader of data/evaluation.yml: a value `ahp` accepts, `check` accepts, and the reverse."""
    import shutil

    for value, ok in (("fixed", True), ("saaty_size", True), ("0.08", True), ("1.5", False), ("strict", False)):
        project = tmp_path / value
        shutil.copytree(REPO / "tests/fixtures/base", project)
        path = project / "data/evaluation.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("cr_threshold: 0.10", f"cr_threshold: {value}"),
                        encoding="utf-8")
        check = run_cli("check", project, cwd=REPO)
        tree = ahp(str(path))
        assert (check.returncode == 0) == ok, (value, check.stderr)
        message = "一致性阈值 cr_threshold 应是 0 到 1 之间的数"
        assert (message in check.stderr) == (message in tree.stdout + tree.stderr) == (not ok), (value, tree.stdout)


def test_a_rater_judgment_too_small_to_compute_is_a_message_at_its_line(tmp_path, run_dangjian):
    """A group judgment with 1e-310 in it stopped `check` with a traceback; now its line says what to write."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(REPO / "tests/fixtures/base", project)
    path = project / "data/evaluation.yml"
    text = path.read_text(encoding="utf-8")
    rows = '  - [1,     1,     2, 2, 2]\n  - [1,     1,     2, 2, 2]\n  - ["1/2", "1/2", 1, 1, "1/2"]\n' \
           '  - ["1/2", "1/2", 1, 1, "1/2"]\n  - ["1/2", "1/2", 2, 2, 1]\n'
    assert "matrix:\n" + rows in text
    raters = ("raters:\n  委员甲:\n" + rows.replace("  - ", "    - ")
              + "  委员乙:\n    - [1, 1.0e-310, 2, 2, 2]\n    - [~, 1, 2, 2, 2]\n    - [~, ~, 1, 1, \"1/2\"]\n"
              "    - [~, ~, ~, 1, \"1/2\"]\n    - [~, ~, ~, ~, 1]\n")
    path.write_text(text.replace("matrix:\n" + rows, raters, 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("    - [1, 1.0e-310, 2, 2, 2]") + 1
    done = run_dangjian("check", project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (f"data/evaluation.yml:{line}: 五个维度（委员乙 的打分）的判断矩阵：第1行第2列：比较值 1e-310 太小，"
            '反过来的比较值超出了能计算的范围：请写 1/9～9 之间的数，如 3 或 "1/3"') in done.stderr
