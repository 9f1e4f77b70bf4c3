package io.pulse.k8sbridge;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * fabric8's CRUD mock made as strict as a real kube-apiserver where we know the bridge met a refusal there. On its own
 * the mock validates nothing; this layer adds, from Kubernetes' documented validation and strategies:
 * <ul>
 *   <li>EndpointSlice addresses: an unspecified, loopback, link-local or link-local multicast IP, or an FQDN that is
 *       not a lower-case name with a dot, is refused with 422 and a Status (reason Invalid, one cause per address),
 *       worded as the server words it.
 *   <li>Status semantics of Nodes and Pods: a Pod's status is reset on create (phase Pending), and an update of the
 *       main resource keeps the stored status (only the status subresource writes it).
 *   <li>Optimistic concurrency on every PUT, the status subresource's included: a stale resource version is a 409
 *       Conflict (the mock alone does not check it on {@code /status}).
 *   <li>A create whose name is taken answers 409 with reason AlreadyExists, as the server does.
 *   <li>A Pod status write whose podIP(s) or hostIPs is not an IP literal (a host name) is refused with 422 Invalid.
 *   <li>Another writer: right after a Node is created, and (when asked) after every list of Nodes, it annotates the
 *       Pulse Nodes the way kube-controller-manager's TTL controller does, so a client still holding the resource
 *       version it read or created with gets the mock's own 409 on a locked write.
 * </ul>
 * Every answer of 400 or more is recorded, so that a test can say "the server refused nothing".
 * Written independently of the bridge's own rules on purpose: the test must not share the code it checks.
 */
final class StrictCrudDispatcher extends KubernetesCrudDispatcher {

  static final String TTL_ANNOTATION = "node.alpha.kubernetes.io/ttl";

  private static final Pattern NODE_PATH = Pattern.compile("/api/v1/nodes(/([^/?]+))?(/status)?");
  private static final Pattern POD_PATH = Pattern.compile("/api/v1/namespaces/[^/]+/pods(/([^/?]+))?(/status)?");
  private static final Pattern SLICE_PATH = Pattern.compile(
      "/apis/discovery\\.k8s\\.io/v1/namespaces/[^/]+/endpointslices(/[^/?]+)?");
  private static final Pattern FQDN = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+");

  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private volatile boolean touchNodesAfterList;
  private volatile int touches;

  /** Every answer of 400 or more so far, as "METHOD path -> code reason". */
  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every POST, PUT and PATCH so far, as "METHOD path". */
  List<String> writes() {
    return List.copyOf(writes);
  }

  /** Forgets what was recorded so far (what the test itself wrote before starting the bridge). */
  void forgetRecords() {
    errors.clear();
    writes.clear();
  }

