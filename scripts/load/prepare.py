#!/usr/bin/env python3
"""Adds the goals a load run saves: COUNT unit goals in the unit's plan, under its first
board goal, through the API (standard library only). Prints "ID VERSION", one a line."""

import json
import sys
import urllib.request


def call(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def main():
    base, token, unit, year, count = sys.argv[1:6]
    plan = call("GET", f"{base}/api/v1/units/{unit}/plans/{year}", token)

    def boards(goals):
        for g in goals:
            if g["level"] == "board":
                yield g["id"]
            yield from boards(g["children"])

    parent = next(boards(plan["goals"]), None)
    if parent is None:
        sys.exit(f"the plan of unit {unit} for {year} has no board goal to write under")
    for n in range(1, int(count) + 1):
        goal = call("POST", f"{base}/api/v1/units/{unit}/plans/{year}/goals", token, {
            "parent_id": parent,
            "title": f"Lasttestets mål {n}",
            "sections": [{"key": "expected_result", "text": f"Början på mål {n}."}],
        })
        print(goal["id"], goal["version"])


if __name__ == "__main__":
    main()
