#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

/// Whether this machine can run the CAN tests, detected once.
///
/// `scripts/test` runs this target inside a VM with vcan0 (MTU 72) and vcan1 up and `CAN_REQUIRED=1`: then the
/// tests always run, so a missing AF_CAN fails them instead of skipping them. Elsewhere they skip.
enum CANEnvironment {
    /// AF_CAN sockets can be created here.
    static let hasAFCAN: Bool = {
        let fd = socket(29, CInt(SOCK_RAW.rawValue), 1)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }()

    /// The test run demands CAN (set by scripts/test in the VM).
    static let required = getenv("CAN_REQUIRED").map { String(cString: $0) == "1" } ?? false

    /// Run the CAN tests: always when required, otherwise only where AF_CAN and vcan0 exist.
    static let shouldRun = required || (hasAFCAN && if_nametoindex("vcan0") != 0)

    static var packageRoot: String { PackageFiles.root }

    static func product(_ name: String) -> String { PackageFiles.product(name) }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test where CAN is available or required; see ``CANEnvironment``.
    static var needsCAN: Self {
        .enabled(if: CANEnvironment.shouldRun, "needs AF_CAN and vcan0 (runs in the VM via scripts/test)")
    }
}

/// Every suite that uses vcan0/vcan1 nests here: they share the bus, so they run one after another (traffic
/// from one suite's test must not reach another's listeners).
@Suite("CAN bus (VM)", .serialized)
struct CANBus {}
