"""udsoncan's client (over can-isotp's kernel ISO-TP socket) drives a UDS server through every service both
support; the expected values come from the server's configuration, given as JSON.

    python3 udsoncan_client.py IFACE TXID RXID FD CONFIG.json IMAGE_SIZE

Prints one line per check; exits non-zero at the first mismatch (AssertionError) or UDS error.
"""
import json, sys, time
import isotp
import udsoncan
from udsoncan.client import Client
from udsoncan.connections import IsoTPSocketConnection
from udsoncan import MemoryLocation, DidCodec

iface, txid, rxid, fd, config_path, image_size = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), sys.argv[4] == "1", sys.argv[5], int(sys.argv[6])
cfg = json.load(open(config_path))


class Raw(DidCodec):
    def __init__(self, n): self.n = n
    def encode(self, *values): return bytes(values[0])
    def decode(self, payload): return bytes(payload)
    def __len__(self): return self.n


def data(entry):
    return entry["ascii"].encode() if "ascii" in entry else bytes.fromhex(entry["data"])


# F18C answers only after ten responsePending (the keep-alive test's): left out here.
dids = {int(k, 16): data(v) for k, v in cfg["dids"].items() if k != "F18C"}
level, sec = next(iter(cfg["security"].items()))
level = int(level, 16)
mask = bytes.fromhex(sec["xor"])


def key(level, seed, params=None):
    return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(seed))


config = dict(udsoncan.configs.default_client_config)
config["data_identifiers"] = {d: Raw(len(v)) for d, v in dids.items()}
config["data_identifiers"][0x4242] = Raw(1)  # the server does not have it: udsoncan needs a codec to send the request
config["input_output"] = {d: Raw(len(v)) for d, v in dids.items() if cfg["dids"][f"{d:04X}"].get("io")}
config["security_algo"] = key
config["use_server_timing"] = False
config["p2_timeout"] = 3
config["request_timeout"] = 20
config["extended_data_size"] = {int(c["code"], 16): max(len(bytes.fromhex(v)) for v in c["extended"].values()) for c in cfg["dtcs"] if c.get("extended")}

sock = isotp.socket(timeout=0.1)
if fd:
    sock.set_ll_opts(mtu=isotp.tpsock.LinkLayerProtocol.CAN_FD, tx_dl=64)
conn = IsoTPSocketConnection(iface, isotp.Address(isotp.AddressingMode.Normal_11bits, txid=txid, rxid=rxid), tpsock=sock)


def check(name, got, want):
    assert got == want, f"{name}: got {got!r}, expected {want!r}"
    print(f"ok {name}", flush=True)


