// Every libc call SocketBase makes goes through this file: the project's whole contact surface with the
// kernel for generic sockets is here. Each wrapper returns `Result<_, Errno>`; EINTR is retried except where
// retrying is wrong (`close`).
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

    static func fstatIsSocket(_ fd: CInt) -> Result<Bool, Errno> {
        var st = stat()
        return valueOrErrno { Glibc.fstat(fd, &st) }.map { _ in (st.st_mode & S_IFMT) == S_IFSOCK }
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

    static func poll(_ fd: CInt, events: Int16, timeoutMilliseconds: CInt) -> Result<CInt, Errno> {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        // EINTR is not retried here: the caller recomputes the remaining time and polls again.
        return valueOrErrno(retryOnInterrupt: false) { Glibc.poll(&pfd, 1, timeoutMilliseconds) }
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

    static func ifNameToIndex(_ name: String) -> Result<CUnsignedInt, Errno> {
        let index = if_nametoindex(name)
        return index == 0 ? .failure(.current) : .success(index)
    }

    static func ifIndexToName(_ index: CUnsignedInt) -> Result<String, Errno> {
        var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(index, &buffer) != nil else { return .failure(.current) }
        return .success(String(nulTerminated: buffer))
    }
}

// The calls that take the socket's descriptor last, applied by `Socket.io`, which adds the socket's timeout mode.
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
