package io.pulse.worker.service;

import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.CreateTimings;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.ExitReason;
import io.pulse.api.v1.PrepareImageResponse;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.PoolReport;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.PreparedImage;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxExit;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;

/** Converts between the wire types of api/ and our records. The only place where both meet. */
public final class SandboxProtos {

  private SandboxProtos() {}

  /** Throws IllegalArgumentException naming the field when the spec is unusable. */
  public static SandboxSpec spec(io.pulse.api.v1.SandboxSpec spec) {
    return new SandboxSpec(spec.getFunction(), spec.getRevision(), spec.getImage(), spec.getCommandList(),
        spec.getPort(), spec.getEnvMap(), resources(spec.getResources()), spec.getReadinessTimeoutMs(),
        spec.getSecretsList().stream().map(s -> new io.pulse.worker.sandbox.SecretFile(s.getName(),
            s.getValue().toByteArray(), s.getEnv().isEmpty() ? null : s.getEnv())).toList());
  }

  /** The creator and lease an Emergency Instance's creation names; throws IllegalArgumentException naming the field. */
  public static CreatorLease creator(CreateSandboxRequest request) {
    if (request.getLeaseMs() < 0) {
      throw new IllegalArgumentException("lease_ms must be >= 0, was " + request.getLeaseMs());
    }
    if (request.getLeaseMs() > 0 && request.getCreator().isBlank()) {
      throw new IllegalArgumentException("creator is required with a lease_ms");
    }
    return new CreatorLease(request.getCreator(), request.getLeaseMs());
  }

  public static Resources resources(io.pulse.api.v1.Resources resources) {
    return new Resources(resources.getCpuMillis(), resources.getMemoryMib());
  }

  public static io.pulse.api.v1.Resources resources(Resources resources) {
    return io.pulse.api.v1.Resources.newBuilder()
        .setCpuMillis(resources.cpuMillis())
        .setMemoryMib(resources.memoryMiB())
        .build();
  }

  public static SandboxKind kind(InstanceKind kind) {
    return switch (kind) {
      case REGULAR -> SandboxKind.REGULAR;
      case EMERGENCY -> SandboxKind.EMERGENCY;
      default -> throw new IllegalArgumentException("kind must be REGULAR or EMERGENCY, was " + kind);
    };
  }

  public static InstanceKind kind(SandboxKind kind) {
    return switch (kind) {
      case REGULAR -> InstanceKind.REGULAR;
      case EMERGENCY -> InstanceKind.EMERGENCY;
    };
  }

  public static io.pulse.api.v1.SandboxState state(SandboxState state) {
    return switch (state) {
      case STARTING -> io.pulse.api.v1.SandboxState.STARTING;
      case READY -> io.pulse.api.v1.SandboxState.READY;
      case EXITED -> io.pulse.api.v1.SandboxState.EXITED;
    };
  }

  public static PoolReport pool(PoolStatus pool) {
    return PoolReport.newBuilder()
        .setFunction(pool.key().function())
        .setRevision(pool.key().revision())
        .setTarget(pool.target())
        .setReady(pool.ready())
        .setCreating(pool.creating())
        .setFailures(pool.failures())
        .setLastError(pool.lastError() == null ? "" : pool.lastError())
        .setRefillMicros(pool.refillMicros())
        .build();
  }

  public static SandboxInfo info(Sandbox sandbox) {
    SandboxInfo.Builder info = SandboxInfo.newBuilder()
        .setInstanceId(sandbox.instanceId())
        .setFunction(sandbox.function())
        .setRevision(sandbox.revision())
        .setKind(kind(sandbox.kind()))
        .setEndpoint(Endpoint.newBuilder().setHost(sandbox.endpoint().host()).setPort(sandbox.endpoint().port()))
        .setCreatedAtMs(sandbox.createdAtMs())
        .setResources(resources(sandbox.resources()))
        .setState(state(sandbox.state()))
        .setCreator(sandbox.creator().creator())
        .setLeaseMs(sandbox.creator().leaseMs());
    if (sandbox.exit() != null) {
      info.setExit(exit(sandbox.exit()));
    }
    return info.build();
  }

  public static io.pulse.api.v1.SandboxExit exit(SandboxExit exit) {
    return io.pulse.api.v1.SandboxExit.newBuilder()
        .setReason(switch (exit.reason()) {
          case EXITED -> ExitReason.EXIT_REASON_EXITED;
          case OOM_KILLED -> ExitReason.EXIT_REASON_OOM_KILLED;
          case KILLED -> ExitReason.EXIT_REASON_KILLED;
        })
        .setExitCode(exit.exitCode())
        .setExitedAtMs(exit.exitedAtMs())
        .setMessage(exit.message())
        .build();
  }

  public static PrepareImageResponse prepared(PreparedImage prepared) {
    return PrepareImageResponse.newBuilder()
        .setAlreadyPresent(prepared.alreadyPresent())
        .setDigest(prepared.digest())
        .setPullMicros(prepared.pullMicros())
        .build();
  }

  public static CreateTimings timings(Timings timings) {
    return CreateTimings.newBuilder()
        .setImageMicros(timings.imageMicros())
        .setCreateMicros(timings.createMicros())
        .setNetworkMicros(timings.networkMicros())
        .setStartMicros(timings.startMicros())
        .setReadyMicros(timings.readyMicros())
        .setTotalMicros(timings.totalMicros())
        .build();
  }

  /** @param listingGeneration from which every listing shows the sandbox (see {@link ListingGenerations}) */
  public static CreateSandboxResponse response(CreatedSandbox created, long listingGeneration) {
    return CreateSandboxResponse.newBuilder()
        .setSandbox(info(created.sandbox()))
        .setTimings(timings(created.timings()))
        .setListingGeneration(listingGeneration)
        .build();
  }
}
