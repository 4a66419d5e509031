/// Writes bytes through a pointer into room its owner made beforehand (``SignalDecoder``'s scratch, a stack
/// buffer): one store per byte, one copy per name, where each `Array.append` would check capacity and
/// uniqueness again.
struct ByteCursor {
    var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    @inline(__always)
    mutating func put(_ a: UInt8, _ b: UInt8) {
        position[0] = a
        position[1] = b
        position += 2
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        position.update(from: base, count: bytes.count)
        position += bytes.count
    }

    @inline(__always)
    mutating func put(_ text: StaticString) {
        position.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        position += text.utf8CodeUnitCount
    }

    /// How many bytes were written since `start`.
    @inline(__always)
    func count(from start: UnsafeMutablePointer<UInt8>) -> Int { position - start }
}

extension Array where Element == UInt8 {
    /// Appends what `body` writes through a cursor into a stack buffer of 48 bytes (a number's text).
    @inline(__always)
    mutating func appendShort(_ body: (inout ByteCursor) -> Void) {
        var room: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &room) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var cursor = ByteCursor(start)
            body(&cursor)
            append(contentsOf: UnsafeBufferPointer(start: start, count: cursor.count(from: start)))
        }
    }
}
