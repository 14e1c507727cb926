import CHeap

/// How the process's heaps grow. A district of a million records allocates millions of small
/// values from both cores; glibc grows each thread's heap 128 KiB at a time, every step a system
/// call (mprotect) and a run of page faults. Growing 64 MiB at a time makes opening a 500k store
/// 10–25 % faster (docs/speed.md); resident memory is what is touched, so it does not grow.
public enum HeapGrowth {
    /// The step, in bytes.
    public static let step: Int32 = 64 << 20

    /// Called by each program first, before the heaps grow.
    public static func inLargeSteps() {
        spaceplan_grow_heaps_by(step)
    }
}
