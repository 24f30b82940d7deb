package dev.egret.capture;

/**
 * How a live interface is opened.
 *
 * @param snaplen bytes kept of each packet
 * @param bufferBytes the kernel capture buffer; the main defence against drops in a burst
 * @param promiscuous capture frames addressed to other hosts (a span port needs it)
 * @param timeoutMillis how long the kernel holds packets before handing over a partly filled block
 *     (immediate mode stays off, so packets come in batches)
 * @param bpf capture filter in pcap-filter(7) syntax, or null for everything
 */
public record LiveOptions(
    int snaplen, int bufferBytes, boolean promiscuous, int timeoutMillis, String bpf) {
  public static final int DEFAULT_SNAPLEN = 65535;
  public static final int DEFAULT_BUFFER_MIB = 64;
  public static final int DEFAULT_TIMEOUT_MILLIS = 100;

  public LiveOptions {
    if (snaplen < 64 || snaplen > 262144) {
      throw new IllegalArgumentException("snaplen out of range: " + snaplen + " (64 to 262144)");
    }
    if (bufferBytes < (1 << 20)) {
      throw new IllegalArgumentException(
          "capture buffer too small: " + bufferBytes + " bytes (at least 1 MiB)");
    }
    if (timeoutMillis < 1 || timeoutMillis > 10_000) {
      throw new IllegalArgumentException(
          "read timeout out of range: " + timeoutMillis + " ms (1 to 10000)");
    }
    if (bpf != null && bpf.isBlank()) {
      bpf = null;
    }
  }

  public static LiveOptions defaults() {
    return new LiveOptions(
        DEFAULT_SNAPLEN, DEFAULT_BUFFER_MIB << 20, true, DEFAULT_TIMEOUT_MILLIS, null);
  }
}
