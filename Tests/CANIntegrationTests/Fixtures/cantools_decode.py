"""The reference for candump-swift --dbc: `cantools decode` and cantools' decode_message, in one process.

Importing cantools takes tens of seconds in the VM under TCG, so one run does every job of a test:
    python3 cantools_decode.py JOBS.json
JOBS.json is a list of
    {"decode": [ARGS...], "stdin": IN, "stdout": OUT}  runs cantools' own command line (`cantools decode ARGS`)
                                                        with IN as stdin and OUT as stdout;
    {"check_json": FILE, "dbc": [DBC...]}              checks candump-swift --json objects: for each frame,
                                                        "name", "signals" and "labels" as decode_message gives them
                                                        (the DBC files merged in order, later ones adding messages).
Prints one line per problem and exits 1 if there was any.
"""
import json
import math
import sys

import cantools

problems = []
for job in json.load(open(sys.argv[1])):
    if "decode" in job:
        saved = sys.argv, sys.stdin, sys.stdout
        with open(job["stdin"]) as stdin, open(job["stdout"], "w") as stdout:
            sys.argv, sys.stdin, sys.stdout = ["cantools", "decode"] + job["decode"], stdin, stdout
            try:
                cantools._main()
            except SystemExit as e:
                if e.code:
                    problems.append(f"cantools decode {job['decode']} exited {e.code}")
            finally:
                sys.argv, sys.stdin, sys.stdout = saved
        continue
    db = cantools.database.load_file(job["dbc"][0])
    for path in job["dbc"][1:]:
        db.add_dbc_file(path)
    rows = [json.loads(line) for line in open(job["check_json"])]
    if not rows:
        problems.append("no JSON objects")
    for row in rows:
        frame_id = int(row["id"], 16)
        try:
            message = db.get_message_by_frame_id(frame_id)
        except KeyError:
            if "name" in row or "signals" in row:
                problems.append(f"{row['id']}: no message in the databases, but the object has {row}")
            continue
        data = bytes.fromhex(row["data"])
        if row.get("name") != message.name:
            problems.append(f"{row['id']}: name {row.get('name')!r}, expected {message.name!r}")
            continue
        try:
            values = message.decode(data, decode_choices=False, allow_excess=True)
            named = message.decode(data, decode_choices=True, allow_excess=True)
        except Exception as e:
            if "error" not in row:
                problems.append(f"{row['id']}#{row['data']}: cantools says {e}, the object has no error: {row}")
            continue
        if set(row.get("signals", {})) != set(values):
            problems.append(f"{row['id']}: signals {sorted(row.get('signals', {}))}, expected {sorted(values)}")
            continue
        for name, value in values.items():
            got = row["signals"][name]
            if not isinstance(got, (int, float)) or isinstance(got, bool) or not math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-12):
                problems.append(f"{row['id']} {name}: {got!r}, expected {value!r}")
        labels = {name: str(v) for name, v in named.items() if isinstance(v, cantools.database.namedsignalvalue.NamedSignalValue)}
        if row.get("labels") != labels:
            problems.append(f"{row['id']}: labels {row.get('labels')}, expected {labels}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
