import CZlib

/// zlib's one-shot `compress2`/`uncompress` (the zlib format, header and Adler-32 included), which is what
/// BLF's `LOG_CONTAINER` objects hold (compression method 2) and what python-can's `zlib.compress` writes.
enum Zlib {
    /// Deflates `input` at `level` (`Z_DEFAULT_COMPRESSION` is -1).
    static func compress(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
        var size = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &size, source.baseAddress, uLong(source.count), level)
            }
        }
        // compressBound is enough by definition; Z_MEM_ERROR is the only other outcome.
        precondition(status == Z_OK, "compress2 failed (\(status))")
        output.removeSubrange(Int(size)...)
        return output
    }

    /// The most bytes a zlib stream of `count` bytes can inflate to: deflate's limit is 1032 output bytes per
    /// input byte (its longest match, 258 bytes, in a code of two bits), with room to spare for short streams.
    static func maximumInflatedSize(of count: Int) -> Int { count * 1032 + 1024 }

    /// Inflates `input` that the container says is `expected` bytes long.
    /// - Returns: The bytes, or nil when the data is not a zlib stream of that size.
    static func uncompress(_ input: ArraySlice<UInt8>, expected: Int) -> [UInt8]? {
        var size = uLongf(expected)
        var output = [UInt8](repeating: 0, count: max(expected, 1))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                CZlib.uncompress(out.baseAddress, &size, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(size) == expected else { return nil }
        output.removeSubrange(Int(size)...)
        return output
    }
}
