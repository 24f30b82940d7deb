package dev.egret.capture;

/**
 * What a source saw. {@code truncatedRecords} counts records cut short by the end of the input (a
 * file still being written, a copy interrupted); {@code kernelDrops} and {@code interfaceDrops} are
 * reported by live sources only.
 *
 * @param packets records delivered to the handler
 * @param bytes captured bytes delivered
 * @param truncatedRecords records cut off at end of input (not delivered)
 * @param skippedRecords records that could not be delivered (bad length, unknown interface)
 * @param kernelDrops packets the kernel dropped (live capture)
 * @param interfaceDrops packets the interface dropped (live capture)
 */
public record CaptureStats(
    long packets,
    long bytes,
    long truncatedRecords,
    long skippedRecords,
    long kernelDrops,
    long interfaceDrops) {
  public static final CaptureStats EMPTY = new CaptureStats(0, 0, 0, 0, 0, 0);

  public CaptureStats plus(CaptureStats o) {
    return new CaptureStats(
        packets + o.packets,
        bytes + o.bytes,
        truncatedRecords + o.truncatedRecords,
        skippedRecords + o.skippedRecords,
        kernelDrops + o.kernelDrops,
        interfaceDrops + o.interfaceDrops);
  }
}
