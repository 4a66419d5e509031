/// A socket in timeout mode waited its whole timeout and the operation could not complete.
///
/// This is Python's `socket.timeout` (`TimeoutError`); it is distinct from ``SystemCallError`` so that
/// `catch is SocketTimeoutError` separates "nothing arrived in time" from real failures.
public struct SocketTimeoutError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation that timed out, e.g. `"recv"`.
    public var operation: String
    /// What the operation was applied to, if anything.
    public var target: String?
    /// The timeout that ran out.
    public var timeout: Duration

    public var description: String { "\(callText(operation, target)): timed out after \(timeout)" }
}
