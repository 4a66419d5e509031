import Testing
import SocketBase

extension SocketBaseTests {
@Suite struct WallClockTests {
    @Test("seconds(year:…) is the inverse of fields(ofSeconds:), in UTC (timegm) and in local time (mktime)",
          arguments: [Int64(0), 86_399, 951_782_400, 1_700_000_000, 4_102_444_799])
    func secondsInvertsFields(seconds: Int64) {
        for utc in [true, false] {
            let f = WallClock.fields(ofSeconds: seconds, utc: utc)
            #expect(WallClock.seconds(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute,
                                      second: f.second, utc: utc) == seconds, "utc: \(utc)")
        }
    }

    @Test("seconds(year:…) in UTC of a known date: 2000-02-29 00:00:00 is 951782400")
    func knownDate() {
        #expect(WallClock.seconds(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0, utc: true) == 951_782_400)
    }
}
}
