// Transmit jobs: TX_SETUP, TX_DELETE, TX_READ, TX_SEND.
extension CANBCMSocket {
    /// Starts a cyclic transmit job: `TX_SETUP` with `SETTIMER | STARTTIMER` (the first frame goes out at once).
    ///
    /// With `count` > 0 the job first sends `count` frames every `countInterval` (`ival1`), then every `interval`
    /// (`ival2`; zero stops it there). With several frames, each expiry sends the next one, round robin
    /// (multiplexing). Setting up a job that exists (same key) replaces its frames and restarts its timer.
    /// - Parameters:
    ///   - frames: 1...256 frames, all classic or all CAN FD (then `CAN_FD_FRAME` is set).
    ///   - id: The job's id (`can_id`); by default the first frame's.
    ///   - count: Frames to send at `countInterval` first (`count`).
    ///   - countInterval: Interval of the counted frames (`ival1`).
    ///   - interval: The cyclic interval afterwards (`ival2`).
    ///   - flags: Extra flags: ``BCMFlags/countEvent`` for a `TX_EXPIRED` when the count is done,
    ///     ``BCMFlags/copyID`` to give every frame the job's id.
    /// - Returns: The job's key, for updating, reading and stopping it.
    /// - Throws: ``BCMError`` (no frames, more than 256, mixed kinds, negative intervals, a count without interval),
    ///   ``CANSocketError/frameTooLong(interface:mtu:)`` for FD frames on a classic interface, ``SystemCallError``.
    @discardableResult
    public func startTransmitting(
        _ frames: [CANFrame], id: CANID? = nil, count: UInt32 = 0, countInterval: Duration = .zero,
        interval: Duration, flags: BCMFlags = []
    ) throws -> BCMJobKey {
        guard let first = frames.first else { throw BCMError.noFrames(opcode: .txSetup) }
        let fd = try frameKind(of: frames)
        if count > 0 && countInterval == .zero { throw BCMError.countWithoutInterval(count: count) }
        let rawID = (id ?? first.id).kernelID
        var allFlags = flags.union([.setTimer, .startTimer])
        if fd { allFlags.insert(.fdFrames) }
        try send(BCMMessage(opcode: .txSetup, flags: allFlags, count: count, interval1: countInterval,
                            interval2: interval, rawID: rawID, frames: frames))
        return key(rawID, fd: fd)
    }

    /// Replaces a running job's frames without touching its timer: `TX_SETUP` without `SETTIMER` and
    /// `STARTTIMER`, so the cycle goes on and the next expiry sends the new data.
    ///
    /// The kernel replaces the job's flags with this message's: pass again any you want kept (e.g.
    /// ``BCMFlags/countEvent``).
    /// - Parameters:
    ///   - key: The job, from ``startTransmitting(_:id:count:countInterval:interval:flags:)``.
    ///   - frames: The new frames, of the job's kind; at most as many as the job has (else `E2BIG`).
    ///   - flags: ``BCMFlags/resetMultiplexIndex`` restarts a multiplexed job at its first frame;
    ///     ``BCMFlags/announce`` also sends the new data at once.
    /// - Throws: ``BCMError``, ``SystemCallError``.
    public func updateTransmitting(_ key: BCMJobKey, frames: [CANFrame], flags: BCMFlags = []) throws {
        guard !frames.isEmpty else { throw BCMError.noFrames(opcode: .txSetup) }
        var allFlags = flags.subtracting([.setTimer, .startTimer])
        if key.isFD { allFlags.insert(.fdFrames) }
        try send(BCMMessage(opcode: .txSetup, flags: allFlags, rawID: key.rawID, frames: frames))
    }

    /// Stops and removes a transmit job: `TX_DELETE`.
    /// - Throws: ``SystemCallError`` (`EINVAL` when there is no such job).
    public func stopTransmitting(_ key: BCMJobKey) throws {
        try send(BCMMessage(opcode: .txDelete, flags: key.isFD ? .fdFrames : [], rawID: key.rawID))
    }

    /// Asks for a transmit job's settings and frames: `TX_READ`. The reply arrives as ``BCMEvent/txStatus(_:)``.
    /// - Throws: ``SystemCallError`` (`EINVAL` when there is no such job).
    public func requestTransmitStatus(_ key: BCMJobKey) throws {
        try send(BCMMessage(opcode: .txRead, flags: key.isFD ? .fdFrames : [], rawID: key.rawID))
    }

    /// Sends one frame once, through the broadcast manager: `TX_SEND`.
    /// - Throws: ``CANSocketError/frameTooLong(interface:mtu:)`` for an FD frame on a classic interface, ``SystemCallError``.
    public func sendOnce(_ frame: CANFrame) throws {
        let fd = try frameKind(of: [frame])
        try send(BCMMessage(opcode: .txSend, flags: fd ? .fdFrames : [], rawID: frame.rawID, frames: [frame]))
    }
}
