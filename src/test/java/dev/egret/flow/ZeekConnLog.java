package dev.egret.flow;

import dev.egret.net.Protocols;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Zeek conn.log baseline read for its connection tuples. Columns are found by name: from the
 * {@code #fields} header of a full log, or from the first non-comment line of a zeek-cut subset
 * ({@code *.cut}). Rows whose {@code tunnel_parents} is not {@code -} (connections inside tunnels)
 * are counted and kept only when asked for (egret decapsulates only with {@code --decapsulate}). A
 * cut file without a {@code proto} column yields tuples with proto {@code ?}; one without the
 * address columns is not comparable ({@link #comparable()} false).
 */
record ZeekConnLog(List<String> columns, List<Tuple> tuples, int tunnelledRows) {

  /**
   * One connection as Zeek logs it, in conn.log words: proto is tcp, udp, icmp (ICMPv6 too) or
   * unknown_transport, and for ICMP the ports are the type and its counterpart.
   */
  record Tuple(String origH, int origP, String respH, int respP, String proto)
      implements Comparable<Tuple> {
    @Override
    public String toString() {
      return proto + " " + endpoint(origH, origP) + " > " + endpoint(respH, respP);
    }

    private static String endpoint(String host, int port) {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public int compareTo(Tuple o) {
      return toString().compareTo(o.toString());
    }

    /** The same connection with proto unknown, for cut logs that leave proto out. */
    Tuple withoutProto() {
      return new Tuple(origH, origP, respH, respP, "?");
    }
  }

  private static final List<String> ID_COLUMNS =
      List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p");

  boolean comparable() {
    return columns.containsAll(ID_COLUMNS);
  }

  boolean hasProto() {
    return columns.contains("proto");
  }

  static ZeekConnLog read(Path file) throws IOException {
    return read(file, false);
  }

  /** With {@code tunnelled}, the rows inside tunnels are tuples too. */
  static ZeekConnLog read(Path file, boolean tunnelled) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> columns = null;
    List<Tuple> tuples = new ArrayList<>();
    int inside = 0;
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#fields\t")) {
        columns = List.of(line.substring("#fields\t".length()).split("\t", -1));
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (columns == null) {
        // zeek-cut / btest-diff-cut output: the first line names the columns it kept.
        columns = List.of(line.split("\t", -1));
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != columns.size()) {
        throw new IOException(
            file
                + ": row has "
                + f.length
                + " fields, header has "
                + columns.size()
                + ": "
                + Arrays.toString(f));
      }
      int tp = columns.indexOf("tunnel_parents");
      if (tp >= 0 && !f[tp].equals("-")) {
        inside++;
        if (!tunnelled) {
          continue;
        }
      }
      if (!columns.containsAll(ID_COLUMNS)) {
        continue;
      }
      int proto = columns.indexOf("proto");
      tuples.add(
          new Tuple(
              f[columns.indexOf("id.orig_h")],
              Integer.parseInt(f[columns.indexOf("id.orig_p")]),
              f[columns.indexOf("id.resp_h")],
              Integer.parseInt(f[columns.indexOf("id.resp_p")]),
              proto < 0 ? "?" : f[proto]));
    }
    if (columns == null) {
      throw new IOException(file + ": no #fields header and no column line");
    }
    return new ZeekConnLog(columns, tuples, inside);
  }

  /** An egret flow in Zeek's conn.log words. */
  static Tuple tupleOf(FlowRecord r) {
    FlowKey k = r.key();
    String proto =
        switch (k.proto()) {
          case Protocols.TCP -> "tcp";
          case Protocols.UDP -> "udp";
          case Protocols.ICMP, Protocols.ICMPV6 -> "icmp";
          default -> "unknown_transport";
        };
    return new Tuple(k.initiator(), k.initPort(), k.responder(), k.respPort(), proto);
  }
}
