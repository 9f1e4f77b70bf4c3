package io.pulse.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A test function for the process runtime (python3) that counts its executions: each request appends the value of
 * its {@code Pulse-Invocation-Id} header (or {@code -}) to {@code executions.log} in a directory of the test's, then
 * answers. {@code ?fail=N} answers 500 while the invocation has been executed at most N times (counting this one);
 * {@code ?sleep=MS} waits first.
 */
public final class CountingFunction {

  private static final String SCRIPT = """
      import http.server, os, sys, time, urllib.parse
      port, log = int(sys.argv[1]), sys.argv[2]
      class Handler(http.server.BaseHTTPRequestHandler):
          def answer(self):
              length = int(self.headers.get('Content-Length') or 0)
              body = self.rfile.read(length) if length else b''
              query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
              ident = self.headers.get('Pulse-Invocation-Id') or '-'
              if 'sleep' in query:
                  time.sleep(int(query['sleep'][0]) / 1000.0)
              with open(log, 'a') as f:
                  f.write(ident + '\\n')
              with open(log) as f:
                  count = sum(1 for line in f if line.strip() == ident)
              failing = count <= int(query.get('fail', ['0'])[0])
              text = ('fail %s %d' if failing else 'done %s %d') % (ident, count)
              out = (text + ' ' + body.decode('utf-8', 'replace')).encode()
              self.send_response(500 if failing else 200)
              self.send_header('Content-Length', str(len(out)))
              self.end_headers()
              self.wfile.write(out)
          do_GET = do_POST = do_PUT = answer
          def log_message(self, *args):
              pass
      http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()
      """;

  private final Path log;
  private final Path script;

  private CountingFunction(Path dir) {
    this.log = dir.resolve("executions.log");
    this.script = dir.resolve("counting.py");
  }

  /** Writes the script into {@code dir}. */
  public static CountingFunction in(Path dir) {
    CountingFunction function = new CountingFunction(dir);
    try {
      Files.createDirectories(dir);
      Files.writeString(function.script, SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return function;
  }

  /** The spec's {@code command}. */
  public List<String> command() {
    return List.of("python3", script.toString(), "${PORT}", log.toString());
  }

  /** Executions so far by invocation id. */
  public Map<String, Long> executions() {
    try {
      if (!Files.exists(log)) {
        return Map.of();
      }
      return Files.readAllLines(log).stream().map(String::strip).filter(line -> !line.isEmpty())
          .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
