/// A failed system call: which call, what it was applied to, and the kernel's `errno`.
///
/// Its description reads like `bind(vcan9): No such device (errno 19)`.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call as the user knows it, e.g. `"bind"`, `"setsockopt(CAN_RAW_FILTER)"`.
    public var operation: String
    /// What the call was applied to, e.g. an interface or address; `nil` when there is nothing to name.
    public var target: String?
    /// The error number the kernel reported.
    public var errno: Errno

    /// Creates an error for `operation` on `target` that failed with `errno`.
    public init(_ operation: String, target: String? = nil, errno: Errno) {
        self.operation = operation
        self.target = target
        self.errno = errno
    }

    public var description: String { "\(callText(operation, target)): \(errno) (errno \(errno.rawValue))" }
}

/// A call as error messages name it: `bind(vcan9)`, or the bare operation when there is nothing to name.
func callText(_ operation: String, _ target: String?) -> String {
    target.map { "\(operation)(\($0))" } ?? operation
}
