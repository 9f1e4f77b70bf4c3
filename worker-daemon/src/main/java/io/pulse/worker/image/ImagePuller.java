package io.pulse.worker.image;

import io.grpc.StatusRuntimeException;
import io.pulse.worker.image.ImagePullException.Kind;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.ApplyRequest;
import io.pulse.worker.sandbox.containerd.api.CommitSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.CreateImageRequest;
import io.pulse.worker.sandbox.containerd.api.CreateRequest;
import io.pulse.worker.sandbox.containerd.api.DeleteRequest;
import io.pulse.worker.sandbox.containerd.api.Descriptor;
import io.pulse.worker.sandbox.containerd.api.GetImageRequest;
import io.pulse.worker.sandbox.containerd.api.Image;
import io.pulse.worker.sandbox.containerd.api.Mount;
import io.pulse.worker.sandbox.containerd.api.PrepareSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.RemoveSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.StatSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.UpdateImageRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an image present and unpacked in containerd: resolves the reference at its registry (an index resolves to
 * its linux/amd64 manifest), writes config and layers through the content service, applies each layer onto a
 * snapshot through the diff service and commits it under its chain id, then records the image by name. All of it
 * happens under a lease, deleted at the end, so a failed pull leaves nothing that the garbage collector keeps; the
 * blobs carry the {@code containerd.io/gc.ref.*} labels that keep a finished image whole. Concurrent pulls of one
 * name share one pull. Blocking: call from virtual threads.
 */
public final class ImagePuller {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
  private static final String GC_REF = "containerd.io/gc.ref.";

  private final ContainerdClient client;
  private final RegistryClient registry;
  private final ContentStore content;
  private final String snapshotter;
  private final long unpackDeadlineMs;
  private final Map<String, ImageConfig> ready = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<ImageConfig>> pulling = new ConcurrentHashMap<>();

  public ImagePuller(ContainerdClient client, RegistryClient registry, String snapshotter, long transferDeadlineMs) {
    this.client = client;
    this.registry = registry;
    this.content = new ContentStore(client, transferDeadlineMs);
    this.snapshotter = snapshotter;
    this.unpackDeadlineMs = transferDeadlineMs;
  }

  public String snapshotter() {
    return snapshotter;
  }

  /**
   * The image, pulled and unpacked if it is not yet. Throws {@link ImagePullException} (bad reference, missing image,
   * refused login, unreachable registry) or {@link StatusRuntimeException} (containerd failed).
   */
  public ImageConfig ensure(String image) {
    return prepare(image).config();
  }

  /**
   * An image made present, and whether that needed a pull.
   *
   * @param alreadyPresent true when containerd held it whole already (nothing pulled, by us or a concurrent caller)
   * @param micros time this call took
   */
  public record Prepared(ImageConfig config, boolean alreadyPresent, long micros) {}

  /** As {@link #ensure}, saying whether anything was pulled. */
  public Prepared prepare(String image) {
    long started = System.nanoTime();
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new ImagePullException(Kind.BAD_REFERENCE, e.getMessage(), e);
    }
    ImageConfig known = ready.get(ref.name());
    if (known != null) {
      return new Prepared(known, true, micros(started));
    }
    CompletableFuture<ImageConfig> mine = new CompletableFuture<>();
    CompletableFuture<ImageConfig> current = pulling.putIfAbsent(ref.name(), mine);
    if (current != null) {
      try {
        return new Prepared(current.join(), false, micros(started));
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      Optional<ImageConfig> local = local(ref);
      ImageConfig config = local.orElseGet(() -> pull(ref));
      ready.put(ref.name(), config);
      mine.complete(config);
      return new Prepared(config, local.isPresent(), micros(started));
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pulling.remove(ref.name(), mine);
    }
  }

  private static long micros(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000;
  }

