/// An argument refused before any system call was made: what it was, the value, and why.
///
/// Distinct from ``SystemCallError``, which always carries an `errno` the kernel reported. Its description reads
/// like `interface name 'averyveryverylongname': longer than 15 bytes (IF_NAMESIZE)`.
public struct InvalidArgumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the argument is, e.g. `"interface name"`, `"timeout"`.
    public var argument: String
    /// The value given, as text.
    public var value: String
    /// Why it was refused.
    public var reason: String

    /// Creates an error for `argument` with `value`, refused for `reason`.
    public init(_ argument: String, value: String, reason: String) {
        self.argument = argument
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(argument) '\(value)': \(reason)" }
}
