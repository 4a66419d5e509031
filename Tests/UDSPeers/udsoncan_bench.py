"""udsoncan's ReadDataByIdentifier round trips per second (kernel ISO-TP connection), for scripts/lib/bench-uds.

    python3 udsoncan_bench.py IFACE TXID RXID DID LENGTH COUNT
"""
import sys, time
import isotp
import udsoncan
from udsoncan.client import Client
from udsoncan.connections import IsoTPSocketConnection

iface, txid, rxid, did, length, count = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), int(sys.argv[4], 16), int(sys.argv[5]), int(sys.argv[6])


class Raw(udsoncan.DidCodec):
    def encode(self, *values): return bytes(values[0])
    def decode(self, payload): return bytes(payload)
    def __len__(self): return length


config = dict(udsoncan.configs.default_client_config)
config["data_identifiers"] = {did: Raw()}
config["use_server_timing"] = False
config["p2_timeout"] = 2
conn = IsoTPSocketConnection(iface, isotp.Address(isotp.AddressingMode.Normal_11bits, txid=txid, rxid=rxid))
with Client(conn, config=config) as client:
    client.read_data_by_identifier([did])  # warm-up
    start = time.monotonic()
    for _ in range(count):
        client.read_data_by_identifier([did])
    elapsed = time.monotonic() - start
print(f"{count} {elapsed:.6f}")
