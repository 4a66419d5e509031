import CANSocket
import SocketBase

/// A candump log read from a descriptor as it arrives (a pipe, stdin), line by line: what lets
/// `candump -L vcan0 | canlog-swift play vcan1=vcan0` replay live, where ``CANLogReader`` needs the whole file.
///
/// Single pass: a second iteration yields nothing more than the first left (so a ``CANLogPlayer`` plays it once,
/// as canplayer plays stdin once). Lines end in `\n` or `\r\n`; empty lines are passed over; a bad line or a read
/// error ends it with a ``CANLogError`` naming the source and line.
public struct CandumpLogStream: Sequence {
    final class State {
        let input: FileDescriptor
        let name: String
        var buffer: [UInt8] = []
        var start = 0
        var line = 0
        var finished = false
        let chunk: UnsafeMutableRawBufferPointer

        init(input: FileDescriptor, name: String) {
            self.input = input
            self.name = name
            chunk = .allocate(byteCount: 1 << 16, alignment: 1)
        }

        deinit { chunk.deallocate() }

        func next() -> Result<CandumpLogLine, CANLogError>? {
            while !finished {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    var end = newline
                    if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                    let text = String(decoding: buffer[start..<end], as: UTF8.self)
                    start = newline + 1
                    line += 1
                    if text.isEmpty { continue }
                    return parse(text)
                }
                // Keep the partial line, read more.
                buffer.removeSubrange(0..<start)
                start = 0
                do {
                    guard case .processed(let n) = try input.read(into: chunk) else {
                        finished = true
                        return .failure(CANLogError("read: the descriptor is non-blocking and empty", file: name))
                    }
                    if n == 0 {
                        finished = true
                        guard !buffer.isEmpty else { return nil }
                        line += 1
                        let text = String(decoding: buffer, as: UTF8.self)
                        buffer = []
                        return parse(text)
                    }
                    buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
                } catch {
                    finished = true
                    return .failure(CANLogError("\(error)", file: name))
                }
            }
            return nil
        }

        func parse(_ text: String) -> Result<CandumpLogLine, CANLogError> {
            do {
                return .success(try CandumpLogLine(parsing: text))
            } catch {
                finished = true
                var located = error
                located.line = line
                return .failure(CANLogError(located, file: name))
            }
        }
    }

    let state: State

    /// - Parameters:
    ///   - input: Where the log comes from (read until end of file; not closed).
    ///   - name: The name errors give, e.g. `stdin`.
    public init(_ input: FileDescriptor, name: String) {
        state = State(input: input, name: name)
    }

    public struct Iterator: IteratorProtocol {
        let state: State
        public mutating func next() -> Result<CandumpLogLine, CANLogError>? { state.next() }
    }

    public func makeIterator() -> Iterator { Iterator(state: state) }
}
