package io.pulse.controlplane.security;

import io.pulse.common.log.JsonLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where audit events go: always the SLF4J logger {@code pulse.audit}; also, when configured, one JSON line each,
 * appended to a file (mode 0600 when made here) and flushed per line by one background thread, so the event loop
 * that records an event never waits for the disk.
 */
final class AuditLog implements AutoCloseable {

  static final String LOGGER = "pulse.audit";
  private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final @Nullable Path file;
  private final @Nullable BufferedWriter writer;
  private final @Nullable ExecutorService appender;

  private AuditLog(@Nullable Path file, @Nullable BufferedWriter writer, @Nullable ExecutorService appender) {
    this.file = file;
    this.writer = writer;
    this.appender = appender;
  }

  /** Blocking: opens (or makes) the file. */
  static AuditLog open(@Nullable Path file) {
    if (file == null) {
      return new AuditLog(null, null, null);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      if (!Files.exists(file)) {
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another process made it meanwhile: append to theirs
        }
      }
      BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      ExecutorService appender = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("pulse-audit")
          .daemon().factory());
      return new AuditLog(file, writer, appender);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Never blocks. */
  void record(AuditEvent event) {
    AUDIT.atInfo().setMessage("audit").addKeyValue("action", event.action())
        .addKeyValue("function", event.function()).addKeyValue("revision", event.revision())
        .addKeyValue("status", event.status()).addKeyValue("remote", event.remote())
        .addKeyValue("token", event.token()).log();
    if (appender == null || writer == null) {
      return;
    }
    String line = JsonLine.of(event.toJson()); // one line whatever the names hold
    try {
      appender.execute(() -> append(writer, line));
    } catch (RejectedExecutionException e) {
      LOG.atWarn().setMessage("audit event after close, written to the logger only").log();
    }
  }

  private void append(BufferedWriter out, String line) {
    try {
      out.write(line);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      LOG.atError().setMessage("cannot append to the audit log").addKeyValue("file", file)
          .addKeyValue("error", e.toString()).log();
    }
  }

  /** Blocking: writes what is queued, then closes the file. */
  @Override
  public void close() {
    if (appender == null || writer == null) {
      return;
    }
    appender.shutdown();
    try {
      appender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      writer.close();
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot close the audit log").addKeyValue("file", file)
          .addKeyValue("error", e.toString()).log();
    }
  }
}
