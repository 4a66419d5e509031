#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

// Linux's stand-in for Python's Windows-only socket.share() / socket.fromshare(): pass the descriptor to
// another process over a Unix domain socket with SCM_RIGHTS.
extension Socket {
    /// Sends this socket's descriptor over a connected Unix domain socket (`SCM_RIGHTS`), Python's `share()`.
    ///
    /// The receiving process gets its own descriptor for the same socket with ``init(sharedOver:)``; this socket
    /// stays open and usable here.
    /// - Parameter channel: A connected `AF_UNIX` socket to the receiving process.
    public func share(over channel: Socket) throws {
        let fd = try openDescriptor("share")
        let marker: [UInt8] = [0x53] // one byte: SCM_RIGHTS needs a payload on stream sockets
        try marker.withUnsafeBytes { bytes in
            _ = try channel.sendMessage(bytes, control: [.rights([fd])], flags: .noSignal)
        }
    }

    /// Receives a socket another process sent with ``share(over:)`` (Python's `socket.fromshare`).
    ///
    /// The descriptor arrives close-on-exec; family, type and protocol are detected from it. Any extra
    /// descriptors in the message are closed.
    /// - Parameter channel: A connected `AF_UNIX` socket from the sending process.
    /// - Throws: ``SystemCallError`` (`recvmsg`, `EPROTO`) when the message carried no descriptor.
    public convenience init(sharedOver channel: Socket) throws {
        var byte: UInt8 = 0
        let controlSize = ControlMessages.space(forPayload: MemoryLayout<CInt>.size * 4)
        let control = UnsafeMutableRawBufferPointer.allocate(byteCount: controlSize, alignment: 16)
        defer { control.deallocate() }
        var descriptors: [CInt] = []
        let message = try withUnsafeMutableBytes(of: &byte) { buffer in
            try channel.receiveMessage(into: buffer, control: control)
        }
        for cmsg in message.controlMessages where cmsg.level == SOL_SOCKET && cmsg.type == CSB_SCM_RIGHTS {
            let n = cmsg.data.count / MemoryLayout<CInt>.size
            for i in 0..<n { descriptors.append(cmsg.data.loadUnaligned(fromByteOffset: i * 4, as: CInt.self)) }
        }
        guard let fd = descriptors.first else {
            let reason = message.count == 0 ? "channel closed" : "no descriptor in message"
            throw SystemCallError("fromshare", target: reason, errno: Errno(rawValue: EPROTO))
        }
        for extra in descriptors.dropFirst() { _ = Sys.close(extra) }
        do {
            try self.init(fileDescriptor: fd)
        } catch {
            _ = Sys.close(fd)
            throw error
        }
    }
}