  /** Whether the other writer also touches every Pulse Node right after each list of Nodes. */
  void touchNodesAfterList(boolean on) {
    touchNodesAfterList = on;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath().split("\\?", 2)[0];
    HttpMethod method = request.method();
    if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
      writes.add(method + " " + path);
    }
    MockResponse response = refusal(method, path, request);
    if (response == null) {
      String body = text(request.getBody());
      response = super.dispatch(rewritten(method, path, request));
      if (method == HttpMethod.POST && response.code() == 409) {
        response = alreadyExists(path, body);
      }
    }
    if (response.code() >= 400) {
      errors.add(method + " " + path + " -> " + response.code() + " " + reason(response));
    } else {
      afterSuccess(method, path, response);
    }
    return response;
  }

  private @Nullable MockResponse refusal(HttpMethod method, String path, RecordedRequest request) {
    MockResponse conflict = method == HttpMethod.PUT ? staleVersion(path, request) : null;
    if (conflict != null) {
      return conflict;
    }
    if (method == HttpMethod.DELETE || method == HttpMethod.GET) {
      return null;
    }
    Matcher pod = POD_PATH.matcher(path);
    if (pod.matches()) {
      // Only the status subresource writes a Pod's status: a create or update resets or keeps it unread.
      return pod.group(3) != null ? invalidPodIps(request) : null;
    }
    if (!SLICE_PATH.matcher(path).matches()) {
      return null;
    }
    String body = text(request.getBody());
    if (body.isBlank() || body.trim().startsWith("[")) {
      return null; // a JSON patch: not what the bridge sends
    }
    EndpointSlice slice = Serialization.unmarshal(body, EndpointSlice.class);
    List<StatusCause> causes = new ArrayList<>();
    List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      List<String> addresses = endpoints.get(i).getAddresses() == null ? List.of() : endpoints.get(i).getAddresses();
      for (int j = 0; j < addresses.size(); j++) {
        String why = invalidAddress(slice.getAddressType(), addresses.get(j));
        if (why != null) {
          causes.add(new StatusCauseBuilder().withReason("FieldValueInvalid")
              .withField("endpoints[" + i + "].addresses[" + j + "]")
              .withMessage("Invalid value: \"" + addresses.get(j) + "\": " + why).build());
        }
      }
    }
    if (causes.isEmpty()) {
      return null;
    }
    String name = slice.getMetadata() == null ? "" : slice.getMetadata().getName();
    Status status = new StatusBuilder().withStatus("Failure").withCode(422).withReason("Invalid")
        .withMessage("EndpointSlice.discovery.k8s.io \"" + name + "\" is invalid: " + String.join(", ",
            causes.stream().map(c -> c.getField() + ": " + c.getMessage()).toList()))
        .withNewDetails().withName(name).withGroup("discovery.k8s.io").withKind("EndpointSlice")
          .withCauses(causes).endDetails()
        .build();
    return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }

  /**
   * A Pod status whose podIP (or podIPs) or hostIPs is not an IP literal (a host name): the server's conversion makes
   * podIP the first of podIPs, and its status validation takes only IPs there (seen on v1.36.2: "status.podIPs[0]:
   * Invalid value: \"vm\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)").
   */
  private static @Nullable MockResponse invalidPodIps(RecordedRequest request) {
    String body = text(request.getBody());
    if (body.isBlank() || body.trim().startsWith("[")) {
      return null;
    }
    Pod pod = Serialization.unmarshal(body, Pod.class);
    if (pod.getStatus() == null) {
      return null;
    }
    List<StatusCause> causes = new ArrayList<>();
    List<String> podIps = new ArrayList<>();
    if (pod.getStatus().getPodIP() != null) {
      podIps.add(pod.getStatus().getPodIP());
    } else if (pod.getStatus().getPodIPs() != null) {
      pod.getStatus().getPodIPs().forEach(ip -> podIps.add(ip.getIp()));
    }
    // hostIP alone is not checked (v1.36.2 took hostIP "vm" without hostIPs); hostIPs is.
    List<String> hostIps = new ArrayList<>();
    if (pod.getStatus().getHostIPs() != null) {
      pod.getStatus().getHostIPs().forEach(ip -> hostIps.add(ip.getIp()));
    }
    addInvalidIps(causes, "status.podIPs", podIps);
    addInvalidIps(causes, "status.hostIPs", hostIps);
    if (causes.isEmpty()) {
      return null;
    }
    String name = pod.getMetadata() == null ? "" : pod.getMetadata().getName();
    Status status = new StatusBuilder().withStatus("Failure").withCode(422).withReason("Invalid")
        .withMessage("Pod \"" + name + "\" is invalid: " + String.join(", ",
            causes.stream().map(c -> c.getField() + ": " + c.getMessage()).toList()))
        .withNewDetails().withName(name).withKind("Pod").withCauses(causes).endDetails()
        .build();
    return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }

  private static void addInvalidIps(List<StatusCause> causes, String field, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (!ipLiteral(values.get(i))) {
        causes.add(new StatusCauseBuilder().withReason("FieldValueInvalid").withField(field + "[" + i + "]")
            .withMessage("Invalid value: \"" + values.get(i) + "\": must be a valid IP address, (e.g. 10.9.8.7 or "
                + "2001:db8::ffff)").build());
      }
    }
  }

  private static boolean ipLiteral(String value) {
    if (value.indexOf(':') < 0 && !value.matches("[0-9.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(value);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * A PUT whose resource version is not the stored one is a conflict, on the status subresource too (the mock checks
   * only the main resource).
   */
  private @Nullable MockResponse staleVersion(String path, RecordedRequest request) {
    String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
    MockResponse stored = super.handleGet(objectPath);
    if (stored.code() != 200) {
      return null;
    }
    ObjectMeta sent = Serialization.unmarshal(text(request.getBody()),
        GenericKubernetesResource.class).getMetadata();
    ObjectMeta have = Serialization.unmarshal(text(stored.getBody()),
        GenericKubernetesResource.class).getMetadata();
    if (sent.getResourceVersion() == null || sent.getResourceVersion().equals(have.getResourceVersion())) {
      return null;
    }
    String[] segments = objectPath.split("/");
    String resource = segments[segments.length - 2];
    Status status = new StatusBuilder().withStatus("Failure").withCode(409).withReason("Conflict")
        .withMessage("Operation cannot be fulfilled on " + resource + " \"" + have.getName() + "\": the object has "
            + "been modified; please apply your changes to the latest version and try again")
        .withNewDetails().withName(have.getName()).withKind(resource).endDetails()
        .build();
    return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }

  /** The mock answers a taken name with its own wording; the server's Status says AlreadyExists. */
  private static MockResponse alreadyExists(String path, String body) {
    String resource = path.substring(path.lastIndexOf('/') + 1);
    String name = Serialization.unmarshal(body, GenericKubernetesResource.class)
        .getMetadata().getName();
    Status status = new StatusBuilder().withStatus("Failure").withCode(409).withReason("AlreadyExists")
        .withMessage(resource + " \"" + name + "\" already exists")
        .withNewDetails().withName(name).withKind(resource).endDetails()
        .build();
    return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }

  /** What kube-apiserver's endpoint validation says of an address, or null when it takes it. */
  private static @Nullable String invalidAddress(String addressType, String address) {
    if ("FQDN".equals(addressType)) {
      return FQDN.matcher(address).matches() ? null
          : "a lowercase RFC 1123 subdomain with at least two segments separated by dots";
    }
    InetAddress ip;
    try {
      ip = address.indexOf(':') >= 0 || address.matches("[0-9.]+") ? InetAddress.getByName(address) : null;
    } catch (UnknownHostException e) {
      ip = null;
    }
    if (ip == null) {
      return "must be a valid IP address";
    }
    if (ip.isAnyLocalAddress()) {
      return "may not be unspecified (" + address + ")";
    }
    if (ip.isLoopbackAddress()) {
      return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
    }
    if (ip.isLinkLocalAddress()) {
      return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
    }
    if (ip.isMCLinkLocal()) {
      return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
    }
    return null;
  }

  /** Pod status reset on create; a main-resource update of a Node or Pod keeps the stored status. */
  private RecordedRequest rewritten(HttpMethod method, String path, RecordedRequest request) {
    Matcher pod = POD_PATH.matcher(path);
    Matcher node = NODE_PATH.matcher(path);
    if (method == HttpMethod.POST && pod.matches() && pod.group(2) == null) {
      Pod created = Serialization.unmarshal(text(request.getBody()), Pod.class);
      created.setStatus(new PodStatusBuilder().withPhase("Pending").build());
      return withBody(request, Serialization.asJson(created));
    }
    if (method == HttpMethod.PUT && pod.matches() && pod.group(2) != null && pod.group(3) == null) {
      Pod updated = Serialization.unmarshal(text(request.getBody()), Pod.class);
      MockResponse stored = super.handleGet(path);
      updated.setStatus(stored.code() == 200
          ? Serialization.unmarshal(text(stored.getBody()), Pod.class).getStatus() : null);
      return withBody(request, Serialization.asJson(updated));
    }
    if (method == HttpMethod.PUT && node.matches() && node.group(2) != null && node.group(3) == null) {
      Node updated = Serialization.unmarshal(text(request.getBody()), Node.class);
      MockResponse stored = super.handleGet(path);
      updated.setStatus(stored.code() == 200
          ? Serialization.unmarshal(text(stored.getBody()), Node.class).getStatus() : null);
      return withBody(request, Serialization.asJson(updated));
    }
    return request;
  }

  private void afterSuccess(HttpMethod method, String path, MockResponse response) {
    Matcher node = NODE_PATH.matcher(path);
    if (!node.matches() || node.group(3) != null) {
      return;
    }
    if (method == HttpMethod.POST && node.group(2) == null) {
      touchNode(Serialization.unmarshal(text(response.getBody()), Node.class).getMetadata().getName());
    } else if (method == HttpMethod.GET && node.group(2) == null && touchNodesAfterList) {
      for (Node listed : Serialization.unmarshal(text(response.getBody()),
          NodeList.class).getItems()) {
        if (listed.getMetadata().getLabels() != null
            && listed.getMetadata().getLabels().containsKey("pulse.io/managed-by")) {
          touchNode(listed.getMetadata().getName());
        }
      }
    }
  }

  /** A write by someone else (kube-controller-manager's TTL controller): the Node's resource version moves on. */
  private void touchNode(String name) {
    touches++;
    String patch = "{\"metadata\":{\"annotations\":{\"" + TTL_ANNOTATION + "\":\"" + touches + "\"}}}";
    Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
    super.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, "/api/v1/nodes/" + name, headers,
        new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
  }

  private static RecordedRequest withBody(RecordedRequest request, String body) {
    return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** The buffer's text, left unread (mockwebserver's read methods consume it). */
  private static String text(@Nullable Buffer buffer) {
    return buffer == null ? "" : new String(buffer.getBytes(), StandardCharsets.UTF_8);
  }

  private static String reason(MockResponse response) {
    try {
      Status status = Serialization.unmarshal(text(response.getBody()), Status.class);
      return status.getReason() == null ? "" : status.getReason();
    } catch (RuntimeException e) {
      return "";
    }
  }
}
