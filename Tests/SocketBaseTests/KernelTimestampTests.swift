#if canImport(Glibc)
import Glibc
#endif
import Testing

import SocketBase

@Suite struct KernelTimestampTests {
    @Test func fractionIsNormalized() {
        #expect(KernelTimestamp(seconds: 1, nanoseconds: 1_500_000_000) == KernelTimestamp(seconds: 2, nanoseconds: 500_000_000))
        let negative = KernelTimestamp(seconds: 5, nanoseconds: -1)
        #expect(negative.seconds == 4 && negative.nanoseconds == 999_999_999)
        #expect(KernelTimestamp(seconds: 3, microseconds: 2_000_001) == KernelTimestamp(seconds: 5, nanoseconds: 1_000))
        // Seconds at the edge are held, not overflowed.
        #expect(KernelTimestamp(seconds: .max, nanoseconds: 2_000_000_000).seconds == .max)
    }

    @Test func timespecAndTimevalRoundTrip() {
        let value = KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789)
        let spec = value.timespec
        #expect(spec.tv_sec == 1_700_000_000 && spec.tv_nsec == 123_456_789)
        #expect(KernelTimestamp(spec) == value)
        let val = value.timeval
        #expect(val.tv_sec == 1_700_000_000 && val.tv_usec == 123_456)
        // timeval keeps microseconds: the nanoseconds below them are gone.
        #expect(KernelTimestamp(val) == KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000))
        #expect(KernelTimestamp(val).microseconds == value.microseconds)
    }

    /// Microsecond and nanosecond fractions, as a pcap record header stores them, back and forth.
    @Test(arguments: [0, 1, 999, 1_000, 123_456_789, 999_999_999])
    func fractionsRoundTrip(nanoseconds: Int) {
        let value = KernelTimestamp(seconds: 42, nanoseconds: nanoseconds)
        #expect(value.fraction(digits: 9) == Int32(nanoseconds))
        #expect(value.fraction(digits: 6) == Int32(nanoseconds / 1000))
        #expect(value.fraction(digits: 6) == value.microseconds)
        #expect(KernelTimestamp(seconds: 42, nanoseconds: value.fraction(digits: 9)) == value)
        let truncated = KernelTimestamp(seconds: 42, microseconds: value.fraction(digits: 6))
        #expect(truncated.nanoseconds == Int32(nanoseconds / 1000 * 1000) && truncated <= value)
    }

    /// candump's `(%010lu.%06lu)` and `-N`'s nine digits, printed and parsed back.
    @Test func candumpDecimalText() {
        let value = KernelTimestamp(seconds: 12, nanoseconds: 345_678_901)
        #expect(value.text() == "0000000012.345678")
        #expect(value.text(secondsWidth: 10, fractionDigits: 9) == "0000000012.345678901")
        #expect(value.text(secondsWidth: 3, fractionDigits: 6) == "012.345678")
        #expect(value.description == "12.345678")
        #expect(KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 5_000).text() == "1700000000.000005")
        #expect(KernelTimestamp(decimal: "0000000012.345678901") == value)
        #expect(KernelTimestamp(decimal: "0000000012.345678") == KernelTimestamp(seconds: 12, microseconds: 345_678))
        #expect(KernelTimestamp(decimal: value.text()) == KernelTimestamp(seconds: 12, nanoseconds: 345_678_000))
        #expect(KernelTimestamp(decimal: value.text(fractionDigits: 9)) == value)
        for bad in ["12.34567", "12.3456789", "12", ".123456", "1x.123456", "12.12345a", "-1.123456", "1234567890123456789.123456"] {
            #expect(KernelTimestamp(decimal: bad) == nil, "\(bad)")
        }
    }

    @Test func orderAndDistance() {
        let a = KernelTimestamp(seconds: 10, nanoseconds: 900_000_000)
        let b = KernelTimestamp(seconds: 11, nanoseconds: 100_000_000)
        #expect(a < b && !(b < a) && a != b)
        #expect(b.since(a) == .milliseconds(200))
        #expect(a.since(b) == .milliseconds(-200))
        let now = KernelTimestamp.now
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        #expect(KernelTimestamp(wall).since(now) >= .zero && KernelTimestamp(wall).since(now) < .seconds(5))
    }
}
