package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.ExitReason;
import io.pulse.api.v1.InstanceLogLine;
import io.pulse.api.v1.InstanceLogsRequest;
import io.pulse.api.v1.InstanceLogsResponse;
import io.pulse.api.v1.PrepareImageRequest;
import io.pulse.api.v1.PrepareImageResponse;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.RenewLeasesRequest;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.SandboxState;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.process.ProcessRuntimeSettings;
import io.pulse.worker.sandbox.process.ProcessSandboxRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WorkerService through a real Netty server and channel, over the process runtime. */
class GrpcWorkerServiceTest {

  private static final List<String> PYTHON =
      List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1");

  @TempDir Path dataDir;
  private ProcessSandboxRuntime runtime;
  private Server server;
  private ManagedChannel channel;
  private WorkerServiceGrpc.WorkerServiceBlockingStub worker;
  private final List<String> targets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    runtime = new ProcessSandboxRuntime(new ProcessRuntimeSettings(dataDir, "127.0.0.1", 21_300, 21_399, 300,
        20_000));
    SandboxCommands commands = new SandboxCommands(runtime, new io.pulse.worker.sandbox.Resources(1000, 1024),
        new EpochGuard(), WorkerMetrics.unregistered(runtime::list));
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(new GrpcWorkerService("w-test", commands,
        (spec, count) -> targets.add(spec.function() + "@" + spec.revision() + "=" + count))));
    channel = GrpcChannels.plaintext("127.0.0.1:" + server.getPort());
    worker = WorkerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    GrpcChannels.close(channel);
    GrpcServers.stop(server, 500);
    runtime.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void createListDelete_roundTrip() throws Exception {
    CreateSandboxResponse created = worker.createSandbox(create("i-1", spec("py", 4, 0), 5));

    assertThat(created.getSandbox().getInstanceId()).isEqualTo("i-1");
    assertThat(created.getSandbox().getState()).isEqualTo(SandboxState.READY);
    assertThat(created.getSandbox().getKind()).isEqualTo(InstanceKind.REGULAR);
    assertThat(created.getSandbox().getRevision()).isEqualTo(4);
    assertThat(created.getTimings().getStartMicros()).isPositive();
    assertThat(created.getTimings().getReadyMicros()).isPositive();
    assertThat(created.getTimings().getTotalMicros()).isPositive();
    String endpoint = created.getSandbox().getEndpoint().getHost() + ":" + created.getSandbox().getEndpoint().getPort();
    HttpResponse<Void> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(200);

    ListSandboxesResponse listed = worker.listSandboxes(ListSandboxesRequest.getDefaultInstance());
    assertThat(listed.getWorkerId()).isEqualTo("w-test");
    assertThat(listed.getSandboxesList()).containsExactly(created.getSandbox());

    CreateSandboxResponse again = worker.createSandbox(create("i-1", spec("py", 4, 0), 5));
    assertThat(again.getSandbox()).as("idempotent create").isEqualTo(created.getSandbox());
    assertStatus(() -> worker.createSandbox(create("i-1", spec("other", 1, 0), 5)), Status.Code.ALREADY_EXISTS,
        "py revision 4");

    assertThat(worker.deleteSandbox(delete("i-1", 5)).getExisted()).isTrue();
    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList()).isEmpty();
    assertThat(worker.deleteSandbox(delete("i-1", 5)).getExisted()).isFalse();
  }

  @Test
  void listingGenerations_aListingTakenBeforeACreationIsBelowItsAnswer_everyLaterOneAtOrAboveIt_andShowsIt() {
    long before = worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getListingGeneration();
    CreateSandboxResponse created = worker.createSandbox(create("i-g", spec("py", 1, 0), 5));
    ListSandboxesResponse after = worker.listSandboxes(ListSandboxesRequest.getDefaultInstance());

    assertThat(before).as("stamped: 0 would mean an older worker").isPositive();
    assertThat(created.getListingGeneration()).isGreaterThan(before);
    assertThat(after.getListingGeneration()).isGreaterThanOrEqualTo(created.getListingGeneration());
    assertThat(after.getSandboxesList()).containsExactly(created.getSandbox());
    CreateSandboxResponse again = worker.createSandbox(create("i-g", spec("py", 1, 0), 5));
    assertThat(again.getListingGeneration()).as("a repeated create's answer is stamped too")
        .isGreaterThan(after.getListingGeneration());
  }

  @Test
  void emergencyCreation_carriesItsCreatorAndLease_whichOnlyThatCreatorRenews() {
    CreateSandboxResponse created = worker.createSandbox(create("e-1", spec("py", 1, 0), 0).toBuilder()
        .setKind(InstanceKind.EMERGENCY).setCreator("dp-a").setLeaseMs(30_000).build());

    assertThat(created.getSandbox().getCreator()).isEqualTo("dp-a");
    assertThat(created.getSandbox().getLeaseMs()).isEqualTo(30_000);
    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList())
        .containsExactly(created.getSandbox());
    assertThat(worker.renewLeases(RenewLeasesRequest.newBuilder().setCreator("dp-a").addInstanceIds("e-1")
        .addInstanceIds("nothing").build()).getUnknownInstanceIdsList()).containsExactly("nothing");
    assertThat(worker.renewLeases(RenewLeasesRequest.newBuilder().setCreator("dp-b").addInstanceIds("e-1").build())
        .getUnknownInstanceIdsList()).containsExactly("e-1");
    assertStatus(() -> worker.createSandbox(create("e-2", spec("py", 1, 0), 0).toBuilder()
        .setKind(InstanceKind.EMERGENCY).setLeaseMs(1_000).build()), Status.Code.INVALID_ARGUMENT, "creator");
  }

  @Test
  void prewarm_isTakenFromCreationsThatSucceededOnly() {
    assertStatus(() -> worker.createSandbox(create("i-1", spec("py", 1, 0).toBuilder().setPrewarm(2).build(), 0)),
        Status.Code.FAILED_PRECONDITION, "");
    worker.createSandbox(create("i-2", spec("py", 1, 0).toBuilder().setPrewarm(2).build(), 5));
    worker.createSandbox(create("i-3", spec("py", 1, 0), 5));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !targets.isEmpty());
    assertThat(targets).containsExactly("py@1=2");
  }

  @Test
  void setPoolTarget_setsTheRevisionsTarget_fencedByEpoch_andNeedsASpec() {
    worker.deleteSandbox(delete("nothing", 10));

    assertStatus(() -> worker.setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder()
        .setSpec(spec("py", 2, 0).toBuilder().setPrewarm(3)).setEpoch(9).build()),
        Status.Code.FAILED_PRECONDITION, "epoch 9");
    assertStatus(() -> worker.setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder().setEpoch(10).build()),
        Status.Code.INVALID_ARGUMENT, "spec");
    assertThat(targets).isEmpty();

    worker.setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder()
        .setSpec(spec("py", 2, 0).toBuilder().setPrewarm(3)).setEpoch(10).build());
    assertThat(targets).containsExactly("py@2=3");
  }

  @Test
  void olderEpoch_isFailedPrecondition_zeroIsAccepted() {
    worker.deleteSandbox(delete("nothing", 10));

    assertStatus(() -> worker.createSandbox(create("i-1", spec("py", 1, 0), 9)), Status.Code.FAILED_PRECONDITION,
        "epoch 9");
    assertStatus(() -> worker.deleteSandbox(delete("i-1", 9)), Status.Code.FAILED_PRECONDITION, "epoch 10");
    assertThat(worker.deleteSandbox(delete("i-1", 0)).getExisted()).isFalse();
    assertThat(worker.deleteSandbox(delete("i-1", 11)).getExisted()).isFalse();
  }

  @Test
  void epochZeroDelete_ofARegularInstance_isFailedPrecondition_andLeavesItRunning() {
    CreateSandboxResponse created = worker.createSandbox(create("i-1", spec("py", 1, 0), 5));

    assertStatus(() -> worker.deleteSandbox(delete("i-1", 0)), Status.Code.FAILED_PRECONDITION,
        "epoch 0 is for Emergency Instances only");
    assertStatus(() -> worker.createSandbox(create("i-2", spec("py", 1, 0), 0)), Status.Code.FAILED_PRECONDITION,
        "Regular Instance");

    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList())
        .containsExactly(created.getSandbox());
  }

  @Test
  void prepareImage_onARuntimeWithoutImages_answersAtOnce_andIsFencedByEpoch() {
    PrepareImageResponse prepared = worker.prepareImage(PrepareImageRequest.newBuilder()
        .setImage("127.0.0.1:5000/pulse/httpd:v1").setEpoch(3).build());

    assertThat(prepared.getAlreadyPresent()).isTrue();
    assertThat(prepared.getDigest()).isEmpty();
    assertStatus(() -> worker.prepareImage(PrepareImageRequest.newBuilder().setImage("x/y:z").setEpoch(2).build()),
        Status.Code.FAILED_PRECONDITION, "epoch 2");
    assertStatus(() -> worker.prepareImage(PrepareImageRequest.newBuilder().setEpoch(3).build()),
        Status.Code.INVALID_ARGUMENT, "image");
  }

  @Test
  void sandboxKilledBySignal_isListedExitedWithReasonKilled() throws Exception {
    CreateSandboxResponse created = worker.createSandbox(create("i-1", spec("py", 1, 0), 1));
    long pid = io.pulse.worker.sandbox.process.SandboxMetadataAccess.pid(dataDir, "i-1");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> worker
        .listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxes(0).getState() == SandboxState.EXITED);
    SandboxInfo listed = worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxes(0);
    assertThat(listed.getInstanceId()).isEqualTo(created.getSandbox().getInstanceId());
    assertThat(listed.getExit().getReason()).isEqualTo(ExitReason.EXIT_REASON_KILLED);
    assertThat(listed.getExit().getExitCode()).isEqualTo(128 + 9);
    assertThat(listed.getExit().getMessage()).contains("signal 9");
    assertThat(listed.getExit().getExitedAtMs()).isPositive();
  }

  @Test
  void beyondCapacity_isResourceExhaustedWithAReason() {
    worker.createSandbox(create("i-1", spec("py", 1, 600), 1));

    assertStatus(() -> worker.createSandbox(create("i-2", spec("py", 1, 600), 1)), Status.Code.RESOURCE_EXHAUSTED,
        "cpu: 600m requested, 400m of 1000m free");
    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesCount()).isEqualTo(1);
  }

  @Test
  void invalidSpecs_areInvalidArgumentNamingTheField() {
    SandboxSpec imageOnly = SandboxSpec.newBuilder().setFunction("img").setRevision(1)
        .setImage("docker.io/library/nginx:latest").build();
    assertStatus(() -> worker.createSandbox(create("i-1", imageOnly, 1)), Status.Code.INVALID_ARGUMENT,
        "spec.command");
    assertStatus(() -> worker.createSandbox(create("i-1", spec("py", 1, 0).toBuilder().setFunction("").build(), 1)),
        Status.Code.INVALID_ARGUMENT, "spec.function");
    assertStatus(() -> worker.createSandbox(create("i-1", spec("py", 1, 0), 1).toBuilder()
        .setKind(InstanceKind.INSTANCE_KIND_UNSPECIFIED).build()), Status.Code.INVALID_ARGUMENT, "kind");
    assertStatus(() -> worker.createSandbox(create("", spec("py", 1, 0), 1)), Status.Code.INVALID_ARGUMENT,
        "instanceId");
    assertStatus(() -> worker.createSandbox(CreateSandboxRequest.newBuilder().setInstanceId("i-1")
        .setKind(InstanceKind.REGULAR).build()), Status.Code.INVALID_ARGUMENT, "spec");
  }

  @Test
  void sandboxThatNeverListens_isDeadlineExceeded() {
    SandboxSpec mute = SandboxSpec.newBuilder().setFunction("mute").setRevision(1)
        .addAllCommand(List.of("sleep", "600")).setReadinessTimeoutMs(200).build();

    assertStatus(() -> worker.createSandbox(create("i-1", mute, 1)), Status.Code.DEADLINE_EXCEEDED, "200 ms");
    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList()).isEmpty();
  }

  @Test
  void emergencyCreation_whoseCreatorGivesUp_isAbortedAndDeletedAtOnce() {
    SandboxSpec mute = SandboxSpec.newBuilder().setFunction("mute").setRevision(1)
        .addAllCommand(List.of("sleep", "600")).setReadinessTimeoutMs(60_000).build();
    CreateSandboxRequest emergency = create("e-1", mute, 0).toBuilder().setKind(InstanceKind.EMERGENCY).build();

    // The data plane's call carries the request's remaining deadline, far shorter than the readiness timeout.
    assertStatus(() -> worker.withDeadlineAfter(300, TimeUnit.MILLISECONDS).createSandbox(emergency),
        Status.Code.DEADLINE_EXCEEDED, "deadline");

    // Gone well before the readiness timeout: nobody else would ever delete an Emergency Instance.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> worker
        .listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList().isEmpty());
  }

  @Test
  void processThatExitsAtOnce_isInternalWithItsExitCode() {
    SandboxSpec dies = SandboxSpec.newBuilder().setFunction("dies").setRevision(1)
        .addAllCommand(List.of("sh", "-c", "echo cannot-start; exit 7")).build();

    assertStatus(() -> worker.createSandbox(create("i-1", dies, 1)), Status.Code.INTERNAL, "code 7");
  }

  @Test
  void instanceLogs_returnsTheNewestLinesWithTheirTime_andNotFoundForAnUnknownInstance() {
    long before = System.currentTimeMillis();
    SandboxSpec chatty = SandboxSpec.newBuilder().setFunction("chatty").setRevision(1)
        .addAllCommand(List.of("sh", "-c", "echo first; echo second; echo log-marker; exec " + String.join(" ", PYTHON)))
        .build();
    worker.createSandbox(create("i-1", chatty, 1));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> worker.instanceLogs(logs("i-1", 2)).getLinesList().stream()
        .anyMatch(line -> line.getText().equals("log-marker")));
    InstanceLogsResponse two = worker.instanceLogs(logs("i-1", 2));
    assertThat(two.getLinesList()).extracting(InstanceLogLine::getText).containsExactly("second", "log-marker");
    assertThat(two.getLinesList()).allSatisfy(line -> assertThat(line.getTimeMs()).isGreaterThanOrEqualTo(before));
    assertThat(worker.instanceLogs(logs("i-1", 0).toBuilder().setSinceMs(System.currentTimeMillis() + 60_000).build())
        .getLinesList()).isEmpty();
    assertStatus(() -> worker.instanceLogs(logs("nobody", 10)), Status.Code.NOT_FOUND, "nobody");
    assertStatus(() -> worker.instanceLogs(logs("i-1", 10_001)), Status.Code.INVALID_ARGUMENT, "tail");
  }

  private static InstanceLogsRequest logs(String id, int tail) {
    return InstanceLogsRequest.newBuilder().setInstanceId(id).setTail(tail).build();
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
  }

  private static SandboxSpec spec(String function, long revision, int cpuMillis) {
    return SandboxSpec.newBuilder().setFunction(function).setRevision(revision).addAllCommand(PYTHON)
        .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(64)).build();
  }

  private static CreateSandboxRequest create(String id, SandboxSpec spec, long epoch) {
    return CreateSandboxRequest.newBuilder().setInstanceId(id).setKind(InstanceKind.REGULAR).setSpec(spec)
        .setEpoch(epoch).build();
  }

  private static DeleteSandboxRequest delete(String id, long epoch) {
    return DeleteSandboxRequest.newBuilder().setInstanceId(id).setEpoch(epoch).build();
  }
}
