/// The IPv6 fragment header (RFC 8200 section 4.5).
public struct IPv6FragmentHeader: Hashable, Sendable {
    /// Offset of this fragment's data in units of 8 bytes.
    public var offset: UInt16
    /// The M flag: more fragments follow.
    public var moreFragments: Bool
    /// The identification shared by the fragments of one packet.
    public var identification: UInt32

    /// A fragment header to build; `offset` counts 8-byte units.
    public init(offset: UInt16, moreFragments: Bool, identification: UInt32) {
        self.offset = offset
        self.moreFragments = moreFragments
        self.identification = identification
    }

    /// Reads the 8-byte header at `position`; the caller has checked the bounds.
    init(parsing buffer: UnsafeRawBufferPointer, at position: Int) {
        let field = buffer.u16(position + 2)
        offset = field >> 3
        moreFragments = field & 1 != 0
        identification = buffer.u32(position + 4)
    }

    /// Appends the 8 bytes with `nextHeader` as the protocol that follows.
    public func append(to buffer: inout [UInt8], nextHeader: IPProtocolNumber) {
        buffer.append(nextHeader.rawValue)
        buffer.append(0)
        buffer.appendBigEndian(offset << 3 | (moreFragments ? 1 : 0))
        buffer.appendBigEndian(identification)
    }
}
