#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

extension CANBus {
@Suite("CAN interface control through libsocketcan (VM)", .needsCAN)
struct CANInterfaceTests {
    @Test("up, down and link statistics work on vcan; controller calls say they need a real controller")
    func virtualInterface() throws {
        #expect(try Subprocess.run(["ip", "link", "add", "dev", "vcanctl", "type", "vcan"]).status == 0)
        defer { _ = try? Subprocess.run(["ip", "link", "del", "vcanctl"]) }
        let interface = try CANInterface(named: "vcanctl")
        #expect(interface.isVirtual)
        #expect(try !interface.isUp)
        try interface.bringUp()
        #expect(try interface.isUp)

        let before = try interface.linkStatistics()
        for _ in 0..<3 { #expect(try Subprocess.run(["cansend", "vcanctl", "123#01"]).status == 0) }
        let after = try interface.linkStatistics()
        #expect(after.transmittedPackets - before.transmittedPackets == 3)

        let notSupported: [(String, () throws -> Void)] = [
            ("can_get_state", { _ = try interface.state() }),
            ("can_get_bittiming", { _ = try interface.bitTiming() }),
            ("can_get_berr_counter", { _ = try interface.errorCounters() }),
            ("can_get_clock", { _ = try interface.clockFrequency() }),
            ("can_get_restart_ms", { _ = try interface.restartDelay() }),
            ("can_set_bitrate", { try interface.setBitrate(500_000) }),
            ("can_do_restart", { try interface.restart() }),
        ]
        for (operation, call) in notSupported {
            let error = #expect(throws: CANSocketError.self) { try call() }
            #expect(error == .notSupportedOnVirtualInterface(interface: "vcanctl", operation: operation))
            #expect(error?.description == "\(operation)(vcanctl): not supported on a virtual CAN interface")
        }
        try interface.bringDown()
        #expect(try !interface.isUp)
    }

    @Test("a missing interface is named in the error")
    func missing() {
        let error = #expect(throws: SystemCallError.self) { try CANInterface(named: "vcan9") }
        #expect(error?.description == "if_nametoindex(vcan9): No such device (errno 19)")
    }
}
}
