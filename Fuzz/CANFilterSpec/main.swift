// candump's command-line argument `<ifname>[,<id>:<mask>|,<id>~<mask>|,#<errmask>|,j|,J]*`:
// CANInterfaceFilterSpec(parsing:) on any text; what parses also matches ids without trapping.
import CANSocket
import FuzzSupport

fuzz { bytes in
    guard let spec = try? CANInterfaceFilterSpec(parsing: bytes.text) else { return }
    for id: UInt32 in [0, 0x123, 0x7FF, 0x8000_0123, 0x9FFF_FFFF, 0x4000_0123, 0x2000_0004, 0xFFFF_FFFF] { _ = spec.accepts(id) }
}
