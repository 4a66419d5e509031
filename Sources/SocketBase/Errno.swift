#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSocketShims

/// An error number reported by the kernel through `errno`.
///
/// Named constants cover the codes socket code meets; any other value is still representable.
/// `catch let error as SystemCallError where error.errno == .interrupted` works as expected.
@frozen
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw C error number.
    public let rawValue: CInt

    /// Creates an error number from its raw C value.
    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// The value of `errno` now.
    public static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// The message `strerror(3)` gives, e.g. "No such device".
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 256)
        return String(nulTerminated: csb_strerror(rawValue, &buffer, buffer.count), fallback: "Unknown error \(rawValue)")
    }

    /// Operation not permitted. The corresponding C constant is `EPERM`.
    public static let notPermitted = Errno(rawValue: EPERM)
    /// No such file or directory. The corresponding C constant is `ENOENT`.
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// Interrupted system call. The corresponding C constant is `EINTR`.
    public static let interrupted = Errno(rawValue: EINTR)
    /// Input/output error. The corresponding C constant is `EIO`.
    public static let ioError = Errno(rawValue: EIO)
    /// No such device or address. The corresponding C constant is `ENXIO`.
    public static let noSuchDeviceOrAddress = Errno(rawValue: ENXIO)
    /// Bad file descriptor. The corresponding C constant is `EBADF`.
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    /// Resource temporarily unavailable. The corresponding C constants are `EAGAIN` and `EWOULDBLOCK`.
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    /// Cannot allocate memory. The corresponding C constant is `ENOMEM`.
    public static let noMemory = Errno(rawValue: ENOMEM)
    /// Permission denied. The corresponding C constant is `EACCES`.
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// Bad address. The corresponding C constant is `EFAULT`.
    public static let badAddress = Errno(rawValue: EFAULT)
    /// Device or resource busy. The corresponding C constant is `EBUSY`.
    public static let busy = Errno(rawValue: EBUSY)
    /// No such device. The corresponding C constant is `ENODEV`.
    public static let noSuchDevice = Errno(rawValue: ENODEV)
    /// Invalid argument. The corresponding C constant is `EINVAL`.
    public static let invalidArgument = Errno(rawValue: EINVAL)
    /// Too many open files. The corresponding C constant is `EMFILE`.
    public static let tooManyOpenFiles = Errno(rawValue: EMFILE)
    /// Broken pipe. The corresponding C constant is `EPIPE`.
    public static let brokenPipe = Errno(rawValue: EPIPE)
    /// Message too long. The corresponding C constant is `EMSGSIZE`.
    public static let messageTooLong = Errno(rawValue: EMSGSIZE)
    /// Protocol not available. The corresponding C constant is `ENOPROTOOPT`.
    public static let protocolNotAvailable = Errno(rawValue: ENOPROTOOPT)
    /// Protocol not supported. The corresponding C constant is `EPROTONOSUPPORT`.
    public static let protocolNotSupported = Errno(rawValue: EPROTONOSUPPORT)
    /// Socket type not supported. The corresponding C constant is `ESOCKTNOSUPPORT`.
    public static let socketTypeNotSupported = Errno(rawValue: ESOCKTNOSUPPORT)
    /// Operation not supported. The corresponding C constant is `EOPNOTSUPP`.
    public static let notSupported = Errno(rawValue: EOPNOTSUPP)
    /// Address family not supported by protocol. The corresponding C constant is `EAFNOSUPPORT`.
    public static let addressFamilyNotSupported = Errno(rawValue: EAFNOSUPPORT)
    /// Address already in use. The corresponding C constant is `EADDRINUSE`.
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    /// Cannot assign requested address. The corresponding C constant is `EADDRNOTAVAIL`.
    public static let addressNotAvailable = Errno(rawValue: EADDRNOTAVAIL)
    /// Network is down. The corresponding C constant is `ENETDOWN`.
    public static let networkDown = Errno(rawValue: ENETDOWN)
    /// Network is unreachable. The corresponding C constant is `ENETUNREACH`.
    public static let networkUnreachable = Errno(rawValue: ENETUNREACH)
    /// No buffer space available (a full transmit queue). The corresponding C constant is `ENOBUFS`.
    public static let noBufferSpace = Errno(rawValue: ENOBUFS)
    /// Transport endpoint is already connected. The corresponding C constant is `EISCONN`.
    public static let alreadyConnected = Errno(rawValue: EISCONN)
    /// Transport endpoint is not connected. The corresponding C constant is `ENOTCONN`.
    public static let notConnected = Errno(rawValue: ENOTCONN)
    /// Connection timed out. The corresponding C constant is `ETIMEDOUT`.
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    /// Connection refused. The corresponding C constant is `ECONNREFUSED`.
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    /// Connection reset by peer. The corresponding C constant is `ECONNRESET`.
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    /// Operation now in progress. The corresponding C constant is `EINPROGRESS`.
    public static let inProgress = Errno(rawValue: EINPROGRESS)
    /// Socket operation on non-socket. The corresponding C constant is `ENOTSOCK`.
    public static let notSocket = Errno(rawValue: ENOTSOCK)
}
