/// A response that does not decode: truncated, too long, for another service, or not matching the DID table.
public struct UDSResponseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request as a reader names it (`ReadDataByIdentifier F190`).
    public var request: String
    /// What is wrong, with the byte offset where it matters.
    public var reason: String
    /// The whole response as received.
    public var response: [UInt8]

    public var description: String {
        let shown = response.count > 32 ? Hex.string(response.prefix(32)) + "…" : Hex.string(response)
        return "\(request): \(reason) (response \(response.count) bytes: \(shown))"
    }
}

/// A request that cannot be encoded (a value too large for its field, an empty DID list).
public struct UDSRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    public var request: String
    public var reason: String
    public var description: String { "\(request): \(reason)" }
}
