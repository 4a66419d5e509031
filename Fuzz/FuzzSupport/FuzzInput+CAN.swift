import CANSocket

extension FuzzInput {
    /// The next CAN frame: a selector byte (bit 0: FD; bits 1–7 pick one of `ids`, `can_id` words), a length byte
    /// (classic: 0…8; FD: an index into the FD lengths, with the low nibble of the next byte as flags), the data.
    /// - Returns: nil at the end of the input.
    public mutating func canFrame(ids: [UInt32]) -> CANFrame? {
        guard !isAtEnd else { return nil }
        let selector = byte()
        let id = CANID(kernelID: ids[Int(selector >> 1) % ids.count])
        if selector & 1 != 0 {
            let length = CANFrame.fdLengths[Int(byte() & 0x0F)]
            let flags = CANFDFlags(rawValue: byte() & 0x03)
            return try? CANFrame(fd: id, data: take(length), flags: flags)
        }
        return try? CANFrame(id: id, data: take(Int(byte() % 9)))
    }
}
