import Dispatch
import Synchronization
@testable import UDS

/// A simulator served over an in-memory link on a background thread, with a client on the other end.
final class SimulatorHarness: Sendable {
    let simulator: ECUSimulator
    let client: UDSClient
    let testerEnd: UDSLoopbackTransport
    let ecuEnd: UDSLoopbackTransport
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(_ configuration: ECUSimulatorConfiguration = .sample, timing: UDSTiming = UDSTiming(p2: .milliseconds(500)),
         busyRetryLimit: Int = 3) {
        (testerEnd, ecuEnd) = UDSLoopbackTransport.pair()
        simulator = ECUSimulator(configuration)
        client = UDSClient(transport: testerEnd, timing: timing, busyRetryLimit: busyRetryLimit, busyRetryDelay: .zero,
                           adoptsSessionTiming: false)
        DispatchQueue(label: "simulator").async { [self] in
            try? simulator.serve(on: ecuEnd) { self.stopped.load(ordering: .relaxed) }
            done.signal()
        }
    }

    func stop() {
        client.stopKeepAlive()
        stopped.store(true, ordering: .relaxed)
        done.wait()
    }
}

extension ECUSimulatorConfiguration {
    /// A small ECU: VIN, a writable DID, two sessions, level 1 security, a routine, DTCs and 128 KiB memory.
    static var sample: ECUSimulatorConfiguration {
        var c = ECUSimulatorConfiguration()
        c.dids[0xF190] = .init(Array("WVWZZZ1JZXW000001".utf8))
        c.dids[0xF187] = .init([0x01, 0x02, 0x03, 0x04, 0x05])
        c.dids[0x0100] = .init([0x00, 0x00], writable: true, writeSecurityLevel: 0x01, ioControllable: true)
        c.security[0x01] = .xor(seed: [0x11, 0x22, 0x33, 0x44], mask: [0xA5, 0x5A])
        c.routines[0xFF00] = .init(startStatus: [0x00], results: [0x01, 0x02])
        c.dtcs = [.init(code: 0x123456, status: 0x2F, snapshots: [0x01: [0x01, 0xF1, 0x87, 1, 2, 3, 4, 5]], extendedData: [0x01: [0x05]]),
                  .init(code: 0xABCDEF, status: 0x08)]
        c.memorySize = 128 * 1024
        c.maxNumberOfBlockLength = 130
        c.transferSecurityLevel = 0x01
        return c
    }
}

/// The key for ``ECUSimulatorConfiguration/sample``'s level 1.
func sampleKey(_ seed: [UInt8]) -> [UInt8] {
    seed.enumerated().map { $0.element ^ [0xA5, 0x5A][$0.offset % 2] }
}
