#!/usr/bin/env python3
"""Rewrite the parameter appendix of docs/model.md from data/parameters.csv."""
import csv
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
rows = list(csv.DictReader(l for l in open(root / "data/parameters.csv") if not l.startswith("#")))
head = "## Appendix: every model parameter"
doc = (root / "docs/model.md").read_text()
before = doc.split(head)[0].rstrip() + "\n\n"
after = ""
if head in doc:
    rest = doc.split(head, 1)[1]
    nxt = rest.find("\n## ")
    after = rest[nxt:] if nxt >= 0 else ""
lines = [head, "", "The same as `data/parameters.csv` (a test checks that the two agree).", "",
         "| name | value | unit | range | basis | source |", "|---|---|---|---|---|---|"]
for r in rows:
    lines.append(f"| `{r['name']}` | {r['value']} | {r['unit']} | {r['low']}–{r['high']} | "
                 f"{r['basis']} | {r['source']} |")
(root / "docs/model.md").write_text(before + "\n".join(lines) + "\n" + after)
