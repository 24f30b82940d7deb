package dev.egret.synth;

import java.time.Instant;

/**
 * What the site scenario ({@link SiteScenario}) generates.
 *
 * @param seed the only source of randomness: the same options give the same bytes and labels
 * @param start the first day's midnight (or any instant: days are counted from it)
 * @param days how many days; hostile behaviour happens on the last one only
 * @param hosts internal hosts; what they are depends on the profile
 * @param profile which site: {@link Profile#SHOP}, {@link Profile#OFFICE} or {@link Profile#CLINIC}
 */
public record SiteOptions(long seed, Instant start, int days, int hosts, Profile profile) {
  public static final int MIN_HOSTS = 6;
  public static final int MAX_HOSTS = 2_000;
  public static final int MAX_DAYS = 60;

  /** The kinds of site, designed apart so that a policy tuned on one can be tried on the others. */
  public enum Profile {
    /**
     * A web shop: web servers (a tenth, at least two) calling CDN-backed APIs, a mail relay, a
     * database, a resolver, and workstations for the rest ({@link SitePlanner}).
     */
    SHOP("shop"),
    /**
     * A small office: a directory and file server that is also the resolver, application servers
     * calling cloud APIs, a build host, printers, and workstations with weekdays and weekends
     * ({@link OfficePlanner}).
     */
    OFFICE("office"),
    /**
     * A medical practice: the router as the site's resolver, a NAS backing up to the cloud, an HL7
     * link to a lab, card terminals, printers, IP cameras, VoIP phones, Windows reception PCs and
     * doctors' laptops on DHCP addresses that change hands ({@link ClinicPlanner}).
     */
    CLINIC("clinic");

    private final String id;

    Profile(String id) {
      this.id = id;
    }

    /** The spelling on the command line. */
    public String id() {
      return id;
    }
  }

  /** A shop site. */
  public SiteOptions(long seed, Instant start, int days, int hosts) {
    this(seed, start, days, hosts, Profile.SHOP);
  }

  public SiteOptions {
    if (start == null) {
      throw new IllegalArgumentException("start time is required");
    }
    if (profile == null) {
      throw new IllegalArgumentException("profile is required");
    }
    if (days < 2 || days > MAX_DAYS) {
      throw new IllegalArgumentException(
          "days must be 2.." + MAX_DAYS + " for a site (learn, then check the last): " + days);
    }
    if (hosts < MIN_HOSTS || hosts > MAX_HOSTS) {
      throw new IllegalArgumentException(
          "hosts must be " + MIN_HOSTS + ".." + MAX_HOSTS + " for a site: " + hosts);
    }
  }
}
