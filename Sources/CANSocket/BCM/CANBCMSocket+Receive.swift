// Receive jobs: RX_SETUP, RX_DELETE, RX_READ, and the remote-request responder (RX_RTR_FRAME).
extension CANBCMSocket {
    /// Subscribes to an id: `RX_SETUP`. Changes arrive as ``BCMEvent/rxChanged(_:_:)``, a missing frame as
    /// ``BCMEvent/rxTimeout(_:)``.
    ///
    /// With a `mask` frame, only a change in the bits set in the mask's data (or the first reception) is reported;
    /// without one (`RX_FILTER_ID`) every frame with the id is. With `multiplexed` frames the mask's set bits
    /// select the multiplex index and each multiplexed frame is the mask for frames whose index bits match it.
    /// - Parameters:
    ///   - id: The id to watch.
    ///   - mask: The mask frame (its data are bit masks); `nil` to filter by id only.
    ///   - multiplexed: Further filter frames for multiplexed content (at most 256).
    ///   - fd: Watch CAN FD frames (`CAN_FD_FRAME`); with a `mask`, taken from the mask frame.
    ///   - timeout: Report ``BCMEvent/rxTimeout(_:)`` when no frame arrived for this long (`ival1`); the timer
    ///     starts with the first frame (or at once with ``BCMFlags/startTimer``).
    ///   - throttle: At most one `RX_CHANGED` per this interval (`ival2`); changes meanwhile are merged.
    ///   - flags: ``BCMFlags/checkDLC``, ``BCMFlags/announceResume``, ``BCMFlags/noAutoTimer``, ``BCMFlags/startTimer``.
    /// - Returns: The job's key, for reading and stopping it.
    /// - Throws: ``BCMError``, ``SystemCallError``.
    @discardableResult
    public func startReceiving(
        id: CANID, mask: CANFrame? = nil, multiplexed: [CANFrame] = [], fd: Bool = false,
        timeout: Duration = .zero, throttle: Duration = .zero, flags: BCMFlags = []
    ) throws -> BCMJobKey {
        var allFlags = flags
        var frames: [CANFrame] = []
        let isFD: Bool
        if let mask {
            frames = [mask] + multiplexed
            isFD = try frameKind(of: frames)
        } else {
            allFlags.insert(.filterID)
            isFD = fd
        }
        if isFD { allFlags.insert(.fdFrames) }
        try BCMMessage.check(timeout, name: "timeout (ival1)")
        try BCMMessage.check(throttle, name: "throttle (ival2)")
        if timeout != .zero || throttle != .zero { allFlags.insert(.setTimer) }
        try send(BCMMessage(opcode: .rxSetup, flags: allFlags, interval1: timeout, interval2: throttle,
                            rawID: id.kernelID, frames: frames))
        return key(id.kernelID, fd: isFD)
    }

    /// Answers every remote request (RTR frame) for `id` with `reply`, in the kernel: `RX_SETUP` with `RX_RTR_FRAME`.
    /// - Returns: The job's key (its id carries `CAN_RTR_FLAG`), for ``stopReceiving(_:)``.
    /// - Throws: ``BCMError/remoteReplyMustBeClassic`` for an FD or remote reply, ``SystemCallError``.
    @discardableResult
    public func replyToRemoteRequests(for id: CANID, with reply: CANFrame) throws -> BCMJobKey {
        guard !reply.isFD, !reply.isRemote else { throw BCMError.remoteReplyMustBeClassic }
        let rawID = id.kernelID | CANFrame.remoteFlag
        try send(BCMMessage(opcode: .rxSetup, flags: .remoteReply, rawID: rawID, frames: [reply]))
        return key(rawID, fd: false)
    }

    /// Removes a receive job: `RX_DELETE`.
    /// - Throws: ``SystemCallError`` (`EINVAL` when there is no such job).
    public func stopReceiving(_ key: BCMJobKey) throws {
        try send(BCMMessage(opcode: .rxDelete, flags: key.isFD ? .fdFrames : [], rawID: key.rawID))
    }

    /// Asks for a receive job's settings and filter frames: `RX_READ`. The reply arrives as ``BCMEvent/rxStatus(_:)``.
    /// - Throws: ``SystemCallError`` (`EINVAL` when there is no such job).
    public func requestReceiveStatus(_ key: BCMJobKey) throws {
        try send(BCMMessage(opcode: .rxRead, flags: key.isFD ? .fdFrames : [], rawID: key.rawID))
    }
}
