import ArgumentParser

extension PktdumpCommand {
    /// The checks of `--threads`, `--fanout` and `--file-per-thread`.
    func validateThreads() throws {
        if !(1...64).contains(threads) { throw ValidationError("invalid --threads \(threads) (must be 1 to 64)") }
        guard threads > 1 || filePerThread else { return }
        if readFile != nil { throw ValidationError("--threads and --file-per-thread capture; they can't be used with -r") }
        if noRing { throw ValidationError("--threads and --file-per-thread need the ring; they can't be used with --no-ring") }
        if filePerThread && writeFile == nil { throw ValidationError("--file-per-thread needs -w FILE (it writes FILE.0, FILE.1, …)") }
    }
}
