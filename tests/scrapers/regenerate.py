"""Rewrite golden JSON after a deliberate change: `python -m tests.scrapers.regenerate [plugin/case ...]`.

Each case keeps its "url"; everything else is replaced by what the plugins extract now. Read the diff.
"""

from __future__ import annotations

import json
import sys

from tests.scrapers.golden import golden_cases, golden_registry, scrape


def main(argv: list[str]) -> int:
    """Regenerate the named cases (all when none are named); print which files changed."""
    wanted = set(argv)
    cases = [case for case in golden_cases() if not wanted or case.id in wanted]
    unknown = wanted - {case.id for case in cases}
    if unknown:
        print(f"no such case: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    registry = golden_registry()
    for case in cases:
        if not case.json_path.exists():
            print(f"skipped {case.id}: write {case.json_path.name} with its url first", file=sys.stderr)
            continue
        old = case.json_path.read_text(encoding="utf-8")
        new = json.dumps(scrape(case, registry), ensure_ascii=False, indent=2) + "\n"
        if new != old:
            case.json_path.write_text(new, encoding="utf-8")
            print(f"rewrote {case.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
