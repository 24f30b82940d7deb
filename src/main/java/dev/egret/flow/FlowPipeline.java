package dev.egret.flow;

import dev.egret.capture.PacketHandler;
import dev.egret.decode.DecodeStats;
import dev.egret.decode.DecodedPacket;
import dev.egret.decode.PacketDecoder;

/**
 * Decodes each packet into one reused {@link DecodedPacket} and feeds the flow tracker, then the
 * optional name tap. The same pipeline serves capture files and live interfaces.
 */
public final class FlowPipeline implements PacketHandler {
  private final DecodedPacket packet = new DecodedPacket();
  private final PacketDecoder decoder;
  private final FlowTracker tracker;
  private final NameTap names;

  /**
   * @param names where names seen on the wire go, or null to skip name extraction
   */
  public FlowPipeline(FlowConfig config, FlowSink flows, NameObserver names) {
    this.decoder = new PacketDecoder(new DecodeStats(), config.decapsulate());
    this.tracker = new FlowTracker(config, flows);
    this.names = names == null ? null : new NameTap(names);
  }

  @Override
  public void inputStarted() {
    tracker.inputStarted();
  }

  @Override
  public void onPacket(int linkType, long tsNanos, byte[] buf, int off, int caplen, int origLen) {
    DecodedPacket p = packet;
    if (!decoder.decode(linkType, tsNanos, buf, off, caplen, origLen, p)) {
      return;
    }
    p.tsNanos = tsNanos;
    tracker.onPacket(p);
    if (names != null) {
      names.onPacket(p, tracker);
    }
    for (int i = 0; i < decoder.innerCount(); i++) {
      // With --decapsulate: the packets inside the tunnel are flows of their own.
      DecodedPacket in = decoder.inner(i);
      in.tsNanos = tsNanos;
      tracker.onPacket(in);
      if (names != null) {
        names.onPacket(in, tracker);
      }
    }
  }

  /** Ends every open flow; call at end of input. */
  public void flush() {
    decoder.finish();
    tracker.flush();
  }

  public DecodeStats decodeStats() {
    return decoder.stats();
  }

  public FlowStats flowStats() {
    return tracker.stats();
  }

  /** Moves flow time forward on a quiet link; see {@link FlowTracker#advanceTo}. */
  public void advanceTo(long nowNanos) {
    tracker.advanceTo(nowNanos);
  }

  public FlowTracker tracker() {
    return tracker;
  }
}
