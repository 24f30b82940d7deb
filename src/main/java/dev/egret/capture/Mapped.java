package dev.egret.capture;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import sun.misc.Unsafe;

/**
 * Reads from a file mapping by address, with {@code sun.misc.Unsafe}: the one class that does. The
 * launcher runs C1, which leaves each {@link ByteBuffer} access as a chain of calls (bounds checks,
 * a memory session, a byte swap): framing the 2 GB bench capture through {@code getInt} and bulk
 * {@code get} cost 0.75-0.9 s of CPU against 0.3 s for {@code read(2)} into an array. Unsafe's
 * reads are single instructions under every compiler.
 *
 * <p>Safety rests on the callers: an address is used only while its mapping is held, on the one
 * thread that maps and unmaps ({@link MappedPcapReader}); every read stays inside the mapping's
 * bounds, which the caller checks first. A fault inside a mapped file that was cut short raises
 * SIGBUS, which the JVM turns into an {@link InternalError} for Unsafe accesses as for the buffer's
 * own, thrown where {@link #isFault} says.
 */
final class Mapped {
  private static final Unsafe UNSAFE = unsafe();
  private static final long ADDRESS = addressOffset();
  private static final long BYTES = UNSAFE == null ? 0 : Unsafe.ARRAY_BYTE_BASE_OFFSET;

  /** Copies shorter than this go 8 bytes at a time; longer ones through one native call. */
  private static final int SHORT_COPY = 512;

  private Mapped() {}

  /** Whether mappings can be read here (Unsafe and the buffer's address field exist). */
  static boolean available() {
    return UNSAFE != null && ADDRESS >= 0;
  }

  /** The address of the mapping's first byte. */
  static long address(MappedByteBuffer m) {
    return UNSAFE.getLong(m, ADDRESS);
  }

  /** The 32-bit unsigned value at {@code address}, in the byte order given. */
  static long u32(long address, boolean bigEndian) {
    int v = UNSAFE.getInt(address);
    return (bigEndian ? Integer.reverseBytes(v) : v) & 0xFFFF_FFFFL;
  }

  /**
   * Copies {@code len} bytes from {@code address} to {@code dst[off..]}; the caller checked bounds.
   */
  static void copy(long address, byte[] dst, int off, int len) {
    if (len >= SHORT_COPY) {
      UNSAFE.copyMemory(null, address, dst, BYTES + off, len);
      return;
    }
    long to = BYTES + off;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      UNSAFE.putLong(dst, to + i, UNSAFE.getLong(address + i));
    }
    for (; i < len; i++) {
      UNSAFE.putByte(dst, to + i, UNSAFE.getByte(address + i));
    }
  }

  /**
   * Whether {@code e} is the JVM's report of a fault reading a mapping. A read from a page that
   * vanished (the file was cut short) raises SIGBUS; for a read compiled from Unsafe the JVM makes
   * it an {@link InternalError} for the thread, but throws it only at the thread's next entry into
   * the VM, which may be inside library code (measured: a {@code FileChannel.size} whose
   * bookkeeping was left half done, so that it failed with an index error instead). Callers
   * therefore take any error after a fault, or once the file is found shorter, for the file having
   * changed.
   */
  static boolean isFault(Throwable e) {
    return e instanceof InternalError
        && e.getMessage() != null
        && e.getMessage().contains("unsafe memory access");
  }

  /** Unmaps {@code m} now; nothing may read it afterwards. */
  static void unmap(MappedByteBuffer m) {
    UNSAFE.invokeCleaner(m);
  }

  private static Unsafe unsafe() {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Unsafe u = (Unsafe) f.get(null);
      // the 8-byte copies above read in the machine's order and write it back unchanged, but the
      // record header reads assume a little-endian machine
      return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? u : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static long addressOffset() {
    if (UNSAFE == null) {
      return -1;
    }
    try {
      @SuppressWarnings("deprecation") // the supported way to read a field offset before Java 22
      long off = UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
      return off;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
