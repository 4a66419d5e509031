/// The result of a non-blocking operation: it either did its work or would have had to wait.
///
/// Non-blocking receives (`MSG_DONTWAIT`, or a descriptor in `O_NONBLOCK`) return ``wouldBlock`` where the
/// kernel reports `EAGAIN`/`EWOULDBLOCK`, instead of throwing it: "nothing queued" is the normal answer of a
/// descriptor a ``Selector`` reported ready a moment ago, not a failure. This is swift-nio's `IOResult`.
@frozen
public enum IOResult<Value> {
    /// The operation could not proceed without waiting. The corresponding C constant is `EAGAIN`.
    case wouldBlock
    /// The operation completed with this value.
    case processed(Value)

    /// The value, or `nil` for ``wouldBlock``.
    @inlinable
    public var value: Value? {
        if case .processed(let value) = self { return value }
        return nil
    }

    /// Transforms a processed value.
    @inlinable
    public func map<T>(_ transform: (Value) throws -> T) rethrows -> IOResult<T> {
        switch self {
        case .wouldBlock: .wouldBlock
        case .processed(let value): .processed(try transform(value))
        }
    }
}

extension IOResult: Sendable where Value: Sendable {}
extension IOResult: Equatable where Value: Equatable {}

extension Result where Failure == Errno {
    /// EAGAIN as ``IOResult/wouldBlock``, any other failure as a ``SystemCallError`` for `operation` on `target`.
    @inline(__always)
    func ioResult(_ operation: @autoclosure () -> String, target: @autoclosure () -> String? = nil) throws(SystemCallError) -> IOResult<Success> {
        switch self {
        case .success(let value): return .processed(value)
        case .failure(.wouldBlock): return .wouldBlock
        case .failure(let errno): throw SystemCallError(operation(), target: target(), errno: errno)
        }
    }
}
