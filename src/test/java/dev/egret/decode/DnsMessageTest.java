package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsMessageTest {

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** One parser for every message of the class: nothing of one message may leak into the next. */
  private static final DnsMessage REUSED = new DnsMessage();

  private static List<String> parse(byte[] m, boolean expectOk) {
    DnsRecorder r = new DnsRecorder();
    assertEquals(expectOk, DnsMessage.parseResponse(m, 0, m.length, r), "parse result");
    DnsRecorder again = new DnsRecorder();
    assertEquals(expectOk, REUSED.response(m, 0, m.length, again), "reused parser's result");
    assertEquals(r.lines, again.lines, "reused parser");
    return r.lines;
  }

  /** Header: id 0x1234, QR=1 RD RA, given rcode and counts. */
  static byte[] header(int rcode, int qd, int an) {
    return bytes(0x12, 0x34, 0x81, 0x80 | rcode, 0, qd, 0, an, 0, 0, 0, 0);
  }

  // www.example.com, type A, class IN, starting at offset 12
  static final byte[] QUESTION_WWW_A =
      bytes(
          3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, // @12..28
          0, 1, 0, 1); // QTYPE A, QCLASS IN; answers start at 33

  // answer: pointer to 12 (www.example.com), A, IN, TTL 300, RDLENGTH 4, 1.2.3.4
  static final byte[] ANSWER_A = bytes(0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 1, 2, 3, 4);

  static final byte[] SIMPLE_A = concat(header(0, 1, 1), QUESTION_WWW_A, ANSWER_A);

  /** Question and answer names of a message, in the order reported. */
  private static List<String> names(DnsMessage d, byte[] m) {
    List<String> out = new ArrayList<>();
    d.response(
        m,
        0,
        m.length,
        new DnsMessage.DnsSink() {
          @Override
          public void question(String qname, int qtype, int rcode) {
            out.add(qname);
          }

          @Override
          public void answer(String qname, long addrHi, long addrLo, long ttl) {
            out.add(qname);
          }
        });
    return out;
  }

  @Test
  void aReusedParserGivesARepeatedNameAsOneString() {
    DnsMessage d = new DnsMessage();
    List<String> first = names(d, SIMPLE_A);
    List<String> second = names(d, SIMPLE_A);
    assertEquals(List.of("www.example.com", "www.example.com"), first);
    assertEquals(first, second);
    assertSame(first.get(0), first.get(1), "question and answer");
    assertSame(first.get(0), second.get(0), "second message");
  }

  @Test
  void distinctNamesPastTheCacheSizeStayExact() {
    // 3 x 1,024 names through one parser: slots are taken over, and every name read is its own.
    DnsMessage d = new DnsMessage();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3 * NameCache.SLOTS; i++) {
        String label = "h" + i;
        byte[] q = new byte[label.length() + 1];
        q[0] = (byte) label.length();
        System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, q, 1, label.length());
        byte[] m = concat(header(3, 1, 0), q, bytes(0, 0, 1, 0, 1));
        assertEquals(List.of(label), names(d, m));
      }
    }
  }

  @Test
  void aRecordUnderQuestionName() {
    assertEquals(
        List.of("Q www.example.com 1 0", "A www.example.com 1.2.3.4 300"), parse(SIMPLE_A, true));
  }

  @Test
  void aaaaRecord() {
    byte[] m =
        concat(
            header(0, 1, 1),
            bytes(3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0),
            bytes(0, 28, 0, 1), // QTYPE AAAA
            bytes(0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16), // AAAA, TTL 60, RDLENGTH 16
            bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)); // 2001:db8::1
    assertEquals(
        List.of("Q www.example.com 28 0", "A www.example.com 2001:db8::1 60"), parse(m, true));
  }

  // www.example.com CNAME a.cdn.net; a.cdn.net CNAME b.cdn.net; b.cdn.net A 1.2.3.4
  static final byte[] CNAME_CHAIN =
      concat(
          header(0, 1, 3),
          QUESTION_WWW_A,
          // @33: owner ->12, CNAME, IN, TTL 60, RDLENGTH 11, rdata @45: a.cdn.net (fully written)
          bytes(0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 11),
          bytes(1, 'a', 3, 'c', 'd', 'n', 3, 'n', 'e', 't', 0), // @45; "cdn.net" is @47
          // @56: owner ->45 (a.cdn.net), CNAME, RDLENGTH 4, rdata: b + pointer to 47 (cdn.net)
          bytes(0xc0, 45, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4),
          bytes(1, 'b', 0xc0, 47), // @68: b.cdn.net
          // @72: owner ->68 (b.cdn.net), A, TTL 20, 1.2.3.4
          bytes(0xc0, 68, 0, 1, 0, 1, 0, 0, 0, 20, 0, 4, 1, 2, 3, 4));

  @Test
  void cnameChainOfTwoReportsTheQuestionName() {
    assertEquals(
        List.of("Q www.example.com 1 0", "A www.example.com 1.2.3.4 20"), parse(CNAME_CHAIN, true));
  }

  @Test
  void cnameRecordsAfterTheAddressStillResolve() {
    byte[] m =
        concat(
            header(0, 1, 2),
            QUESTION_WWW_A,
            // @33: owner x.net (written), A 5.6.7.8
            bytes(1, 'x', 3, 'n', 'e', 't', 0, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 5, 6, 7, 8),
            // @54: www.example.com CNAME ->33 (x.net)
            bytes(0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 2, 0xc0, 33));
    assertEquals(List.of("Q www.example.com 1 0", "A www.example.com 5.6.7.8 9"), parse(m, true));
  }

  @Test
  void addressNotReachableFromTheQuestionKeepsItsOwner() {
    byte[] m =
        concat(
            header(0, 1, 1),
            QUESTION_WWW_A,
            // other.org A 9.9.9.9: no CNAME leads there from www.example.com
            bytes(5, 'o', 't', 'h', 'e', 'r', 3, 'o', 'r', 'g', 0),
            bytes(0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 9, 9, 9, 9));
    assertEquals(List.of("Q www.example.com 1 0", "A other.org 9.9.9.9 9"), parse(m, true));
  }

  @Test
  void cnameLoopInAnswersTerminates() {
    byte[] m =
        concat(
            header(0, 1, 3),
            QUESTION_WWW_A,
            // @33: a CNAME, rdata @46: label b, then a pointer to the root octet at 35
            bytes(1, 'a', 0, 0, 5, 0, 1, 0, 0, 0, 1, 0, 4, 1, 'b', 0xc0, 35),
            bytes(0xc0, 46, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 33), // @50: b CNAME a
            bytes(0xc0, 46, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 7, 7, 7, 7)); // @64: b A 7.7.7.7
    assertEquals(List.of("Q www.example.com 1 0", "A b 7.7.7.7 1"), parse(m, true));
  }

  @Test
  void pointerToSuffixOfEarlierName() {
    byte[] m =
        concat(
            header(0, 1, 1),
            QUESTION_WWW_A,
            // mail + pointer to 16 ("example.com"), A 1.1.1.1
            bytes(4, 'm', 'a', 'i', 'l', 0xc0, 16, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 1, 1, 1));
    assertEquals("A mail.example.com 1.1.1.1 5", parse(m, true).get(1));
  }

  @Test
  void nxdomainReportsTheQuestion() {
    byte[] m = concat(header(3, 1, 0), QUESTION_WWW_A); // RCODE 3, no answers
    assertEquals(List.of("Q www.example.com 1 3"), parse(m, true));
  }

  @Test
  void queryIsNotAResponse() {
    byte[] m = SIMPLE_A.clone();
    m[2] = 0x01; // QR=0, RD
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void otherOpcodeIsRefused() {
    byte[] m = SIMPLE_A.clone();
    m[2] = (byte) 0xa8; // QR=1, opcode 5 (UPDATE)
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void pointerToItselfIsALoop() {
    byte[] m = concat(header(0, 1, 0), bytes(0xc0, 12, 0, 1, 0, 1)); // QNAME: pointer to 12
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void pointerLoopThroughALabelIsRefused() {
    // @12: label "a", then a pointer back to 12: backwards, but into the stretch it came from
    byte[] m = concat(header(0, 1, 0), bytes(1, 'a', 0xc0, 12, 0, 1, 0, 1));
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void twoPointersToEachOtherAreRefused() {
    byte[] m =
        concat(
            header(0, 1, 1),
            QUESTION_WWW_A,
            bytes(0xc0, 35, 0xc0, 33, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4)); // @33 ->35 ->33
    assertEquals(List.of("Q www.example.com 1 0"), parse(m, false));
  }

  @Test
  void pointerForwardIsRefused() {
    byte[] m = concat(header(0, 1, 0), bytes(0xc0, 14, 0, 0, 1, 0, 1)); // @12 -> 14, ahead
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void pointerOutOfRangeIsRefused() {
    byte[] m = concat(header(0, 1, 0), bytes(0xff, 0xff, 0, 1, 0, 1)); // -> 16383
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void tooManyBackwardJumpsAreRefused() {
    // @12: root; then 40 pointers, each to the one before it: every jump is backwards
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header(0, 1, 0));
    out.write(0);
    out.write(0xc0);
    out.write(12);
    for (int i = 1; i < 40; i++) {
      out.write(0xc0);
      out.write(13 + 2 * (i - 1));
    }
    int last = out.size() - 2;
    byte[] m = out.toByteArray();
    m[5] = 0; // no question: read the name directly
    DnsMessage d = new DnsMessage();
    assertEquals(-1, d.readName(m, 0, m.length, last));
    assertEquals(15, d.readName(m, 0, m.length, 13), "one jump is fine");
    assertEquals(".", d.name());
  }

  @Test
  void labelLength64IsInvalid() {
    byte[] m = concat(header(0, 1, 0), bytes(0x40), new byte[64], bytes(0, 0, 1, 0, 1));
    assertEquals(List.of(), parse(m, false));
  }

  @Test
  void nameOf255OctetsIsAcceptedAnd256IsNot() {
    byte[] ok = concat(header(0, 1, 0), labels(63, 63, 63, 61), bytes(0, 1, 0, 1)); // 255
    List<String> lines = parse(ok, true);
    assertEquals(1, lines.size());
    assertEquals(2 + 63 * 3 + 61 + 3 + 2 + 2, lines.get(0).length()); // "Q " name " 1 0"
    byte[] tooLong = concat(header(0, 1, 0), labels(63, 63, 63, 62), bytes(0, 1, 0, 1)); // 256
    assertEquals(List.of(), parse(tooLong, false));
  }

  /** Labels of 'x' with the given lengths, ending with the root. */
  private static byte[] labels(int... lengths) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int l : lengths) {
      out.write(l);
      byte[] x = new byte[l];
      Arrays.fill(x, (byte) 'x');
      out.writeBytes(x);
    }
    out.write(0);
    return out.toByteArray();
  }

  @Test
  void oddLabelBytesAreEscapedAndLetterCaseFolded() {
    byte[] m =
        concat(
            header(0, 1, 0),
            // label "A.b c\<0xff>\n" then "COM"
            bytes(8, 'A', '.', 'b', ' ', 'c', '\\', 0xff, '\n', 3, 'C', 'O', 'M', 0),
            bytes(0, 1, 0, 1));
    assertEquals(List.of("Q a\\.b\\032c\\\\\\255\\010.com 1 0"), parse(m, true));
  }

  @Test
  void rootName() {
    byte[] m = concat(header(0, 1, 0), bytes(0, 0, 2, 0, 1)); // ". NS"
    assertEquals(List.of("Q . 2 0"), parse(m, true));
  }

  @Test
  void truncatedAnswerKeepsWhatCameBefore() {
    byte[] two = concat(header(0, 1, 2), QUESTION_WWW_A, ANSWER_A, ANSWER_A);
    byte[] m = Arrays.copyOf(two, two.length - 3); // second A's RDATA cut
    assertEquals(
        List.of("Q www.example.com 1 0", "A www.example.com 1.2.3.4 300"), parse(m, false));
  }

  @Test
  void aRecordWithWrongLengthIsMalformed() {
    byte[] m = SIMPLE_A.clone();
    m[33 + 11] = 3; // RDLENGTH 3 for an A record
    assertEquals(List.of("Q www.example.com 1 0"), parse(Arrays.copyOf(m, m.length - 1), false));
  }

  @Test
  void otherClassIsSkipped() {
    byte[] m = SIMPLE_A.clone();
    m[33 + 5] = 3; // CLASS CH
    assertEquals(List.of("Q www.example.com 1 0"), parse(m, true));
  }

  @Test
  void mdnsCacheFlushBitIsNotPartOfTheClass() {
    byte[] m = SIMPLE_A.clone();
    m[33 + 4] = (byte) 0x80; // CLASS 0x8001: IN with cache-flush (RFC 6762 10.2)
    assertEquals(2, parse(m, true).size());
  }

  @Test
  void ttlWithTopBitSetIsZero() {
    byte[] m = SIMPLE_A.clone();
    m[33 + 6] = (byte) 0x80; // TTL 0x8000012c
    assertEquals("A www.example.com 1.2.3.4 0", parse(m, true).get(1));
  }

  @Test
  void cnameRdataOverrunningItsLengthIsMalformed() {
    byte[] m = CNAME_CHAIN.clone();
    m[33 + 11] = 5; // RDLENGTH 5: a.cdn.net does not end inside it
    assertEquals(List.of("Q www.example.com 1 0"), parse(m, false));
  }

  @Test
  void everyTruncationReportsAPrefixAndNeverThrows() {
    List<String> full = parse(CNAME_CHAIN, true);
    for (int n = 0; n < CNAME_CHAIN.length; n++) {
      DnsRecorder r = new DnsRecorder();
      assertFalse(DnsMessage.parseResponse(CNAME_CHAIN, 0, n, r), "cut at " + n);
      assertTrue(full.containsAll(r.lines), "cut at " + n + ": " + r.lines);
    }
  }

  @Test
  void offsetIntoALargerBufferIsHonoured() {
    byte[] buf = concat(bytes(9, 9, 9), SIMPLE_A, bytes(9));
    DnsRecorder r = new DnsRecorder();
    assertTrue(DnsMessage.parseResponse(buf, 3, SIMPLE_A.length, r));
    assertEquals(parse(SIMPLE_A, true), r.lines);
    assertFalse(DnsMessage.parseResponse(buf, 3, buf.length, r), "length past the array");
    assertFalse(DnsMessage.parseResponse(null, 0, 0, r));
  }

  @Test
  void tcpTwoMessagesInOneSegmentAndAPartialThird() {
    int n = SIMPLE_A.length;
    byte[] prefix = bytes(n >> 8, n & 0xff);
    byte[] seg = concat(prefix, SIMPLE_A, prefix, SIMPLE_A, prefix, Arrays.copyOf(SIMPLE_A, 10));
    DnsRecorder r = new DnsRecorder();
    assertEquals(2 * (2 + n), DnsMessage.parseTcp(seg, 0, seg.length, r));
    assertEquals(4, r.lines.size());
    assertEquals(0, DnsMessage.parseTcp(seg, 0, 1, r), "length prefix cut");
  }

  @Test
  void tcpMalformedMessageIsStillConsumed() {
    byte[] seg = concat(bytes(0, 3, 1, 2, 3), bytes(0, SIMPLE_A.length), SIMPLE_A);
    DnsRecorder r = new DnsRecorder();
    assertEquals(seg.length, DnsMessage.parseTcp(seg, 0, seg.length, r));
    assertEquals(2, r.lines.size());
  }

  @Test
  void randomBytesNeverThrow() {
    Random rnd = new Random(1035);
    DnsRecorder r = new DnsRecorder();
    for (int i = 0; i < 20_000; i++) {
      byte[] m = new byte[rnd.nextInt(120)];
      rnd.nextBytes(m);
      if (m.length > 2) {
        m[2] |= (byte) 0x80; // a response, so the parser goes past the header
        m[2] &= (byte) 0x87; // opcode 0
      }
      DnsMessage.parseResponse(m, 0, m.length, r);
      DnsMessage.parseTcp(m, 0, m.length, r);
    }
    assertTrue(r.lines.size() > 0, "some random messages get as far as a question");
    for (String line : r.lines) {
      assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
    }
  }

  @Test
  void mutatedMessagesNeverThrow() {
    Random rnd = new Random(3596);
    DnsRecorder r = new DnsRecorder();
    for (int i = 0; i < 20_000; i++) {
      byte[] m = CNAME_CHAIN.clone();
      for (int k = rnd.nextInt(4); k >= 0; k--) {
        m[12 + rnd.nextInt(m.length - 12)] = (byte) rnd.nextInt(256);
      }
      DnsMessage.parseResponse(m, 0, rnd.nextInt(m.length + 1), r);
    }
    for (String line : r.lines) {
      assertTrue(line.length() < 2 * NameText.MAX_CHARS, line);
    }
  }
}