with Client(conn, config=config) as client:
    r = client.change_session(3)
    session = cfg["sessions"]["03"]
    check("session 3 P2", round(r.service_data.p2_server_max * 1000), session["p2_ms"])
    check("session 3 P2*", round(r.service_data.p2_star_server_max * 1000), session["p2_star_ms"])
    client.tester_present()
    print("ok tester present", flush=True)
    r = client.read_data_by_identifier(list(dids))
    for d, v in dids.items():
        check(f"read DID {d:04X}", r.service_data.values[d], v)
    try:
        client.read_data_by_identifier([0x4242])
        raise AssertionError("DID 4242 was answered")
    except udsoncan.exceptions.NegativeResponseException as e:
        check("unknown DID NRC", e.response.code, 0x31)
    client.unlock_security_access(level)
    print("ok security access", flush=True)
    writable = [d for d in dids if cfg["dids"][f"{d:04X}"].get("writable")][0]
    new = bytes((b + 1) & 0xFF for b in dids[writable])
    client.write_data_by_identifier(writable, new)
    check("write DID read back", client.read_data_by_identifier([writable]).service_data.values[writable], new)
    for rid, routine in cfg["routines"].items():
        rid = int(rid, 16)
        check("routine start", client.start_routine(rid).service_data.routine_status_record, bytes.fromhex(routine["start"]))
        check("routine results", client.get_routine_result(rid).service_data.routine_status_record, bytes.fromhex(routine["results"]))
        client.stop_routine(rid)
        print("ok routine stop", flush=True)
    codes = [(int(c["code"], 16), int(c["status"], 16)) for c in cfg["dtcs"]]
    r = client.get_dtc_by_status_mask(0xFF)
    check("DTCs by mask", [(d.id, d.status.get_byte_as_int()) for d in r.service_data.dtcs], codes)
    check("DTC count", client.get_number_of_dtc_by_status_mask(0xFF).service_data.dtc_count, len(codes))
    check("supported DTCs", [d.id for d in client.get_supported_dtc().service_data.dtcs], [c for c, _ in codes])
    first = cfg["dtcs"][0]
    r = client.get_dtc_snapshot_by_dtc_number(int(first["code"], 16), record_number=1)
    snap = r.service_data.dtcs[0].snapshots[0]
    check("DTC snapshot DID", (snap.record_number, snap.did, snap.data), (1, 0xF187, dids[0xF187]))
    r = client.get_dtc_extended_data_by_dtc_number(int(first["code"], 16), record_number=1)
    check("DTC extended data", bytes(r.service_data.dtcs[0].extended_data[0].raw_data), bytes.fromhex(first["extended"]["01"]))
    client.clear_dtc(codes[-1][0])
    check("DTC cleared", [d.id for d in client.get_dtc_by_status_mask(0xFF).service_data.dtcs], [c for c, _ in codes[:-1]])
    client.communication_control(control_type=3, communication_type=1)
    client.control_dtc_setting(2)
    print("ok communication control, control DTC setting", flush=True)
    io = [d for d in dids if cfg["dids"][f"{d:04X}"].get("io")][0]
    r = client.io_control(io, control_param=3, values=[bytes([0x5A] * len(dids[io]))])
    check("IO control status", bytes(r.service_data.decoded_data), bytes([0x5A] * len(dids[io])))
    where = MemoryLocation(0x100, 4, address_format=32, memorysize_format=16)
    client.write_memory_by_address(where, b"\x01\x02\x03\x04")
    check("memory read back", client.read_memory_by_address(where).service_data.memory_block, b"\x01\x02\x03\x04")
    # A download: session 2, blocks of maxNumberOfBlockLength - 2, the counter wrapping 0xFF -> 0x00.
    client.change_session(2)
    client.unlock_security_access(level)
    image = bytes((i * 7 + (i >> 8)) & 0xFF for i in range(image_size))
    base = 0x8000
    start = time.monotonic()
    r = client.request_download(MemoryLocation(base, len(image), address_format=32, memorysize_format=32))
    block = r.service_data.max_length - 2
    seq = 0
    for offset in range(0, len(image), block):
        seq = (seq + 1) & 0xFF
        client.transfer_data(seq, image[offset:offset + block])
    client.request_transfer_exit()
    elapsed = time.monotonic() - start
    print(f"ok download {len(image)} bytes in blocks of {block}, last counter {seq:02X}, {elapsed:.2f} s", flush=True)
    for offset in (0, len(image) // 2 - 100, len(image) - 256):
        got = client.read_memory_by_address(MemoryLocation(base + offset, 256, address_format=32, memorysize_format=16)).service_data.memory_block
        check(f"downloaded bytes at {offset}", got, image[offset:offset + 256])
    r = client.request_upload(MemoryLocation(base, 300, address_format=32, memorysize_format=16))
    up, seq = b"", 0
    while len(up) < 300:
        seq = (seq + 1) & 0xFF
        up += client.transfer_data(seq).service_data.parameter_records
    client.request_transfer_exit()
    check("upload", up, image[:300])
    client.ecu_reset(1)
    print("ok ECU reset", flush=True)
print("done", flush=True)
