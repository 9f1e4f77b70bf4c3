package io.pulse.bench.driver;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's own cost of a sandbox: creates sandboxes straight on a worker (as an Emergency Instance, which no
 * control plane manages), one at a time, and deletes each. Blocking.
 */
public final class RawSandboxProbe {

  /** One creation: the client's round trip and the worker's own create+start+ready (CreateTimings.total). */
  public record Sample(double roundTripMs, double runtimeMs) {}

  private RawSandboxProbe() {}

  public static List<Sample> measure(String workerAddress, int samples, int memoryMiB) {
    ManagedChannel channel = GrpcChannels.plaintext(workerAddress);
    try {
      WorkerServiceGrpc.WorkerServiceBlockingStub stub = WorkerServiceGrpc.newBlockingStub(channel);
      SandboxSpec spec = SandboxSpec.newBuilder().setFunction("raw-probe").setRevision(1).addCommand("fake")
          .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryMib(memoryMiB))
          .setReadinessTimeoutMs(30_000).build();
      List<Sample> result = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        String id = "raw-probe-1-e" + String.format("%08d", i);
        long start = System.nanoTime();
        CreateSandboxResponse created = stub.withDeadlineAfter(60, TimeUnit.SECONDS).createSandbox(
            CreateSandboxRequest.newBuilder().setInstanceId(id).setKind(InstanceKind.EMERGENCY).setSpec(spec)
                .build());
        double roundTrip = (System.nanoTime() - start) / 1e6;
        long total = created.getTimings().getTotalMicros();
        result.add(new Sample(roundTrip, total > 0 ? total / 1e3 : roundTrip));
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).deleteSandbox(DeleteSandboxRequest.newBuilder()
            .setInstanceId(id).build());
      }
      return result;
    } finally {
      GrpcChannels.close(channel);
    }
  }
}
