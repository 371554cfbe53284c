#!/usr/bin/env python3
"""Checks a load run against the audit trail and the final state (standard library only).

Reads the writers' logs (scripts/load/writer.lua), the audit trail of the goals they saved
(`audit_event`, through sqlite3 or psql) and the plan as the API serves it afterwards, and
checks, for every goal:

- the audit trail of its "Förväntat resultat" is one unbroken chain: each `set_text`
  starts from the text the previous one stored, revisions and goal versions go up by one;
- every save a writer was told was accepted (200) is in that chain exactly once, by that
  writer's account, from the version the writer sent, and the answer named the version
  the save made and carried its text; so each accepted save is either the final text or
  was superseded by a later accepted save;
- no save that was refused (409) is in the audit trail, and no text is there that no
  writer sent; a save whose answer never came (the run stopped) may be there only as
  that writer's last;
- the goal's final text and version are the chain's last.

Every answer to a writer must be 200 or 409 (the 50 writers with goals of their own must
never get 409), every read must be 200. Prints plain lines; exits 1 on any failure.
"""

import argparse
import collections
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.request

MARKER = re.compile(r"^writer (\d+) save (\d+)$")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--logs", required=True, help="folder with writer-N.log")
    p.add_argument("--goals", required=True, help="goal ids (and versions), one a line")
    p.add_argument("--shared-first", type=int, required=True,
                   help="number of the first writer of the shared goal")
    p.add_argument("--actors", required=True,
                   help="emails of the tokens' accounts, comma-separated, in token order")
    p.add_argument("--base", required=True, help="the server, http://127.0.0.1:PORT")
    p.add_argument("--token", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--year", required=True)
    db = p.add_mutually_exclusive_group(required=True)
    db.add_argument("--sqlite", help="path of the SQLite file")
    db.add_argument("--postgres", help="postgres:// URL, read with psql")
    return p.parse_args()


def audit_rows(args, goals):
    """(id, actor, action, entity, entity_id, before_json, after_json) of the goals' saves."""
    names = [str(g) for g in goals] + [f"{g}/expected_result" for g in goals]
    sql = (
        "SELECT id, actor, action, entity, entity_id, before_json, after_json FROM audit_event "
        "WHERE ((entity = 'goal' AND action = 'update') OR (entity = 'goal_text' AND action = 'set_text')) "
        "AND entity_id IN (" + ",".join(f"'{n}'" for n in names) + ") ORDER BY id"
    )
    if args.sqlite:
        con = sqlite3.connect(f"file:{args.sqlite}?mode=ro", uri=True)
        try:
            return [tuple(r) for r in con.execute(sql)]
        finally:
            con.close()
    # psql: one JSON array per row, so that no text needs unquoting.
    out = subprocess.run(
        ["psql", args.postgres, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c",
         f"SELECT json_build_array(id, actor, action, entity, entity_id, before_json, after_json) "
         f"FROM ({sql}) AS s ORDER BY id"],
        check=True, capture_output=True, text=True).stdout
    return [tuple(json.loads(line)) for line in out.splitlines() if line.strip()]


def final_state(args):
    """goal id -> (version, expected_result text) as the API serves the plan now."""
    req = urllib.request.Request(
        f"{args.base}/api/v1/units/{args.unit}/plans/{args.year}",
        headers={"Authorization": f"Bearer {args.token}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        plan = json.load(r)
    found = {}

    def walk(goals):
        for g in goals:
            text = next((s["text"] for s in g["sections"] if s["key"] == "expected_result"), "")
            found[g["id"]] = (g["version"], text)
            walk(g["children"])

    walk(plan["goals"])
    return found


class Writer:
    def __init__(self, number):
        self.number = number
        self.goal = None
        self.sends = []            # (save, version) in order
        self.results = {}          # save -> ("ok", sent, returned, echo) | ("conflict", sent) | ("fail", status)
        self.reads = collections.Counter()   # status -> count


def read_logs(folder, count):
    writers = {}
    for n in range(1, count + 1):
        w = Writer(n)
        with open(f"{folder}/writer-{n}.log", encoding="utf-8") as f:
            for line in f:
                p = line.split()
                if not p:
                    continue
                if p[0] == "writer":
                    w.goal = int(p[3])
                elif p[0] == "send":
                    w.sends.append((int(p[1]), p[2]))
                elif p[0] == "ok":
                    w.results[int(p[1])] = ("ok", p[2], p[3], p[4])
                elif p[0] == "conflict":
                    w.results[int(p[1])] = ("conflict", p[2])
                elif p[0] == "fail":
                    w.results[int(p[1])] = ("fail", p[2])
                elif p[0] == "read":
                    w.reads[p[1]] += 1
        writers[n] = w
    return writers


def main():
    args = parse_args()
    goals = [int(line.split()[0]) for line in open(args.goals, encoding="utf-8") if line.strip()]
    shared_goal = goals[-1]
    count = len([f for f in os.listdir(args.logs) if re.match(r"writer-\d+\.log$", f)])
    actors = args.actors.split(",")
    failures = []

    def fail(msg):
        failures.append(msg)
        print(f"FAIL {msg}")

    writers = read_logs(args.logs, count)
    accepted = conflicts = unknown = 0
    for w in writers.values():
        expected_goal = shared_goal if w.number >= args.shared_first else goals[w.number - 1]
        if w.goal != expected_goal:
            fail(f"writer {w.number} saved goal {w.goal}, not {expected_goal}")
        for status, n in w.reads.items():
            if status != "200":
                fail(f"writer {w.number}: {n} reads of the plan answered {status}")
        for save, _ in w.sends:
            r = w.results.get(save)
            if r is None:
                unknown += 1
            elif r[0] == "ok":
                accepted += 1
            elif r[0] == "conflict":
                conflicts += 1
                if w.number < args.shared_first:
                    fail(f"writer {w.number} save {save}: 409 on a goal no one else writes")
            else:
                fail(f"writer {w.number} save {save}: answered {r[1]} (only 200 or 409 may be)")

    rows = audit_rows(args, goals)
    texts = collections.defaultdict(list)    # goal -> set_text rows
    updates = collections.defaultdict(list)  # goal -> update rows
    for (_id, actor, action, entity, entity_id, before, after) in rows:
        if action == "set_text":
            texts[int(entity_id.split("/")[0])].append((actor, json.loads(before) if before else None, json.loads(after)))
        else:
            updates[int(entity_id)].append((actor, json.loads(before) if before else None, json.loads(after)))

    final = final_state(args)
    seen = set()   # (writer, save) found in the audit trail
    for goal in goals:
        chain = texts[goal]
        ups = updates[goal]
        if not chain:
            fail(f"goal {goal}: no text in the audit trail")
            continue
        # The first set_text is the goal's creation (before is empty); the saves follow,
        # each with its goal update in the same transaction.
        saves = chain[1:]
        if len(saves) != len(ups):
            fail(f"goal {goal}: {len(saves)} texts saved but {len(ups)} goal updates in the audit trail")
        for i, (actor, before, after) in enumerate(chain[1:], start=1):
            prev = chain[i - 1][2]
            if before is None or before["body"] != prev["body"]:
                fail(f"goal {goal}: save {i} in the audit trail started from {before and before['body']!r}, "
                     f"not from the text stored before it, {prev['body']!r}")
            if after["revision"] != prev["revision"] + 1:
                fail(f"goal {goal}: revision {after['revision']} follows {prev['revision']}")
        for i in range(1, len(ups)):
            if ups[i][1]["version"] != ups[i - 1][2]["version"]:
                fail(f"goal {goal}: update {i} started from version {ups[i][1]['version']}, "
                     f"not {ups[i - 1][2]['version']}")
        for up in ups:
            if up[2]["version"] != up[1]["version"] + 1:
                fail(f"goal {goal}: an update moved version {up[1]['version']} to {up[2]['version']}")
        last_by = {}
        for i, (actor, before, after) in enumerate(saves):
            m = MARKER.match(after["body"])
            if not m:
                fail(f"goal {goal}: a text no writer sent: {after['body']!r}")
                continue
            wn, save = int(m.group(1)), int(m.group(2))
            w = writers.get(wn)
            if w is None or w.goal != goal:
                fail(f"goal {goal}: {after['body']!r} is not this goal's writer's")
                continue
            if (wn, save) in seen:
                fail(f"goal {goal}: {after['body']!r} stored twice")
            seen.add((wn, save))
            if last_by.get(wn, 0) >= save:
                fail(f"goal {goal}: writer {wn}'s saves stored out of order ({save} after {last_by[wn]})")
            last_by[wn] = save
            want_actor = actors[wn % len(actors)]
            if actor != want_actor:
                fail(f"goal {goal}: {after['body']!r} stored as {actor}, not {want_actor}")
            r = w.results.get(save)
            if r is None:
                if save != w.sends[-1][0]:
                    fail(f"goal {goal}: {after['body']!r} stored, but its writer never heard and went on")
                continue
            if r[0] != "ok":
                fail(f"goal {goal}: {after['body']!r} stored, but its writer was answered {r[0]} {r[1]}")
                continue
            if i < len(ups):
                made_from, made = ups[i][1]["version"], ups[i][2]["version"]
                if str(made_from) != r[1]:
                    fail(f"goal {goal}: {after['body']!r} was sent with version {r[1]} "
                         f"but saved over version {made_from}")
                if str(made) != r[2]:
                    fail(f"goal {goal}: {after['body']!r} made version {made} "
                         f"but the answer said version {r[2]}")
            if r[3] != "1":
                fail(f"goal {goal}: the answer to {after['body']!r} did not carry its text")
        # The final state is the chain's last.
        if goal not in final:
            fail(f"goal {goal}: not in the plan afterwards")
            continue
        version, text = final[goal]
        if text != chain[-1][2]["body"]:
            fail(f"goal {goal}: the plan shows {text!r}, but the last save stored {chain[-1][2]['body']!r}")
        if ups and version != ups[-1][2]["version"]:
            fail(f"goal {goal}: the plan shows version {version}, the last save made {ups[-1][2]['version']}")

    # Every accepted save is in the trail; no refused one is.
    lost = 0
    for w in writers.values():
        for save, _ in w.sends:
            r = w.results.get(save)
            if r and r[0] == "ok" and (w.number, save) not in seen:
                lost += 1
                fail(f"writer {w.number} save {save} was accepted (200) but is not in the audit trail")
            if r and r[0] == "conflict" and (w.number, save) in seen:
                fail(f"writer {w.number} save {save} was refused (409) but is in the audit trail")

    shared_ok = sum(1 for w in writers.values() if w.number >= args.shared_first
                    for r in w.results.values() if r[0] == "ok")
    print(f"saves accepted {accepted} (shared goal {shared_ok}), refused with 409 {conflicts}, "
          f"unanswered at the end {unknown}, audit rows {len(rows)}, lost {lost}")
    if accepted == 0 or shared_ok == 0:
        fail("no save was accepted: nothing was tested")
    if failures:
        print(f"check: {len(failures)} failures")
        return 1
    print("check: ok: every accepted save is in the audit trail and the final state follows from it; "
          "every refused save got 409 and is not stored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
