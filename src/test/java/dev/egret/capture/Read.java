package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a capture every way it can be read and checks that all ways agree. */
final class Read {
  /** One delivered packet, copied. */
  record Pkt(int linkType, long tsNanos, byte[] data, int origLen) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pkt p
          && p.linkType == linkType
          && p.tsNanos == tsNanos
          && Arrays.equals(p.data, data)
          && p.origLen == origLen;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Pkt["
          + linkType
          + ", "
          + tsNanos
          + ", "
          + Arrays.toString(data)
          + ", "
          + origLen
          + "]";
    }
  }

  /** What a run produced. */
  record Result(List<Pkt> packets, CaptureStats stats, String problem) {
    Pkt get(int i) {
      return packets.get(i);
    }
  }

  private Read() {}

  static Result run(CaptureFile f) throws IOException {
    List<Pkt> got = new ArrayList<>();
    try (f) {
      f.run(
          (lt, ts, buf, off, caplen, orig) ->
              got.add(new Pkt(lt, ts, Arrays.copyOfRange(buf, off, off + caplen), orig)));
    }
    return new Result(got, f.stats(), f.problem());
  }

  /** {@link #run} through {@link PacketPrefetch}: framed on a second thread, delivered here. */
  static Result prefetched(CaptureFile f) throws IOException {
    List<Pkt> got = new ArrayList<>();
    try (f) {
      PacketPrefetch.run(
          f,
          (lt, ts, buf, off, caplen, orig) ->
              got.add(new Pkt(lt, ts, Arrays.copyOfRange(buf, off, off + caplen), orig)));
    }
    return new Result(got, f.stats(), f.problem());
  }

  /**
   * Writes {@code file} to {@code dir} as {@code name}, reads it as egret does, mapped, and through
   * a 16-byte array both from the file and as a stream (every record straddles the array's end),
   * framed on a second thread ({@link PacketPrefetch}), and returns the first result after checking
   * the others equal it.
   */
  static Result all(Path dir, String name, byte[] file) {
    try {
      Path p = dir.resolve(name);
      Files.write(p, file);
      String s = p.toString();
      Result stream = run(CaptureFiles.open(s, CaptureFiles.BUFFER_SIZE));
      Result mapped =
          run(
              CaptureFiles.open(
                  s,
                  new MappedSupply(
                      java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ)),
                  CaptureFiles.BUFFER_SIZE));
      Result tiny = run(CaptureFiles.open(s, new ByteArrayInputStream(file), true, 16));
      Result tinyFile = run(CaptureFiles.open(s, 16));
      Result prefetched = prefetched(CaptureFiles.openDirect(s));
      assertEquals(stream, mapped, "mapped read differs");
      assertEquals(stream, prefetched, "read framed on a second thread differs");
      assertEquals(stream, tinyFile, "file read through a 16-byte array differs");
      assertEquals(stream, tiny, "read through a 16-byte array differs");
      return stream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
