// Every libc call of the package goes through this file: the whole contact surface with the kernel (sockets,
// files, epoll, signals, clocks, the resolver, interface names) is here, and the other modules reach it through
// SocketBase's public types (Socket, FileDescriptor, Selector, StopSignals, WallClock, NetworkInterface).
//
// One return convention: each wrapper returns `Result<_, Errno>` (or the value when the call cannot fail).
// One EINTR rule: `valueOrErrno` retries it, except for `close` (on Linux the descriptor is gone even when EINTR
// is reported) and the waits, whose callers retry with the time that is left. Would-block is not an error at
// this level's callers: `Socket.ioResult` and `FileDescriptor` turn EAGAIN into `IOResult.wouldBlock`.
//
// Why not apple/swift-system (1.8): SocketBase already has a public `Errno` that every module's errors carry;
// swift-system's `FileDescriptor` is a non-owning value (no close on deinit, no close-after for sockets), it has
// no socket, recvmmsg, epoll, eventfd or signal calls, and taking it would mean a second public `Errno` (or
// replacing ours in every module's API). Its pattern (one file, `valueOrErrno(retryOnInterrupt:)`) is followed
// here instead; the owned `FileDescriptor` is about 100 lines on top of it.
#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// Calls `body` until it returns something other than -1 with EINTR; -1 becomes the current errno.
@inline(__always)
internal func valueOrErrno<I: FixedWidthInteger>(
    retryOnInterrupt: Bool = true, _ body: () -> I
) -> Result<I, Errno> {
    while true {
        let result = body()
        if result != -1 { return .success(result) }
        let errno = Errno.current
        if retryOnInterrupt && errno == .interrupted { continue }
        return .failure(errno)
    }
}

/// The raw system calls, named as in C, with Swift-typed results.
internal enum Sys {
    static func socket(_ domain: CInt, _ type: CInt, _ proto: CInt) -> Result<CInt, Errno> {
        valueOrErrno { Glibc.socket(domain, type, proto) }
    }

    static func socketpair(_ domain: CInt, _ type: CInt, _ proto: CInt) -> Result<(CInt, CInt), Errno> {
        var fds: (CInt, CInt) = (-1, -1)
        return withUnsafeMutableBytes(of: &fds) { raw in
            valueOrErrno { Glibc.socketpair(domain, type, proto, raw.baseAddress!.assumingMemoryBound(to: CInt.self)) }
        }.map { _ in fds }
    }

    /// `close(2)`, never retried: on Linux the descriptor is gone even when EINTR is reported.
    static func close(_ fd: CInt) -> Result<Void, Errno> {
        valueOrErrno(retryOnInterrupt: false) { Glibc.close(fd) }.map { _ in () }
    }

    static func fcntl(_ fd: CInt, _ cmd: CInt) -> Result<CInt, Errno> {
        valueOrErrno { Glibc.fcntl(fd, cmd) }
    }

    static func fcntl(_ fd: CInt, _ cmd: CInt, _ arg: CInt) -> Result<CInt, Errno> {
        valueOrErrno { Glibc.fcntl(fd, cmd, arg) }
    }

    /// The descriptor's file type (`st_mode & S_IFMT`: `S_IFREG`, `S_IFSOCK`, `S_IFCHR`…).
    static func fstatType(_ fd: CInt) -> Result<mode_t, Errno> {
        var st = stat()
        return valueOrErrno { Glibc.fstat(fd, &st) }.map { _ in st.st_mode & S_IFMT }
    }

    static func fstatIsSocket(_ fd: CInt) -> Result<Bool, Errno> {
        fstatType(fd).map { $0 == S_IFSOCK }
    }

    static func getsockopt(
        _ fd: CInt, _ level: CInt, _ name: CInt, _ value: UnsafeMutableRawPointer, _ length: inout socklen_t
    ) -> Result<Void, Errno> {
        valueOrErrno { Glibc.getsockopt(fd, level, name, value, &length) }.map { _ in () }
    }

    static func setsockopt(
        _ fd: CInt, _ level: CInt, _ name: CInt, _ value: UnsafeRawPointer?, _ length: socklen_t
    ) -> Result<Void, Errno> {
        valueOrErrno { Glibc.setsockopt(fd, level, name, value, length) }.map { _ in () }
    }

    // MARK: Files

