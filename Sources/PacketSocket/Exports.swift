// PacketSocket is built on SocketBase and its API carries SocketBase's types (Socket, SystemCallError, KernelTimestamp,
// ReceiveStream, FileDescriptor): importing PacketSocket brings them along.
@_exported import SocketBase
