#!/usr/bin/env python3
"""Reference values from cantools for the CANDatabase tests: one process per test run, one JSON file out.

    cantools_reference.py OUT.json DBC...

For every file: whether cantools loads it (and its error); for every message of a loaded file, payloads
(fixed seed; several per multiplexer value, every value of every multiplexer reached) with
`decode_message` results (values as repr text, names as strings) and `encode_message` of what was decoded
(hex, or null where cantools raises).
"""
import json
import random
import sys
import warnings

import cantools
from cantools.database.namedsignalvalue import NamedSignalValue

warnings.filterwarnings("ignore")
PER_PATH = 2
PLAIN = 8


def start_bit(signal):
    if signal.byte_order == "big_endian":
        return 8 * (signal.start // 8) + (7 - signal.start % 8)
    return signal.start


def put_raw(data, signal, raw):
    """Writes a raw integer into the signal's bits (the same layout cantools decodes)."""
    length = signal.length
    raw &= (1 << length) - 1
    total = len(data) * 8
    if signal.byte_order == "little_endian":
        value = int.from_bytes(data, "little")
        mask = ((1 << length) - 1) << signal.start
        value = (value & ~mask) | (raw << signal.start)
        data[:] = value.to_bytes(len(data), "little")
    else:
        value = int.from_bytes(data, "big")
        shift = total - start_bit(signal) - length
        if shift < 0:
            return
        mask = ((1 << length) - 1) << shift
        value = (value & ~mask) | (raw << shift)
        data[:] = value.to_bytes(len(data), "big")


def mux_raw(signal, mux_id):
    conversion = signal.conversion
    if conversion.choices and mux_id in conversion.choices:
        return mux_id
    try:
        return int(conversion.numeric_scaled_to_raw(mux_id))
    except Exception:
        return mux_id


def paths(message, tree):
    """Every assignment of multiplexer values reachable in the signal tree: lists of (signal, id)."""
    result = [[]]
    for node in tree:
        if isinstance(node, dict):
            for mux_name, children in node.items():
                signal = message.get_signal_by_name(mux_name)
                expanded = []
                for mux_id, subtree in sorted(children.items()):
                    for sub in paths(message, subtree):
                        expanded.append([(signal, mux_id)] + sub)
                result = [r + e for r in result for e in expanded] if len(result) * len(expanded) < 2000 else \
                    [result[i % len(result)] + expanded[i] for i in range(len(expanded))]
    return result


def text(value):
    if isinstance(value, NamedSignalValue):
        return {"label": str(value), "raw": value.value}
    if isinstance(value, float):
        return {"float": repr(value)}
    return {"int": str(value)}


def main():
    out_path, files = sys.argv[1], sys.argv[2:]
    rng = random.Random(20261201)
    result = {"cantools": cantools.__version__, "files": []}
    for path in files:
        entry = {"path": path}
        try:
            db = cantools.database.load_file(path)
        except Exception as error:  # noqa: BLE001 - any failure to load is the reference's answer
            entry["error"] = f"{type(error).__name__}: {str(error)[:200]}"
            result["files"].append(entry)
            continue
        messages = []
        for message in db.messages:
            if message.is_container:
                continue
            cases = []
            n = message.length
            # Fixed patterns reach every signal's extremes (0, all ones, sign bit set or clear); random ones the rest.
            patterns = [bytearray(n), bytearray(b"\xff" * n), bytearray(b"\x80" * n), bytearray(b"\x7f" * n),
                        bytearray(b"\x55" * n), bytearray(b"\xaa" * n)]
            for path_ in paths(message, message.signal_tree):
                for k in range(len(patterns) + (PER_PATH if path_ else PLAIN)):
                    if k < len(patterns):
                        data = bytearray(patterns[k])
                    else:
                        data = bytearray(rng.getrandbits(8) for _ in range(n))
                    for signal, mux_id in path_:
                        put_raw(data, signal, mux_raw(signal, mux_id))
                    case = {"data": data.hex()}
                    try:
                        decoded = message.decode(bytes(data))
                    except Exception as error:  # noqa: BLE001
                        case["decode_error"] = str(error)
                        cases.append(case)
                        continue
                    case["signals"] = {k: text(v) for k, v in decoded.items()}
                    try:
                        case["encoded"] = message.encode(decoded).hex()
                    except Exception as error:  # noqa: BLE001
                        case["encoded"] = None
                        case["encode_error"] = f"{type(error).__name__}: {str(error)[:120]}"
                    cases.append(case)
            messages.append({
                "id": message.frame_id, "extended": message.is_extended_frame, "fd": message.is_fd,
                "name": message.name, "length": message.length,
                "signals": [s.name for s in message.signals], "cases": cases,
            })
        entry["messages"] = messages
        result["files"].append(entry)
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