  /** The image as containerd already holds it (a previous run pulled it), if whole. */
  private Optional<ImageConfig> local(ImageReference ref) {
    Image image;
    try {
      image = client.images().get(GetImageRequest.newBuilder().setName(ref.name()).build()).getImage();
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
    try {
      JsonObject manifest = json(content.read(image.getTarget().getDigest()));
      if (manifest.containsKey("manifests")) {
        String child = platformManifest(ref, manifest).getString("digest");
        manifest = json(content.read(child));
      }
      ImageConfig config = config(ref, image.getTarget().getDigest(),
          json(content.read(manifest.getJsonObject("config").getString("digest"))));
      client.snapshots(null).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
          .setKey(config.chainId()).build());
      return Optional.of(config);
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private ImageConfig pull(ImageReference ref) {
    long started = System.nanoTime();
    String lease = client.leases().create(CreateRequest.newBuilder()
        .setId("pulse-pull-" + UUID.randomUUID())
        .putLabels("containerd.io/gc.expire", Instant.now().plusSeconds(3600).toString())
        .build()).getLease().getId();
    try {
      RegistryClient.Manifest top = registry.manifest(ref, ref.reference());
      RegistryClient.Manifest manifest = top;
      if (isIndex(top.mediaType())) {
        JsonObject chosen = platformManifest(ref, json(top.bytes()));
        manifest = registry.manifest(ref, chosen.getString("digest"));
      }
      JsonObject body = json(manifest.bytes());
      JsonObject configDesc = body.getJsonObject("config");
      JsonArray layers = body.getJsonArray("layers", new JsonArray());
      if (configDesc == null || layers.isEmpty()) {
        throw new ImagePullException(Kind.NOT_FOUND, "image " + ref + " has no config or no layers");
      }
      byte[] configBytes;
      try (var in = registry.blob(ref, configDesc.getString("digest"))) {
        configBytes = in.readAllBytes();
      } catch (java.io.IOException e) {
        throw new ImagePullException(Kind.UNAVAILABLE, "reading config of " + ref + ": " + e.getMessage(), e);
      }
      if (!Digests.sha256(configBytes).equals(configDesc.getString("digest"))) {
        throw new ImagePullException(Kind.UNAVAILABLE, "config of " + ref + " does not match its digest");
      }
      ImageConfig config = config(ref, top.digest(), json(configBytes));
      List<String> diffIds = diffIds(ref, json(configBytes));
      if (diffIds.size() != layers.size()) {
        throw new ImagePullException(Kind.NOT_FOUND, "image " + ref + " has " + layers.size() + " layers but "
            + diffIds.size() + " diff ids");
      }
      Map<String, String> manifestRefs = new HashMap<>();
      manifestRefs.put(GC_REF + "content.config", configDesc.getString("digest"));
      for (int i = 0; i < layers.size(); i++) {
        JsonObject layer = layers.getJsonObject(i);
        content.write(lease, layer.getString("digest"), layer.getLong("size"),
            registry.blob(ref, layer.getString("digest")), Map.of());
        manifestRefs.put(GC_REF + "content.l." + i, layer.getString("digest"));
      }
      unpack(lease, ref, layers, diffIds);
      content.write(lease, configDesc.getString("digest"), configBytes.length, configBytes,
          Map.of(GC_REF + "snapshot." + snapshotter, config.chainId()));
      content.write(lease, manifest.digest(), manifest.bytes().length, manifest.bytes(), manifestRefs);
      if (top != manifest) {
        content.write(lease, top.digest(), top.bytes().length, top.bytes(),
            Map.of(GC_REF + "content.m.0", manifest.digest()));
      }
      record(ref, Descriptor.newBuilder().setMediaType(top.mediaType()).setDigest(top.digest())
          .setSize(top.bytes().length).build());
      LOG.atInfo().setMessage("image pulled").addKeyValue("image", ref.name())
          .addKeyValue("layers", layers.size()).addKeyValue("chainId", config.chainId())
          .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log();
      return config;
    } finally {
      try {
        client.leases().delete(DeleteRequest.newBuilder().setId(lease).build());
      } catch (StatusRuntimeException e) {
        LOG.atWarn().setMessage("could not delete pull lease; containerd expires it within an hour")
            .addKeyValue("lease", lease).addKeyValue("error", e.getStatus()).log();
      }
    }
  }

  /** Applies each layer onto the previous one and commits it as its chain id; existing chains are reused. */
  private void unpack(String lease, ImageReference ref, JsonArray layers, List<String> diffIds) {
    String parent = "";
    for (int i = 0; i < layers.size(); i++) {
      String chain = Digests.chainId(diffIds.subList(0, i + 1));
      if (!snapshotExists(chain)) {
        String key = "pulse-extract-" + UUID.randomUUID() + " " + chain;
        List<Mount> mounts = client.snapshots(lease).prepare(PrepareSnapshotRequest.newBuilder()
            .setSnapshotter(snapshotter).setKey(key).setParent(parent).build()).getMountsList();
        boolean committed = false;
        try {
          JsonObject layer = layers.getJsonObject(i);
          var applied = client.diff(lease, unpackDeadlineMs).apply(ApplyRequest.newBuilder()
              .setDiff(Descriptor.newBuilder().setMediaType(layer.getString("mediaType"))
                  .setDigest(layer.getString("digest")).setSize(layer.getLong("size")))
              .addAllMounts(mounts).build()).getApplied();
          if (!applied.getDigest().equals(diffIds.get(i))) {
            throw new ImagePullException(Kind.UNAVAILABLE, "layer " + i + " of " + ref + " unpacked to "
                + applied.getDigest() + ", but its config says " + diffIds.get(i));
          }
          client.snapshots(lease).commit(CommitSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
              .setName(chain).setKey(key).build());
          committed = true;
        } catch (StatusRuntimeException e) {
          if (!ContainerdClient.alreadyExists(e)) {
            throw e;
          }
        } finally {
          if (!committed) {
            removeQuietly(key);
          }
        }
      }
      parent = chain;
    }
  }

  private void record(ImageReference ref, Descriptor target) {
    Image image = Image.newBuilder().setName(ref.name()).setTarget(target).build();
    try {
      client.images().create(CreateImageRequest.newBuilder().setImage(image).build());
    } catch (StatusRuntimeException e) {
      if (!ContainerdClient.alreadyExists(e)) {
        throw e;
      }
      client.images().update(UpdateImageRequest.newBuilder().setImage(image).build());
    }
  }

  private boolean snapshotExists(String key) {
    try {
      client.snapshots(null).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter).setKey(key).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return false;
      }
      throw e;
    }
  }

