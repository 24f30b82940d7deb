package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Counters;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import dev.egret.baseline.SourceRecord;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Baselines built in code for policy tests: a window of whole UTC days from 2024-03-01. */
final class TestBaselines {
  static final LocalDate DAY0 = LocalDate.of(2024, 3, 1);
  static final long NS = 1_000_000_000L;

  private final List<Entry> entries = new ArrayList<>();
  private final List<NameRecord> names = new ArrayList<>();
  private final List<SourceRecord> sources = new ArrayList<>();
  private int windowDays = 1;

  static long at(int day, long second) {
    return (DAY0.plusDays(day).toEpochSecond(java.time.LocalTime.MIDNIGHT, ZoneOffset.UTC) + second)
        * NS;
  }

  TestBaselines days(int n) {
    windowDays = n;
    return this;
  }

  /** An entry seen on the given window days (indices from 0), all flows answered or none. */
  TestBaselines entry(
      String host, String dest, String proto, int port, long flows, long answered, int... days) {
    boolean internal = dest.startsWith("10.") || dest.startsWith("fd");
    List<String> ds = new ArrayList<>();
    for (int d : days) {
      ds.add(DAY0.plusDays(d).toString());
    }
    entries.add(
        new Entry(
            host,
            dest,
            proto,
            port,
            internal,
            flows,
            answered,
            flows - answered,
            0,
            flows,
            flows * 60,
            answered,
            answered * 60,
            at(days[0], 3600),
            at(days[days.length - 1], 4200),
            ds,
            List.of(1),
            0,
            0,
            0));
    return this;
  }

  TestBaselines entry(String host, String dest, String proto, int port, long flows) {
    return entry(host, dest, proto, port, flows, flows, 0);
  }

  TestBaselines name(String host, String address, String name) {
    names.add(new NameRecord(host, address, name, "dns", 1, at(0, 3000), at(0, 3000), 300));
    return this;
  }

  /** Answers the resolver gave {@code host}, daily at {@code second}, on days {@code from..to}. */
  TestBaselines answer(
      String host, String address, String name, int from, int to, int second, long ttl) {
    names.add(
        new NameRecord(
            host, address, name, "dns", to - from + 1, at(from, second), at(to, second), ttl));
    return this;
  }

  /** A name the client itself claimed (TLS server name), not an answer from the resolver. */
  TestBaselines sni(String host, String address, String name) {
    names.add(new NameRecord(host, address, name, "sni", 1, at(0, 3000), at(0, 3000), 0));
    return this;
  }

  /** A name the client claimed {@code count} times, each day of the window. */
  TestBaselines sni(String host, String address, String name, long count) {
    names.add(
        new NameRecord(
            host, address, name, "sni", count, at(0, 3000), at(windowDays - 1, 3000), 0));
    return this;
  }

  TestBaselines source(String name) {
    sources.add(new SourceRecord("file", name, "", at(0, 0), at(windowDays - 1, 86399), 10));
    return this;
  }

  Baseline build() {
    return new Baseline(
        Baseline.SCHEMA,
        "test",
        at(0, 0),
        at(windowDays - 1, 86399),
        sources,
        new Counters(100, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        entries,
        names,
        queries);
  }

  private final List<dev.egret.baseline.QueryRecord> queries = new ArrayList<>();

  /** A DNS question {@code host} asked for {@code name}, answered once on {@code day}. */
  TestBaselines query(String host, String name, int day, int second) {
    queries.add(
        new dev.egret.baseline.QueryRecord(host, name, 1, 0, at(day, second), at(day, second)));
    return this;
  }
}
