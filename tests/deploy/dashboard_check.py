#!/usr/bin/env python3
"""Checks the Grafana dashboard: valid JSON, every panel has a title and
at least one query, and every bnd_* metric a query names is exported by
some service (names from the sources, passed with --metrics).

  dashboard_check.py deploy/grafana/banditore.json --metrics NAMES.txt
"""
import argparse
import json
import re
import sys


def known(name, metrics):
    return name in metrics or re.sub(r"_(bucket|sum|count)$", "", name) in metrics


def panel_problems(panel, metrics):
    title = panel.get("title") or "?"
    if panel.get("type") == "row":
        return []
    out = [] if panel.get("title") else [f"panel {panel.get('id')}: no title"]
    exprs = [t.get("expr", "") for t in panel.get("targets", [])]
    if not any(exprs):
        out.append(f"panel {title}: no query")
    for e in exprs:
        out += [f"panel {title}: metric {m} is exported by no service"
                for m in set(re.findall(r"\bbnd_[a-z0-9_]+", e)) if not known(m, metrics)]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dashboard")
    ap.add_argument("--metrics", required=True)
    a = ap.parse_args()
    metrics = set(open(a.metrics).read().split())
    try:
        dash = json.load(open(a.dashboard, encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"dashboard_check: {a.dashboard}: {e}")
        return 1
    problems = [] if dash.get("panels") else ["no panels"]
    for p in dash.get("panels", []):
        problems += panel_problems(p, metrics)
    for p in problems:
        print(f"dashboard_check: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