  private void removeQuietly(String key) {
    try {
      client.snapshots(null).remove(RemoveSnapshotRequest.newBuilder().setSnapshotter(snapshotter).setKey(key)
          .build());
    } catch (StatusRuntimeException e) {
      // Under the lease: collected once the lease is gone.
    }
  }

  private static boolean isIndex(String mediaType) {
    return mediaType.equals(RegistryClient.OCI_INDEX) || mediaType.equals(RegistryClient.DOCKER_LIST);
  }

  private static JsonObject platformManifest(ImageReference ref, JsonObject index) {
    JsonArray manifests = index.getJsonArray("manifests", new JsonArray());
    for (int i = 0; i < manifests.size(); i++) {
      JsonObject m = manifests.getJsonObject(i);
      JsonObject platform = m.getJsonObject("platform", new JsonObject());
      if ("linux".equals(platform.getString("os")) && "amd64".equals(platform.getString("architecture"))) {
        return m;
      }
    }
    throw new ImagePullException(Kind.NOT_FOUND, "image " + ref + " has no linux/amd64 manifest in its index");
  }

  private static List<String> diffIds(ImageReference ref, JsonObject config) {
    JsonObject rootfs = config.getJsonObject("rootfs");
    JsonArray ids = rootfs == null ? null : rootfs.getJsonArray("diff_ids");
    if (ids == null || ids.isEmpty()) {
      throw new ImagePullException(Kind.NOT_FOUND, "image " + ref + " config has no rootfs.diff_ids");
    }
    List<String> out = new ArrayList<>();
    ids.forEach(id -> out.add((String) id));
    return out;
  }

  private static ImageConfig config(ImageReference ref, String manifestDigest, JsonObject config) {
    JsonObject run = config.getJsonObject("config", new JsonObject());
    return new ImageConfig(ref.name(), manifestDigest, Digests.chainId(diffIds(ref, config)),
        strings(run.getJsonArray("Entrypoint")), strings(run.getJsonArray("Cmd")), strings(run.getJsonArray("Env")),
        run.getString("WorkingDir", ""), run.getString("User", ""));
  }

  private static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  private static JsonObject json(byte[] bytes) {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new ImagePullException(Kind.UNAVAILABLE, "not a JSON document: " + e.getMessage(), e);
    }
  }
}
