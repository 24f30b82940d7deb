package dev.egret.resolve;

import dev.egret.decode.DnsMessage;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks one resolver for the A or AAAA records of a name over UDP (RFC 1035 4.2.1), as a stub
 * resolver does. The resolver is given as an address: nothing here looks a name up through the
 * system ({@code InetAddress.getByName} is never called on a name). Each query has a random ID from
 * a {@link SecureRandom} and its own ephemeral port; a reply counts only from the server's address
 * and port, with the query's ID, as a response to the question asked. Replies are read by {@link
 * DnsMessage}, which no input makes throw.
 */
public final class DnsClient {
  /** One address of an answer, with its TTL in seconds. */
  public record Answer(Cidr address, long ttl) {}

  /** What one query gave: the addresses, or why there are none. */
  public record Result(List<Answer> answers, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final InetSocketAddress server;
  private final int timeoutMs;

  public DnsClient(IpAddress server, int port, int timeoutMs) {
    try {
      this.server = new InetSocketAddress(InetAddress.getByAddress(bytes(server)), port);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("bad resolver address " + server, e);
    }
    this.timeoutMs = timeoutMs;
  }

  /** Looks up {@code name} (a valid host name) for {@code type} (A or AAAA); one try. */
  public Result query(String name, int type) {
    int id = RANDOM.nextInt(0x10000);
    byte[] q = encode(id, name, type);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMs);
      s.send(new DatagramPacket(q, q.length, server));
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        if (!server.equals(p.getSocketAddress()) || p.getLength() < 12 || u16(buf, 0) != id) {
          if (System.nanoTime() > deadline) {
            return new Result(List.of(), "no reply from " + describe());
          }
          continue; // not ours: keep waiting for the reply to this query
        }
        return parse(buf, p.getLength(), name, type);
      }
    } catch (SocketTimeoutException e) {
      return new Result(List.of(), "no reply from " + describe() + " within " + timeoutMs + " ms");
    } catch (IOException e) {
      return new Result(List.of(), describe() + ": " + e.getMessage());
    }
  }

  /** The address's network-order bytes: 4 for IPv4, 16 for IPv6. */
  static byte[] bytes(IpAddress a) {
    if (a.isV4()) {
      long v = a.lo();
      return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (a.hi() >>> (56 - 8 * i));
      b[8 + i] = (byte) (a.lo() >>> (56 - 8 * i));
    }
    return b;
  }

  private String describe() {
    return server.getAddress().getHostAddress() + " port " + server.getPort();
  }

  static Result parse(byte[] buf, int len, String name, int type) {
    List<Answer> answers = new ArrayList<>();
    int[] rcode = {-1};
    boolean[] asked = {false};
    boolean ok =
        DnsMessage.parseResponse(
            buf,
            0,
            len,
            new DnsMessage.DnsSink() {
              @Override
              public void question(String qname, int qtype, int rc) {
                rcode[0] = rc;
                asked[0] |= qtype == type && qname.equalsIgnoreCase(name);
              }

              @Override
              public void answer(String qname, long hi, long lo, long ttl) {
                boolean v4 = dev.egret.net.Ip.isV4(hi, lo);
                if (qname.equalsIgnoreCase(name) && v4 == (type == DnsMessage.TYPE_A)) {
                  answers.add(new Answer(Cidr.covering(hi, lo, 128), ttl));
                }
              }
            });
    if (!ok || !asked[0]) {
      return new Result(List.of(), "malformed reply, or not to the question asked");
    }
    if ((buf[2] & 0x02) != 0) {
      return new Result(List.of(), "reply truncated (TC)");
    }
    if (rcode[0] == DnsMessage.RCODE_NXDOMAIN) {
      return new Result(List.of(), null); // the name does not exist: an empty answer, not a failure
    }
    if (rcode[0] != 0) {
      return new Result(List.of(), "response code " + rcode[0]);
    }
    return new Result(List.copyOf(answers), null);
  }

  /** A standard query with recursion desired (RFC 1035 4.1.1, 4.1.2). */
  static byte[] encode(int id, String name, int type) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] q = new byte[12 + n.length + 2 + 4];
    q[0] = (byte) (id >>> 8);
    q[1] = (byte) id;
    q[2] = 0x01; // RD
    q[5] = 1; // QDCOUNT
    int p = 12;
    for (String label : name.split("\\.")) {
      q[p++] = (byte) label.length();
      for (int i = 0; i < label.length(); i++) {
        q[p++] = (byte) label.charAt(i);
      }
    }
    q[p++] = 0;
    q[p++] = (byte) (type >>> 8);
    q[p++] = (byte) type;
    q[p++] = 0;
    q[p] = 1; // IN
    return q;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
