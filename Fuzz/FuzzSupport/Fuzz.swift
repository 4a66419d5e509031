#if canImport(Glibc)
import Glibc
#endif
import CFuzzSupport

/// The target the driver calls; set once by ``fuzz(_:)`` before libFuzzer starts (single-threaded).
nonisolated(unsafe) private var currentTarget: ((UnsafeRawBufferPointer) -> Void)?

/// Runs libFuzzer (`LLVMFuzzerRunDriver`) with `target` as `LLVMFuzzerTestOneInput`, then exits with its status.
///
/// libFuzzer's own flags and corpus folders come from the command line (`-max_total_time=10 corpus seeds`).
/// A target reports a broken property with ``require(_:_:)``; a trap or a sanitizer report is a crash too.
/// - Parameter target: Called once per input; the bytes are valid only during the call.
public func fuzz(_ target: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    currentTarget = target
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
}

/// libFuzzer's entry point by name: its archive's own `main` (linked in whole, though SwiftPM's `main` is the one
/// that runs) refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    currentTarget?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Stops the run with `message` when a property a parser promises does not hold (libFuzzer saves the input).
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}