    static func open(_ path: String, _ flags: CInt, _ mode: mode_t) -> Result<CInt, Errno> {
        valueOrErrno { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    static func read(_ fd: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Result<Int, Errno> {
        valueOrErrno { Glibc.read(fd, buffer, count) }
    }

    static func write(_ fd: CInt, _ buffer: UnsafeRawPointer?, _ count: Int) -> Result<Int, Errno> {
        valueOrErrno { Glibc.write(fd, buffer, count) }
    }

    static func pwrite(_ fd: CInt, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: Int) -> Result<Int, Errno> {
        valueOrErrno { Glibc.pwrite(fd, buffer, count, off_t(offset)) }
    }

    /// `ftruncate(2)`.
    static func ftruncate(_ fd: CInt, _ length: Int) -> Result<Void, Errno> {
        valueOrErrno { Glibc.ftruncate(fd, off_t(length)) }.map { _ in () }
    }

    static func unlink(_ path: String) -> Result<Void, Errno> {
        valueOrErrno { Glibc.unlink(path) }.map { _ in () }
    }

    static func pipe() -> Result<(CInt, CInt), Errno> {
        var fds: (CInt, CInt) = (-1, -1)
        return withUnsafeMutableBytes(of: &fds) { raw in
            valueOrErrno { csb_pipe2(raw.baseAddress!.assumingMemoryBound(to: CInt.self), O_CLOEXEC) }
        }.map { _ in fds }
    }

    /// `posix_spawn(3)` of `/bin/sh -c command`, with `standardInput` and `standardOutput` as the child's 0 and 1
    /// (`dup2` clears their close-on-exec flag; every other descriptor of the package is close-on-exec already).
    static func spawnShell(_ command: String, standardInput: CInt, standardOutput: CInt) -> Result<pid_t, Errno> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        return code == 0 ? .success(pid) : .failure(Errno(rawValue: code))
    }

    /// `waitpid(2)` for `pid`, EINTR retried: the raw wait status.
    static func waitForExit(_ pid: pid_t) -> Result<CInt, Errno> {
        var status: CInt = 0
        return valueOrErrno { Glibc.waitpid(pid, &status, 0) }.map { _ in status }
    }

    /// `access(2)` with `F_OK`: whether a path exists.
    static func exists(_ path: String) -> Bool { Glibc.access(path, F_OK) == 0 }

    /// The page size (`sysconf(_SC_PAGESIZE)`).
    static var pageSize: Int { Int(Glibc.sysconf(Int32(_SC_PAGESIZE))) }

    // MARK: Readiness

    static func poll(_ fd: CInt, events: Int16, timeoutMilliseconds: CInt) -> Result<CInt, Errno> {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        // EINTR is not retried here: the caller recomputes the remaining time and polls again.
        return valueOrErrno(retryOnInterrupt: false) { Glibc.poll(&pfd, 1, timeoutMilliseconds) }
    }

    static func epollCreate() -> Result<CInt, Errno> {
        valueOrErrno { epoll_create1(CInt(EPOLL_CLOEXEC)) }
    }

    static func epollControl(_ epoll: CInt, _ operation: CInt, _ fd: CInt, events: UInt32, data: UInt64) -> Result<Void, Errno> {
        var event = epoll_event()
        event.events = events
        event.data.u64 = data
        return valueOrErrno { epoll_ctl(epoll, operation, fd, &event) }.map { _ in () }
    }

    /// `epoll_wait(2)`; EINTR is not retried here: the caller recomputes the remaining time and waits again.
    static func epollWait(_ epoll: CInt, _ events: UnsafeMutablePointer<epoll_event>, _ capacity: CInt,
                          timeoutMilliseconds: CInt) -> Result<CInt, Errno> {
        valueOrErrno(retryOnInterrupt: false) { epoll_wait(epoll, events, capacity, timeoutMilliseconds) }
    }

    /// `eventfd(2)`, close-on-exec and non-blocking: a counter that wakes a wait when written.
    static func eventDescriptor() -> Result<CInt, Errno> {
        valueOrErrno { eventfd(0, CInt(EFD_CLOEXEC) | CInt(EFD_NONBLOCK)) }
    }

    /// Adds one to an eventfd's counter; async-signal-safe (a signal handler calls it). Errors are ignored:
    /// EAGAIN means the counter is already non-zero, so the waiter wakes anyway.
    @inline(__always)
    static func signalEvent(_ fd: CInt) {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    /// Reads and resets an eventfd's counter; false when it was zero.
    static func drainEvent(_ fd: CInt) -> Bool {
        var value: UInt64 = 0
        return Glibc.read(fd, &value, 8) == 8
    }

    // MARK: Signals

    /// Installs `handler` for `signals` with `sigaction(2)`, without `SA_RESTART`, and unblocks them (a parent
    /// may have started the process with them blocked: the mask is inherited across exec).
    static func installSignalHandler(_ signals: [CInt], _ handler: @convention(c) (CInt) -> Void) -> Result<Void, Errno> {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals { sigaddset(&unblock, signal) }
        let masked = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        if masked != 0 { return .failure(Errno(rawValue: masked)) }
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            if case .failure(let errno) = valueOrErrno({ sigaction(signal, &action, nil) }) { return .failure(errno) }
        }
        return .success(())
    }

    /// Sets `signal`'s disposition to `SIG_IGN` with `sigaction(2)`.
    static func ignoreSignal(_ signal: CInt) -> Result<Void, Errno> {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        return valueOrErrno { sigaction(signal, &action, nil) }.map { _ in () }
    }

    // MARK: Clocks

    /// `clock_gettime(CLOCK_REALTIME)`.
    static func realtimeNow() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts
    }

    /// `clock_gettime(CLOCK_MONOTONIC)`.
    static func monotonicNow() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts
    }

    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)` until `deadline`; a signal ends it early (EINTR, which
    /// it returns rather than sets in errno). Returns 0 when the deadline passed, else the error number.
    static func sleepUntilMonotonic(_ deadline: timespec) -> CInt {
        var target = deadline
        return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil)
    }

    /// The running kernel's release (`uname(2)`'s `release`, as `uname -r` prints it).
    static func kernelRelease() -> String? {
        var name = utsname()
        guard Glibc.uname(&name) == 0 else { return nil }
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// `localtime_r(3)` or `gmtime_r(3)` of seconds since the epoch.
    static func brokenDownTime(_ seconds: Int64, utc: Bool) -> tm {
        var time = time_t(seconds)
        var fields = tm()
        if utc { gmtime_r(&time, &fields) } else { localtime_r(&time, &fields) }
        return fields
    }

    /// `strftime(3)` of `seconds` in local time (`localtime_r`): the formatted bytes, nil when they do not fit
    /// in `capacity - 1` bytes (or format to nothing).
    static func formatTime(_ pattern: String, _ seconds: Int64, capacity: Int) -> [UInt8]? {
        var fields = brokenDownTime(seconds, utc: false)
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { strftime($0, capacity, pattern, &fields) }
        }
        return count == 0 ? nil : Array(buffer[..<count])
    }

    /// `timegm(3)` or `mktime(3)` of calendar fields: seconds since the epoch, or -1.
    static func secondsSinceEpoch(_ fields: inout tm, utc: Bool) -> Int64 {
        Int64(utc ? timegm(&fields) : mktime(&fields))
    }

    // MARK: Names

    /// `getaddrinfo(3)`: the addresses in the resolver's order, or its `EAI_*` code.
    static func resolve(host: String?, service: String, family: CInt, type: CInt, flags: CInt) -> Result<[AnySocketAddress], ResolverCode> {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = type
        hints.ai_flags = flags
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, service, &hints, &list)
        guard code == 0 else { return .failure(ResolverCode(rawValue: code)) }
        defer { freeaddrinfo(list) }
        var result: [AnySocketAddress] = []
        var entry = list
        while let info = entry {
            if let address = info.pointee.ai_addr {
                result.append(AnySocketAddress(address, length: info.pointee.ai_addrlen))
            }
            entry = info.pointee.ai_next
        }
        return .success(result)
    }

    /// An `EAI_*` code of `getaddrinfo(3)`.
    struct ResolverCode: Error { let rawValue: CInt }

    /// `gai_strerror(3)`.
    static func resolverMessage(_ code: CInt) -> String { String(cString: gai_strerror(code)) }

    /// `if_nameindex(3)`: every interface's index and name.
    static func interfaceList() -> Result<[(CInt, String)], Errno> {
        guard let list = if_nameindex() else { return .failure(.current) }
        defer { if_freenameindex(list) }
        var result: [(CInt, String)] = []
        var entry = list
        while entry.pointee.if_index != 0 {
            result.append((CInt(entry.pointee.if_index), String(cString: entry.pointee.if_name)))
            entry += 1
        }
        return .success(result)
    }

    /// `mmap(2)` of a descriptor, shared; `MAP_FAILED` becomes the current errno.
    static func mmap(_ fd: CInt, length: Int, protection: CInt, flags: CInt) -> Result<UnsafeMutableRawPointer, Errno> {
        guard let address = Glibc.mmap(nil, length, protection, flags, fd, 0),
              address != UnsafeMutableRawPointer(bitPattern: -1) else {
            return .failure(.current)
        }
        return .success(address)
    }

    /// `munmap(2)`.
    static func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Result<Void, Errno> {
        valueOrErrno(retryOnInterrupt: false) { Glibc.munmap(address, length) }.map { _ in () }
    }

    /// `if_nametoindex(3)`. glibc's opens a socket for its ioctl, and when that fails (EMFILE at the descriptor
    /// limit) the errno it leaves is not the socket's (ENOENT was seen); a socket opened here then tells the real
    /// reason.
    static func ifNameToIndex(_ name: String) -> Result<CUnsignedInt, Errno> {
        let index = if_nametoindex(name)
        guard index == 0 else { return .success(index) }
        let errno = Errno.current
        if errno == .noSuchDevice { return .failure(errno) }
        let probe = Glibc.socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return .failure(.current) }
        Glibc.close(probe)
        return .failure(errno)
    }

    static func ifIndexToName(_ index: CUnsignedInt) -> Result<String, Errno> {
        var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(index, &buffer) != nil else { return .failure(.current) }
        return .success(String(nulTerminated: buffer))
    }
}

// The socket calls, returning what C returns: `Socket.io` / `Socket.ioResult` run them through `valueOrErrno` (one
// EINTR rule) and add the socket's timeout mode and the would-block result.
extension Sys {
    static func bind(_ fd: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
        Glibc.bind(fd, address, length)
    }
    static func connect(_ fd: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
        Glibc.connect(fd, address, length)
    }
    static func listen(_ fd: CInt, _ backlog: CInt) -> CInt { Glibc.listen(fd, backlog) }
    static func accept4(_ fd: CInt, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?, _ flags: CInt) -> CInt {
        csb_accept4(fd, address, length, flags)
    }
    static func send(_ fd: CInt, _ buffer: UnsafeRawPointer?, _ count: Int, _ flags: CInt) -> Int {
        Glibc.send(fd, buffer, count, flags)
    }
    static func sendto(_ fd: CInt, _ buffer: UnsafeRawPointer?, _ count: Int, _ flags: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int {
        Glibc.sendto(fd, buffer, count, flags, address, length)
    }
    static func recv(_ fd: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: CInt) -> Int {
        Glibc.recv(fd, buffer, count, flags)
    }
    static func recvfrom(_ fd: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: CInt, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int {
        Glibc.recvfrom(fd, buffer, count, flags, address, length)
    }
    static func sendmsg(_ fd: CInt, _ message: UnsafePointer<msghdr>, _ flags: CInt) -> Int {
        Glibc.sendmsg(fd, message, flags)
    }
    static func recvmsg(_ fd: CInt, _ message: UnsafeMutablePointer<msghdr>, _ flags: CInt) -> Int {
        Glibc.recvmsg(fd, message, flags)
    }
    static func recvmmsg(_ fd: CInt, _ messages: UnsafeMutablePointer<csb_mmsghdr>, _ count: CUnsignedInt, _ flags: CInt) -> CInt {
        csb_recvmmsg(fd, messages, count, flags, nil)
    }
    static func sendmmsg(_ fd: CInt, _ messages: UnsafeMutablePointer<csb_mmsghdr>, _ count: CUnsignedInt, _ flags: CInt) -> CInt {
        csb_sendmmsg(fd, messages, count, flags)
    }
    static func shutdown(_ fd: CInt, _ how: CInt) -> CInt { Glibc.shutdown(fd, how) }
    static func getsockname(_ fd: CInt, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> CInt {
        Glibc.getsockname(fd, address, length)
    }
    static func getpeername(_ fd: CInt, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> CInt {
        Glibc.getpeername(fd, address, length)
    }
    static func ioctl(_ fd: CInt, _ request: CUnsignedLong, _ argument: UnsafeMutableRawPointer) -> CInt {
        Glibc.ioctl(fd, request, argument)
    }
}

extension String {
    /// Decodes a NUL-terminated C string held in an array.
    init(nulTerminated buffer: [CChar]) {
        self = buffer.withUnsafeBufferPointer { chars in
            String(decoding: UnsafeRawBufferPointer(chars).prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Decodes a C string pointer, or `fallback` for NULL.
    init(nulTerminated pointer: UnsafePointer<CChar>?, fallback: String) {
        guard let pointer else { self = fallback; return }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }
}
