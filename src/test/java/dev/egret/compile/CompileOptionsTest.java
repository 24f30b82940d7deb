package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder keeps every field, and the record still refuses options that do not fit. */
class CompileOptionsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    CompileOptions h = CompileOptions.host();
    assertEquals(
        new CompileOptions(
            CompileOptions.Mode.HOST,
            List.of(),
            false,
            true,
            false,
            CompileOptions.DEFAULT_SET_THRESHOLD,
            null,
            false,
            CompileOptions.KERNEL_LOG,
            false,
            List.of()),
        h);
    assertEquals(CompileOptions.Mode.GATEWAY, CompileOptions.gateway().mode());
  }

  @Test
  void toBuilderKeepsEveryFieldAndChangesOnlyWhatIsSet() {
    CompileOptions o =
        CompileOptions.builder(CompileOptions.Mode.GATEWAY)
            .standalone(true)
            .keepAccess(false)
            .reject(true)
            .setThreshold(3)
            .capircaPlatforms(List.of("juniper"))
            .logGroup(5)
            .audit(true)
            .inside(List.of(Cidr.parse("198.51.100.0/24")))
            .build();
    assertEquals(o, o.toBuilder().build());
    CompileOptions p = o.toBuilder().setThreshold(4).build();
    assertEquals(4, p.setThreshold());
    assertEquals(o, p.toBuilder().setThreshold(3).build());
    CompileOptions h =
        CompileOptions.builder(CompileOptions.Mode.HOST)
            .hosts(List.of(IpAddress.parse("10.0.0.5")))
            .build();
    assertEquals(h, h.toBuilder().build());
  }

  @Test
  void buildRefusesOptionsThatDoNotFitWithTheCommandLinesMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CompileOptions.builder(CompileOptions.Mode.GATEWAY)
                    .hosts(List.of(IpAddress.parse("10.0.0.5")))
                    .build());
    assertEquals("--host applies to host mode only", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CompileOptions.host().toBuilder().setThreshold(0).build());
    assertEquals("set threshold must be at least 1, not 0", e.getMessage());
  }
}
