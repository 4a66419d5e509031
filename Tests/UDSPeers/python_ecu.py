"""A small UDS ECU in Python on the kernel's ISO-TP socket (socket.CAN_ISOTP), for our client to run against.

    python3 python_ecu.py IFACE RXID TXID FD

Answers: 10 (P2 50 ms, P2* 5 s), 3E, 22 F190/F187 (F18C after three responsePending, 1 s apart), 27 01/02 (key =
seed XOR 0xA5), 2E 0100, 31 FF00, 19 02, 14, 34/36/37 (checks the counter), 11 (then exits). Prints "ready" once
bound.
"""
import socket, struct, sys, time

iface, rxid, txid, fd = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), sys.argv[4] == "1"
s = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
if fd:
    s.setsockopt(106, 5, struct.pack("BBB", 72, 64, 0))  # SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS
s.bind((iface, rxid, txid))
print("ready", flush=True)

vin = b"PYECU000000000042"
dids = {0xF190: vin, 0xF187: b"\x10\x20\x30", 0x0100: b"\x00\x00", 0xF18C: b"SLOW"}
seed = b"\x01\x02\x03\x04"
unlocked = False
download = None
memory = {}


def send(pdu):
    s.send(bytes(pdu))


while True:
    req = s.recv(70000)
    sid = req[0]
    neg = lambda code: send([0x7F, sid, code])
    if sid == 0x10:
        send([0x50, req[1] & 0x7F, 0x00, 0x32, 0x01, 0xF4])
    elif sid == 0x3E:
        if not req[1] & 0x80:
            send([0x7E, 0x00])
    elif sid == 0x22:
        out = b""
        for i in range(1, len(req), 2):
            did = req[i] << 8 | req[i + 1]
            if did not in dids:
                continue
            if did == 0xF18C:
                for _ in range(3):
                    neg(0x78)
                    time.sleep(1.0)
            out += req[i:i + 2] + dids[did]
        send(b"\x62" + out) if out else neg(0x31)
    elif sid == 0x27:
        if req[1] == 0x01:
            send(b"\x67\x01" + (b"\x00" * 4 if unlocked else seed))
        elif req[1] == 0x02 and req[2:] == bytes(b ^ 0xA5 for b in seed):
            unlocked = True
            send([0x67, 0x02])
        else:
            neg(0x35)
    elif sid == 0x2E:
        did = req[1] << 8 | req[2]
        if not unlocked:
            neg(0x33)
        else:
            dids[did] = req[3:]
            send(req[:3].replace(b"\x2E", b"\x6E", 1))
    elif sid == 0x31:
        send(bytes([0x71]) + req[1:4] + (b"\x00" if req[1] == 1 else b"\xAB\xCD" if req[1] == 3 else b""))
    elif sid == 0x19:
        send(bytes([0x59, 0x02, 0xFF, 0x12, 0x34, 0x56, 0x2F, 0xAB, 0xCD, 0xEF, 0x08]))
    elif sid == 0x14:
        send([0x54])
    elif sid == 0x34:
        size = int.from_bytes(req[3 + (req[2] & 0x0F):], "big")
        download = {"size": size, "next": 1, "data": b""}
        send([0x74, 0x20, 0x0F, 0xFF])
    elif sid == 0x36:
        if download is None:
            neg(0x24)
        elif req[1] != download["next"]:
            neg(0x73)
        else:
            download["data"] += req[2:]
            download["next"] = (download["next"] + 1) & 0xFF
            send([0x76, req[1]])
    elif sid == 0x37:
        ok = download is not None and len(download["data"]) == download["size"]
        if ok:
            print("downloaded %d bytes, sum %d" % (len(download["data"]), sum(download["data"])), flush=True)
        send([0x77]) if ok else neg(0x24)
        download = None
    elif sid == 0x11:
        send([0x51, req[1]])
        break
    else:
        neg(0x11)
