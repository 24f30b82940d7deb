package dev.egret.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one, never a
 * torn one: write a temporary file beside it, fsync it, rename it over the target, fsync the
 * directory. The file keeps what an admin set on it: a symlink is written through (its target is
 * replaced, the link stays), and an existing file's mode and owner carry over; a new file gets the
 * usual mode for the process's umask. The directory must exist: a mistyped path is an error, not a
 * new directory. Temporary files ({@code .<name>.<pid>.<random>.tmp}) left by a process that was
 * killed mid-write are removed by the next write of the same file.
 */
public final class AtomicFile {
  /** Writes the content of a file. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final int MAX_LINKS = 40;

  private AtomicFile() {}

  public static void write(Path target, Body body) throws IOException {
    Path abs = resolveLinks(target.toAbsolutePath());
    checkParent(abs);
    if (Files.isDirectory(abs)) {
      throw new FileSystemException(target + ": is a directory, not a file to write");
    }
    Path dir = abs.getParent();
    String prefix = "." + abs.getFileName() + ".";
    removeStaleTemps(dir, prefix);
    PosixFileAttributes old = attributes(abs);
    Path tmp;
    try {
      tmp = createTemp(dir, prefix);
    } catch (FileSystemException e) {
      // The temporary file is ours, not the user's: name the file asked for, and why.
      String why =
          e instanceof java.nio.file.AccessDeniedException
              ? "permission denied"
              : e.getReason() != null ? e.getReason() : "cannot create a file there";
      throw new FileSystemException(target + ": cannot write it in " + dir + ": " + why);
    }
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out =
              new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      if (old != null) {
        keepAttributes(tmp, old);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      syncDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  /**
   * Fails with a one-line message when the directory {@code target} would be written in does not
   * exist or is not a directory; commands call it before long work so a typo fails at once.
   */
  public static void checkParent(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    String why = Files.exists(dir) ? " is not a directory" : " does not exist";
    Path shown = target.getParent() == null ? dir : target.getParent();
    throw new FileSystemException(target + ": cannot write it, directory " + shown + why);
  }

  /** The file a path finally names, following symlinks, even when the last one dangles. */
  static Path resolveLinks(Path abs) throws IOException {
    Path p = abs;
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
      Path parent = p.getParent();
      Path link = Files.readSymbolicLink(p);
      p = parent == null ? link : parent.resolve(link).normalize();
    }
    if (Files.isSymbolicLink(p)) {
      throw new FileSystemException(abs + ": too many levels of symbolic links");
    }
    return p;
  }

  private static Path createTemp(Path dir, String prefix) throws IOException {
    long pid = ProcessHandle.current().pid();
    for (int i = 0; ; i++) {
      Path tmp =
          dir.resolve(
              prefix
                  + pid
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + ".tmp");
      try {
        // CREATE_NEW without attributes: the mode follows the umask like any new file.
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (i == 10) {
          throw e;
        }
      }
    }
  }

  /** Removes {@code prefix<pid>.<random>.tmp} files whose writing process no longer runs. */
  private static void removeStaleTemps(Path dir, String prefix) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(prefix)) {
          continue;
        }
        String rest = n.substring(prefix.length(), n.length() - ".tmp".length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || rest.indexOf('.', dot + 1) >= 0) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, dot));
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Cleaning up is a courtesy; the write itself does not depend on it.
    }
  }

  private static PosixFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, PosixFileAttributes.class);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static void keepAttributes(Path tmp, PosixFileAttributes old) throws IOException {
    PosixFileAttributeView v =
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    try {
      v.setOwner(old.owner());
      v.setGroup(old.group());
    } catch (IOException e) {
      // Only root may give a file away; an unprivileged writer keeps its own ownership.
    }
    v.setPermissions(old.permissions());
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot open or sync a directory; the rename itself was atomic.
    }
  }
}
