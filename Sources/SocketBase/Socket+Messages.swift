#if canImport(Glibc)
import Glibc
#endif

/// What ``Socket/receiveMessage(into:control:flags:)`` received.
public struct ReceivedMessage {
    /// The number of payload bytes (with `.truncated` in the flags, the datagram's real length).
    public let count: Int
    /// Flags the kernel set (`MSG_TRUNC`, `MSG_CTRUNC`, and for CAN `MSG_DONTROUTE` / `MSG_CONFIRM`).
    public let flags: MessageFlags
    /// The sender's address.
    public let address: AnySocketAddress
    /// The ancillary data, pointing into the control buffer passed in.
    public let controlMessages: ControlMessages
}

extension Socket {
    /// Sends one message with optional destination and control messages: `sendmsg(2)`.
    /// - Returns: The number of bytes sent.
    @discardableResult
    public func sendMessage(
        _ bytes: UnsafeRawBufferPointer, to address: (any SocketAddress)? = nil,
        control: [OutgoingControlMessage] = [], flags: MessageFlags = []
    ) throws -> Int {
        var controlBytes = OutgoingControlMessage.encode(control)
        let destination = address.map { AnySocketAddress($0) }
        var iov = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
        return try withUnsafeMutablePointer(to: &iov) { iovPointer in
            try controlBytes.withUnsafeMutableBytes { controlRaw in
                var header = msghdr()
                header.msg_iov = iovPointer
                header.msg_iovlen = 1
                if !control.isEmpty {
                    header.msg_control = controlRaw.baseAddress
                    header.msg_controllen = controlRaw.count
                }
                let send = { (header: inout msghdr) throws -> Int in
                    try self.io("sendmsg", events: Int16(POLLOUT), target: address?.description) { Sys.sendmsg($0, &header, flags.rawValue) }
                }
                guard let destination else { return try send(&header) }
                return try destination.withSockAddr { addr, len in
                    header.msg_name = UnsafeMutableRawPointer(mutating: addr)
                    header.msg_namelen = len
                    return try send(&header)
                }
            }
        }
    }

    /// Receives one message with its sender and control messages: `recvmsg(2)`.
    ///
    /// - Parameters:
    ///   - buffer: Where the payload goes.
    ///   - control: Where ancillary data goes; size it with ``ControlMessages/space(forPayload:)``.
    ///   - flags: Receive flags; descriptors received with `SCM_RIGHTS` on AF_UNIX sockets are always
    ///     close-on-exec (`MSG_CMSG_CLOEXEC`).
    /// - Returns: The count, flags, sender and a view of the control messages in `control`.
    public func receiveMessage(
        into buffer: UnsafeMutableRawBufferPointer, control: UnsafeMutableRawBufferPointer? = nil,
        flags: MessageFlags = []
    ) throws -> ReceivedMessage {
        switch try receiveMessageResult(into: buffer, control: control, flags: flags) {
        case .processed(let message): return message
        case .wouldBlock: throw SystemCallError("recvmsg", target: label, errno: .wouldBlock)
        }
    }

    /// Receives one message without waiting: `recvmsg(2)` with `MSG_DONTWAIT`.
    /// - Returns: The message as ``receiveMessage(into:control:flags:)`` gives it, or ``IOResult/wouldBlock`` when
    ///   none was queued.
    public func receiveMessageAvailable(
        into buffer: UnsafeMutableRawBufferPointer, control: UnsafeMutableRawBufferPointer? = nil,
        flags: MessageFlags = []
    ) throws -> IOResult<ReceivedMessage> {
        try receiveMessageResult(into: buffer, control: control, flags: flags.union(.dontWait))
    }

    private func receiveMessageResult(
        into buffer: UnsafeMutableRawBufferPointer, control: UnsafeMutableRawBufferPointer?, flags: MessageFlags
    ) throws -> IOResult<ReceivedMessage> {
        var iov = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
        var header = msghdr()
        var count: IOResult<Int> = .wouldBlock
        let address = try AnySocketAddress.fill { addr, len in
            try withUnsafeMutablePointer(to: &iov) { iovPointer in
                header.msg_name = UnsafeMutableRawPointer(addr)
                header.msg_namelen = len
                header.msg_iov = iovPointer
                header.msg_iovlen = 1
                header.msg_control = control?.baseAddress
                header.msg_controllen = control?.count ?? 0
                count = try ioResult("recvmsg") { Sys.recvmsg($0, &header, flags.union(closeOnExecForReceivedDescriptors).rawValue) }
                len = header.msg_namelen
            }
        }
        let controlView = control.map { ControlMessages($0, length: header.msg_controllen) }
            ?? ControlMessages(UnsafeMutableRawBufferPointer(start: nil, count: 0), length: 0)
        return count.map { count in
            ReceivedMessage(count: count, flags: MessageFlags(rawValue: header.msg_flags), address: address,
                            controlMessages: controlView)
        }
    }
}

extension Socket {
    /// `MSG_CMSG_CLOEXEC` on AF_UNIX sockets, the only ones that carry descriptors (`SCM_RIGHTS`); other families
    /// don't need it, and some refuse it (AF_PACKET's `recvmsg` fails with EINVAL on any flag it doesn't know).
    var closeOnExecForReceivedDescriptors: MessageFlags {
        family == .unix ? .controlCloseOnExec : []
    }
}
