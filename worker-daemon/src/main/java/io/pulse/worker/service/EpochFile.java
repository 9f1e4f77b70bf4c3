package io.pulse.worker.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest leader epoch this worker has seen, kept in {@code <dataDir>/highest-epoch} so that a restarted worker
 * still refuses the commands of a leader deposed before the restart.
 *
 * <p>{@link #save} is called from wherever an epoch rises (an event loop, a gRPC thread) and never blocks: one thread
 * of its own writes the newest value (write a temporary file, fsync, rename over the old one), skipping values already
 * overtaken. A command is admitted without waiting for that write, so a crash within the few milliseconds before it
 * lands forgets the newest epoch; the one before it is kept.
 */
public final class EpochFile implements AutoCloseable {

  static final String NAME = "highest-epoch";
  private static final Logger LOG = LoggerFactory.getLogger(EpochFile.class);

  private final Path file;
  private final long initial;
  private final AtomicLong wanted;
  /** Writer thread only. */
  private long written;
  private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), task -> {
        Thread t = new Thread(task, "pulse-epoch-file");
        t.setDaemon(true);
        return t;
      });

  private EpochFile(Path file, long initial) {
    this.file = file;
    this.initial = initial;
    this.wanted = new AtomicLong(initial);
    this.written = initial;
  }

  /** Reads the epoch a previous run kept in {@code dataDir} (0 when none). Blocking: call off the event loop. */
  public static EpochFile open(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      Files.createDirectories(dataDir);
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return new EpochFile(file, Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return new EpochFile(file, 0);
    } catch (NumberFormatException e) {
      // Only a person can have written this (every write is atomic): refuse to guess rather than lose the fence.
      throw new IllegalStateException(file + " does not hold an epoch; delete it to start without one", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The epoch read at {@link #open}. */
  public long initial() {
    return initial;
  }

  /** Keeps {@code epoch} if it is the highest so far; returns at once. */
  public void save(long epoch) {
    if (wanted.accumulateAndGet(epoch, Math::max) != epoch) {
      return;
    }
    try {
      writer.execute(this::flush);
    } catch (RejectedExecutionException e) {
      LOG.atWarn().setMessage("epoch seen after the worker closed; not kept").addKeyValue("epoch", epoch).log();
    }
  }

  /** Writes what is pending and stops the writer. Blocking. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.atWarn().setMessage("the epoch file write did not finish").addKeyValue("file", file).log();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void flush() {
    long target = wanted.get();
    if (target <= written) {
      return;
    }
    Path temp = file.resolveSibling(NAME + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(ByteBuffer.wrap((target + "\n").getBytes(StandardCharsets.UTF_8)));
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true); // the rename itself survives a power cut only once its directory is synced
      }
      written = target;
    } catch (IOException e) {
      // The next rise tries again; until then a restart falls back to the last epoch written.
      LOG.atWarn().setMessage("cannot keep the highest epoch").addKeyValue("file", file).addKeyValue("epoch", target)
          .addKeyValue("error", e.getMessage()).log();
    }
  }
}
