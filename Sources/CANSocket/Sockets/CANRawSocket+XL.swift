#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import SocketBase

/// CAN XL on CAN_RAW (Linux 6.1 and later): `CAN_RAW_XL_FRAMES`, the VCID options (6.9 and later), and sending
/// and receiving XL frames mixed with classic and FD ones on one socket.
///
/// ```swift
/// let socket = try CANRawSocket(interface: "vcan0")      // vcan0 with MTU 2060: ip link set vcan0 mtu 2060
/// try socket.setXLFrames(true)
/// try socket.send(CANXLFrame(priority: 0x242, serviceDataUnitType: 0x03, acceptanceField: 0x1234, data: [1, 2, 3]))
/// if case .xl(let frame) = try socket.receiveAny().frame { print(frame) }
/// ```
extension CANRawSocket {
    /// CAN_RAW's option 7. The corresponding C constant is `CAN_RAW_XL_FRAMES`.
    static let xlFramesOption = SocketOption<CInt>(level: CCAN_SOL_CAN_RAW, name: 7, label: "CAN_RAW_XL_FRAMES")
    /// CAN_RAW's option 8 (Linux 6.9). The corresponding C constant is `CAN_RAW_XL_VCID_OPTS`.
    static let xlVCIDOptionsName: CInt = 8

    /// Whether `mtu` is a CAN XL interface's (`can_is_canxl_dev_mtu`: `CANXL_MIN_MTU` 76 ... `CANXL_MTU` 2060).
    public static func isXLMTU(_ mtu: Int) -> Bool { (CANXLFrame.minimumMTU...CANXLFrame.mtu).contains(mtu) }

    /// Receives and sends CAN XL frames too. The corresponding C constant is `CAN_RAW_XL_FRAMES`.
    ///
    /// The kernel's CAN XL includes CAN FD, so enabling it enables ``Options/fdFrames`` as well.
    /// - Throws: ``CANXLError/notSupportedByKernel(option:minimum:running:)`` on kernels before 6.1 (which answer
    ///   ENOPROTOOPT); ``SystemCallError`` otherwise.
    public func setXLFrames(_ enabled: Bool) throws {
        do {
            try socket.setOption(Self.xlFramesOption, enabled)
        } catch let error as SystemCallError where error.errno == .protocolNotAvailable {
            throw CANXLError.notSupportedByKernel(option: "CAN_RAW_XL_FRAMES", minimum: "6.1",
                                                  running: LinuxKernelVersion.running?.release ?? "unknown")
        }
        if enabled { try setFDFrames(true) }
    }

    /// Whether the socket has `CAN_RAW_XL_FRAMES` on (`getsockopt`); false on kernels without CAN XL.
    public func xlFramesEnabled() throws -> Bool {
        do {
            return try socket.option(Self.xlFramesOption) != 0
        } catch let error as SystemCallError where error.errno == .protocolNotAvailable {
            return false
        }
    }

    /// Sets how the socket tags sent XL frames and filters received ones by VCID.
    /// The corresponding C constant is `CAN_RAW_XL_VCID_OPTS`.
    /// - Throws: ``CANXLError/notSupportedByKernel(option:minimum:running:)`` on kernels before 6.9;
    ///   ``SystemCallError`` otherwise.
    public func setXLVCIDOptions(_ options: CANXLVCIDOptions) throws {
        do {
            try socket.setOption(level: CCAN_SOL_CAN_RAW, name: Self.xlVCIDOptionsName, label: "CAN_RAW_XL_VCID_OPTS",
                                 array: options.kernelBytes)
        } catch let error as SystemCallError where error.errno == .protocolNotAvailable {
            throw CANXLError.notSupportedByKernel(option: "CAN_RAW_XL_VCID_OPTS", minimum: "6.9",
                                                  running: LinuxKernelVersion.running?.release ?? "unknown")
        }
    }

    // MARK: Sending

    /// Sends a CAN XL frame on the bound interface: `write(2)` of its header and data (12 + `len` bytes).
    /// - Throws: ``CANXLError`` for an interface without an XL MTU or a socket without `CAN_RAW_XL_FRAMES`;
    ///   ``SystemCallError`` from the kernel.
    public func send(_ frame: CANXLFrame, onFullQueue: FullQueuePolicy = .wait(nil)) throws {
        if let mtu, !Self.isXLMTU(mtu) { throw CANXLError.interfaceNotXL(interface: address.interfaceName, mtu: mtu) }
        try sendXL(frame, to: nil, interface: address.interfaceName, onFullQueue: onFullQueue)
    }

    /// Sends a CAN XL frame on a given interface from a socket bound to `any`: `sendto(2)`.
    public func send(_ frame: CANXLFrame, on interface: String, onFullQueue: FullQueuePolicy = .wait(nil)) throws {
        let target = try CANSocketAddress(interface: interface)
        let mtu = try Self.interfaceMTU(of: interface, using: socket)
        guard Self.isXLMTU(mtu) else { throw CANXLError.interfaceNotXL(interface: interface, mtu: mtu) }
        try sendXL(frame, to: target, interface: interface, onFullQueue: onFullQueue)
    }

    /// Sends any frame: classic and FD as ``send(_:onFullQueue:)-(CANFrame,_)``, XL as
    /// ``send(_:onFullQueue:)-(CANXLFrame,_)``.
    public func send(_ frame: CANAnyFrame, onFullQueue: FullQueuePolicy = .wait(nil)) throws {
        switch frame {
        case .can(let frame): try send(frame, onFullQueue: onFullQueue)
        case .xl(let frame): try send(frame, onFullQueue: onFullQueue)
        }
    }

