package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI runtime choice: its shim options on the wire, and the checks that make a worker fail fast. */
class OciRuntimeTest {

  @TempDir
  Path dir;

  @Test
  void parse_knowsRuncAndCrun_andNamesTheChoicesOtherwise() {
    assertThat(OciRuntime.parse("crun")).isEqualTo(OciRuntime.CRUN);
    assertThat(OciRuntime.parse("runc")).isEqualTo(OciRuntime.RUNC);
    assertThatThrownBy(() -> OciRuntime.parse("youki")).hasMessageContaining("auto, runc or crun")
        .hasMessageContaining("youki");
    assertThat(OciRuntime.choose("auto")).isEqualTo(OciRuntime.detect());
    assertThat(OciRuntime.choose("runc")).isEqualTo(OciRuntime.RUNC);
  }

  @Test
  void shimOptions_runcNeedsNone_crunIsNamedInBinaryNameField6() throws Exception {
    assertThat(OciRuntime.RUNC.shimOptions()).isEmpty();
    Any options = OciRuntime.CRUN.shimOptions().orElseThrow();
    assertThat(options.getTypeUrl()).isEqualTo("containerd.runc.v1.Options");
    CodedInputStream in = options.getValue().newCodedInput();
    int tag = in.readTag();
    assertThat(WireFormat.getTagFieldNumber(tag)).isEqualTo(6);
    assertThat(in.readString()).isEqualTo("crun");
    assertThat(in.readTag()).as("nothing else").isZero();
  }

  private Path executable(String name) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void unusable_whenTheBinaryIsNotOnThePath() throws Exception {
    Path bin = executable("runc");
    Path noControllers = Files.writeString(dir.resolve("controllers"), "\n");
    assertThat(OciRuntime.RUNC.unusableBecause(List.of(bin), noControllers)).isEmpty();
    assertThat(OciRuntime.CRUN.unusableBecause(List.of(bin), noControllers)).get(
        org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("crun is not on the PATH")
        .contains("--oci-runtime runc");
  }

  @Test
  void crunUnusable_onAHybridHierarchyWhoseV2MountHoldsControllers() throws Exception {
    Path bin = executable("crun");
    Path withHugetlb = Files.writeString(dir.resolve("controllers"), "hugetlb\n");
    assertThat(OciRuntime.CRUN.unusableBecause(List.of(bin), withHugetlb)).get(
        org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("hybrid").contains("[hugetlb]")
        .contains("--oci-runtime runc");
    assertThat(OciRuntime.CRUN.unusableBecause(List.of(bin), dir.resolve("no-hybrid-mount"))).isEmpty();
    Path empty = Files.writeString(dir.resolve("empty"), "");
    assertThat(OciRuntime.CRUN.unusableBecause(List.of(bin), empty)).isEmpty();
  }
}
