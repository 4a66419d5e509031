/// A typed constant, a `RawRepresentable` struct with static values like ``AddressFamily``, whose known values
/// have names: the type lists each constant with its name once, in ``names``, and ``knownName`` looks a value
/// up there, instead of every type repeating its raw numbers in a `switch` of its own.
package protocol NamedConstant: Hashable {
    /// The known values and their names.
    static var names: [Self: String] { get }
}

extension NamedConstant {
    /// The value's name in ``names``; nil for a value the table does not list.
    package var knownName: String? { Self.names[self] }
}