    private func sendXL(_ frame: CANXLFrame, to target: CANSocketAddress?, interface: String, onFullQueue: FullQueuePolicy) throws {
        do {
            try withUnsafeTemporaryAllocation(byteCount: frame.kernelSize, alignment: 8) { buffer in
                let count = frame.encode(into: buffer)
                try transmit(UnsafeRawBufferPointer(rebasing: buffer[..<count]), to: target, onFullQueue: onFullQueue)
            }
        } catch let error as SystemCallError where error.errno == .invalidArgument {
            // raw_sendmsg answers EINVAL for an XL frame on a socket without CAN_RAW_XL_FRAMES: say so.
            if try !xlFramesEnabled() { throw CANXLError.xlFramesNotEnabled(interface: interface) }
            throw error
        }
    }

    // MARK: Receiving

    /// Receives one frame of any kind (classic, FD, or XL with ``setXLFrames(_:)``), following the socket's
    /// timeout mode: one `recvmsg(2)` into a `CANXL_MTU` buffer, with its timestamp and drop count.
    ///
    /// A convenience: each XL frame's data is a new array. For a stream of frames use
    /// ``receive(into:flags:)-(CANAnyFrameBatch,_)`` with a reused ``CANAnyFrameBatch``, which allocates nothing
    /// per frame.
    /// - Throws: ``SystemCallError``, ``SocketTimeoutError``; ``CANFrameError``/``CANXLFrameError`` for bytes
    ///   that are no frame (never from the kernel).
    public func receiveAny() throws -> CANReceivedAnyFrame {
        try withUnsafeTemporaryAllocation(byteCount: CANXLFrame.mtu, alignment: 8) { buffer in
            try withUnsafeTemporaryAllocation(byteCount: CANFrameBatch.controlSize, alignment: 16) { control in
                let message = try socket.receiveMessage(into: buffer, control: control)
                let ifindex = message.address.load(as: sockaddr_can.self).can_ifindex
                let frame = try CANAnyFrame(kernelBytes: UnsafeRawBufferPointer(rebasing: buffer[..<message.count]))
                return received(frame, ifindex: ifindex, flags: message.flags, control: message.controlMessages)
            }
        }
    }

    /// Receives as many frames of any kind as are queued, up to the batch's capacity, with one `recvmmsg(2)`;
    /// waits for the first according to the socket's timeout mode. Nothing is allocated per frame (see
    /// ``CANAnyFrameBatch``).
    /// - Returns: The number of frames now in `batch`.
    @discardableResult
    public func receive(into batch: CANAnyFrameBatch, flags: MessageFlags = []) throws -> Int {
        decode(batch, count: try socket.receive(into: batch.messages, flags: flags))
    }

    /// Receives what is queued, up to the batch's capacity, without waiting: one `recvmmsg(2)` with
    /// `MSG_DONTWAIT`.
    /// - Returns: The number of frames now in `batch`, or ``IOResult/wouldBlock`` when none was queued.
    public func receiveAvailable(into batch: CANAnyFrameBatch) throws -> IOResult<Int> {
        try socket.receiveAvailable(into: batch.messages).map { decode(batch, count: $0) }
    }

    /// Decodes the batch's first `n` messages into its slots; bytes that are no frame (never from the kernel,
    /// or cut by a too small slot) are skipped rather than failing the batch.
    private func decode(_ batch: CANAnyFrameBatch, count n: Int) -> Int {
        batch.count = 0
        for i in 0..<n {
            let message = batch.messages[i]
            guard !message.flags.contains(.truncated),
                  let frame = try? batch.decodeFrame(message.bytes, slot: batch.count) else { continue }
            let ifindex = UnsafeRawPointer(message.address).withMemoryRebound(to: sockaddr_can.self, capacity: 1) { $0.pointee.can_ifindex }
            batch.frames[batch.count] = received(frame, ifindex: ifindex, flags: message.flags, control: message.controlMessages)
            batch.count += 1
        }
        return batch.count
    }

    /// A decoded frame with what the kernel said about it (``details(of:)``, the parser the classic path uses).
    private func received(_ frame: CANAnyFrame, ifindex: CInt, flags: MessageFlags, control: ControlMessages) -> CANReceivedAnyFrame {
        let details = Self.details(of: control)
        return CANReceivedAnyFrame(frame: frame, interface: interfaceName(ifindex), interfaceIndex: ifindex,
                                   timestamp: details.timestamp, origin: .init(flags), dropCount: details.dropCount)
    }
}

/// A frame of any kind as a CAN_RAW socket received it (see ``CANRawSocket/receiveAny()``), with what the kernel
/// said about it, as ``CANReceivedFrame`` has for classic and FD frames.
public struct CANReceivedAnyFrame: Hashable, Sendable {
    /// The frame: classic, FD or XL.
    public var frame: CANAnyFrame
    /// The interface the frame came in on.
    public var interface: String
    /// Its interface index.
    public var interfaceIndex: CInt
    /// The kernel's receive timestamp, from the same `recvmsg`.
    public var timestamp: KernelTimestamp
    /// Who sent it, from the `recvmsg` flags.
    public var origin: CANReceivedFrame.Origin
    /// The socket's running count of frames the kernel dropped for it (`SO_RXQ_OVFL`).
    public var dropCount: UInt32
}
