package io.pulse.worker.image;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.BlockingClientCall;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.Info;
import io.pulse.worker.sandbox.containerd.api.InfoRequest;
import io.pulse.worker.sandbox.containerd.api.ReadContentRequest;
import io.pulse.worker.sandbox.containerd.api.ReadContentResponse;
import io.pulse.worker.sandbox.containerd.api.UpdateRequest;
import io.pulse.worker.sandbox.containerd.api.WriteAction;
import io.pulse.worker.sandbox.containerd.api.WriteContentRequest;
import io.pulse.worker.sandbox.containerd.api.WriteContentResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** containerd's content store as the puller uses it: exists, write a stream under a lease, read a small blob. */
final class ContentStore {

  private static final int CHUNK = 1 << 20;

  private final ContainerdClient client;
  private final long transferDeadlineMs;

  ContentStore(ContainerdClient client, long transferDeadlineMs) {
    this.client = client;
    this.transferDeadlineMs = transferDeadlineMs;
  }

  Optional<Info> info(String digest) {
    try {
      return Optional.of(client.content(null).info(InfoRequest.newBuilder().setDigest(digest).build()).getInfo());
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Sets labels on a blob that exists (garbage-collection references). */
  void label(String digest, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    FieldMask.Builder mask = FieldMask.newBuilder();
    labels.keySet().forEach(k -> mask.addPaths("labels." + k));
    client.content(null).update(UpdateRequest.newBuilder()
        .setInfo(Info.newBuilder().setDigest(digest).putAllLabels(labels))
        .setUpdateMask(mask)
        .build());
  }

  void write(String lease, String digest, long size, byte[] bytes, Map<String, String> labels) {
    write(lease, digest, size, new ByteArrayInputStream(bytes), labels);
  }

  /**
   * Streams {@code in} into the store under {@code lease} and commits it as {@code digest} (containerd checks size and
   * digest). A blob that is already there only gets its labels.
   */
  void write(String lease, String digest, long size, InputStream in, Map<String, String> labels) {
    if (info(digest).isPresent()) {
      label(digest, labels);
      return;
    }
    String ref = "pulse-" + digest + "-" + UUID.randomUUID();
    BlockingClientCall<WriteContentRequest, WriteContentResponse> call =
        client.contentStreams(lease, transferDeadlineMs).write();
    boolean committed = false;
    try {
      long offset = 0;
      byte[] buffer = new byte[CHUNK];
      while (true) {
        int n = in.readNBytes(buffer, 0, CHUNK);
        if (n <= 0) {
          break;
        }
        send(call, WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setRef(ref).setTotal(size)
            .setExpected(digest).setOffset(offset).setData(ByteString.copyFrom(buffer, 0, n)).build());
        offset += n;
      }
      send(call, WriteContentRequest.newBuilder().setAction(WriteAction.COMMIT).setRef(ref).setTotal(size)
          .setExpected(digest).setOffset(offset).putAllLabels(labels).build());
      committed = true;
      call.halfClose();
    } catch (IOException e) {
      throw new ImagePullException(ImagePullException.Kind.UNAVAILABLE, "reading " + digest + " failed: "
          + e.getMessage(), e);
    } catch (StatusException e) {
      if (ContainerdClient.alreadyExists(e.getStatus().asRuntimeException())) {
        label(digest, labels);
        return;
      }
      throw e.getStatus().asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagePullException(ImagePullException.Kind.UNAVAILABLE, "interrupted while writing " + digest, e);
    } finally {
      if (!committed) {
        call.cancel("write of " + digest + " abandoned", null);
      }
      try {
        in.close();
      } catch (IOException e) {
        // Nothing left to do with it.
      }
    }
  }

  private static void send(BlockingClientCall<WriteContentRequest, WriteContentResponse> call,
      WriteContentRequest request) throws StatusException, InterruptedException {
    if (!call.write(request)) {
      // The server closed the stream: read() surfaces its status.
      call.read();
      throw new StatusException(io.grpc.Status.INTERNAL.withDescription("content write stream closed early"));
    }
    // containerd answers every message; reading keeps us in lock-step and surfaces errors at the chunk that caused
    // them.
    @Nullable WriteContentResponse ignored = call.read();
  }

  /** A whole (small) blob: manifests and configs. */
  byte[] read(String digest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Iterator<ReadContentResponse> chunks = client.content(null)
        .read(ReadContentRequest.newBuilder().setDigest(digest).build());
    chunks.forEachRemaining(c -> out.writeBytes(c.getData().toByteArray()));
    return out.toByteArray();
  }
}
