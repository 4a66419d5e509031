// CANSocket is built on SocketBase and its API carries SocketBase's types (Socket, SystemCallError, KernelTimestamp,
// ReceiveStream, FileDescriptor): importing CANSocket brings them along.
@_exported import SocketBase
