extension DecodedPacket {
    /// Decodes an Ethernet II frame held in an array (offsets and ranges refer to the array).
    /// - Throws: the first ``PacketDecodingError`` met.
    public init(parsingEthernetFrame frame: [UInt8]) throws(PacketDecodingError) {
        self.init(decodingEthernetFrame: frame)
        if let error { throw error }
    }

    /// Decodes an Ethernet II frame held in an array as far as it goes; a failure is kept in ``error``.
    public init(decodingEthernetFrame frame: [UInt8]) {
        self = frame.withUnsafeBytes { DecodedPacket(decodingEthernetFrame: $0) }
    }

    /// Decodes a network-layer packet held in an array, given its EtherType.
    /// - Throws: the first ``PacketDecodingError`` met.
    public init(parsingNetworkPacket packet: [UInt8], etherType: EtherType) throws(PacketDecodingError) {
        self = packet.withUnsafeBytes { DecodedPacket(decodingNetworkPacket: $0, etherType: etherType) }
        if let error { throw error }
    }
}

extension TCPHeader {
    /// The options of a header parsed from `bytes`, in order (NOP and EOL included).
    /// - Throws: ``PacketDecodingError`` (layer TCP option) for an option whose length is wrong.
    public func options(in bytes: [UInt8]) throws(PacketDecodingError) -> [TCPOption] {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(PacketDecodingError) in try options(in: raw) }
        }
        return try result.get()
    }
}
